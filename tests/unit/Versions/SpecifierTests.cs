using System;
using System.Linq;
using IndexTools.Engine.Versions;
using Xunit;

namespace IndexTools.Tests.Versions
{
    /// <summary>The examples PEP 440's "Version specifiers" section gives for each operator.</summary>
    public class SpecifierTests
    {
        [Theory]
        // ~= : "~=2.2" is ">=2.2, ==2.*"; "~=1.4.5" is ">=1.4.5, ==1.4.*"; "~=2.2.post3" is ">=2.2.post3, ==2.*";
        // "~=1.4.5a4" is ">=1.4.5a4, ==1.4.*"; "~=2.2.0" is ">=2.2.0, ==2.2.*"; "~=1.4.5.0" is ">=1.4.5.0, ==1.4.5.*".
        [InlineData("~=2.2", "2.2", true)]
        [InlineData("~=2.2", "2.9", true)]
        [InlineData("~=2.2", "3.0", false)]
        [InlineData("~=2.2", "2.1", false)]
        [InlineData("~=1.4.5", "1.4.9", true)]
        [InlineData("~=1.4.5", "1.5.0", false)]
        [InlineData("~=2.2.post3", "2.2.post4", true)]
        [InlineData("~=2.2.post3", "2.2", false)]
        [InlineData("~=2.2.post3", "2.9", true)]
        [InlineData("~=1.4.5a4", "1.4.5", true)]
        [InlineData("~=1.4.5a4", "1.4.5a3", false)]
        [InlineData("~=1.4.5a4", "1.5", false)]
        [InlineData("~=2.2.0", "2.2.5", true)]
        [InlineData("~=2.2.0", "2.3", false)]
        [InlineData("~=1.4.5.0", "1.4.5.7", true)]
        [InlineData("~=1.4.5.0", "1.4.6", false)]
        [InlineData("~=1!2.2", "1!2.5", true)]
        [InlineData("~=1!2.2", "2.5", false)]
        // == exact and prefix matching: "1.1.post1" against "==1.1", "==1.1.post1", "==1.1.*".
        [InlineData("==1.1", "1.1.post1", false)]
        [InlineData("==1.1.post1", "1.1.post1", true)]
        [InlineData("==1.1.*", "1.1.post1", true)]
        [InlineData("==1.1", "1.1.0", true)]
        [InlineData("==1.1.0", "1.1", true)]
        [InlineData("==1.1.*", "1.1", true)]
        [InlineData("==1.1.*", "1.10", false)]
        [InlineData("==1.1.0.*", "1.1", true)]
        [InlineData("==2.1.*", "2", false)]
        [InlineData("==1.*", "1!1.0", false)]
        // Local versions: ignored unless the specifier has one.
        [InlineData("==1.1", "1.1+ubuntu.1", true)]
        [InlineData("==1.1+ubuntu.1", "1.1+ubuntu.1", true)]
        [InlineData("==1.1+ubuntu.1", "1.1+ubuntu.2", false)]
        [InlineData("==1.1+ubuntu.1", "1.1", false)]
        [InlineData("==1.1.*", "1.1.3+local", true)]
        [InlineData("<=1.1", "1.1+local", true)]
        [InlineData(">=1.1", "1.1+local", true)]
        // != : "!=1.1.post1" excludes that one; "!=1.1.*" excludes the prefix.
        [InlineData("!=1.1.post1", "1.1.post1", false)]
        [InlineData("!=1.1.post1", "1.1", true)]
        [InlineData("!=1.1.*", "1.1.post1", false)]
        [InlineData("!=1.1.*", "1.2", true)]
        [InlineData("!=1.1", "1.1+local", false)]
        // Inclusive ordered comparisons.
        [InlineData("<=2.0", "2.0", true)]
        [InlineData("<=2.0", "2.0.post1", false)]
        [InlineData(">=2.0", "2.0", true)]
        [InlineData(">=2.0", "2.0a1", false)]
        [InlineData(">=2.0", "2.0.post1", true)]
        // Exclusive ordered comparisons: "<V" excludes pre-releases of V; ">V" excludes V's post-releases and locals.
        [InlineData("<3.1", "3.1.dev0", false)]
        [InlineData("<3.1", "3.0.dev0", true)]
        [InlineData("<3.1", "3.1a1", false)]
        [InlineData("<3.1rc1", "3.1a1", true)]
        [InlineData("<3.1.post1", "3.1a1", true)]
        [InlineData(">1.7", "1.7.1", true)]
        [InlineData(">1.7", "1.7.0.post1", false)]
        [InlineData(">1.7", "1.7+local", false)]
        [InlineData(">1.7.post2", "1.7.1", true)]
        [InlineData(">1.7.post2", "1.7.0.post3", true)]
        [InlineData(">1.7.post2", "1.7.post2+local", false)]
        // === arbitrary equality: the normalized text, case-insensitively.
        [InlineData("===1.0", "1.0", true)]
        [InlineData("===1.0", "1.0.0", false)]
        [InlineData("===1.0RC1", "1.0rc1", true)]
        [InlineData("===1.0+downstream1", "1.0+downstream1", true)]
        [InlineData("===1.0+downstream1", "1.0", false)]
        public void Pep440Examples(string specifier, string version, bool contained)
        {
            Assert.Equal(contained, VersionSpecifier.Parse(specifier).Contains(Pep440Version.Parse(version)));
        }

