using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.SimpleApi;
using Xunit;
using static IndexTools.Tests.SimpleApi.PageTestHelpers;

namespace IndexTools.Tests.SimpleApi
{
    public class JsonPageTests
    {
        internal const string PypiJson = @"{
  ""alternate-locations"": [],
  ""files"": [
    {
      ""core-metadata"": false,
      ""data-dist-info-metadata"": false,
      ""filename"": ""pepy-2.1.1.tar.gz"",
      ""hashes"": {
        ""sha256"": ""cec463c444b71d1664229121897b22df753dc91fabb2113d1c89992638c90829""
      },
      ""provenance"": null,
      ""requires-python"": "">=3.7"",
      ""size"": 15399,
      ""upload-time"": ""2022-11-14T17:14:53.935145Z"",
      ""url"": ""https://files.pythonhosted.org/packages/78/7e/123d/pepy-2.1.1.tar.gz"",
      ""yanked"": false
    },
    {
      ""core-metadata"": {""sha256"": ""abc""},
      ""data-dist-info-metadata"": {""sha256"": ""abc""},
      ""filename"": ""pepy-2.1.0-py3-none-any.whl"",
      ""hashes"": {""sha256"": ""aaa"", ""md5"": ""bbb"", ""blake2b_256"": ""ccc""},
      ""provenance"": ""https://pypi.org/integrity/pepy/2.1.0/pepy-2.1.0-py3-none-any.whl/provenance"",
      ""requires-python"": "">=3.7"",
      ""size"": 9000,
      ""upload-time"": ""2022-11-14T17:14:50+02:00"",
      ""url"": ""https://files.pythonhosted.org/packages/aa/bb/pepy-2.1.0-py3-none-any.whl"",
      ""yanked"": ""Broken on Windows""
    },
    {
      ""filename"": ""pepy-2.0.0.tar.gz"",
      ""hashes"": {},
      ""url"": ""https://files.pythonhosted.org/packages/cc/pepy-2.0.0.tar.gz"",
      ""yanked"": true,
      ""requires-python"": null
    }
  ],
  ""meta"": {
    ""_last-serial"": 15765070,
    ""api-version"": ""1.4""
  },
  ""name"": ""pepy"",
  ""project-status"": {""status"": ""archived""},
  ""versions"": [""2.0.0"", ""2.1.0"", ""2.1.1""]
}";

        [Fact]
        public void PypiJsonPage()
        {
            var page = JsonPage(PypiJson, "https://pypi.org/simple/pepy/");
            Assert.Equal("json", page.Format);
            Assert.Equal("pkg", page.Name);
            Assert.Equal("1.4", page.ApiVersion);
            Assert.Equal(new[] { "2.0.0", "2.1.0", "2.1.1" }, page.Versions);
            Assert.Empty(page.AlternateLocations);
            Assert.Empty(page.Tracks);
            Assert.Equal(new[] { "pepy-2.1.1.tar.gz", "pepy-2.1.0-py3-none-any.whl", "pepy-2.0.0.tar.gz" }, page.Files.Select(f => f.Filename));

            var sdist = page.Files[0];
            Assert.Equal("https://files.pythonhosted.org/packages/78/7e/123d/pepy-2.1.1.tar.gz", sdist.Url);
            Assert.Equal("cec463c444b71d1664229121897b22df753dc91fabb2113d1c89992638c90829", sdist.Hashes["sha256"]);
            Assert.Equal(">=3.7", sdist.RequiresPython);
            Assert.Equal(15399, sdist.Size);
            Assert.Equal(new DateTimeOffset(2022, 11, 14, 17, 14, 53, TimeSpan.Zero).AddTicks(9351450), sdist.UploadTime);
            Assert.False(sdist.Yanked);
            Assert.Null(sdist.Version);
            Assert.Null(sdist.Kind);

            var wheel = page.Files[1];
            Assert.True(wheel.Yanked);
            Assert.Equal("Broken on Windows", wheel.YankedReason);
            Assert.Equal(3, wheel.Hashes.Count);
            Assert.Equal("bbb", wheel.Hashes["md5"]);
            Assert.Equal("ccc", wheel.Hashes["blake2b_256"]);
            Assert.Equal(new DateTimeOffset(2022, 11, 14, 17, 14, 50, TimeSpan.FromHours(2)), wheel.UploadTime);

            var old = page.Files[2];
            Assert.True(old.Yanked);
            Assert.Null(old.YankedReason);
            Assert.Empty(old.Hashes);
            Assert.Null(old.RequiresPython);
            Assert.Null(old.Size);
            Assert.Null(old.UploadTime);
        }

