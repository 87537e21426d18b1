using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.IndexServer
{
    public sealed class NegotiationAndPageTests : ServerTestBase
    {
        [Theory]
        [InlineData(SimpleMediaTypes.UvAccept, true, true, PageFormat.Json)]
        [InlineData(SimpleMediaTypes.UvAccept, false, true, PageFormat.HtmlV1)]
        [InlineData("application/vnd.pypi.simple.v1+html", true, true, PageFormat.HtmlV1)]
        [InlineData("text/html", true, true, PageFormat.Html)]
        [InlineData("*/*", true, true, PageFormat.Html)]
        [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true, true, PageFormat.Html)]
        [InlineData("application/vnd.pypi.simple.v1+json;q=0.1, application/vnd.pypi.simple.v1+html", true, true, PageFormat.HtmlV1)]
        [InlineData("application/vnd.pypi.simple.latest+json", true, true, PageFormat.Json)]
        [InlineData("application/vnd.pypi.simple.v1+json, */*;q=0", true, true, PageFormat.Json)]
        [InlineData("application/json", true, true, PageFormat.Html)]
        [InlineData(null, true, true, PageFormat.Html)]
        public void Negotiate_follows_q_values(string? accept, bool json, bool html, PageFormat expected)
        {
            Assert.Equal(expected, SimpleMediaTypes.Negotiate(accept, json, html));
        }

        [Fact]
        public void Negotiate_json_only_server_refuses_html_only_accept()
        {
            Assert.Null(SimpleMediaTypes.Negotiate("text/html", json: true, html: false));
        }

        [Theory]
        [InlineData(SimpleMediaTypes.UvAccept, "application/vnd.pypi.simple.v1+json")]
        [InlineData("application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.v1+html")]
        [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html")]
        [InlineData(null, "text/html")]
        public async Task Project_page_content_type_follows_accept(string? accept, string expected)
        {
            await using var host = await StartAsync(Requests());
            using var response = await GetAsync(host.ProjectUrl("main", "requests"), accept);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, MediaType(response));
            Assert.Contains("Accept", response.Headers.Vary);
        }

        [Fact]
        public async Task Pytorch_profile_answers_html_even_for_json_accept()
        {
            await using var host = await StartAsync(Requests("pytorch", new IndexBehavior { Profile = "pytorch" }));
            using var response = await GetAsync(host.ProjectUrl("pytorch", "requests"), UvAccept);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", MediaType(response));
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("<a href=", body);
            Assert.DoesNotContain("pypi:repository-version", body);
        }

        [Fact]
        public async Task Html_only_index_ignores_json_in_accept()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Formats = "html" }));
            using var response = await GetAsync(host.ProjectUrl("main", "requests"), UvAccept);
            Assert.Equal("application/vnd.pypi.simple.v1+html", MediaType(response));
        }

        [Fact]
        public async Task Json_only_index_answers_406_to_html_only_accept()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Formats = "json" }));
            using var response = await GetAsync(host.ProjectUrl("main", "requests"), "text/html");
            Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        }

        [Fact]
        public async Task Json_page_carries_pep691_and_pep700_fields_and_hashes_match_served_files()
        {
            await using var host = await StartAsync(Requests());
            using var response = await GetAsync(new Uri(host.BaseUrl, "main/simple/Requests/"));
            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);

            var pageUrl = host.ProjectUrl("main", "requests");
            using var page = await GetAsync(pageUrl);
            using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
            var root = json.RootElement;
            Assert.Equal("1.1", root.GetProperty("meta").GetProperty("api-version").GetString());
            Assert.Equal("requests", root.GetProperty("name").GetString());
            Assert.Equal(new[] { "2.31.0", "2.32.0" }, root.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ToArray());
            var files = root.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(3, files.Count);
            var yanked = files.Single(f => f.GetProperty("filename").GetString() == "requests-2.32.0-py3-none-any.whl");
            Assert.Equal("broken <build>", yanked.GetProperty("yanked").GetString());
            Assert.Equal(">=3.8", yanked.GetProperty("requires-python").GetString());
            Assert.False(files[0].GetProperty("yanked").GetBoolean());
            Assert.True(files[0].TryGetProperty("upload-time", out _));

            foreach (var file in files)
            {
                var fileUrl = new Uri(pageUrl, file.GetProperty("url").GetString());
                using var download = await GetAsync(fileUrl, accept: null);
                Assert.Equal(HttpStatusCode.OK, download.StatusCode);
                var bytes = await download.Content.ReadAsByteArrayAsync();
                Assert.Equal(file.GetProperty("size").GetInt64(), bytes.Length);
                Assert.Equal(file.GetProperty("hashes").GetProperty("sha256").GetString(), Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
            }
        }

        [Fact]
        public async Task Html_page_has_repository_version_fragments_and_escaped_data_attributes()
        {
            await using var host = await StartAsync(Requests());
            using var response = await GetAsync(host.ProjectUrl("main", "requests"), "text/html");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("<meta name=\"pypi:repository-version\" content=\"1.1\">", body);
            Assert.Contains("#sha256=" + PackageFile.DefaultSha256("requests-2.31.0.tar.gz") + "\"", body);
            Assert.Contains("data-requires-python=\"&gt;=3.8\"", body);
            Assert.Contains("data-yanked=\"broken &lt;build&gt;\"", body);
        }

        [Fact]
        public async Task Root_listing_in_both_formats()
        {
            var index = Requests();
            index.Add("Flask_Login", "Flask_Login-0.6.3-py3-none-any.whl");
            await using var host = await StartAsync(index);
            using var json = await GetAsync(host.IndexUrl("main"));
            Assert.Equal(SimpleMediaTypes.Json, MediaType(json));
            using var doc = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
            Assert.Equal(new[] { "Flask_Login", "requests" }, doc.RootElement.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray());

            using var html = await GetAsync(host.IndexUrl("main"), "text/html");
            var body = await html.Content.ReadAsStringAsync();
            Assert.Contains("<a href=\"flask-login/\">Flask_Login</a>", body);
        }

        [Fact]
        public async Task Flat_page_links_every_file_and_links_resolve()
        {
            await using var host = await StartAsync(Requests());
            var flat = host.FlatUrl("main");
            using var response = await GetAsync(flat, null);
            Assert.Equal("text/html", MediaType(response));
            var body = await response.Content.ReadAsStringAsync();
            var hrefs = System.Text.RegularExpressions.Regex.Matches(body, "href=\"([^\"#]+)").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(3, hrefs.Count);
            foreach (var href in hrefs)
            {
                using var file = await GetAsync(new Uri(flat, href), null);
                Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            }
        }

        [Fact]
        public async Task Local_version_files_are_escaped_in_links_and_served()
        {
            var index = new IndexFixture("pytorch") { Behavior = new IndexBehavior { Profile = "pytorch" } };
            index.Add("torch", "torch-2.3.1+cpu-cp312-cp312-linux_x86_64.whl");
            await using var host = await StartAsync(index);
            var pageUrl = host.ProjectUrl("pytorch", "torch");
            var body = await (await GetAsync(pageUrl)).Content.ReadAsStringAsync();
            Assert.Contains("torch-2.3.1%2Bcpu-cp312", body);
            using var file = await GetAsync(new Uri(pageUrl, "../../files/torch-2.3.1%2Bcpu-cp312-cp312-linux_x86_64.whl"), null);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        }

        [Fact]
        public async Task Pep708_tracks_raise_api_version()
        {
            var behavior = new IndexBehavior();
            behavior.Tracks.Add("https://pypi.org/simple/{project}/");
            await using var host = await StartAsync(Requests("main", behavior));
            using var json = JsonDocument.Parse(await (await GetAsync(host.ProjectUrl("main", "requests"))).Content.ReadAsStringAsync());
            Assert.Equal("1.2", json.RootElement.GetProperty("meta").GetProperty("api-version").GetString());
            Assert.Equal("https://pypi.org/simple/requests/", json.RootElement.GetProperty("meta").GetProperty("tracks")[0].GetString());
        }

        [Fact]
        public async Task Five_thousand_packages_are_served_from_cache()
        {
            var index = new IndexFixture("big");
            for (var i = 0; i < 5000; i++)
            {
                index.Add("pkg-" + i, $"pkg_{i}-1.0.0-py3-none-any.whl", $"pkg_{i}-1.0.0.tar.gz");
            }

            await using var host = await StartAsync(index);
            using var root = JsonDocument.Parse(await (await GetAsync(host.IndexUrl("big"))).Content.ReadAsStringAsync());
            Assert.Equal(5000, root.RootElement.GetProperty("projects").GetArrayLength());
            var first = await (await GetAsync(host.ProjectUrl("big", "pkg-4999"))).Content.ReadAsByteArrayAsync();
            var second = await (await GetAsync(host.ProjectUrl("big", "pkg-4999"))).Content.ReadAsByteArrayAsync();
            Assert.Equal(first, second);
            Assert.Contains("pkg_4999-1.0.0.tar.gz", System.Text.Encoding.UTF8.GetString(first));
        }
    }
}