        [Fact]
        public void KeepsOperatorAndVersionAsWritten()
        {
            var s = VersionSpecifier.Parse("  ==  1.0.*  ");
            Assert.Equal("==", s.Operator);
            Assert.Equal("1.0.*", s.Version);
            Assert.True(s.IsWildcard);
            Assert.Equal("==1.0.*", s.ToString());
            var arbitrary = VersionSpecifier.Parse("===foobar");
            Assert.Equal("===", arbitrary.Operator);
            Assert.Equal("foobar", arbitrary.Version);
            Assert.Null(arbitrary.ParsedVersion);
            Assert.False(arbitrary.Contains(Pep440Version.Parse("1.0")));
        }

        [Theory]
        [InlineData(">=2.0a1", true)]
        [InlineData("==2.0.dev1", true)]
        [InlineData("<=2.0rc1", true)]
        [InlineData("~=2.0b1", true)]
        [InlineData("<2.0a1", true)]
        [InlineData(">2.0a1", true)]
        [InlineData("===2.0a1", true)]
        [InlineData("!=2.0a1", false)]
        [InlineData(">=2.0", false)]
        [InlineData("==2.0.*", false)]
        [InlineData("===foo", false)]
        public void IncludesPreReleaseWhenTheClauseNamesOne(string text, bool expected)
        {
            Assert.Equal(expected, VersionSpecifier.Parse(text).IncludesPreRelease);
        }

        [Theory]
        // Contains with the default policy: pre-releases only when a clause names one.
        [InlineData("", "1.0", true)]
        [InlineData("", "1.0a1", false)]
        [InlineData(">=1.0", "2.0a1", false)]
        [InlineData(">=1.0", "2.0.dev1", false)]
        [InlineData(">=1.0", "2.0.post1", true)]
        [InlineData(">=1.0a1", "2.0a1", true)]
        [InlineData(">=1.0,<3.0a1", "2.0b1", true)]
        [InlineData(">=1.0,!=2.0a1", "2.0b1", false)]
        [InlineData("==2.0b1", "2.0b1", true)]
        [InlineData(">=1.0", "1.0+local", true)]
        public void ContainsAppliesThePreReleasePolicy(string set, string version, bool expected)
        {
            Assert.Equal(expected, VersionSpecifierSet.Parse(set).Contains(Pep440Version.Parse(version)));
        }

        [Fact]
        public void ContainsHonoursAnExplicitChoice()
        {
            var set = VersionSpecifierSet.Parse(">=1.0a1");
            Assert.False(set.Contains(Pep440Version.Parse("1.5b1"), allowPreReleases: false));
            Assert.True(set.Contains(Pep440Version.Parse("1.5"), allowPreReleases: false));
            Assert.True(VersionSpecifierSet.Any.Contains(Pep440Version.Parse("1.5b1"), allowPreReleases: true));
        }

        [Fact]
        public void FilterFallsBackToPreReleasesOnlyWhenNothingElseMatches()
        {
            var versions = new[] { "1.0", "1.5", "2.0b1", "2.0rc1" }.Select(Pep440Version.Parse).ToList();
            string Run(string set, bool? allow = null) =>
                string.Join(" ", VersionSpecifierSet.Parse(set).Filter(versions, allow).Select(v => v.ToString()));

            Assert.Equal("1.0 1.5", Run(""));
            Assert.Equal("1.5", Run(">=1.5"));
            Assert.Equal("2.0b1 2.0rc1", Run(">=2.0b1"));
            Assert.Equal("2.0b1 2.0rc1", Run(">1.5"));
            Assert.Equal("", Run(">1.5", allow: false));
            Assert.Equal("1.0 1.5 2.0b1 2.0rc1", Run("", allow: true));
            Assert.Equal("", Run(">=3"));
        }

        [Theory]
        [InlineData("", "")]
        [InlineData("   ", "")]
        [InlineData(">=2,<3", ">=2,<3")]
        [InlineData(" >= 2 , < 3 ", ">=2,<3")]
        [InlineData(">=2,,<3,", ">=2,<3")]
        [InlineData("==1.*", "==1.*")]
        public void SetParsesAndPrints(string text, string expected)
        {
            var set = VersionSpecifierSet.Parse(text);
            Assert.Equal(expected, set.ToString());
            Assert.Equal(expected.Length == 0, set.IsEmpty);
            Assert.Equal(set.ToString(), VersionSpecifierSet.Parse(set.ToString()).ToString());
        }

        [Theory]
        [InlineData(">=2,<3x", "<3x")]
        [InlineData("2.0", "2.0")]
        [InlineData(">=1.0+local", ">=1.0+local")]
        [InlineData("~=1", "~=1")]
        [InlineData(">=1.*", ">=1.*")]
        public void SetErrorsNameTheTextAndTheClause(string text, string clause)
        {
            var ex = Assert.Throws<FormatException>(() => VersionSpecifierSet.Parse(text));
            Assert.Contains("'" + text + "'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("'" + clause + "'", ex.Message, StringComparison.Ordinal);
        }
    }
}
