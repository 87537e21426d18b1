using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.Search
{
    /// <summary>Credentials, pins, explicit and flat indexes, find-links, version selection, many packages, cancellation.</summary>
    public sealed class SearchBehaviourTests
    {
        private const string Secret = "s3cr3t-Pa55-for-tests";

        private static IndexFixture Guarded() => new IndexFixture
        {
            Name = "internal",
            Packages = { ["acme-auth"] = new List<string> { "acme_auth-1.0.0-py3-none-any.whl" } },
            Behavior = new IndexBehavior { Username = "alice", Password = Secret },
        };

        private static IndexFixture Public() => new IndexFixture
        {
            Name = "pypi",
            Packages =
            {
                ["acme-auth"] = new List<string> { "acme_auth-50.0.0-py3-none-any.whl" },
                ["requests"] = new List<string> { "requests-2.30.0-py3-none-any.whl", "requests-2.31.0-py3-none-any.whl", "requests-3.0.0b1-py3-none-any.whl" },
                ["prerelease-only"] = new List<string> { "prerelease_only-1.0a1-py3-none-any.whl", "prerelease_only-1.0b2-py3-none-any.whl" },
                ["torch"] = new List<string> { "torch-2.3.0-cp312-cp312-manylinux1_x86_64.whl" },
            },
        };

        [Fact]
        public async Task Credentials_from_env_vars_unlock_an_index_that_answered_401()
        {
            await using var h = await SearchHarness.StartAsync(Guarded(), Public());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal"), h.Index("pypi"));
            var env = SearchHarness.Environment(("UV_INDEX_INTERNAL_USERNAME", "alice"), ("UV_INDEX_INTERNAL_PASSWORD", Secret));

            var result = await h.Search(settings, env).ResolveAsync("acme-auth", CancellationToken.None);

            Assert.True(result.Resolved);
            Assert.Equal("internal", result.Index);
            Assert.Equal("1.0.0", result.Version);
            Assert.Equal("env", result.Attempts[0].CredentialSource);
            // uv sends credentials from the environment (and the URL) on the first request; only netrc waits for a 401.
            Assert.Equal(1, result.Attempts[0].Tries);
            Assert.Equal(0, h.Server.CountRequests("pypi"));
        }

        [Fact]
        public async Task Wrong_credentials_stop_the_search_and_the_hint_says_they_were_rejected()
        {
            await using var h = await SearchHarness.StartAsync(Guarded(), Public());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal"), h.Index("pypi"));
            var env = SearchHarness.Environment(("UV_INDEX_INTERNAL_USERNAME", "alice"), ("UV_INDEX_INTERNAL_PASSWORD", "wrong-" + Secret));

            var result = await h.Search(settings, env).ResolveAsync("acme-auth", CancellationToken.None);

            Assert.Equal(StopReason.AuthenticationFailed, result.StopReason);
            Assert.Contains("env", result.Hint);
            Assert.Contains("rejected", result.Hint);
            Assert.Equal(0, h.Server.CountRequests("pypi"));
        }

        [Fact]
        public async Task A_caller_supplied_credential_is_used_for_its_index()
        {
            await using var h = await SearchHarness.StartAsync(Guarded(), Public());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal"), h.Index("pypi"));
            var credentials = new Dictionary<string, IndexCredential> { ["internal"] = new IndexCredential("alice", Secret) };

            var result = await h.Search(settings, credentials: credentials).ResolveAsync("acme-auth", CancellationToken.None);

            Assert.True(result.Resolved);
            Assert.Equal("parameter", result.Attempts[0].CredentialSource);
        }

        [Fact]
        public async Task No_secret_appears_in_results_json_hints_reasons_or_debug_lines()
        {
            await using var h = await SearchHarness.StartAsync(Guarded(), Public());
            var withUrlCredentials = new IndexDefinition(
                "internal",
                h.Server.IndexUrl("internal").ToString().Replace("://", "://alice:" + Secret + "@"),
                Provenance.FromParameter("-Index"));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, withUrlCredentials, h.Index("pypi"));
            // uv prefers UV_INDEX_<NAME>_* over URL credentials (Index::credentials); both carry the secret here.
            var env = SearchHarness.Environment(("UV_INDEX_INTERNAL_USERNAME", "alice"), ("UV_INDEX_INTERNAL_PASSWORD", Secret));

            var search = h.Search(settings, env);
            var results = new List<PackageResolution>();
            await foreach (var r in search.ResolveManyAsync(new[] { "acme-auth", "requests", "missing" }, CancellationToken.None))
            {
                results.Add(r);
            }

            var everything = JsonSerializer.Serialize(results, VersionAsText.Options) + string.Join("\n", h.DebugLines) + string.Join("\n", h.Listener.Attempts.Select(a => a.ToString() + a.Reason + a.Url));
            Assert.True(results[0].Resolved, results[0].StopReason + ": " + results[0].Hint + " / " + string.Join(" | ", results[0].Attempts.Select(a => a.Reason + " " + a.CredentialSource)));
            Assert.Equal("env", results[0].Attempts[0].CredentialSource);
            Assert.DoesNotContain(Secret, everything);
            Assert.DoesNotContain("alice:", everything);
            Assert.StartsWith("http://127.0.0.1:", results[0].Attempts[0].Url);
            Assert.NotEmpty(h.DebugLines);
        }

        [Fact]
        public async Task An_explicit_index_is_used_only_for_packages_pinned_to_it()
        {
            await using var h = await SearchHarness.StartAsync(
                new IndexFixture { Name = "pytorch", Packages = { ["torch"] = new List<string> { "torch-2.3.0+cpu-cp312-cp312-linux_x86_64.whl" } } },
                Public());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pytorch", configure: d => d with { IsExplicit = true }), h.Index("pypi"));
            settings.PinnedIndexes = new Dictionary<string, string> { ["torch"] = "pytorch" };
            var search = h.Search(settings);

            var torch = await search.ResolveAsync("torch", CancellationToken.None);
            var requests = await search.ResolveAsync("requests", CancellationToken.None);

            Assert.Equal("pytorch", torch.Index);
            Assert.Equal("2.3.0+cpu", torch.Version);
            Assert.Equal(AttemptOutcome.Skipped, torch.Attempts[1].Outcome);
            Assert.Contains("pinned to index 'pytorch'", torch.Attempts[1].Reason);
            Assert.Equal(AttemptOutcome.Skipped, requests.Attempts[0].Outcome);
            Assert.Contains("explicit index", requests.Attempts[0].Reason);
            Assert.Equal("pypi", requests.Index);
            Assert.Equal(0, h.Server.CountRequests("pytorch", "requests"));
            Assert.Equal(0, h.Server.CountRequests("pypi", "torch"));
        }

        [Fact]
        public async Task A_flat_index_has_the_package_when_it_lists_a_file_for_it()
        {
            await using var h = await SearchHarness.StartAsync(
                new IndexFixture { Name = "wheels", Packages = { ["acme-auth"] = new List<string> { "acme_auth-7.0.0-py3-none-any.whl" } } },
                Public());
            var flat = new IndexDefinition("wheels", h.Server.FlatUrl("wheels").ToString(), Provenance.FromParameter("-Index")) { Format = IndexFormat.Flat };
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, flat, h.Index("pypi"));
            var search = h.Search(settings);

            var hit = await search.ResolveAsync("acme-auth", CancellationToken.None);
            var miss = await search.ResolveAsync("requests", CancellationToken.None);

            Assert.Equal("wheels", hit.Index);
            Assert.Equal("7.0.0", hit.Version);
            Assert.Equal(AttemptOutcome.NotFound, miss.Attempts[0].Outcome);
            Assert.Equal("pypi", miss.Index);
        }

        [Fact]
        public async Task Find_links_files_are_merged_with_the_index_results()
        {
            var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "indextools-findlinks-" + Guid.NewGuid().ToString("N"))).FullName;
            try
            {
                File.WriteAllText(Path.Combine(folder, "requests-9.0.0-py3-none-any.whl"), "wheel");
                await using var h = await SearchHarness.StartAsync(Public());
                var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi"));
                settings.FindLinks = new[] { new IndexDefinition(null, folder, Provenance.FromEnvironment("UV_FIND_LINKS")) { Format = IndexFormat.Flat } };

                var result = await h.Search(settings).ResolveAsync("requests", CancellationToken.None);

                Assert.Equal("9.0.0", result.Version);
                Assert.Equal(2, result.Attempts.Length);
                Assert.Equal(AttemptOutcome.Found, result.Attempts[1].Outcome);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [Fact]
        public async Task No_index_queries_nothing()
        {
            await using var h = await SearchHarness.StartAsync(Public());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi"));
            settings.NoIndex = true;

            var result = await h.Search(settings).ResolveAsync("requests", CancellationToken.None);

            Assert.Equal(StopReason.NotFound, result.StopReason);
            Assert.Equal(AttemptOutcome.Skipped, result.Attempts[0].Outcome);
            Assert.Equal(0, h.Server.CountRequests());
        }

        [Theory]
        [InlineData("requests", false, "2.31.0")]
        [InlineData("requests", true, "3.0.0b1")]
        [InlineData("requests>=3.0.0a1", false, "3.0.0b1")]
        [InlineData("requests<2.31", false, "2.30.0")]
        [InlineData("prerelease-only", false, "1.0b2")]
        [InlineData("requests~=2.30", false, "2.31.0")]
        [InlineData("requests==2.30.*", false, "2.30.0")]
        public async Task Versions_are_chosen_as_uv_chooses_them(string requirement, bool allowPreRelease, string expected)
        {
            await using var h = await SearchHarness.StartAsync(Public());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi"));
            var result = await h.Search(settings, options: new SearchOptions { AllowPreRelease = allowPreRelease }).ResolveAsync(requirement, CancellationToken.None);

            Assert.Equal(expected, result.Version);
        }

        [Fact]
        public async Task Yanked_versions_are_skipped_unless_pinned_exactly()
        {
            var index = new IndexFixture { Name = "pypi" };
            index.Packages["acme"] = new List<string> { "acme-1.0.0-py3-none-any.whl", "acme-1.1.0-py3-none-any.whl" };
            index.Files["acme-1.1.0-py3-none-any.whl"] = new PackageFile("acme-1.1.0-py3-none-any.whl") { Yanked = true, YankedReason = "broken build" };
            await using var h = await SearchHarness.StartAsync(index);
            var search = h.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi")));

            Assert.Equal("1.0.0", (await search.ResolveAsync("acme", CancellationToken.None)).Version);
            Assert.Equal("1.1.0", (await search.ResolveAsync("acme==1.1.0", CancellationToken.None)).Version);
            var none = await search.ResolveAsync("acme>1.0", CancellationToken.None);
            Assert.Equal(StopReason.NoMatchingVersion, none.StopReason);
            Assert.Contains("yanked", none.Hint);
        }

        [Fact]
        public async Task Requires_python_filters_files_for_the_given_python()
        {
            var index = new IndexFixture { Name = "pypi" };
            index.Packages["acme"] = new List<string> { "acme-1.0.0-py3-none-any.whl", "acme-2.0.0-py3-none-any.whl" };
            index.Files["acme-2.0.0-py3-none-any.whl"] = new PackageFile("acme-2.0.0-py3-none-any.whl") { RequiresPython = ">=3.12" };
            await using var h = await SearchHarness.StartAsync(index);
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi"));

            var old = await h.Search(settings, options: new SearchOptions { PythonVersion = "3.10" }).ResolveAsync("acme", CancellationToken.None);
            var current = await h.Search(settings, options: new SearchOptions { PythonVersion = "3.12" }).ResolveAsync("acme", CancellationToken.None);

            Assert.Equal("1.0.0", old.Version);
            Assert.Equal("2.0.0", current.Version);
        }

        [Fact]
        public async Task Many_packages_come_back_in_input_order()
        {
            var fast = new IndexFixture { Name = "pypi" };
            for (var i = 0; i < 40; i++)
            {
                fast.Packages["pkg" + i] = new List<string> { "pkg" + i + "-1." + i + ".0-py3-none-any.whl" };
            }

            fast.Behavior.LatencyMs = 5;
            await using var h = await SearchHarness.StartAsync(fast);
            var search = h.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi")), options: new SearchOptions { Concurrency = 8 });
            var names = Enumerable.Range(0, 40).Select(i => "pkg" + (39 - i)).ToList();

            var results = new List<PackageResolution>();
            await foreach (var r in search.ResolveManyAsync(names, CancellationToken.None))
            {
                results.Add(r);
            }

            Assert.Equal(names, results.Select(r => r.Package).ToList());
            Assert.All(results, r => Assert.True(r.Resolved));
            Assert.Equal(40, h.Listener.Progress.Count);
            Assert.Equal(40, h.Listener.Progress.Last().Completed);
        }

        [Fact]
        public async Task Cancellation_stops_an_in_flight_request()
        {
            var slow = Public();
            slow.Behavior.LatencyMs = 30_000;
            await using var h = await SearchHarness.StartAsync(slow);
            var search = h.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi")));
            using var cts = new CancellationTokenSource();

            var task = search.ResolveAsync("requests", cts.Token);
            await Task.Delay(200);
            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
            Assert.True(task.IsCanceled || task.IsFaulted);
        }

        [Fact]
        public async Task A_bad_requirement_is_a_format_error_naming_it()
        {
            await using var h = await SearchHarness.StartAsync(Public());
            var search = h.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi")));

            var error = await Assert.ThrowsAsync<FormatException>(() => search.ResolveAsync("requests>=>2", CancellationToken.None));
            Assert.Contains("requests>=>2", error.Message);
        }
    }

    /// <summary>System.Text.Json writes a PackageVersion as its text (what ConvertTo-Json, Export-Csv and Export-Clixml write).</summary>
    internal sealed class VersionAsText : System.Text.Json.Serialization.JsonConverter<PackageVersion>
    {
        internal static readonly JsonSerializerOptions Options = new JsonSerializerOptions { Converters = { new VersionAsText() } };

        public override PackageVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => PackageVersion.Parse(reader.GetString() ?? "");

        public override void Write(Utf8JsonWriter writer, PackageVersion value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
