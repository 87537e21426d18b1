using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Cache;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.Engine.SimpleApi;
using IndexTools.IndexServer;
using IndexTools.Tests.Http;
using Xunit;

namespace IndexTools.Tests.Search
{
    /// <summary>
    /// Issue 14's decision rules and 20.15's redirect messages, each over real HTTP on loopback: flat indexes and
    /// find-links without a status-code policy, offline misses, redirects, a URL configured twice, the subsequent-index
    /// hint, where ignore-error-codes advice appears, and what -UvVersion changes.
    /// </summary>
    public sealed class UvDecisionRuleTests
    {
        private static IndexFixture Pypi() => new IndexFixture
        {
            Name = "pypi",
            Packages =
            {
                ["acme-auth"] = new List<string> { "acme_auth-50.0.0-py3-none-any.whl" },
                ["requests"] = new List<string> { "requests-2.31.0-py3-none-any.whl" },
                ["torch"] = new List<string> { "torch-2.3.0-py3-none-any.whl" },
            },
        };

        private static IndexFixture Failing(string name, int status) => new IndexFixture
        {
            Name = name,
            Packages = { ["acme-auth"] = new List<string> { "acme_auth-1.0.0-py3-none-any.whl" } },
            Behavior = new IndexBehavior { ErrorStatus = status },
        };

        private static IndexDefinition Flat(SearchHarness h, string fixture, Func<IndexDefinition, IndexDefinition>? configure = null)
        {
            var flat = new IndexDefinition(fixture, h.Server.FlatUrl(fixture).ToString(), Provenance.FromParameter("-Index")) { Format = IndexFormat.Flat };
            return configure is null ? flat : configure(flat);
        }

        [Theory]
        [InlineData(IndexStrategy.FirstIndex, 404)]
        [InlineData(IndexStrategy.FirstIndex, 403)]
        [InlineData(IndexStrategy.UnsafeBestMatch, 401)]
        [InlineData(IndexStrategy.UnsafeFirstMatch, 404)]
        public async Task A_flat_index_that_answers_an_error_status_ends_the_search_with_an_error_under_every_strategy(IndexStrategy strategy, int status)
        {
            await using var h = await SearchHarness.StartAsync(Failing("wheels", status), Pypi());
            // ignore-error-codes on a flat index is not consulted by uv (no status-code policy for flat indexes).
            var flat = Flat(h, "wheels", f => f with { IgnoreErrorCodes = new[] { 401, 403, 404 } });
            var settings = SearchHarness.Settings(strategy, flat, h.Index("pypi"));

            var result = await h.Search(settings).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal(StopReason.IndexError, result.StopReason);
            Assert.False(result.Resolved);
            var attempt = result.Attempts[0];
            Assert.Equal(SearchDecision.Stop, attempt.Decision);
            Assert.Equal(status, attempt.StatusCode);
            Assert.Contains("no status-code policy", attempt.Reason);
            Assert.DoesNotContain("ignore-error-codes = [", result.Hint);
            Assert.Contains("no status-code policy", result.Hint);
        }

        [Fact]
        public async Task A_find_links_location_that_answers_401_is_an_error_not_an_empty_location()
        {
            await using var h = await SearchHarness.StartAsync(Failing("links", 401), Pypi());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi"));
            settings.FindLinks = new[] { new IndexDefinition(null, h.Server.FlatUrl("links").ToString(), Provenance.FromEnvironment("UV_FIND_LINKS")) { Format = IndexFormat.Flat } };

            var result = await h.Search(settings).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal(StopReason.IndexError, result.StopReason);
            Assert.Equal(401, result.Attempts.Last().StatusCode);
            Assert.StartsWith("The find-links location", result.Hint);
        }