        [Fact]
        public void RelativeUrlsResolveAgainstThePageAndFragmentsAreRemoved()
        {
            var page = JsonPage(@"{""meta"":{""api-version"":""1.0""},""name"":""pkg"",""files"":[
{""filename"":""pkg-1.0.tar.gz"",""url"":""../../packages/pkg-1.0.tar.gz#sha256=abc"",""hashes"":{""sha256"":""abc""}},
{""filename"":""pkg-1.1.tar.gz"",""url"":""/files/pkg-1.1.tar.gz"",""hashes"":{}},
{""filename"":""pkg-1.2.tar.gz"",""url"":""pkg-1.2.tar.gz"",""hashes"":{}}]}", "https://repo.example.com/api/simple/pkg/");
            Assert.Equal("https://repo.example.com/api/packages/pkg-1.0.tar.gz", page.Files[0].Url);
            Assert.Equal("https://repo.example.com/files/pkg-1.1.tar.gz", page.Files[1].Url);
            Assert.Equal("https://repo.example.com/api/simple/pkg/pkg-1.2.tar.gz", page.Files[2].Url);
            Assert.Null(page.Versions);
        }

        [Fact]
        public void Pep708FieldsAndUnknownFieldsAreIgnoredOrRead()
        {
            var page = JsonPage(@"{""meta"":{""api-version"":""1.2"",""extra"":{""a"":[1,2,{""b"":null}]}},
""tracks"":[""https://pypi.org/simple/holygrail/"", 5],
""alternate-locations"":[""https://a.example/simple/holygrail/""],
""future"":{""deep"":[[[[[[[[[[{}]]]]]]]]]]},
""files"":[{""filename"":""holygrail-1.0.tar.gz"",""url"":""https://f.example/holygrail-1.0.tar.gz"",""hashes"":{""sha256"":""abc"",""future-hash"":{""x"":1}},""zstd"":{""hashes"":{}},""unknown"":[true]}]}");
            Assert.Equal("1.2", page.ApiVersion);
            Assert.Equal(new[] { "https://pypi.org/simple/holygrail/" }, page.Tracks);
            Assert.Equal(new[] { "https://a.example/simple/holygrail/" }, page.AlternateLocations);
            Assert.Equal("abc", Single(page).Hashes["sha256"]);
            Assert.Single(Single(page).Hashes);
        }

        [Fact]
        public void Pep708TracksAreReadFromMetaWhereThePepPutsThem()
        {
            var page = JsonPage(@"{""meta"":{""api-version"":""1.2"",""tracks"":[""https://pypi.org/simple/holygrail/""]},
""tracks"":[""https://ignored.example/simple/holygrail/""],
""files"":[]}");
            Assert.Equal(new[] { "https://pypi.org/simple/holygrail/" }, page.Tracks);
            Assert.Empty(page.Files);
        }

        [Fact]
        public void FieldsUvIgnoresMayHaveAnyShape()
        {
            var page = JsonPage(@"{""meta"":""1.0"",""name"":42,""versions"":{""a"":1},""tracks"":null,""alternate-locations"":""x"",""files"":[]}");
            Assert.Null(page.ApiVersion);
            Assert.Null(page.Versions);
            Assert.Empty(page.Tracks);
            Assert.Empty(page.Files);
        }

        [Fact]
        public void EscapedStringsAreUnescaped()
        {
            var page = JsonPage(@"{""files"":[{""filename"":""caf\u00e9-1.0.tar.gz"",""url"":""https:\/\/f.example\/caf%C3%A9-1.0.tar.gz"",""hashes"":{""sha\u0032\u0035\u0036"":""abc""},""requires-python"":""\u003e=3.8"",""upload-time"":""2024-01-02T03:04:05\u005a""}]}");
            var file = Single(page);
            Assert.Equal("caf\u00e9-1.0.tar.gz", file.Filename);
            Assert.Equal("https://f.example/caf%C3%A9-1.0.tar.gz", file.Url);
            Assert.Equal("abc", file.Hashes["sha256"]);
            Assert.Equal(">=3.8", file.RequiresPython);
            Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), file.UploadTime);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData(" \r\n ", "empty")]
        [InlineData("[]", "not an object")]
        [InlineData("\"files\"", "not an object")]
        [InlineData("{\"files\": []", "malformed")]
        [InlineData("{\"files\": [{\"filename\": \"a-1.0.tar.gz\", \"url\": \"a", "malformed")]
        [InlineData("{\"files\": []} x", "malformed")]
        [InlineData("{\"files\": []}{}", "malformed")]
        [InlineData("{\"files\": [],}", "malformed")]
        [InlineData("{'files': []}", "malformed")]
        [InlineData("{\"meta\": {}}", "no `files`")]
        [InlineData("{\"files\": {}}", "not an array")]
        [InlineData("{\"files\": null}", "not an array")]
        [InlineData("{\"files\": [], \"files\": []}", "twice")]
        [InlineData("{\"files\": [1]}", "not an object")]
        [InlineData("{\"files\": [[]]}", "not an object")]
        [InlineData("{\"files\": [{\"url\": \"u\", \"hashes\": {}}]}", "no `filename`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"hashes\": {}}]}", "no `url`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\"}]}", "no `hashes`")]
        [InlineData("{\"files\": [{\"filename\": null, \"url\": \"u\", \"hashes\": {}}]}", "`filename`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": 1, \"hashes\": {}}]}", "`url`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": []}]}", "`hashes`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {\"sha256\": 1}}]}", "`hashes`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"size\": \"12\"}]}", "`size`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"size\": -1}]}", "`size`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"size\": 1.5}]}", "`size`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"size\": null}]}", "`size`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"yanked\": 1}]}", "`yanked`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"requires-python\": 3}]}", "`requires-python`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"upload-time\": \"2022-11-14T17:14:53\"}]}", "upload-time")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"upload-time\": \"yesterday\"}]}", "upload-time")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"upload-time\": 1668446093}]}", "`upload-time`")]
        [InlineData("{\"files\": [{\"filename\": \"f\", \"url\": \"u\", \"hashes\": {}, \"core-metadata\": \"yes\"}]}", "`core-metadata`")]
        public void MalformedOrWrongShapeJsonIsAFormatError(string body, string expected)
        {
            var ex = Assert.Throws<ProjectPageFormatException>(() => JsonPage(body));
            Assert.Contains(expected, ex.Message);
            Assert.True(ex.Message.Length < 120, ex.Message);
        }

