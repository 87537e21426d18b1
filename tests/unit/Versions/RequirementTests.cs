using System;
using IndexTools.Engine.Versions;
using Xunit;

namespace IndexTools.Tests.Versions
{
    public class RequirementTests
    {
        [Theory]
        [InlineData("requests", "requests", "requests", "", "", null, null)]
        [InlineData("requests>=2,<3", "requests", "requests", "", ">=2,<3", null, null)]
        [InlineData("requests (>=2)", "requests", "requests", "", ">=2", null, null)]
        [InlineData("requests >= 2 , < 3", "requests", "requests", "", ">=2,<3", null, null)]
        [InlineData("Requests[security,socks]>=2.0 ; python_version >= \"3.8\"", "Requests", "requests", "security,socks", ">=2.0", "python_version >= \"3.8\"", null)]
        [InlineData("name @ https://example.com/name-1.0.tar.gz", "name", "name", "", "", null, "https://example.com/name-1.0.tar.gz")]
        [InlineData("name@https://example.com/x.whl#sha256=ab ; os_name == 'nt'", "name", "name", "", "", "os_name == 'nt'", "https://example.com/x.whl#sha256=ab")]
        [InlineData("pkg==1.*", "pkg", "pkg", "", "==1.*", null, null)]
        [InlineData("pkg===foo", "pkg", "pkg", "", "===foo", null, null)]
        [InlineData("Foo.Bar_baz-Qux~=1.4.5", "Foo.Bar_baz-Qux", "foo-bar-baz-qux", "", "~=1.4.5", null, null)]
        [InlineData("  torch[cuda] == 2.1.0+cu121  ", "torch", "torch", "cuda", "==2.1.0+cu121", null, null)]
        [InlineData("pkg[]", "pkg", "pkg", "", "", null, null)]
        [InlineData("pkg;python_version<'3.9'", "pkg", "pkg", "", "", "python_version<'3.9'", null)]
        [InlineData("pkg>=1.0  # pinned for reasons", "pkg", "pkg", "", ">=1.0", null, null)]
        [InlineData("a", "a", "a", "", "", null, null)]
        public void ParsesWhatUsersType(string text, string name, string normalized, string extras, string specifiers, string? marker, string? url)
        {
            var r = Requirement.Parse(text);
            Assert.Equal(text, r.Original);
            Assert.Equal(name, r.Name);
            Assert.Equal(normalized, r.NormalizedName);
            Assert.Equal(extras, string.Join(",", r.Extras));
            Assert.Equal(specifiers, r.Specifiers.ToString());
            Assert.Equal(marker, r.Marker);
            Assert.Equal(url, r.Url);
            Assert.True(Requirement.TryParse(text, out var again, out var error));
            Assert.Null(error);
            Assert.Equal(name, again!.Name);
        }

        [Theory]
        [InlineData("", "no package name")]
        [InlineData("-pkg", "package name")]
        [InlineData("pkg-", "not a valid package name")]
        [InlineData("pkg_ >=1", "not a valid package name")]
        [InlineData("pkg[sec", "']'")]
        [InlineData("pkg[se c]", "extra")]
        [InlineData("pkg>=", "no version")]
        [InlineData("pkg 1.0", "operator")]
        [InlineData("pkg=1.0", "operator")]
        [InlineData("pkg>=1.0+local", "local version")]
        [InlineData("pkg==1.0a1.*", ".*")]
        [InlineData("pkg (>=1.0", "')'")]
        [InlineData("pkg ()", "no version specifier")]
        [InlineData("pkg @ ", "URL")]
        [InlineData("pkg @ notaurl", "not a URL")]
        [InlineData("pkg>=1;", "marker")]
        [InlineData("pkg @ https://x/y extra", "unexpected text")]
        [InlineData("pkg>=1.0,<x", "'<x'")]
        public void RejectsWithAMessageNamingTheTextAndTheProblem(string text, string problem)
        {
            Assert.False(Requirement.TryParse(text, out var r, out var error));
            Assert.Null(r);
            var ex = Assert.Throws<FormatException>(() => Requirement.Parse(text));
            Assert.Equal(error, ex.Message);
            Assert.Contains("'" + text + "'", ex.Message, StringComparison.Ordinal);
            Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        }
    }
}
