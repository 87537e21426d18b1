using IndexTools.Engine;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace IndexTools.Tests.Http
{
    public sealed class SimpleApiClientTests
    {
        private const string Secret = "s3cr3t-Pa55";

        private static string Basic(string user, string password) =>
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

        [Fact]
        public async Task SendsUvAcceptHeaderToTheProjectUrlAndParsesJson()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, RecordingServer.PageJson("demo", "demo-1.0-py3-none-any.whl")));
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal(1, response.Tries);
            Assert.Equal("json", response.Page!.Format);
            Assert.Single(response.Page.Files);
            var request = Assert.Single(server.Requests);
            Assert.Equal("/simple/demo/", request.Path);
            Assert.Equal("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01", request.Header("Accept"));
            Assert.StartsWith("IndexTools/", request.Header("User-Agent"));
            Assert.Contains("gzip", request.Header("Accept-Encoding"));
            Assert.Null(request.Header("Authorization"));
            Assert.Equal("none", response.CredentialSource);
        }

        [Fact]
        public async Task ParsesHtmlPages()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                c.Response.ContentType = "text/html; charset=utf-8";
                return c.Response.WriteAsync("<html><body><a href=\"/files/demo-2.0.tar.gz\">demo-2.0.tar.gz</a></body></html>");
            });
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple/").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal("html", response.Page!.Format);
            Assert.Equal("demo-2.0.tar.gz", Assert.Single(response.Page.Files).Filename);
            Assert.Equal("/simple/demo/", Assert.Single(server.Requests).Path);
        }

        [Theory]
        [InlineData("application/json")]
        [InlineData("text/plain")]
        [InlineData(null)]
        public async Task UnsupportedOrMissingContentTypeIsUnreadable(string? contentType)
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                if (contentType != null)
                {
                    c.Response.ContentType = contentType;
                }

                return c.Response.WriteAsync("{}");
            });
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Unreadable, response.Kind);
            Assert.Equal(200, response.StatusCode);
            Assert.Contains("Content-Type", response.Error);
        }

        [Fact]
        public async Task MalformedJsonIsUnreadable()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, "{\"files\": [ oops"));
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);
            Assert.Equal(PageResponseKind.Unreadable, response.Kind);
            Assert.False(string.IsNullOrEmpty(response.Error));
        }

        [Fact]
        public async Task PageLargerThanTheLimitIsUnreadable()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, RecordingServer.PageJson("demo", Enumerable.Range(0, 200).Select(i => $"demo-{i}.0.tar.gz").ToArray())));
            using var t = new TestClient(configure: s => s.MaxPageBytes = 1000);
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);
            Assert.Equal(PageResponseKind.Unreadable, response.Kind);
            Assert.Contains("larger than 1000 bytes", response.Error);
        }

        [Theory]
        [InlineData(404, 1)]
        [InlineData(401, 1)]
        [InlineData(403, 1)]
        [InlineData(407, 1)]
        [InlineData(400, 1)]
        [InlineData(500, 4)]
        [InlineData(408, 4)]
        public async Task NonSuccessStatusesBecomeHttpStatus(int status, int expectedTries)
        {
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Status(c, status));
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.HttpStatus, response.Kind);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(expectedTries, response.Tries);
            Assert.Equal(expectedTries, server.Requests.Count);
        }

        [Fact]
        public async Task TransientStatusTwiceThenSuccessIsAPageAfterThreeTries()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
                n <= 2 ? RecordingServer.Status(c, 503) : RecordingServer.Json(c, RecordingServer.PageJson("demo")));
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal(3, response.Tries);
            Assert.Equal(3, server.Requests.Count);
        }

        [Fact]
        public async Task RetriesExhaustedGiveTheLastStatus()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Status(c, 502));
            using var t = new TestClient(configure: s => s.Retries = 2);
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.HttpStatus, response.Kind);
            Assert.Equal(502, response.StatusCode);
            Assert.Equal(3, response.Tries);
        }

        [Fact]
        public async Task TooManyRequestsIsRetriedHonouringRetryAfterWithinTheCap()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                if (n == 1)
                {
                    c.Response.StatusCode = 429;
                    c.Response.Headers["Retry-After"] = "120";
                    return Task.CompletedTask;
                }

                return RecordingServer.Json(c, RecordingServer.PageJson("demo"));
            });
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal(2, response.Tries);
            // Retry-After: 120 was capped at MaxRetryAfter (50 ms).
            Assert.Contains(t.Lines, l => l.Contains("Transient HTTP 429; retrying in 0.05 s"));
        }

        [Fact]
        public async Task ReadTimeoutIsANetworkErrorAfterRetries()
        {
            await using var server = await RecordingServer.StartAsync(async (c, n) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(20), c.RequestAborted).ContinueWith(_ => { });
            });
            using var t = new TestClient(configure: s =>
            {
                s.Timeout = TimeSpan.FromMilliseconds(300);
                s.Retries = 1;
            });
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.NetworkError, response.Kind);
            Assert.Null(response.StatusCode);
            Assert.Equal("timed out after 0.3 s", response.Error);
            Assert.Equal(2, response.Tries);
        }

        [Fact]
        public async Task ConnectionRefusedIsANetworkErrorAfterRetries()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            using var t = new TestClient(configure: s => s.Retries = 2);
            var response = await t.Client.GetProjectPageAsync(TestClient.Index($"http://127.0.0.1:{port}/simple"), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.NetworkError, response.Kind);
            Assert.Equal("connection refused", response.Error);
            Assert.Equal(3, response.Tries);
            Assert.Equal($"http://127.0.0.1:{port}/simple/demo/", response.Url);
        }

        [Fact]
        public async Task CancellationStopsAnInFlightRequest()
        {
            var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var server = await RecordingServer.StartAsync(async (c, n) =>
            {
                started.TrySetResult(true);
                await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted).ContinueWith(_ => { });
            });
            using var t = new TestClient();
            using var cts = new CancellationTokenSource();
            var call = t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", cts.Token);
            await started.Task;
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task AutoSendsNothingFirstThenRetriesWithNetrcCredentialsOn401()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
                c.Request.Headers.Authorization == Basic("alice", Secret)
                    ? RecordingServer.Json(c, RecordingServer.PageJson("demo"))
                    : Unauthorized(c));
            using var t = new TestClient(netrc: $"machine 127.0.0.1 login alice password {Secret}\n");
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal(2, response.Tries);
            Assert.True(response.CredentialsSent);
            Assert.Equal("netrc", response.CredentialSource);
            Assert.Null(server.Requests[0].Header("Authorization"));
            Assert.Equal(Basic("alice", Secret), server.Requests[1].Header("Authorization"));

            // The credential found after the 401 is reused for the next package of the same index (uv's per-run cache), after
            // that package's own 401: uv learned it for /simple/demo/, which is no prefix of /simple/other/, so only its realm
            // view answers, after a refusal. netrc is not read again (the fetch is remembered).
            var second = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "other", CancellationToken.None);
            Assert.Equal(2, second.Tries);
            Assert.Equal("netrc", second.CredentialSource);
            Assert.Null(server.Requests[2].Header("Authorization"));
            Assert.Equal(Basic("alice", Secret), server.Requests[3].Header("Authorization"));
        }

        [Fact]
        public async Task AutoWithoutAnyCredentialReturnsThe401WithItsChallenge()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => Unauthorized(c));
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.HttpStatus, response.Kind);
            Assert.Equal(401, response.StatusCode);
            Assert.Equal(1, response.Tries);
            Assert.Equal("Basic realm=\"Artifactory Realm\"", response.WwwAuthenticate);
            Assert.False(response.CredentialsSent);
        }

        [Fact]
        public async Task EnvironmentCredentialsGoOnTheFirstRequestAsUvCachesThemUpFront()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
                c.Request.Headers.Authorization == Basic("bob", Secret) ? RecordingServer.Json(c, RecordingServer.PageJson("demo")) : Unauthorized(c));
            using var t = new TestClient(new Dictionary<string, string>
            {
                ["UV_INDEX_MY_CORP_USERNAME"] = "bob",
                ["UV_INDEX_MY_CORP_PASSWORD"] = Secret,
            });
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri, name: "my-corp"), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal(1, response.Tries);
            Assert.Equal("env", response.CredentialSource);
            Assert.Equal(Basic("bob", Secret), Assert.Single(server.Requests).Header("Authorization"));
        }

        [Fact]
        public async Task UsernameInTheUrlMakesTheFirstRequestCarryCredentials()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
                c.Request.Headers.Authorization == Basic("carol", Secret) ? RecordingServer.Json(c, RecordingServer.PageJson("demo")) : Unauthorized(c));
            using var t = new TestClient(netrc: $"machine 127.0.0.1 login carol password {Secret}\nmachine other.example login x password y\n");
            var url = $"http://carol@127.0.0.1:{server.BaseUri.Port}/simple";
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(url), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal(1, response.Tries);
            Assert.Equal("netrc", response.CredentialSource);
            Assert.DoesNotContain("carol", response.Url);
        }

        [Fact]
        public async Task UrlCredentialsAreSentAsAuthorizationNotInTheUrl()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, RecordingServer.PageJson("demo")));
            using var t = new TestClient();
            var url = $"http://dave:{Uri.EscapeDataString("p@ss word")}@127.0.0.1:{server.BaseUri.Port}/simple/";
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(url), "demo", CancellationToken.None);

            Assert.Equal("url", response.CredentialSource);
            Assert.Equal(Basic("dave", "p@ss word"), Assert.Single(server.Requests).Header("Authorization"));
            Assert.DoesNotContain("dave", response.Url);
        }

        [Fact]
        public async Task AlwaysWithoutCredentialsThrowsBeforeAnyRequest()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, RecordingServer.PageJson("demo")));
            using var t = new TestClient();
            var index = TestClient.Index(server.Url("simple").AbsoluteUri, name: "gitlab", authenticate: AuthenticatePolicy.Always);
            var error = await Assert.ThrowsAsync<IndexConfigurationException>(() => t.Client.GetProjectPageAsync(index, "demo", CancellationToken.None));

            Assert.Equal(ErrorKind.MissingCredentials, error.Kind);
            Assert.Contains("UV_INDEX_GITLAB_USERNAME", error.Message);
            Assert.Contains("UV_INDEX_GITLAB_PASSWORD", error.Message);
            Assert.Empty(server.Requests);
        }

        [Fact]
        public async Task AlwaysLooksUpNetrcBeforeTheFirstRequest()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, RecordingServer.PageJson("demo")));
            using var t = new TestClient(netrc: $"default login erin password {Secret}\n");
            var index = TestClient.Index(server.Url("simple").AbsoluteUri, authenticate: AuthenticatePolicy.Always);
            var response = await t.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);

            Assert.Equal(1, response.Tries);
            Assert.Equal(Basic("erin", Secret), Assert.Single(server.Requests).Header("Authorization"));
        }

        [Fact]
        public async Task NeverSendsTheUrlsOwnCredentialsAsUvsCodeDoesAndNeverRetries()
        {
            // uv 0.12.5's docs: "never" errors on credentials given directly. Its code (middleware.rs handle) only skips its
            // own lookups: the request carries the URL's user info and goes out with it, and a 401 is final.
            await using var server = await RecordingServer.StartAsync((c, n) => Unauthorized(c));
            using var t = new TestClient(netrc: $"machine 127.0.0.1 login n password other-{Secret}\n");
            var index = TestClient.Index($"http://u:{Secret}@127.0.0.1:{server.BaseUri.Port}/simple", authenticate: AuthenticatePolicy.Never);
            var response = await t.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);

            Assert.Equal(401, response.StatusCode);
            Assert.Equal(1, response.Tries);
            Assert.Equal("url", response.CredentialSource);
            Assert.Equal(Basic("u", Secret), Assert.Single(server.Requests).Header("Authorization"));
        }

        [Fact]
        public async Task NeverWithAParameterCredentialThrows()
        {
            using var t = new TestClient(parameters: new Dictionary<string, IndexCredential> { ["internal"] = new IndexCredential("u", Secret) });
            var index = TestClient.Index("http://127.0.0.1:9/simple", authenticate: AuthenticatePolicy.Never);
            var error = await Assert.ThrowsAsync<IndexConfigurationException>(() => t.Client.GetProjectPageAsync(index, "demo", CancellationToken.None));
            Assert.Equal(ErrorKind.CredentialsNotAllowed, error.Kind);
        }

        [Fact]
        public async Task NeverNeverLooksUpOrSendsCredentials()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => Unauthorized(c));
            using var t = new TestClient(
                new Dictionary<string, string> { ["UV_INDEX_INTERNAL_USERNAME"] = "u", ["UV_INDEX_INTERNAL_PASSWORD"] = Secret },
                netrc: $"default login u password {Secret}\n");
            var index = TestClient.Index(server.Url("simple").AbsoluteUri, authenticate: AuthenticatePolicy.Never);
            var response = await t.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);

            Assert.Equal(401, response.StatusCode);
            Assert.Equal(1, response.Tries);
            Assert.False(response.CredentialsSent);
            Assert.Null(Assert.Single(server.Requests).Header("Authorization"));
        }

        [Fact]
        public async Task ParameterCredentialWinsOverEnvironment()
        {
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, RecordingServer.PageJson("demo")));
            using var t = new TestClient(
                new Dictionary<string, string> { ["UV_INDEX_INTERNAL_USERNAME"] = "env-user", ["UV_INDEX_INTERNAL_PASSWORD"] = "env-pw" },
                parameters: new Dictionary<string, IndexCredential> { [server.Url("simple/").AbsoluteUri] = new IndexCredential("param-user", Secret) });
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal("parameter", response.CredentialSource);
            Assert.Equal(Basic("param-user", Secret), Assert.Single(server.Requests).Header("Authorization"));
        }

        [Fact]
        public async Task SameOriginRedirectKeepsAuthorization()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                if (c.Request.Path.StartsWithSegments("/simple"))
                {
                    c.Response.StatusCode = 302;
                    c.Response.Headers.Location = "/mirror" + c.Request.Path.Value!.Substring("/simple".Length);
                    return Task.CompletedTask;
                }

                return c.Request.Headers.Authorization == Basic("frank", Secret) ? RecordingServer.Json(c, RecordingServer.PageJson("demo")) : Unauthorized(c);
            });
            using var t = new TestClient(new Dictionary<string, string> { ["UV_INDEX_INTERNAL_USERNAME"] = "frank", ["UV_INDEX_INTERNAL_PASSWORD"] = Secret });
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal(2, response.Tries);
            Assert.Equal($"{server.BaseUri}mirror/demo/", response.Url);
            Assert.Equal("/mirror/demo/", server.Requests[1].Path);
            Assert.Equal(Basic("frank", Secret), server.Requests[1].Header("Authorization"));
        }

        [Fact]
        public async Task CrossOriginRedirectDropsAuthorization()
        {
            await using var other = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, RecordingServer.PageJson("demo")));
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                c.Response.StatusCode = 307;
                c.Response.Headers.Location = other.Url("files" + c.Request.Path.Value!.Substring("/simple".Length)).AbsoluteUri;
                return Task.CompletedTask;
            });
            using var t = new TestClient(new Dictionary<string, string> { ["UV_INDEX_INTERNAL_USERNAME"] = "gina", ["UV_INDEX_INTERNAL_PASSWORD"] = Secret });
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal(Basic("gina", Secret), Assert.Single(server.Requests).Header("Authorization"));
            var forwarded = Assert.Single(other.Requests);
            Assert.Null(forwarded.Header("Authorization"));
            Assert.False(response.CredentialsSent);
            Assert.Equal(2, response.Tries);
        }

        [Fact]
        public async Task RedirectLoopStopsAtMaxRedirects()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                c.Response.StatusCode = 302;
                c.Response.Headers.Location = "/loop/" + n + "/";
                return Task.CompletedTask;
            });
            using var t = new TestClient(configure: s => s.MaxRedirects = 3);
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            // Issue 20.15: a loop is "too many redirects (N)", not an HTTP 302.
            Assert.Equal(PageResponseKind.RedirectFailed, response.Kind);
            Assert.Null(response.StatusCode);
            Assert.Equal(302, response.RedirectStatusCode);
            Assert.Equal(4, response.Tries);
            Assert.Equal("too many redirects (3)", response.Error);
        }

        [Fact]
        public void HttpsToHttpRedirectIsFollowedAndAnUnsupportedSchemeIsRefused()
        {
            var downgraded = RedirectHandler.ResolveRedirect(new Uri("https://index.example/simple/demo/"), new Uri("http://index.example/simple/demo/"), 301);
            Assert.Equal("http://index.example/simple/demo/", downgraded.AbsoluteUri);

            var error = Assert.Throws<RedirectRefusedException>(() =>
                RedirectHandler.ResolveRedirect(new Uri("https://index.example/a/"), new Uri("ftp://index.example/a/"), 302));
            Assert.Equal(302, error.StatusCode);
            Assert.Contains("unsupported scheme (ftp:)", error.Message);

            var upgraded = RedirectHandler.ResolveRedirect(new Uri("http://index.example/a/"), new Uri("https://u:p@index.example/b/"), 301);
            Assert.Equal("https://index.example/b/", upgraded.AbsoluteUri);

            var relative = RedirectHandler.ResolveRedirect(new Uri("https://index.example/simple/demo"), new Uri("demo/", UriKind.Relative), 301);
            Assert.Equal("https://index.example/simple/demo/", relative.AbsoluteUri);
        }

        [Fact]
        public async Task DebugLinesNeverContainTheSecret()
        {
            var authorizedCount = 0;
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                if (c.Request.Headers.Authorization != Basic("henry", Secret))
                {
                    return Unauthorized(c);
                }

                if (Interlocked.Increment(ref authorizedCount) == 1)
                {
                    return RecordingServer.Status(c, 503);
                }

                c.Response.Headers["Set-Cookie"] = "session=" + Secret;
                return RecordingServer.Json(c, RecordingServer.PageJson("demo"));
            });
            using var t = new TestClient(netrc: $"machine 127.0.0.1 login henry password {Secret}\n");

            // 401 → netrc credential → 503 → retried with the credential → 200.
            var viaNetrc = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);
            Assert.Equal(PageResponseKind.Page, viaNetrc.Kind);
            Assert.Equal(3, viaNetrc.Tries);

            // Credentials embedded in the URL.
            var url = $"http://henry:{Secret}@127.0.0.1:{server.BaseUri.Port}/simple";
            var viaUrl = await t.Client.GetProjectPageAsync(TestClient.Index(url, name: "other"), "demo", CancellationToken.None);
            Assert.Equal(PageResponseKind.Page, viaUrl.Kind);

            Assert.NotEmpty(t.Lines);
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("henry:" + Secret));
            foreach (var line in t.Lines)
            {
                Assert.DoesNotContain(Secret, line);
                Assert.DoesNotContain(encoded, line);
                Assert.DoesNotContain("Authorization", line, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("henry", line);
            }

            Assert.Contains(t.Lines, l => l.Contains("-> 401"));
            Assert.DoesNotContain(Secret, viaUrl.Url);
            Assert.DoesNotContain(viaUrl.Headers, h => h.Value.Contains(Secret) || h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase));
        }

        [Fact]
        public async Task RecordsWhitelistedHeadersOnly()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                c.Response.Headers["X-Artifactory-Id"] = "abc123";
                c.Response.Headers["X-JFrog-Version"] = "7.1";
                c.Response.Headers["X-Amz-Security-Token"] = "nope";
                c.Response.Headers["ETag"] = "\"v1\"";
                c.Response.Headers["Cache-Control"] = "max-age=600";
                c.Response.Headers["Set-Cookie"] = "a=b";
                c.Response.Headers["X-Other"] = "x";
                return RecordingServer.Json(c, RecordingServer.PageJson("demo"));
            });
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal("abc123", response.Headers["X-Artifactory-Id"]);
            Assert.Equal("7.1", response.Headers["X-JFrog-Version"]);
            Assert.Equal("\"v1\"", response.Headers["ETag"]);
            Assert.Equal("max-age=600", response.Headers["Cache-Control"]);
            Assert.Equal("application/vnd.pypi.simple.v1+json", response.Headers["Content-Type"]);
            Assert.False(response.Headers.ContainsKey("Set-Cookie"));
            Assert.False(response.Headers.ContainsKey("X-Other"));
            Assert.False(response.Headers.ContainsKey("X-Amz-Security-Token"));
        }

        [Fact]
        public async Task ConditionalRequestHeadersAreSentAnd304ComesBack()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                c.Response.Headers["ETag"] = "\"v1\"";
                return RecordingServer.Status(c, c.Request.Headers.IfNoneMatch == "\"v1\"" ? 304 : 200);
            });
            using var t = new TestClient();
            var options = new PageRequestOptions { IfNoneMatch = "\"v1\"", IfModifiedSince = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero) };
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", options, CancellationToken.None);

            Assert.Equal(PageResponseKind.HttpStatus, response.Kind);
            Assert.Equal(304, response.StatusCode);
            Assert.Equal("\"v1\"", response.Headers["ETag"]);
            Assert.Equal("Tue, 02 Jan 2024 03:04:05 GMT", Assert.Single(server.Requests).Header("If-Modified-Since"));
        }

        [Fact]
        public async Task FlatHttpIndexIsFetchedOnceAndListsEveryFile()
        {
            await using var server = await RecordingServer.StartAsync((c, n) =>
            {
                c.Response.ContentType = "text/html";
                return c.Response.WriteAsync("<a href=\"alpha-1.0.tar.gz\">alpha-1.0.tar.gz</a><a href=\"beta-2.0-py3-none-any.whl\">beta</a>");
            });
            using var t = new TestClient();
            var index = TestClient.Index(server.Url("wheels/").AbsoluteUri, format: IndexFormat.Flat);
            var first = await t.Client.GetProjectPageAsync(index, "alpha", CancellationToken.None);
            var second = await t.Client.GetProjectPageAsync(index, "beta", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, first.Kind);
            Assert.Equal("flat", first.Page!.Format);
            Assert.Equal(2, first.Page.Files.Count);
            Assert.Equal(1, first.Tries);
            Assert.Equal("beta", second.Page!.Name);
            Assert.Equal(2, second.Page.Files.Count);
            Assert.Equal(0, second.Tries);
            Assert.True(second.FromCache);
            var request = Assert.Single(server.Requests);
            Assert.Equal("/wheels/", request.Path);
            Assert.Equal("text/html", request.Header("Accept"));
        }

        [Fact]
        public async Task LocalSimpleAndFlatIndexes()
        {
            var root = Path.Combine(Path.GetTempPath(), "indextools-local-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(root, "simple", "demo"));
            File.WriteAllText(Path.Combine(root, "simple", "demo", "index.html"), "<a href=\"demo-1.0.tar.gz\">demo-1.0.tar.gz</a>");
            Directory.CreateDirectory(Path.Combine(root, "flat"));
            File.WriteAllText(Path.Combine(root, "flat", "demo-1.0-py3-none-any.whl"), "");
            File.WriteAllText(Path.Combine(root, "flat", "other-2.0.tar.gz"), "");
            try
            {
                using var t = new TestClient();
                var simple = TestClient.Index(new Uri(Path.Combine(root, "simple")).AbsoluteUri);
                var found = await t.Client.GetProjectPageAsync(simple, "demo", CancellationToken.None);
                Assert.Equal(PageResponseKind.Page, found.Kind);
                Assert.Equal("demo-1.0.tar.gz", Assert.Single(found.Page!.Files).Filename);
                Assert.Equal(0, found.Tries);

                var missing = await t.Client.GetProjectPageAsync(simple, "absent", CancellationToken.None);
                Assert.Equal(PageResponseKind.LocalNotFound, missing.Kind);

                var flat = TestClient.Index(Path.Combine(root, "flat"), format: IndexFormat.Flat);
                var listing = await t.Client.GetProjectPageAsync(flat, "demo", CancellationToken.None);
                Assert.Equal(PageResponseKind.Page, listing.Kind);
                Assert.Equal(2, listing.Page!.Files.Count);

                var gone = TestClient.Index(Path.Combine(root, "nope"), format: IndexFormat.Flat);
                var unreadable = await t.Client.GetProjectPageAsync(gone, "demo", CancellationToken.None);
                Assert.Equal(PageResponseKind.Unreadable, unreadable.Kind);
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }

        [Theory]
        [InlineData("https://pypi.org/simple", "https://pypi.org/simple/demo/")]
        [InlineData("https://pypi.org/simple/", "https://pypi.org/simple/demo/")]
        [InlineData("https://u:p@host.example:8443/a/b/?x=1", "https://host.example:8443/a/b/demo/?x=1")]
        [InlineData("https://host.example", "https://host.example/demo/")]
        public void BuildsTheProjectUrlAsUv(string index, string expected)
        {
            Assert.Equal(expected, SimpleApiClient.BuildProjectUrl(new Uri(index), "demo").AbsoluteUri);
        }

        private static Task Unauthorized(HttpContext context)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Artifactory Realm\"";
            return Task.CompletedTask;
        }
    }
}