        [Fact]
        public async Task Offline_a_page_missing_from_the_cache_is_not_found_and_the_search_goes_on()
        {
            await using var h = await SearchHarness.StartAsync(Pypi(), new IndexFixture { Name = "internal", Packages = { ["other"] = new List<string> { "other-1.0.0-py3-none-any.whl" } } });
            var folder = Path.Combine(Path.GetTempPath(), "indextools-offline-" + Guid.NewGuid().ToString("N"));
            try
            {
                var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal"), h.Index("pypi"));
                var client = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(SearchHarness.Environment(), null));
                // Fill the cache for pypi only (as an earlier online run would), then go offline.
                var online = new CachingPageSource(client, new PageCacheOptions(folder));
                Assert.Equal(PageResponseKind.Page, (await online.GetProjectPageAsync(h.Index("pypi"), "requests", CancellationToken.None)).Kind);
                online.Flush();
                var before = h.Server.Requests.Count;

                var offline = new CachingPageSource(client, new PageCacheOptions(folder) { Mode = CacheMode.Offline });
                var result = await new IndexSearch(settings, offline).ResolveAsync("requests", CancellationToken.None);

                Assert.True(result.Resolved, result.Hint);
                Assert.Equal("pypi", result.Index);
                Assert.Equal(AttemptOutcome.NotFound, result.Attempts[0].Outcome);
                Assert.Equal(SearchDecision.Continue, result.Attempts[0].Decision);
                Assert.StartsWith("offline: ", result.Attempts[0].Reason);
                Assert.Equal(before, h.Server.Requests.Count);

                var miss = await new IndexSearch(settings, offline).ResolveAsync("acme-auth", CancellationToken.None);
                Assert.Equal(StopReason.NotFound, miss.StopReason);
                Assert.Contains("network was disabled", miss.Hint);
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, true);
                }
            }
        }

        [Fact]
        public async Task Offline_a_remote_flat_index_is_empty_and_never_asked()
        {
            await using var h = await SearchHarness.StartAsync(new IndexFixture { Name = "wheels", Packages = { ["requests"] = new List<string> { "requests-9.0.0-py3-none-any.whl" } } }, Pypi());
            var folder = Path.Combine(Path.GetTempPath(), "indextools-offline-" + Guid.NewGuid().ToString("N"));
            var client = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(SearchHarness.Environment(), null));
            var offline = new CachingPageSource(client, new PageCacheOptions(folder) { Mode = CacheMode.Offline });
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, Flat(h, "wheels"), h.Index("pypi"));

            var result = await new IndexSearch(settings, offline).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal(StopReason.NotFound, result.StopReason);
            Assert.All(result.Attempts, a => Assert.Equal(AttemptOutcome.NotFound, a.Outcome));
            Assert.Empty(h.Server.Requests);
        }

        [Fact]
        public async Task A_redirect_loop_is_too_many_redirects_not_an_http_302_with_ignore_error_codes_advice()
        {
            await using var h = await SearchHarness.StartAsync(
                new IndexFixture { Name = "loop", Behavior = new IndexBehavior { RedirectTo = "same-origin:/loop/simple/", NormalizeRedirect = false } },
                Pypi());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("loop"), h.Index("pypi"));

            var result = await h.Search(settings).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal(StopReason.IndexError, result.StopReason);
            var attempt = result.Attempts[0];
            Assert.Null(attempt.StatusCode);
            Assert.Contains("too many redirects (10)", attempt.Reason);
            Assert.Contains("too many redirects (10)", result.Hint);
            Assert.DoesNotContain("HTTP 302", result.Hint);
            Assert.DoesNotContain("ignore-error-codes", result.Hint);
            Assert.Equal(11, h.Server.CountRequests("loop"));
            Assert.Equal(0, h.Server.CountRequests("pypi"));
        }

        [Fact]
        public async Task A_redirect_to_an_unsupported_scheme_says_so()
        {
            await using var h = await SearchHarness.StartAsync(
                new IndexFixture { Name = "ftp", Behavior = new IndexBehavior { RedirectTo = "ftp://127.0.0.1/pub/", NormalizeRedirect = false } },
                Pypi());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("ftp"), h.Index("pypi"));

            var result = await h.Search(settings).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal(StopReason.IndexError, result.StopReason);
            Assert.Contains("unsupported scheme (ftp:)", result.Attempts[0].Reason);
            Assert.Null(result.Attempts[0].StatusCode);
            Assert.DoesNotContain("ignore-error-codes", result.Hint);
        }

        [Fact]
        public async Task An_https_index_redirected_to_http_is_followed_without_credentials_and_carries_a_security_warning()
        {
            using var certs = new TestCertificates();
            await using var plain = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, RecordingServer.PageJson("demo", "demo-1.0.0-py3-none-any.whl")));
            await using var tls = await RecordingServer.StartAsync(
                (c, n) =>
                {
                    c.Response.StatusCode = 302;
                    c.Response.Headers.Location = new Uri(plain.BaseUri, "simple/demo/").AbsoluteUri;
                    return Task.CompletedTask;
                },
                certs.Leaf);
            var http = SearchHarness.FastHttp();
            http.Trust = new CustomTrust(new[] { certs.Ca }, "test CA");
            var index = new IndexDefinition("internal", new Uri(tls.BaseUri, "simple/").AbsoluteUri, Provenance.FromParameter("-Index"));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, index);
            var env = SearchHarness.Environment(("UV_INDEX_INTERNAL_USERNAME", "henry"), ("UV_INDEX_INTERNAL_PASSWORD", "cleartext-secret"));
            var listener = new RecordingListener();
            var search = new IndexSearch(settings, new SimpleApiClient(http, new CredentialProvider(env, null)), null, listener);

            var result = await search.ResolveAsync("demo", CancellationToken.None);

            Assert.True(result.Resolved, result.Hint);
            Assert.Equal("1.0.0", result.Version);
            var attempt = result.Attempts[0];
            Assert.NotNull(attempt.SecurityWarning);
            Assert.Contains("from https to http", attempt.SecurityWarning);
            Assert.Equal("none", attempt.CredentialSource);
            Assert.NotNull(tls.Requests.Single().Header("Authorization"));
            Assert.Null(plain.Requests.Single().Header("Authorization"));
        }

        [Fact]
        public async Task The_same_index_url_configured_twice_is_asked_once_and_listed_once()
        {
            await using var h = await SearchHarness.StartAsync(new IndexFixture { Name = "internal", Packages = { ["other"] = new List<string> { "other-1.0.0-py3-none-any.whl" } } }, Pypi());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal", "first"), h.Index("internal", "second"), h.Index("pypi"));

            var result = await h.Search(settings).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal("pypi", result.Index);
            Assert.Equal(new[] { "first", "pypi" }, result.Attempts.Select(a => a.Index).ToArray());
            Assert.Equal(new[] { 1, 2 }, result.Attempts.Select(a => a.Order).ToArray());
            Assert.Equal(1, h.Server.CountRequests("internal", "requests"));
            Assert.Equal(new[] { "first", "pypi" }, IndexPolicies.Describe(settings).Select(p => p.Name).ToArray());
        }

        [Fact]
        public async Task Before_uv_0_7_3_the_same_index_url_was_asked_twice()
        {
            await using var h = await SearchHarness.StartAsync(new IndexFixture { Name = "internal", Packages = { ["other"] = new List<string> { "other-1.0.0-py3-none-any.whl" } } }, Pypi());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal", "first"), h.Index("internal", "second"), h.Index("pypi"));

            var result = await h.Search(settings, options: new SearchOptions { UvRules = UvRules.Parse("0.7.2") }).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal("0.7.2", result.UvVersion);
            Assert.Equal(new[] { "first", "second", "pypi" }, result.Attempts.Select(a => a.Index).ToArray());
            Assert.Equal(2, h.Server.CountRequests("internal", "requests"));
        }

        [Fact]
        public async Task The_subsequent_index_hint_names_the_next_index_uv_would_search_skipping_explicit_ones()
        {
            await using var h = await SearchHarness.StartAsync(
                new IndexFixture { Name = "internal", Packages = { ["requests"] = new List<string> { "requests-1.0.0-py3-none-any.whl" } } },
                new IndexFixture { Name = "pinned" },
                Pypi());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal"), h.Index("pinned", configure: i => i with { IsExplicit = true }), h.Index("pypi"));

            var result = await h.Search(settings).ResolveAsync("requests>=2", CancellationToken.None);

            Assert.Equal(StopReason.NoMatchingVersion, result.StopReason);
            Assert.Contains("subsequent index (e.g., " + h.Index("pypi").DisplayUrl + ")", result.Hint);
            Assert.DoesNotContain("/pinned/", result.Hint);
        }

        [Fact]
        public async Task The_subsequent_index_hint_is_not_given_when_the_index_listed_no_version_from_uv_0_12_4()
        {
            await using var h = await SearchHarness.StartAsync(
                new IndexFixture { Name = "internal", Packages = { ["requests"] = new List<string>() } },
                Pypi());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal"), h.Index("pypi"));

            var now = await h.Search(settings).ResolveAsync("requests", CancellationToken.None);
            var before = await h.Search(settings, options: new SearchOptions { UvRules = UvRules.Parse("0.12.3") }).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal(StopReason.NoMatchingVersion, now.StopReason);
            Assert.Equal(0, now.Attempts[0].VersionCount);
            Assert.DoesNotContain("subsequent index", now.Hint);
            Assert.Equal(StopReason.NoMatchingVersion, before.StopReason);
            Assert.Contains("subsequent index", before.Hint);
        }

        [Fact]
        public async Task Ignore_error_codes_advice_appears_only_where_uv_would_consult_it()
        {
            await using var h = await SearchHarness.StartAsync(
                Failing("broken", 500),
                new IndexFixture { Name = "login", Packages = { ["requests"] = new List<string> { "requests-1.0.0-py3-none-any.whl" } }, Behavior = new IndexBehavior { Malformed = "login-page" } },
                Pypi());
            var http = SearchHarness.FastHttp();
            http.Retries = 0;

            var firstIndex = await h.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("broken"), h.Index("pypi")), http: http).ResolveAsync("requests", CancellationToken.None);
            var unsafeBest = await h.Search(SearchHarness.Settings(IndexStrategy.UnsafeBestMatch, h.Index("broken"), h.Index("pypi")), http: http).ResolveAsync("requests", CancellationToken.None);
            var unreadable = await h.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("login"), h.Index("pypi")), http: http).ResolveAsync("requests", CancellationToken.None);
            var uv06 = await h.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("broken"), h.Index("pypi")), http: http, options: new SearchOptions { UvRules = UvRules.Parse("0.6.17") }).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal(StopReason.IndexError, firstIndex.StopReason);
            Assert.Contains("ignore-error-codes = [500]", firstIndex.Hint);
            Assert.Equal(StopReason.IndexError, unsafeBest.StopReason);
            Assert.DoesNotContain("ignore-error-codes", unsafeBest.Hint);
            Assert.DoesNotContain("ignore-error-codes", uv06.Hint);
            Assert.NotEqual(StopReason.Found, unreadable.StopReason);
            Assert.DoesNotContain("ignore-error-codes", unreadable.Hint ?? "");
            Assert.DoesNotContain("HTTP 200", unreadable.Hint ?? "");
        }

        [Fact]
        public async Task Get_IndexStrategy_shows_a_flat_index_without_policy_and_find_links_outside_the_search_order()
        {
            await using var h = await SearchHarness.StartAsync(Pypi(), new IndexFixture { Name = "wheels" });
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, Flat(h, "wheels", f => f with { IgnoreErrorCodes = new[] { 403 } }), h.Index("pypi"));
            settings.FindLinks = new[] { new IndexDefinition(null, h.Server.FlatUrl("wheels").ToString(), Provenance.FromEnvironment("UV_FIND_LINKS")) { Format = IndexFormat.Flat } };

            var policies = IndexPolicies.Describe(settings);

            Assert.Equal(3, policies.Count);
            Assert.False(policies[0].HasStatusCodePolicy);
            Assert.Empty(policies[0].IgnoredStatusCodes);
            Assert.Empty(policies[0].StopsOn);
            Assert.StartsWith("none: flat", policies[0].PolicySource);
            Assert.True(policies[1].HasStatusCodePolicy);
            Assert.Equal(2, policies[1].Order);
            Assert.Equal(0, policies[2].Order);
            Assert.Equal("find-links", policies[2].Format);
            Assert.Contains("merged into every package's candidates", policies[2].PolicySource);
        }
    }
}
