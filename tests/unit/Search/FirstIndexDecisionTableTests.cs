using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Indexes;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.Search
{
    /// <summary>
    /// Every row of the first-index decision table (shared/spec/search-semantics.md §3, §7a), over real HTTP against
    /// the local index server: the first index answers the row's status, the second (public) index has the package.
    /// </summary>
    public sealed class FirstIndexDecisionTableTests
    {
        private static IndexFixture Public() => new IndexFixture
        {
            Name = "public",
            Packages = { ["acme"] = new List<string> { "acme-1.0.0-py3-none-any.whl", "acme-2.0.0.tar.gz" } },
        };

        private static IndexFixture Internal(int missingStatus, Action<IndexBehavior>? configure = null)
        {
            var fixture = new IndexFixture
            {
                Name = "internal",
                Packages = { ["other"] = new List<string> { "other-1.0-py3-none-any.whl" } },
                Behavior = new IndexBehavior { MissingStatus = missingStatus },
            };
            configure?.Invoke(fixture.Behavior);
            return fixture;
        }

        private static async Task<PackageResolution> RunAsync(SearchHarness harness, IndexStrategy strategy, IReadOnlyList<int>? internalIgnores, string requirement = "acme")
        {
            var settings = SearchHarness.Settings(
                strategy,
                harness.Index("internal", configure: d => d with
                {
                    IgnoreErrorCodes = internalIgnores,
                    IgnoreErrorCodesSource = internalIgnores is null ? null : new Provenance(ProvenanceKind.File, "/test/pyproject.toml", "/test/pyproject.toml", 7),
                }),
                harness.Index("public", configure: d => d with { IsDefault = true }));
            return await harness.Search(settings).ResolveAsync(requirement, CancellationToken.None);
        }

        [Fact]
        public async Task Found_on_the_first_index_stops_there_and_skips_the_rest()
        {
            await using var harness = await SearchHarness.StartAsync(
                new IndexFixture { Name = "internal", Packages = { ["acme"] = new List<string> { "acme-0.5.0-py3-none-any.whl" } } },
                Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null);

            Assert.True(result.Resolved);
            Assert.Equal(StopReason.Found, result.StopReason);
            Assert.Equal("0.5.0", result.Version);
            Assert.Equal("internal", result.Index);
            Assert.Equal(AttemptOutcome.Found, result.Attempts[0].Outcome);
            Assert.Equal(SearchDecision.Stop, result.Attempts[0].Decision);
            Assert.Equal(200, result.Attempts[0].StatusCode);
            Assert.Equal(1, result.Attempts[0].VersionCount);
            Assert.Equal(AttemptOutcome.Skipped, result.Attempts[1].Outcome);
            Assert.Null(result.Attempts[1].StatusCode);
            Assert.Equal(0, harness.Server.CountRequests("public"));
            Assert.Null(result.Hint);
        }

        [Fact]
        public async Task Http404_continues_to_the_next_index()
        {
            await using var harness = await SearchHarness.StartAsync(Internal(404), Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null);

            Assert.True(result.Resolved);
            Assert.Equal("public", result.Index);
            Assert.Equal("2.0.0", result.Version);
            Assert.Equal(AttemptOutcome.NotFound, result.Attempts[0].Outcome);
            Assert.Equal(SearchDecision.Continue, result.Attempts[0].Decision);
            Assert.Equal(404, result.Attempts[0].StatusCode);
            Assert.Equal(AttemptOutcome.Found, result.Attempts[1].Outcome);
        }

        [Fact]
        public async Task Http404_continues_even_when_ignore_error_codes_is_empty()
        {
            await using var harness = await SearchHarness.StartAsync(Internal(404), Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, Array.Empty<int>());

            Assert.True(result.Resolved);
            Assert.Equal(AttemptOutcome.NotFound, result.Attempts[0].Outcome);
        }

        [Theory]
        [InlineData(401)]
        [InlineData(403)]
        public async Task Http401_or_403_not_ignored_stops_the_search(int status)
        {
            await using var harness = await SearchHarness.StartAsync(Internal(status), Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null);

            Assert.False(result.Resolved);
            Assert.Equal(StopReason.AuthenticationFailed, result.StopReason);
            Assert.Equal(AttemptOutcome.AuthFailed, result.Attempts[0].Outcome);
            Assert.Equal(SearchDecision.Stop, result.Attempts[0].Decision);
            Assert.Equal(status, result.Attempts[0].StatusCode);
            Assert.Equal(AttemptOutcome.Skipped, result.Attempts[1].Outcome);
            Assert.Equal(0, harness.Server.CountRequests("public"));
            Assert.NotNull(result.Hint);
            Assert.Contains(status == 401 ? "401 Unauthorized" : "403 Forbidden", result.Hint);
            Assert.Contains("UV_INDEX_INTERNAL_USERNAME", result.Hint);
            Assert.Contains("Set-IndexIgnoredCodes -Name internal -StatusCode " + status, result.Hint);
        }

        [Theory]
        [InlineData(401)]
        [InlineData(403)]
        [InlineData(500)]
        public async Task A_status_in_ignore_error_codes_continues(int status)
        {
            await using var harness = await SearchHarness.StartAsync(Internal(status), Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, new[] { status });

            Assert.True(result.Resolved);
            Assert.Equal("public", result.Index);
            Assert.Equal(AttemptOutcome.Ignored, result.Attempts[0].Outcome);
            Assert.Equal(SearchDecision.Continue, result.Attempts[0].Decision);
            Assert.Contains("/test/pyproject.toml", result.Attempts[0].Reason);
        }

        [Fact]
        public async Task Ignoring_401_does_not_ignore_403()
        {
            await using var harness = await SearchHarness.StartAsync(Internal(403), Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, new[] { 401 });

            Assert.Equal(StopReason.AuthenticationFailed, result.StopReason);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(500)]
        [InlineData(502)]
        public async Task Any_other_error_status_is_an_index_error_not_not_found(int status)
        {
            await using var harness = await SearchHarness.StartAsync(Internal(status), Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null);

            Assert.False(result.Resolved);
            Assert.Equal(StopReason.IndexError, result.StopReason);
            Assert.Equal(AttemptOutcome.Failed, result.Attempts[0].Outcome);
            Assert.Equal(SearchDecision.Stop, result.Attempts[0].Decision);
            Assert.Equal(status, result.Attempts[0].StatusCode);
            Assert.Equal(AttemptOutcome.Skipped, result.Attempts[1].Outcome);
            Assert.Contains("HTTP " + status, result.Hint);
        }

        [Fact]
        public async Task A_5xx_is_retried_three_times_before_it_is_an_index_error()
        {
            await using var harness = await SearchHarness.StartAsync(Internal(503), Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null);

            Assert.Equal(StopReason.IndexError, result.StopReason);
            Assert.Equal(4, result.Attempts[0].Tries);
            Assert.Equal(4, harness.Server.CountRequests("internal", "acme"));
        }

        [Fact]
        public async Task A_5xx_that_clears_after_two_tries_is_found()
        {
            await using var harness = await SearchHarness.StartAsync(
                new IndexFixture
                {
                    Name = "internal",
                    Packages = { ["acme"] = new List<string> { "acme-0.5.0-py3-none-any.whl" } },
                    Behavior = new IndexBehavior { ErrorStatus = 503, FailTimes = 2 },
                },
                Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null);

            Assert.True(result.Resolved);
            Assert.Equal("internal", result.Index);
            Assert.Equal(3, result.Attempts[0].Tries);
        }

        [Theory]
        [InlineData(407)]
        [InlineData(511)]
        public async Task Http407_and_511_end_the_search_with_an_error(int status)
        {
            await using var harness = await SearchHarness.StartAsync(Internal(status), Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null);

            Assert.Equal(StopReason.IndexError, result.StopReason);
            Assert.Equal(AttemptOutcome.AuthFailed, result.Attempts[0].Outcome);
            Assert.Equal(SearchDecision.Stop, result.Attempts[0].Decision);
            Assert.Contains(status.ToString(), result.Hint);
        }

        [Fact]
        public async Task A_network_error_is_an_index_error()
        {
            await using var harness = await SearchHarness.StartAsync(Public());
            var closedPort = TestPorts.ClosedLoopbackUrl();
            var settings = SearchHarness.Settings(
                IndexStrategy.FirstIndex,
                new IndexDefinition("down", closedPort, Provenance.FromParameter("-Index")),
                harness.Index("public"));
            var result = await harness.Search(settings).ResolveAsync("acme", CancellationToken.None);

            Assert.Equal(StopReason.IndexError, result.StopReason);
            Assert.Equal(AttemptOutcome.Failed, result.Attempts[0].Outcome);
            Assert.Null(result.Attempts[0].StatusCode);
            Assert.Equal(AttemptOutcome.Skipped, result.Attempts[1].Outcome);
        }

        [Fact]
        public async Task An_unreadable_page_is_an_index_error()
        {
            await using var harness = await SearchHarness.StartAsync(
                new IndexFixture
                {
                    Name = "internal",
                    Packages = { ["acme"] = new List<string> { "acme-0.5.0-py3-none-any.whl" } },
                    Behavior = new IndexBehavior { Malformed = "truncated-json" },
                },
                Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null);

            Assert.Equal(StopReason.IndexError, result.StopReason);
            Assert.Equal(AttemptOutcome.Failed, result.Attempts[0].Outcome);
            Assert.Equal(200, result.Attempts[0].StatusCode);
        }

        [Fact]
        public async Task A_page_with_no_files_is_found_and_stops_the_search()
        {
            await using var harness = await SearchHarness.StartAsync(
                new IndexFixture { Name = "internal", Packages = { ["acme"] = new List<string>() } },
                Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null);

            Assert.False(result.Resolved);
            Assert.Equal(StopReason.NoMatchingVersion, result.StopReason);
            Assert.Equal(AttemptOutcome.Found, result.Attempts[0].Outcome);
            Assert.Equal(0, result.Attempts[0].VersionCount);
            Assert.Equal(AttemptOutcome.Skipped, result.Attempts[1].Outcome);
        }

        [Fact]
        public async Task Found_without_a_matching_version_gives_uvs_subsequent_index_hint()
        {
            await using var harness = await SearchHarness.StartAsync(
                new IndexFixture { Name = "internal", Packages = { ["acme"] = new List<string> { "acme-0.5.0-py3-none-any.whl" } } },
                Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null, "acme>=2");

            Assert.False(result.Resolved);
            Assert.Equal(StopReason.NoMatchingVersion, result.StopReason);
            Assert.Contains("`acme` was found on " + harness.Server.IndexUrl("internal").ToString().TrimEnd('/'), result.Hint);
            Assert.Contains("but not at the requested version (>=2)", result.Hint);
            Assert.Contains("A compatible version may be available on a subsequent index (e.g., " + harness.Server.IndexUrl("public").ToString().TrimEnd('/'), result.Hint);
            Assert.Contains("unsafe-best-match", result.Hint);
            Assert.Equal(0, harness.Server.CountRequests("public"));
        }

        [Fact]
        public async Task Nothing_anywhere_is_not_found_and_names_every_index_asked()
        {
            await using var harness = await SearchHarness.StartAsync(Internal(404), Public());
            var result = await RunAsync(harness, IndexStrategy.FirstIndex, null, "missing-package");

            Assert.False(result.Resolved);
            Assert.Equal(StopReason.NotFound, result.StopReason);
            Assert.All(result.Attempts, a => Assert.Equal(AttemptOutcome.NotFound, a.Outcome));
            Assert.Contains("internal (404)", result.Hint);
            Assert.Contains("public (404)", result.Hint);
        }

        [Fact]
        public async Task Indexes_are_asked_one_after_another_never_overlapping()
        {
            await using var harness = await SearchHarness.StartAsync(
                Internal(404, b => b.LatencyMs = 60),
                new IndexFixture { Name = "middle", Behavior = new IndexBehavior { LatencyMs = 60 } },
                Public());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, harness.Index("internal"), harness.Index("middle"), harness.Index("public"));
            var result = await harness.Search(settings).ResolveAsync("acme", CancellationToken.None);

            Assert.True(result.Resolved);
            var requests = harness.Server.Requests.Where(r => r.Project == "acme").OrderBy(r => r.StartedAt).ToList();
            Assert.Equal(new[] { "internal", "middle", "public" }, requests.Select(r => r.Index).ToArray());
            for (var i = 1; i < requests.Count; i++)
            {
                Assert.True(requests[i].StartedAt >= requests[i - 1].EndedAt!.Value, "request " + i + " started before the previous index had answered");
            }
        }
    }
}
