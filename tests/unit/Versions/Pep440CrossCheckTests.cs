using System;
using System.Collections.Generic;
using System.Linq;
using IndexTools.Engine.Versions;
using Xunit;

namespace IndexTools.Tests.Versions
{
    /// <summary>
    /// Answers computed by pypa/packaging 26.4.dev0 (see Data/generate_crosscheck.py), checked one by one.
    /// </summary>
    public class Pep440CrossCheckTests
    {
        public static IEnumerable<object?[]> VersionRows() =>
            Pep440CrossCheckData.Versions.Select(r => new object?[] { r.Text, r.Normalized, r.Pre, r.Post, r.Dev, r.Base, r.Public });

        [Theory]
        [MemberData(nameof(VersionRows))]
        public void ParsesAndNormalizesLikePackaging(string text, string? normalized, bool pre, bool post, bool dev, string? baseVersion, string? publicVersion)
        {
            var ok = Pep440Version.TryParse(text, out var version);
            Assert.Equal(normalized != null, ok);
            if (!ok)
            {
                Assert.Null(version);
                var ex = Assert.Throws<FormatException>(() => Pep440Version.Parse(text));
                Assert.Contains(text, ex.Message, StringComparison.Ordinal);
                return;
            }

            Assert.Equal(normalized, version!.ToString());
            Assert.Equal(pre, version.IsPreRelease);
            Assert.Equal(post, version.IsPostRelease);
            Assert.Equal(dev, version.IsDevRelease);
            Assert.Equal(baseVersion, version.BaseVersion.ToString());
            Assert.Equal(publicVersion, version.PublicVersion.ToString());
            Assert.Equal(version, Pep440Version.Parse(normalized!));
        }

        [Fact]
        public void OrdersEveryPairLikePackaging()
        {
            var rows = Pep440CrossCheckData.Ordered;
            Assert.True(rows.Length > 300, "the table should hold several hundred distinct versions");
            var parsed = rows.Select(r => Pep440Version.Parse(r.Version)).ToArray();
            for (var i = 0; i < rows.Length; i++)
            {
                for (var j = 0; j < rows.Length; j++)
                {
                    var expected = rows[i].Rank.CompareTo(rows[j].Rank);
                    var actual = Math.Sign(parsed[i].CompareTo(parsed[j]));
                    if (expected != actual)
                    {
                        Assert.Fail($"{rows[i].Version} vs {rows[j].Version}: expected {expected}, got {actual}");
                    }

                    if (expected == 0)
                    {
                        Assert.Equal(parsed[i].GetHashCode(), parsed[j].GetHashCode());
                    }
                }
            }
        }

        [Fact]
        public void SortingShuffledVersionsGivesPackagingOrder()
        {
            var rows = Pep440CrossCheckData.Ordered;
            var random = new Random(440);
            var shuffled = rows.OrderBy(_ => random.Next()).ToList();
            var sorted = shuffled.OrderBy(r => Pep440Version.Parse(r.Version)).Select(r => r.Rank).ToList();
            Assert.Equal(rows.Select(r => r.Rank).ToList(), sorted);
        }

        public static IEnumerable<object[]> SpecifierRows() =>
            Pep440CrossCheckData.Specifiers.Select(r => new object[] { r.Specifier, r.Contains, r.IncludesPreRelease });

        [Theory]
        [MemberData(nameof(SpecifierRows))]
        public void SpecifierContainsLikePackaging(string text, int[] contains, bool includesPreRelease)
        {
            var specifier = VersionSpecifier.Parse(text);
            Assert.Equal(includesPreRelease, specifier.IncludesPreRelease);
            var candidates = Pep440CrossCheckData.Candidates;
            var expected = contains.Select(i => candidates[i]).ToList();
            var actual = candidates.Where(c => specifier.Contains(Pep440Version.Parse(c))).ToList();
            Assert.Equal(expected, actual);
        }

        public static IEnumerable<object[]> InvalidSpecifierRows() =>
            Pep440CrossCheckData.InvalidSpecifiers.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(InvalidSpecifierRows))]
        public void RejectsWhatPackagingRejects(string text)
        {
            Assert.False(VersionSpecifier.TryParse(text, out var specifier, out var error));
            Assert.Null(specifier);
            Assert.False(string.IsNullOrEmpty(error));
            var ex = Assert.Throws<FormatException>(() => VersionSpecifier.Parse(text));
            Assert.Contains(text.Trim(), ex.Message, StringComparison.Ordinal);
        }

        public static IEnumerable<object[]> SetRows() =>
            Pep440CrossCheckData.Sets.Select(r => new object[] { r.Set, r.Pool, r.WithPre, r.WithoutPre, r.Filtered });

        [Theory]
        [MemberData(nameof(SetRows))]
        public void SetContainsAndFilterLikePackaging(string text, int pool, string[] withPre, string[] withoutPre, string[] filtered)
        {
            var set = VersionSpecifierSet.Parse(text);
            var versions = Pep440CrossCheckData.Pools[pool].Select(Pep440Version.Parse).ToList();
            Assert.Equal(withPre, versions.Where(v => set.Contains(v, allowPreReleases: true)).Select(v => v.ToString()).ToArray());
            Assert.Equal(withoutPre, versions.Where(v => set.Contains(v, allowPreReleases: false)).Select(v => v.ToString()).ToArray());
            Assert.Equal(filtered, set.Filter(versions).Select(v => v.ToString()).ToArray());
        }
    }
}
