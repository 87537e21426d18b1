using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.IndexServer
{
    public sealed class StatusAndAuthTests : ServerTestBase
    {
        [Theory]
        [InlineData(null, 404)]
        [InlineData("pypi", 404)]
        [InlineData("pytorch", 403)]
        [InlineData("s3", 403)]
        [InlineData("nginx", 404)]
        [InlineData("artifactory", 404)]
        public async Task Missing_project_status_follows_profile(string? profile, int expected)
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Profile = profile }));
            using var response = await GetAsync(host.ProjectUrl("main", "not-here"));
            Assert.Equal(expected, (int)response.StatusCode);
        }

        [Theory]
        [InlineData(401)]
        [InlineData(403)]
        [InlineData(500)]
        public async Task Missing_status_is_configurable(int status)
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { MissingStatus = status }));
            using var missing = await GetAsync(host.ProjectUrl("main", "not-here"));
            Assert.Equal(status, (int)missing.StatusCode);
            using var present = await GetAsync(host.ProjectUrl("main", "requests"));
            Assert.Equal(HttpStatusCode.OK, present.StatusCode);
        }

        [Fact]
        public async Task Explicit_setting_wins_over_profile_whatever_the_order()
        {
            var behavior = new IndexBehavior { MissingStatus = 404 };
            behavior.Profile = "pytorch";
            await using var host = await StartAsync(Requests("main", behavior));
            using var response = await GetAsync(host.ProjectUrl("main", "not-here"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        [Fact]
        public async Task Artifactory_403_for_missing_names_has_the_json_permissions_body()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Profile = "artifactory", MissingStatus = 403 }));
            using var response = await GetAsync(host.ProjectUrl("main", "not-here"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/json", MediaType(response));
            Assert.Contains("User has no permissions to resolve packages.", await response.Content.ReadAsStringAsync());
            Assert.True(response.Headers.Contains("X-Artifactory-Id"));
        }

        [Fact]
        public async Task Pypi_profile_sends_cache_control_max_age_600()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Profile = "pypi" }));
            using var response = await GetAsync(host.ProjectUrl("main", "requests"));
            Assert.Equal(System.TimeSpan.FromSeconds(600), response.Headers.CacheControl?.MaxAge);
        }

        [Fact]
        public async Task Azure_upstream_only_package_answers_401_with_upstream_body()
        {
            var behavior = new IndexBehavior { Profile = "azure-artifacts" };
            behavior.UpstreamPackages.Add("six");
            await using var host = await StartAsync(Requests("main", behavior));
            using var upstream = await GetAsync(host.ProjectUrl("main", "six"));
            Assert.Equal(HttpStatusCode.Unauthorized, upstream.StatusCode);
            Assert.Contains("upstream", await upstream.Content.ReadAsStringAsync());
            Assert.True(upstream.Headers.Contains("X-TFS-ProcessId"));
            Assert.True(upstream.Headers.Contains("X-VSS-E2EID"));
            using var missing = await GetAsync(host.ProjectUrl("main", "other"));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        [Fact]
        public async Task Project_and_file_status_overrides()
        {
            var behavior = new IndexBehavior();
            behavior.ProjectStatus["Requests"] = 401;
            behavior.FileStatus["requests-2.31.0.tar.gz"] = 403;
            var index = Requests("main", behavior);
            index.Add("six", "six-1.16.0-py2.py3-none-any.whl");
            await using var host = await StartAsync(index);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(host.ProjectUrl("main", "requests"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.ProjectUrl("main", "six"))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(new System.Uri(host.BaseUrl, "main/files/requests-2.31.0.tar.gz"), null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(new System.Uri(host.BaseUrl, "main/files/requests-2.31.0-py3-none-any.whl"), null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(new System.Uri(host.BaseUrl, "main/files/nothing-1.0.tar.gz"), null)).StatusCode);
        }

        [Fact]
        public async Task Basic_auth_required_accepted_and_rejected()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Username = "alice", Password = "s3cret-test", Realm = "Test Realm" }));
            var url = host.ProjectUrl("main", "requests");

            using var anonymous = await GetAsync(url);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            var challenge = Assert.Single(anonymous.Headers.WwwAuthenticate);
            Assert.Equal("Basic", challenge.Scheme);
            Assert.Equal("realm=\"Test Realm\"", challenge.Parameter);

            using var good = await GetAsync(url, authorization: Basic("alice", "s3cret-test"));
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);

            using var bad = await GetAsync(url, authorization: Basic("alice", "wrong"));
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);

            using var bearer = await GetAsync(url, authorization: new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "abc"));
            Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);

            // Auth covers every route of the index, not only project pages.
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(host.IndexUrl("main"))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(new System.Uri(host.BaseUrl, "main/files/requests-2.31.0.tar.gz"), null)).StatusCode);
        }

        [Fact]
        public async Task Anonymous_and_bad_credential_statuses_are_configurable()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Username = "alice", Password = "pw-test", AnonymousStatus = 404, BadCredentialsStatus = 403 }));
            var url = host.ProjectUrl("main", "requests");
            using var anonymous = await GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
            Assert.Empty(anonymous.Headers.WwwAuthenticate);
            using var bad = await GetAsync(url, authorization: Basic("alice", "nope"));
            Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
        }

        [Fact]
        public async Task Anonymous_pass_through_serves_the_other_index_and_never_401s()
        {
            var pypi = new IndexFixture("pypi");
            pypi.Add("acme-utils", "acme_utils-99.0.0-py3-none-any.whl");
            var internalIndex = new IndexFixture("internal")
            {
                Behavior = new IndexBehavior { Profile = "artifactory", Username = "dev", Password = "pw-test", AnonymousPassThrough = true, PassThroughIndex = "pypi" },
            };
            internalIndex.Add("acme-utils", "acme_utils-1.0.0-py3-none-any.whl");
            await using var host = await StartAsync(internalIndex, pypi);
            var url = host.ProjectUrl("internal", "acme-utils");

            using var anonymous = await GetAsync(url, "text/html");
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
            var anonymousBody = await anonymous.Content.ReadAsStringAsync();
            Assert.Contains("acme_utils-99.0.0", anonymousBody);
            Assert.DoesNotContain("acme_utils-1.0.0", anonymousBody);

            using var authenticated = await GetAsync(url, "text/html", Basic("dev", "pw-test"));
            Assert.Contains("acme_utils-1.0.0", await authenticated.Content.ReadAsStringAsync());
            Assert.DoesNotContain(host.Requests, r => r.ResponseStatus == 401);
        }

        [Fact]
        public async Task Unknown_index_and_unknown_route_are_404()
        {
            await using var host = await StartAsync(Requests());
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(new System.Uri(host.BaseUrl, "nope/simple/requests/"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(new System.Uri(host.BaseUrl, "main/other/"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.BaseUrl, "text/html")).StatusCode);
        }

        [Fact]
        public async Task Every_profile_serves_a_present_project()
        {
            foreach (var profile in RegistryProfiles.Names)
            {
                // Some variants refer to an index named "pypi" on the same server (artifactory-anonymous's pass-through).
                await using var host = await StartAsync(Requests("main", new IndexBehavior { Profile = profile }), Requests("pypi"));
                using var response = await GetAsync(host.ProjectUrl("main", "requests"));
                Assert.True(response.StatusCode == HttpStatusCode.OK, profile + " answered " + (int)response.StatusCode);
                Assert.Contains(MediaType(response), new[] { SimpleMediaTypes.Json, SimpleMediaTypes.HtmlV1, SimpleMediaTypes.Html });
            }

            Assert.Equal(15, RegistryProfiles.Names.Count());
        }
    
        [Fact]
        public async Task Head_has_headers_without_body_and_other_methods_are_405()
        {
            await using var host = await StartAsync(Requests());
            using var head = await Client.SendAsync(new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Head, host.ProjectUrl("main", "requests")));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.True(head.Content.Headers.ContentLength > 0);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            using var post = await Client.PostAsync(host.ProjectUrl("main", "requests"), new System.Net.Http.StringContent("x"));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        }

        [Theory]
        [InlineData("absolute")]
        [InlineData("absolute-path")]
        [InlineData("relative")]
        public async Task File_url_styles_all_resolve(string style)
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { FileUrls = style }));
            var pageUrl = host.ProjectUrl("main", "requests");
            using var json = System.Text.Json.JsonDocument.Parse(await (await GetAsync(pageUrl)).Content.ReadAsStringAsync());
            var url = json.RootElement.GetProperty("files")[0].GetProperty("url").GetString()!;
            Assert.Equal(style == "absolute", url.StartsWith("http://", System.StringComparison.Ordinal));
            using var file = await GetAsync(new System.Uri(pageUrl, url), null);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        }
    }
}