        [Fact]
        public void DeepNestingIsRefused()
        {
            var deep = "{\"files\": [], \"x\": " + new string('[', 100_000) + new string(']', 100_000) + "}";
            var ex = Assert.Throws<ProjectPageFormatException>(() => JsonPage(deep));
            Assert.Contains("nested too deeply", ex.Message);

            var unclosed = "{\"files\": [], \"x\": " + new string('{', 5000);
            Assert.Throws<ProjectPageFormatException>(() => JsonPage(unclosed));

            // Within the limit is fine.
            var fine = "{\"files\": [], \"x\": " + new string('[', 100) + new string(']', 100) + "}";
            Assert.Empty(JsonPage(fine).Files);
        }

        [Fact]
        public void InvalidUtf8IsAFormatError()
        {
            var bytes = Encoding.UTF8.GetBytes("{\"files\": [{\"filename\": \"a-1.0.tar.gz\", \"url\": \"u\", \"hashes\": {}, \"x\": \"??\"}]}");
            var index = Array.IndexOf(bytes, (byte)'?');
            bytes[index] = 0xC3;
            bytes[index + 1] = 0x28;
            var ex = Assert.Throws<ProjectPageFormatException>(() =>
                ProjectPageParser.Parse(new MemoryStream(bytes), JsonType, new Uri("https://pypi.org/simple/a/"), "a"));
            Assert.Contains("UTF-8", ex.Message);
        }

        [Fact]
        public void MessagesDoNotQuotePageContent()
        {
            var secret = "{\"files\": [{\"filename\": \"token-ABCDEF123\", \"url\": 7, \"hashes\": {}}]}";
            var ex = Assert.Throws<ProjectPageFormatException>(() => JsonPage(secret));
            Assert.DoesNotContain("ABCDEF", ex.Message);
            var malformed = Assert.Throws<ProjectPageFormatException>(() => JsonPage("{\"files\": [], \"k\": SECRETVALUE}"));
            Assert.DoesNotContain("SECRET", malformed.Message);
        }
    }
}
