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
using IndexTools.Tests.Search;
using Xunit;

namespace IndexTools.Tests.Cache
{
    /// <summary>The on-disk cache in front of the real HTTP client, against the local index server.</summary>
    public sealed class CachingPageSourceTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "indextools-cache-test-" + Guid.NewGuid().ToString("N"));
        private DateTimeOffset _now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        public void Dispose()
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, true);
            }
        }

        private static IndexFixture Pypi(string? cacheControl, bool etags = true, bool lastModified = true, string? username = null)
        {
            var index = new IndexFixture("pypi").Add("requests", "requests-2.31.0-py3-none-any.whl").Add("numpy", "numpy-2.0.0-cp312-cp312-manylinux1_x86_64.whl");
            index.Behavior.CacheControl = cacheControl;
            index.Behavior.ETags = etags;
            index.Behavior.LastModified = lastModified;
            if (username is not null)
            {
                index.Behavior.Username = username;
                index.Behavior.Password = "cache-secret-Pa55";
            }

            return index;
        }

        private CachingPageSource Source(CacheMode mode = CacheMode.Normal, long maxBytes = 512L * 1024 * 1024, SearchHarness.EnvVar[]? env = null)
        {
            var client = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(SearchHarness.Environment(env?.Select(e => (e.Name, e.Value)).ToArray() ?? Array.Empty<(string, string)>())));
            return new CachingPageSource(client, new PageCacheOptions(_folder) { Mode = mode, MaxBytes = maxBytes, Now = () => _now });
        }

        private static IndexDefinition Index(IndexServerHost server, string? cacheControlOverride = null)
        {
            return new IndexDefinition("pypi", server.IndexUrl("pypi").ToString(), Provenance.FromParameter("-Index")) { CacheControlApi = cacheControlOverride };
        }

        [Fact]
        public async Task Within_max_age_the_second_answer_makes_no_request()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("max-age=600")));
            using var source = Source();

            var first = await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            var second = await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, first.Kind);
            Assert.False(first.FromCache);
            Assert.True(second.FromCache);
            Assert.Equal(0, second.Tries);
            Assert.Equal("requests-2.31.0-py3-none-any.whl", second.Page!.Files.Single().Filename);
            Assert.Equal(1, server.CountRequests("pypi", "requests"));
        }

        [Fact]
        public async Task After_expiry_one_conditional_request_is_answered_304_and_renews_the_entry()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("max-age=600")));
            using var source = Source();
            await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);

            _now = _now.AddSeconds(601);
            var expired = await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            var renewed = await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);

            var requests = server.Requests.Where(r => r.Project == "requests").ToList();
            Assert.Equal(2, requests.Count);
            Assert.Equal(304, requests[1].ResponseStatus);
            Assert.True(requests[1].Headers.ContainsKey("If-None-Match"));
            Assert.Equal(PageResponseKind.Page, expired.Kind);
            Assert.Equal(304, expired.StatusCode);
            Assert.Equal(1, expired.Tries);
            Assert.Single(expired.Page!.Files);
            Assert.Equal(0, renewed.Tries);
        }

        [Fact]
        public async Task No_store_is_never_stored()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("no-store")));
            using var source = Source();

            await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);

            Assert.Equal(2, server.CountRequests("pypi", "requests"));
            Assert.Equal(200, server.Requests.Last().ResponseStatus);
            Assert.False(Directory.Exists(_folder) && Directory.EnumerateFiles(_folder, "*.json", SearchOption.AllDirectories).Any());
        }

        [Fact]
        public async Task No_cache_revalidates_every_time()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("no-cache")));
            using var source = Source();

            await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            var again = await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);

            Assert.Equal(2, server.CountRequests("pypi", "requests"));
            Assert.Equal(304, again.StatusCode);
        }

        [Fact]
        public async Task The_index_cache_control_setting_overrides_the_server()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("no-cache")));
            using var source = Source();

            await source.GetProjectPageAsync(Index(server, "max-age=3600"), "requests", CancellationToken.None);
            var cached = await source.GetProjectPageAsync(Index(server, "max-age=3600"), "requests", CancellationToken.None);
            await source.GetProjectPageAsync(Index(server, "max-age=0"), "requests", CancellationToken.None);

            Assert.True(cached.FromCache);
            Assert.Equal(0, cached.Tries);
            Assert.Equal(2, server.CountRequests("pypi", "requests"));
        }

        [Fact]
        public async Task Without_freshness_headers_a_response_is_always_revalidated_and_last_modified_gives_ten_minutes()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi(null, etags: true, lastModified: false)));
            using var source = Source();
            await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            Assert.Equal(2, server.CountRequests("pypi", "requests"));

            await using var modified = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi(null, etags: false, lastModified: true)));
            using var second = Source();
            await second.GetProjectPageAsync(Index(modified), "numpy", CancellationToken.None);
            _now = _now.AddMinutes(9);
            await second.GetProjectPageAsync(Index(modified), "numpy", CancellationToken.None);
            Assert.Equal(1, modified.CountRequests("pypi", "numpy"));
            _now = _now.AddMinutes(2);
            await second.GetProjectPageAsync(Index(modified), "numpy", CancellationToken.None);
            Assert.Equal(2, modified.CountRequests("pypi", "numpy"));
            Assert.True(modified.Requests.Last().Headers.ContainsKey("If-Modified-Since"));
        }

        [Fact]
        public async Task Refresh_revalidates_even_a_fresh_entry()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("max-age=600")));
            using (var warm = Source())
            {
                await warm.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            }

            using var refresh = Source(CacheMode.Refresh);
            var answer = await refresh.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);

            Assert.Equal(2, server.CountRequests("pypi", "requests"));
            Assert.Equal(304, answer.StatusCode);
        }

        [Fact]
        public async Task Offline_serves_what_is_cached_even_stale_and_never_touches_the_network()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("max-age=1")));
            using (var warm = Source())
            {
                await warm.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            }

            server.ClearRequests();
            _now = _now.AddDays(3);
            using var offline = Source(CacheMode.Offline);
            var hit = await offline.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            var miss = await offline.GetProjectPageAsync(Index(server), "numpy", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, hit.Kind);
            Assert.Equal(0, hit.Tries);
            Assert.Equal(PageResponseKind.Offline, miss.Kind);
            Assert.Contains("offline", miss.Error);
            Assert.Contains("numpy", miss.Error);
            Assert.Equal(0, server.CountRequests());
        }

        [Fact]
        public async Task Answers_fetched_with_credentials_are_not_stored_and_no_secret_reaches_the_folder()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("max-age=600", username: "alice")));
            using var source = Source(env: new[] { new SearchHarness.EnvVar("UV_INDEX_PYPI_USERNAME", "alice"), new SearchHarness.EnvVar("UV_INDEX_PYPI_PASSWORD", "cache-secret-Pa55") });

            var first = await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            source.Flush();

            Assert.Equal(PageResponseKind.Page, first.Kind);
            Assert.Equal(2, server.CountRequests("pypi", "requests"));
            var stored = Directory.Exists(_folder) ? Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).Select(File.ReadAllText) : Enumerable.Empty<string>();
            Assert.DoesNotContain(stored, text => text.Contains("cache-secret-Pa55") || text.Contains("alice:"));
        }

        /// <summary>Issue 20.7: a credentialed request redirected to another origin (where an anonymous 200 with max-age 600
        /// answers) is not stored, so neither an anonymous run nor -Offline is later served what the credentialed run saw.</summary>
        [Fact]
        public async Task A_page_reached_by_a_credentialed_request_that_was_redirected_is_not_stored()
        {
            var priv = new IndexFixture("private").Add("requests", "requests-2.31.0-py3-none-any.whl");
            priv.Behavior.Username = "alice";
            priv.Behavior.Password = "redirect-secret-Pa55";
            priv.Behavior.RedirectTo = "peer:public";
            var pub = new IndexFixture("public").Add("requests", "requests-9.9.9-py3-none-any.whl");
            pub.Behavior.CacheControl = "max-age=600";
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(priv).AddPeer(pub));
            var index = new IndexDefinition("private", server.IndexUrl("private").ToString(), Provenance.FromParameter("-Index"));
            var credentials = new[] { new SearchHarness.EnvVar("UV_INDEX_PRIVATE_USERNAME", "alice"), new SearchHarness.EnvVar("UV_INDEX_PRIVATE_PASSWORD", "redirect-secret-Pa55") };

            using (var credentialed = Source(env: credentials))
            {
                var first = await credentialed.GetProjectPageAsync(index, "requests", CancellationToken.None);
                Assert.Equal(PageResponseKind.Page, first.Kind);
                Assert.Equal("requests-9.9.9-py3-none-any.whl", first.Page!.Files.Single().Filename);
                Assert.False(first.CredentialsSent); // the last hop, on the other origin, went out without them
                Assert.True(first.CredentialsInChain);
                Assert.Equal(1, server.Peer!.CountRequests("public", "requests"));
                var again = await credentialed.GetProjectPageAsync(index, "requests", CancellationToken.None);
                Assert.False(again.FromCache);
                Assert.Equal(2, server.Peer!.CountRequests("public", "requests"));
            }

            Assert.False(Directory.Exists(_folder) && Directory.EnumerateFiles(_folder, "*.json", SearchOption.AllDirectories).Any());

            using (var anonymous = Source())
            {
                var answer = await anonymous.GetProjectPageAsync(index, "requests", CancellationToken.None);
                Assert.False(answer.FromCache);
                Assert.Equal(PageResponseKind.HttpStatus, answer.Kind);
                Assert.Equal(401, answer.StatusCode);
            }

            using (var offline = Source(CacheMode.Offline))
            {
                var answer = await offline.GetProjectPageAsync(index, "requests", CancellationToken.None);
                Assert.Equal(PageResponseKind.Offline, answer.Kind);
            }
        }

        /// <summary>Issue 20.8: an anonymous page cached earlier is not served to a later credentialed run of the same index
        /// (the index shows 1.0.0 to anonymous callers and 2.0.0 to alice); the anonymous entry still serves anonymous runs.</summary>
        [Fact]
        public async Task A_credentialed_run_does_not_read_an_entry_an_anonymous_run_stored()
        {
            var corp = new IndexFixture("corp").Add("requests", "requests-2.0.0-py3-none-any.whl");
            corp.Behavior.Username = "alice";
            corp.Behavior.Password = "identity-secret-Pa55";
            corp.Behavior.AnonymousPassThrough = true;
            corp.Behavior.PassThroughIndex = "corp-public";
            corp.Behavior.CacheControl = "max-age=600";
            var open = new IndexFixture("corp-public").Add("requests", "requests-1.0.0-py3-none-any.whl");
            open.Behavior.CacheControl = "max-age=600";
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(corp).Add(open));
            var index = new IndexDefinition("corp", server.IndexUrl("corp").ToString(), Provenance.FromParameter("-Index"));

            using (var anonymous = Source())
            {
                var page = await anonymous.GetProjectPageAsync(index, "requests", CancellationToken.None);
                Assert.Equal("requests-1.0.0-py3-none-any.whl", page.Page!.Files.Single().Filename);
                anonymous.Flush();
            }

            Assert.Single(Directory.EnumerateFiles(_folder, "*.json", SearchOption.AllDirectories));
            using (var credentialed = Source(env: new[] { new SearchHarness.EnvVar("UV_INDEX_CORP_USERNAME", "alice"), new SearchHarness.EnvVar("UV_INDEX_CORP_PASSWORD", "identity-secret-Pa55") }))
            {
                var page = await credentialed.GetProjectPageAsync(index, "requests", CancellationToken.None);
                Assert.False(page.FromCache);
                Assert.True(page.CredentialsSent);
                Assert.Equal("requests-2.0.0-py3-none-any.whl", page.Page!.Files.Single().Filename);
                Assert.False(server.Requests.Last().Headers.ContainsKey("If-None-Match"), "a credentialed request must not revalidate the anonymous entry");
            }

            using (var offlineCredentialed = Source(CacheMode.Offline, env: new[] { new SearchHarness.EnvVar("UV_INDEX_CORP_USERNAME", "alice"), new SearchHarness.EnvVar("UV_INDEX_CORP_PASSWORD", "identity-secret-Pa55") }))
            {
                Assert.Equal(PageResponseKind.Offline, (await offlineCredentialed.GetProjectPageAsync(index, "requests", CancellationToken.None)).Kind);
            }

            server.ClearRequests();
            using (var anonymousAgain = Source())
            {
                var page = await anonymousAgain.GetProjectPageAsync(index, "requests", CancellationToken.None);
                Assert.True(page.FromCache);
                Assert.Equal("requests-1.0.0-py3-none-any.whl", page.Page!.Files.Single().Filename);
            }

            Assert.Equal(0, server.CountRequests());
            var stored = Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
            Assert.DoesNotContain(stored, text => text.Contains("identity-secret-Pa55") || text.Contains("alice"));
        }

        [Fact]
        public async Task A_corrupt_entry_is_a_miss_and_is_replaced()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("max-age=600")));
            using var source = Source();
            await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            source.Flush(); // entries are written by a background writer: wait for the disk before touching the file
            var file = Directory.EnumerateFiles(_folder, "*.json", SearchOption.AllDirectories).Single();
            File.WriteAllText(file, "{\"url\": \"truncated");

            var answer = await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);
            var again = await source.GetProjectPageAsync(Index(server), "requests", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, answer.Kind);
            Assert.False(answer.FromCache);
            Assert.True(again.FromCache);
            Assert.Equal(2, server.CountRequests("pypi", "requests"));
        }

        [Fact]
        public async Task The_folder_is_kept_under_its_bound_least_recently_used_first()
        {
            var index = new IndexFixture("pypi");
            for (var i = 0; i < 40; i++)
            {
                index.Add("pkg" + i, Enumerable.Range(0, 20).Select(v => "pkg" + i + "-1." + v + ".0-py3-none-any.whl").ToArray());
            }

            index.Behavior.CacheControl = "max-age=600";
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(index));
            using (var source = Source(maxBytes: 40_000))
            {
                for (var i = 0; i < 40; i++)
                {
                    await source.GetProjectPageAsync(Index(server), "pkg" + i, CancellationToken.None);
                }
            }

            var files = Directory.EnumerateFiles(_folder, "*.json", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
            Assert.True(files.Sum(f => f.Length) <= 40_000, "the cache folder holds " + files.Sum(f => f.Length) + " bytes");
            Assert.InRange(files.Count, 1, 39);
            server.ClearRequests();
            using var check = Source();
            await check.GetProjectPageAsync(Index(server), "pkg39", CancellationToken.None);
            Assert.Equal(0, server.CountRequests());
        }

        [Fact]
        public async Task Entries_written_in_the_background_are_all_on_disk_after_flush_and_serve_a_new_instance()
        {
            var index = new IndexFixture("pypi");
            for (var i = 0; i < 30; i++)
            {
                index.Add("bg" + i, "bg" + i + "-1.0.0-py3-none-any.whl");
            }

            index.Behavior.CacheControl = "max-age=600";
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(index));
            using (var source = Source())
            {
                await Task.WhenAll(Enumerable.Range(0, 30).Select(i => source.GetProjectPageAsync(Index(server), "bg" + i, CancellationToken.None)));
                source.Flush();
                Assert.Equal(30, Directory.EnumerateFiles(_folder, "*.json", SearchOption.AllDirectories).Count());
                Assert.Empty(Directory.EnumerateFiles(_folder, "*.tmp", SearchOption.AllDirectories));
            }

            server.ClearRequests();
            using var fresh = Source();
            for (var i = 0; i < 30; i++)
            {
                var answer = await fresh.GetProjectPageAsync(Index(server), "bg" + i, CancellationToken.None);
                Assert.True(answer.FromCache);
                Assert.Equal("bg" + i + "-1.0.0-py3-none-any.whl", answer.Page!.Files.Single().Filename);
            }

            Assert.Equal(0, server.CountRequests());
        }

        [Fact]
        public async Task Many_concurrent_writers_and_readers_never_leave_a_corrupt_entry()
        {
            await using var server = await IndexServerHost.StartAsync(new ServerFixture().Add(Pypi("no-cache")));
            var tasks = Enumerable.Range(0, 24).Select(async i =>
            {
                using var source = Source(i % 3 == 0 ? CacheMode.Refresh : CacheMode.Normal);
                for (var n = 0; n < 10; n++)
                {
                    var answer = await source.GetProjectPageAsync(Index(server), n % 2 == 0 ? "requests" : "numpy", CancellationToken.None);
                    Assert.Equal(PageResponseKind.Page, answer.Kind);
                    Assert.Single(answer.Page!.Files);
                }
            }).ToList();
            await Task.WhenAll(tasks);

            var entries = Directory.EnumerateFiles(_folder, "*.json", SearchOption.AllDirectories).ToList();
            Assert.Equal(2, entries.Count);
            Assert.All(entries, f => System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(f)).Dispose());
            Assert.Empty(Directory.EnumerateFiles(_folder, "*.tmp", SearchOption.AllDirectories));
        }

        [Fact]
        public async Task A_warm_rerun_of_the_whole_search_makes_no_request()
        {
            await using var harness = await SearchHarness.StartAsync(Pypi("max-age=600"));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, harness.Index("pypi"));
            var names = new[] { "requests", "numpy" };

            foreach (var round in new[] { 1, 2 })
            {
                using var source = Source();
                var search = new IndexSearch(settings, source);
                await foreach (var result in search.ResolveManyAsync(names, CancellationToken.None))
                {
                    Assert.True(result.Resolved);
                    if (round == 2)
                    {
                        Assert.Equal(0, result.Attempts[0].Tries);
                    }
                }
            }

            Assert.Equal(2, harness.Server.CountRequests());
        }

        [Theory]
        [InlineData(false, null, null, "/home/u/.cache/indextools/simple-v1")]
        [InlineData(false, "/xdg", null, "/xdg/indextools/simple-v1")]
        [InlineData(false, "/xdg", "/explicit", "/explicit")]
        public void The_default_folder_is_our_own_under_the_user_cache_dir(bool windows, string? xdg, string? explicitDir, string expected)
        {
            var variables = new Dictionary<string, string>();
            if (xdg is not null)
            {
                variables["XDG_CACHE_HOME"] = xdg;
            }

            if (explicitDir is not null)
            {
                variables["INDEXTOOLS_CACHE_DIR"] = explicitDir;
            }

            var environment = new IndexTools.Engine.Environment.EngineEnvironment(variables, "/home/u", "/work", windows);
            Assert.Equal(expected, PageCacheOptions.DefaultDirectory(environment));
            Assert.DoesNotContain("/uv", PageCacheOptions.DefaultDirectory(environment));
        }
    }
}
