using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using IndexTools.Engine.Cache;
using Xunit;

namespace IndexTools.Tests.Cache
{
    /// <summary>The hand-written cache file format: a full round trip, the files earlier versions wrote, and bad input.</summary>
    public class CacheEntryJsonTests
    {
        private static CacheEntry Sample() => new CacheEntry
        {
            Url = "https://pypi.example/simple/widget/",
            StoredAt = 1_764_000_000_123,
            CacheControl = "max-age=600, public",
            ETag = "\"abc\\\"def\"",
            LastModified = "Tue, 25 Nov 2026 10:00:00 GMT",
            Date = "Tue, 25 Nov 2026 10:00:01 GMT",
            Expires = null,
            AgeSeconds = 42,
            StatusCode = 200,
            Page = new CachedPage
            {
                Name = "widget",
                Format = "json",
                ApiVersion = "1.4",
                Versions = new List<string> { "1.0", "2.0rc1" },
                Tracks = new List<string> { "https://pypi.example/simple/widget/" },
                AlternateLocations = new List<string>(),
                Files = new List<CachedFile>
                {
                    new CachedFile
                    {
                        Filename = "widget-1.0-py3-none-any.whl",
                        Url = "https://files.example/w/widget-1.0-py3-none-any.whl",
                        RequiresPython = ">=3.8, <4",
                        Yanked = true,
                        YankedReason = "broken — see ünïcode",
                        Hashes = new Dictionary<string, string> { ["sha256"] = new string('a', 64), ["md5"] = "0123" },
                        UploadTime = 1_700_000_000_000,
                        Size = 12_345,
                    },
                    new CachedFile { Filename = "widget-2.0rc1.tar.gz", Url = "../../w/widget-2.0rc1.tar.gz" },
                },
            },
        };

        [Fact]
        public void Every_field_survives_a_round_trip()
        {
            var back = CacheEntryJson.Deserialize(CacheEntryJson.Serialize(Sample()));
            var expected = Sample();
            Assert.Equal(expected.Url, back.Url);
            Assert.Equal(expected.StoredAt, back.StoredAt);
            Assert.Equal(expected.CacheControl, back.CacheControl);
            Assert.Equal(expected.ETag, back.ETag);
            Assert.Equal(expected.LastModified, back.LastModified);
            Assert.Equal(expected.Date, back.Date);
            Assert.Null(back.Expires);
            Assert.Equal(42, back.AgeSeconds);
            Assert.Equal(200, back.StatusCode);
            Assert.Equal("widget", back.Page.Name);
            Assert.Equal("json", back.Page.Format);
            Assert.Equal("1.4", back.Page.ApiVersion);
            Assert.Equal(new[] { "1.0", "2.0rc1" }, back.Page.Versions);
            Assert.Equal(expected.Page.Tracks, back.Page.Tracks);
            Assert.Empty(back.Page.AlternateLocations);
            Assert.Equal(2, back.Page.Files.Count);
            var first = back.Page.Files[0];
            Assert.Equal("widget-1.0-py3-none-any.whl", first.Filename);
            Assert.Equal(">=3.8, <4", first.RequiresPython);
            Assert.True(first.Yanked);
            Assert.Equal("broken — see ünïcode", first.YankedReason);
            Assert.Equal(new string('a', 64), first.Hashes!["sha256"]);
            Assert.Equal("0123", first.Hashes["md5"]);
            Assert.Equal(1_700_000_000_000, first.UploadTime);
            Assert.Equal(12_345, first.Size);
            var second = back.Page.Files[1];
            Assert.False(second.Yanked);
            Assert.Null(second.Hashes);
            Assert.Null(second.UploadTime);
            Assert.Null(second.Size);
            Assert.Null(second.RequiresPython);
        }

        [Fact]
        public void Nulls_are_left_out_and_names_are_camel_case_as_before()
        {
            var text = Encoding.UTF8.GetString(CacheEntryJson.Serialize(Sample()));
            Assert.DoesNotContain("expires", text);
            Assert.DoesNotContain("null", text);
            Assert.Contains("\"eTag\":", text);
            Assert.Contains("\"alternateLocations\":[]", text);
            using var document = JsonDocument.Parse(text);
            Assert.Equal("widget", document.RootElement.GetProperty("page").GetProperty("name").GetString());
        }

        [Fact]
        public void A_file_in_the_earlier_reflection_format_with_unknown_properties_reads()
        {
            // As System.Text.Json's reflection serializer wrote it (camelCase, nulls omitted), plus a property from a later version.
            const string earlier = "{\"url\":\"https://i/simple/a/\",\"storedAt\":5,\"eTag\":\"W/\\\"1\\\"\",\"ageSeconds\":0,\"statusCode\":200," +
                "\"future\":{\"x\":[1,2,{\"y\":null}]},\"page\":{\"name\":\"a\",\"format\":\"html\",\"tracks\":[],\"alternateLocations\":[]," +
                "\"files\":[{\"filename\":\"a-1.0.tar.gz\",\"url\":\"https://i/a-1.0.tar.gz\",\"yanked\":false,\"hashes\":{\"sha256\":\"ff\"},\"size\":null}]}}";
            var entry = CacheEntryJson.Deserialize(Encoding.UTF8.GetBytes(earlier));
            Assert.Equal("W/\"1\"", entry.ETag);
            Assert.Equal(5, entry.StoredAt);
            Assert.Null(entry.Page.Versions);
            Assert.Equal("ff", Assert.Single(entry.Page.Files).Hashes!["sha256"]);
        }

        [Theory]
        [InlineData("")]
        [InlineData("[]")]
        [InlineData("{\"url\":\"x\"}")]
        [InlineData("{\"url\":\"x\",\"page\":{\"name\":\"a\",\"files\":[{\"filename\":\"a\",\"yanked\":\"no\"}]}}")]
        [InlineData("{\"url\":\"x\",\"storedAt\":\"soon\",\"page\":{}}")]
        [InlineData("{\"url\":\"x\",\"storedAt\":1e400,\"page\":{}}")]
        [InlineData("{\"url\":\"x\",\"page\":{\"name\":\"a\",\"files\":[")]
        [InlineData("{\"url\":\"x\",\"page\":{\"tracks\":[1]}}")]
        public void Malformed_entries_are_a_json_exception_or_a_format_error(string text)
        {
            var error = Record.Exception(() => CacheEntryJson.Deserialize(Encoding.UTF8.GetBytes(text)));
            Assert.NotNull(error);
            Assert.True(error is JsonException || error is System.FormatException, error.GetType().FullName);
        }
    }
}
