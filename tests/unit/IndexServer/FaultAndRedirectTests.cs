using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.IndexServer
{
    public sealed class FaultAndRedirectTests : ServerTestBase
    {
        [Fact]
        public async Task Fails_n_times_per_url_then_succeeds()
        {
            var index = Requests("main", new IndexBehavior { ErrorStatus = 503, FailTimes = 2 });
            index.Add("six", "six-1.16.0-py2.py3-none-any.whl");
            await using var host = await StartAsync(index);
            var url = host.ProjectUrl("main", "requests");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(url)).StatusCode);

            // Counted per URL: another project starts from zero.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(host.ProjectUrl("main", "six"))).StatusCode);

            host.ResetFailures();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(url)).StatusCode);
        }

        [Fact]
        public async Task Error_status_without_fail_times_always_fails()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { ErrorStatus = 500 }));
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.InternalServerError, (await GetAsync(host.ProjectUrl("main", "requests"))).StatusCode);
            }
        }

        [Fact]
        public async Task Retry_after_comes_with_429()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { ErrorStatus = 429, FailTimes = 1, RetryAfterSeconds = 7 }));
            using var limited = await GetAsync(host.ProjectUrl("main", "requests"));
            Assert.Equal((HttpStatusCode)429, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
            using var ok = await GetAsync(host.ProjectUrl("main", "requests"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Null(ok.Headers.RetryAfter);
        }

        [Fact]
        public async Task Latency_delays_the_answer_at_least_the_injected_time()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { LatencyMs = 300 }));
            var watch = Stopwatch.StartNew();
            using var response = await GetAsync(host.ProjectUrl("main", "requests"));
            watch.Stop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(watch.ElapsedMilliseconds >= 300, $"answered after {watch.ElapsedMilliseconds} ms");
        }

        [Fact]
        public async Task Slow_body_trickles()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { SlowBodyBytesPerSecond = 4000 }));
            var watch = Stopwatch.StartNew();
            using var response = await GetAsync(host.ProjectUrl("main", "requests"));
            var body = await response.Content.ReadAsByteArrayAsync();
            watch.Stop();

            // 200-byte chunks with a 50 ms pause between them.
            var pauses = ((body.Length + 199) / 200) - 1;
            Assert.True(pauses >= 3);
            Assert.True(watch.ElapsedMilliseconds >= pauses * 50, $"{body.Length} bytes in {watch.ElapsedMilliseconds} ms");
            using var json = JsonDocument.Parse(body);
        }

        [Fact]
        public async Task Same_origin_redirect()
        {
            var target = Requests("target");
            await using var host = await StartAsync(Requests("main", new IndexBehavior { RedirectTo = "same-origin:/target/simple/" }), target);
            using var response = await GetAsync(host.ProjectUrl("main", "requests"));
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal("/target/simple/requests/", response.Headers.Location?.OriginalString);
            using var followed = await GetAsync(new Uri(host.BaseUrl, response.Headers.Location!));
            Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        }

        [Theory]
        [InlineData(301)]
        [InlineData(307)]
        [InlineData(308)]
        public async Task Redirect_status_is_configurable(int status)
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { RedirectTo = "index:other", RedirectStatus = status }), Requests("other"));
            using var response = await GetAsync(host.ProjectUrl("main", "requests"));
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("/other/simple/requests/", response.Headers.Location?.OriginalString);
        }

        [Fact]
        public async Task Cross_origin_redirect_goes_to_the_peer()
        {
            var fixture = new ServerFixture()
                .Add(Requests("main", new IndexBehavior { RedirectTo = "cross-origin" }))
                .AddPeer(Requests("main"));
            await using var host = await IndexServerHost.StartAsync(fixture);
            Assert.NotNull(host.Peer);
            Assert.NotEqual(host.BaseUrl.Port, host.Peer!.BaseUrl.Port);

            using var response = await GetAsync(host.ProjectUrl("main", "requests"));
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            var location = response.Headers.Location!;
            Assert.True(location.IsAbsoluteUri);
            Assert.Equal(host.Peer.ProjectUrl("main", "requests"), location);

            using var followed = await GetAsync(location);
            Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
            Assert.Equal(1, host.Peer.CountRequests("main", "requests"));
            Assert.Equal(1, host.CountRequests("main", "requests"));
        }

        [Fact]
        public async Task Cross_origin_redirect_without_peer_is_a_visible_fixture_error()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { RedirectTo = "cross-origin" }));
            using var response = await GetAsync(host.ProjectUrl("main", "requests"));
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        [Fact]
        public async Task Gitlab_forwards_unknown_names_to_the_pypi_index()
        {
            var pypi = new IndexFixture("pypi");
            pypi.Add("six", "six-1.16.0-py2.py3-none-any.whl");
            await using var host = await StartAsync(Requests("gitlab", new IndexBehavior { Profile = "gitlab" }), pypi);
            using var present = await GetAsync(host.ProjectUrl("gitlab", "requests"));
            Assert.Equal(HttpStatusCode.OK, present.StatusCode);
            using var forwarded = await GetAsync(host.ProjectUrl("gitlab", "six"));
            Assert.Equal(HttpStatusCode.Found, forwarded.StatusCode);
            Assert.Equal("/pypi/simple/six/", forwarded.Headers.Location?.OriginalString);
        }

        [Theory]
        [InlineData("main/simple/Requests/")]
        [InlineData("main/simple/requests")]
        [InlineData("main/simple/REQUESTS")]
        public async Task Non_normalized_or_slashless_names_redirect_301(string path)
        {
            await using var host = await StartAsync(Requests());
            using var response = await GetAsync(new Uri(host.BaseUrl, path));
            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            Assert.Equal("/main/simple/requests/", response.Headers.Location?.OriginalString);
        }

        [Fact]
        public async Task Root_without_slash_redirects()
        {
            await using var host = await StartAsync(Requests());
            using var response = await GetAsync(new Uri(host.BaseUrl, "main/simple"));
            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            Assert.Equal("/main/simple/", response.Headers.Location?.OriginalString);
        }

        [Fact]
        public async Task Without_normalize_redirect_any_spelling_is_served()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { NormalizeRedirect = false }));
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(new Uri(host.BaseUrl, "main/simple/Requests/"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(new Uri(host.BaseUrl, "main/simple/requests"))).StatusCode);
        }

        [Fact]
        public async Task Static_tree_treats_other_spellings_as_missing()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Profile = "nginx" }));
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(new Uri(host.BaseUrl, "main/simple/Requests/"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(new Uri(host.BaseUrl, "main/simple/requests/"))).StatusCode);
        }

        [Fact]
        public async Task Etag_and_last_modified_give_304()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { CacheControl = "max-age=60" }));
            var url = host.ProjectUrl("main", "requests");
            using var first = await GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag!.Tag;
            var lastModified = first.Content.Headers.LastModified!.Value;
            Assert.Equal(TimeSpan.FromSeconds(60), first.Headers.CacheControl?.MaxAge);

            using var byEtag = await GetAsync(url, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
            Assert.Equal(HttpStatusCode.NotModified, byEtag.StatusCode);
            Assert.Empty(await byEtag.Content.ReadAsByteArrayAsync());

            using var byDate = await GetAsync(url, configure: r => r.Headers.IfModifiedSince = lastModified);
            Assert.Equal(HttpStatusCode.NotModified, byDate.StatusCode);

            using var stale = await GetAsync(url, configure: r => r.Headers.IfModifiedSince = lastModified.AddDays(-1));
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);

            // The HTML representation has another ETag, so a JSON ETag does not validate it.
            using var html = await GetAsync(url, "text/html", configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
            Assert.Equal(HttpStatusCode.OK, html.StatusCode);
            Assert.NotEqual(etag, html.Headers.ETag!.Tag);
        }

        [Fact]
        public async Task Etags_can_be_switched_off()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { ETags = false, LastModified = false }));
            using var response = await GetAsync(host.ProjectUrl("main", "requests"), configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "*"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.Headers.ETag);
            Assert.Null(response.Content.Headers.LastModified);
        }

        [Fact]
        public async Task Malformed_truncated_json()
        {
            using var response = await MalformedAsync("truncated-json");
            Assert.Equal(SimpleMediaTypes.Json, MediaType(response));
            var body = await response.Content.ReadAsStringAsync();
            Assert.StartsWith("{\"meta\"", body);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
        }

        [Fact]
        public async Task Malformed_truncated_html()
        {
            using var response = await MalformedAsync("truncated-html", "text/html");
            Assert.Equal("text/html", MediaType(response));
            var body = await response.Content.ReadAsStringAsync();
            Assert.StartsWith("<!DOCTYPE html>", body);
            Assert.DoesNotContain("</html>", body);
        }

        [Fact]
        public async Task Malformed_wrong_content_type()
        {
            using var response = await MalformedAsync("wrong-content-type");
            Assert.Equal("text/plain", MediaType(response));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            using var custom = await MalformedAsync("wrong-content-type:application/octet-stream");
            Assert.Equal("application/octet-stream", MediaType(custom));
        }

        [Theory]
        [InlineData(SimpleMediaTypes.UvAccept)]
        [InlineData("text/html")]
        public async Task Malformed_invalid_utf8(string accept)
        {
            using var response = await MalformedAsync("invalid-utf8", accept);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes));
        }

        [Fact]
        public async Task Malformed_deep_nesting()
        {
            using var response = await MalformedAsync("deep-nesting:5000");
            Assert.Equal(SimpleMediaTypes.Json, MediaType(response));
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains(new string('[', 5000), body);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
        }

        [Fact]
        public async Task Malformed_huge_is_a_valid_big_page()
        {
            using var response = await MalformedAsync("huge:2");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.Length >= 2 * 1024 * 1024, $"{bytes.Length} bytes");
            using var json = JsonDocument.Parse(bytes);
            Assert.True(json.RootElement.GetProperty("files").GetArrayLength() > 1000);
        }

        [Fact]
        public async Task Malformed_login_page_is_a_200_html_page_that_is_not_a_simple_page()
        {
            using var response = await MalformedAsync("login-page");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", MediaType(response));
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("Sign in", body);
            Assert.DoesNotContain("<a href", body);
        }

        [Fact]
        public async Task Sso_redirect_shape_can_be_built_from_redirect_to()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { RedirectTo = "same-origin:/_sso/login?return={project}" }));
            using var response = await GetAsync(host.ProjectUrl("main", "requests"));
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            using var login = await GetAsync(new Uri(host.BaseUrl, response.Headers.Location!));
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Contains("Sign in", await login.Content.ReadAsStringAsync());
        }

        [Fact]
        public async Task Malformed_reset_aborts_mid_body()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Malformed = "reset" }));
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                using var response = await Client.GetAsync(host.ProjectUrl("main", "requests"), HttpCompletionOption.ResponseContentRead);
            });
            var record = Assert.Single(host.Requests);
            Assert.True(record.Aborted);
        }

        [Fact]
        public void Unknown_malformed_mode_is_rejected()
        {
            var fixture = new ServerFixture().Add(Requests("main", new IndexBehavior { Malformed = "sideways" }));
            Assert.Throws<FormatException>(() => ServerFixture.FromJson(fixture.ToJson()));
        }

        private static async Task<HttpResponseMessage> MalformedAsync(string mode, string accept = UvAccept)
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Malformed = mode }));
            var response = await GetAsync(host.ProjectUrl("main", "requests"), accept);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }
    }
}
