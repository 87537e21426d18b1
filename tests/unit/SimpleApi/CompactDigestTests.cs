using System.Collections.Generic;
using System.Linq;
using IndexTools.Engine.SimpleApi;
using Xunit;
using static IndexTools.Tests.SimpleApi.PageTestHelpers;

namespace IndexTools.Tests.SimpleApi
{
    /// <summary>A lower-case hex sha256 is stored compactly; it must read back exactly like a plain map.</summary>
    public class CompactDigestTests
    {
        private const string Upper = "6088930BFE239F0E6710546AB9C19C9EF35E29792895FED6E6E31A023A182A61";

        [Theory]
        [InlineData(Sha)]
        [InlineData(Upper)]
        [InlineData("6088930bfe239f0e6710546ab9c19c9ef35e29792895fed6e6e31a023a182a6")]
        [InlineData("6088930bfe239f0e6710546ab9c19c9ef35e29792895fed6e6e31a023a182a6g")]
        [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
        [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
        public void HtmlAndJsonDigestsReadBackAsWritten(string digest)
        {
            var html = Anchor($"href=\"a-1.0.tar.gz#sha256={digest}\"").Hashes;
            var json = Single(JsonPage("{\"files\":[{\"filename\":\"a-1.0.tar.gz\",\"url\":\"a-1.0.tar.gz\",\"hashes\":{\"sha256\":\"" + digest + "\"}}]}")).Hashes;
            foreach (var hashes in new[] { html, json })
            {
                Assert.True(hashes.Count == 1, "Count");
                Assert.Equal(digest, hashes["sha256"]);
                Assert.True(hashes.TryGetValue("sha256", out var value));
                Assert.Equal(digest, value);
                Assert.True(hashes.ContainsKey("sha256"));
                Assert.False(hashes.ContainsKey("SHA256"));
                Assert.False(hashes.TryGetValue("md5", out _));
                Assert.Throws<KeyNotFoundException>(() => hashes["md5"]);
                Assert.Equal(new[] { "sha256" }, hashes.Keys);
                Assert.Equal(new[] { digest }, hashes.Values);
                Assert.Equal(new[] { new KeyValuePair<string, string>("sha256", digest) }, hashes.ToList());
                Assert.Same(hashes["sha256"], hashes["sha256"]);
            }
        }

        [Fact]
        public void SeveralJsonHashesKeepOrderAndTheLastValueForARepeatedName()
        {
            var hashes = Single(JsonPage("{\"files\":[{\"filename\":\"a-1.0.tar.gz\",\"url\":\"a-1.0.tar.gz\",\"hashes\":{\"sha256\":\"" + Sha
                + "\",\"md5\":\"abc\",\"sha256\":\"" + Upper + "\",\"blake2b\":null}}]}")).Hashes;
            Assert.Equal(new[] { "sha256", "md5" }, hashes.Keys);
            Assert.Equal(Upper, hashes["sha256"]);
            Assert.Equal("abc", hashes["md5"]);

            var escaped = Single(JsonPage("{\"files\":[{\"filename\":\"a-1.0.tar.gz\",\"url\":\"a-1.0.tar.gz\",\"hashes\":{\"sha256\":\"\\u0036" + Sha.Substring(1) + "\"}}]}")).Hashes;
            Assert.Equal(Sha, escaped["sha256"]);
            Assert.Empty(Single(JsonPage("{\"files\":[{\"filename\":\"a-1.0.tar.gz\",\"url\":\"a-1.0.tar.gz\",\"hashes\":{\"sha256\":null}}]}")).Hashes);
        }
    }
}
