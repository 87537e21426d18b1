using System.Collections.Generic;
using System.IO;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Indexes
{
    /// <summary>
    /// IndexUrl: uv's CanonicalUrl (crates/uv-cache-key/src/canonical_url.rs) as the identity of an index, uv's raw-URL
    /// equality where uv uses that, and a ToString() that never shows a credential.
    /// </summary>
    public sealed class IndexUrlTests
    {
        [Theory]
        // Credentials, a trailing slash, the host's case and the default port do not count.
        [InlineData("https://pypi.org/simple", "https://pypi.org/simple/")]
        [InlineData("https://PyPI.org/simple", "https://pypi.org/simple")]
        [InlineData("HTTPS://pypi.org/simple", "https://pypi.org/simple")]
        [InlineData("https://user:pw@pypi.org/simple", "https://pypi.org/simple/")]
        [InlineData("https://token@pypi.org:443/simple/", "https://pypi.org/simple")]
        [InlineData("http://h:80/simple", "http://h/simple")]
        // A password written with an unescaped '/' or '@' is user info too (UrlRedactor's lenient reading).
        [InlineData("https://user:p/w@corp.example/simple", "https://corp.example/simple")]
        [InlineData("https://user:p@w@corp.example/simple", "https://corp.example/simple")]
        // The path's percent-encoding is decoded (uv decodes every segment and writes it again).
        [InlineData("https://h/a%62c/simple", "https://h/abc/simple")]
        [InlineData("https://h/a%20b/simple", "https://h/a b/simple")]
        [InlineData("https://h/caf%C3%A9/simple", "https://h/café/simple")]
        // github.com: the path's case does not count; a .git suffix does not count anywhere.
        [InlineData("https://github.com/Org/Repo", "https://github.com/org/repo")]
        [InlineData("https://h/simple.git", "https://h/simple")]
        [InlineData("https://h/simple.GIT/", "https://h/simple")]
        // Every trailing slash goes (uv removes one; every comparison here trimmed them all before, and a lock relies on it).
        [InlineData("http://127.0.0.1:8080/a/simple", "http://127.0.0.1:8080/a/simple//")]
        // The root and no path are the same.
        [InlineData("https://h", "https://h/")]
        public void TheSameIndex(string a, string b)
        {
            var x = IndexUrl.Parse(a);
            var y = IndexUrl.Parse(b);
            Assert.Equal(x.Key, y.Key);
            Assert.True(x == y);
            Assert.True(x.Equals(y));
            Assert.Equal(x.GetHashCode(), y.GetHashCode());
            Assert.True(x.SameAs(b));
        }

        [Theory]
        [InlineData("https://pypi.org/simple", "https://test.pypi.org/simple")]
        [InlineData("https://pypi.org/simple", "https://pypi.org/other")]
        [InlineData("http://pypi.org/simple", "https://pypi.org/simple")]
        [InlineData("http://127.0.0.1:8080/a/simple", "http://127.0.0.1:8081/a/simple")]
        // The path's case counts (outside github.com), and so do the query and the fragment.
        [InlineData("https://h/Simple", "https://h/simple")]
        [InlineData("https://h/simple?a=1", "https://h/simple?a=2")]
        [InlineData("https://h/simple#x", "https://h/simple")]
        // An encoded '/' stays a character of its segment.
        [InlineData("https://h/a%2Fb", "https://h/a/b")]
        // A file named ".git" has no extension.
        [InlineData("https://h/x/.git", "https://h/x")]
        public void DifferentIndexes(string a, string b)
        {
            var x = IndexUrl.Parse(a);
            var y = IndexUrl.Parse(b);
            Assert.NotEqual(x.Key, y.Key);
            Assert.True(x != y);
            Assert.False(x.SameAs(b));
        }

        [Fact]
        public void TheKeyIsUvsCanonicalForm()
        {
            Assert.Equal("https://pypi.org/simple", IndexUrl.Parse("https://user:secret@PyPI.org:443/simple/").Key);
            Assert.Equal("https://h/caf%C3%A9%20x/simple", IndexUrl.Parse("https://h/caf%c3%a9 x/simple/").Key);
            Assert.Equal("https://github.com/org/repo", IndexUrl.Parse("https://github.com/Org/Repo.git").Key);
            Assert.Equal("https://h/repo@v1", IndexUrl.Parse("https://h/repo.git@v1").Key);
            Assert.Equal("http://127.0.0.1:8080/simple?x=1", IndexUrl.Parse("http://127.0.0.1:8080/simple/?x=1").Key);
            Assert.Equal("https://h/", IndexUrl.Parse("https://h").Key);
        }

        [Fact]
        public void ALocalPathIsItsFileUrl()
        {
            var folder = Path.Combine(Path.GetTempPath(), "wheels");
            Assert.Equal(IndexUrl.Parse(folder), IndexUrl.Parse(new System.Uri(folder).AbsoluteUri));
            Assert.Equal(IndexUrl.Parse(folder), IndexUrl.Parse(folder + Path.DirectorySeparatorChar));
            Assert.True(IndexUrl.Parse(folder).IsFile);
            Assert.False(IndexUrl.Parse(folder).IsHttp);
        }

        [Fact]
        public void ARelativeRegistryIsTakenRelativeToTheLockFolder()
        {
            var root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "proj"));
            Assert.Equal(IndexUrl.Parse(Path.Combine(Path.GetTempPath(), "wheels")), IndexUrl.Parse("../wheels", root));
        }

        [Fact]
        public void TextThatIsNeitherAUrlNorARootedPathIsComparedAsWritten()
        {
            Assert.Equal(IndexUrl.Parse("wheels/"), IndexUrl.Parse("wheels"));
            Assert.NotEqual(IndexUrl.Parse("wheels"), IndexUrl.Parse("Wheels"));
            Assert.Null(IndexUrl.Parse("wheels").Uri);
            Assert.Equal("", IndexUrl.Parse("wheels").Host);
        }

        [Fact]
        public void NothingItShowsHoldsTheCredential()
        {
            var url = IndexUrl.Parse("https://alice:s3cr%40t@corp.example/simple/?token=abc");
            Assert.DoesNotContain("s3cr", url.ToString());
            Assert.DoesNotContain("alice", url.ToString());
            Assert.DoesNotContain("abc", url.ToString());
            Assert.Equal(url.Display, url.ToString());
            Assert.Equal("https://****@corp.example/simple/?token=****", url.ToString());
            Assert.DoesNotContain("s3cr", url.Key);
            Assert.DoesNotContain("alice", url.Key);
            Assert.Equal("", url.Uri!.UserInfo);
            Assert.Equal("corp.example", url.Host);
        }

        [Fact]
        public void ProjectPagesLieUnderTheirIndexAtAPathBoundary()
        {
            var index = IndexUrl.Parse("https://user:pw@corp.example/simple/");
            Assert.True(index.Contains("https://****@corp.example/simple/requests/"));
            Assert.True(index.Contains("https://corp.example/simple"));
            Assert.True(index.Contains(index.DisplayProjectUrl("requests")));
            Assert.False(index.Contains("https://corp.example/simple2/requests/"));
            Assert.False(index.Contains("https://other.example/simple/requests/"));
            Assert.False(index.Contains(null));
            Assert.Equal("https://****@corp.example/simple/requests/", index.DisplayProjectUrl("requests"));
            Assert.True(IndexUrl.Parse("https://h/").Contains("https://h/simple/x/"));
        }

        [Fact]
        public void RawEqualityIsUvsUrlEquality()
        {
            // uv's fetch_indexes and the credential store's exact service compare raw URLs: a trailing slash or other
            // credentials make another URL; the host's case and the default port do not.
            Assert.True(IndexUrl.Parse("https://H:443/simple").SameRaw(IndexUrl.Parse("https://h/simple")));
            Assert.False(IndexUrl.Parse("https://h/simple/").SameRaw(IndexUrl.Parse("https://h/simple")));
            Assert.False(IndexUrl.Parse("https://a:b@h/simple").SameRaw(IndexUrl.Parse("https://h/simple")));
            Assert.True(IndexUrl.Parse("https://a:b@h/simple") == IndexUrl.Parse("https://h/simple"));
        }

        [Fact]
        public void UsableAsADictionaryKey()
        {
            var seen = new HashSet<IndexUrl> { IndexUrl.Parse("https://u:p@corp.example/simple/") };
            Assert.Contains(IndexUrl.Parse("https://CORP.example:443/simple"), seen);
            Assert.False(seen.Add(IndexUrl.Parse("https://corp.example/simple")));
            Assert.True(seen.Add(IndexUrl.Parse("https://corp.example/other")));
        }

        [Fact]
        public void ADefinitionCarriesItsUrlValue()
        {
            var a = new IndexDefinition("corp", "https://u:p@corp.example/simple/", Provenance.Default);
            var b = new IndexDefinition(null, "https://corp.example/simple", Provenance.Default);
            Assert.Equal(a.IndexUrl, b.IndexUrl);
            Assert.Equal(a.DisplayUrl, a.IndexUrl.ToString());
            Assert.True(new IndexDefinition(null, IndexUrl.PyPiText + "/", Provenance.Default).IndexUrl == IndexUrl.PyPi);
        }
    }
}
