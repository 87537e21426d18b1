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
    /// <summary>unsafe-first-match and unsafe-best-match against first-index, over real HTTP.</summary>
    public sealed class StrategyTests
    {
        // The dependency-confusion shape: the internal index holds acme-utils 1.x, the public one a look-alike 99.0.0.
        private static IndexFixture[] ConfusionIndexes(int internalMissing = 404) => new[]
        {
            new IndexFixture
            {
                Name = "internal",
                Packages = { ["acme-utils"] = new List<string> { "acme_utils-1.2.0-py3-none-any.whl", "acme_utils-1.3.0-py3-none-any.whl" } },
                Behavior = new IndexBehavior { MissingStatus = internalMissing },
            },
            new IndexFixture
            {
                Name = "mirror",
                Packages = { ["acme-utils"] = new List<string> { "acme_utils-1.3.0-py3-none-any.whl" } },
            },
            new IndexFixture
            {
                Name = "pypi",
                Packages = { ["acme-utils"] = new List<string> { "acme_utils-99.0.0-py3-none-any.whl" }, ["requests"] = new List<string> { "requests-2.31.0-py3-none-any.whl" } },
            },
        };

        private static IndexSettings Settings(SearchHarness h, IndexStrategy strategy, IReadOnlyList<int>? internalIgnores = null)
        {
            return SearchHarness.Settings(
                strategy,
                h.Index("internal", configure: d => d with { IgnoreErrorCodes = internalIgnores }),
                h.Index("mirror"),
                h.Index("pypi", configure: d => d with { IsDefault = true }));
        }

        [Theory]
        [InlineData(IndexStrategy.FirstIndex, "internal", "1.3.0")]
        [InlineData(IndexStrategy.UnsafeFirstMatch, "internal", "1.3.0")]
        [InlineData(IndexStrategy.UnsafeBestMatch, "pypi", "99.0.0")]
        public async Task Each_strategy_picks_the_index_uv_picks(IndexStrategy strategy, string index, string version)
        {
            await using var h = await SearchHarness.StartAsync(ConfusionIndexes());
            var result = await h.Search(Settings(h, strategy)).ResolveAsync("acme-utils", CancellationToken.None);

            Assert.True(result.Resolved);
            Assert.Equal(strategy, result.Strategy);
            Assert.Equal(index, result.Index);
            Assert.Equal(version, result.Version);
            Assert.Equal(3, result.Attempts.Length);
            if (strategy == IndexStrategy.FirstIndex)
            {
                Assert.Equal(AttemptOutcome.Skipped, result.Attempts[2].Outcome);
                Assert.Equal(0, h.Server.CountRequests("pypi"));
            }
            else
            {
                Assert.All(result.Attempts, a => Assert.Equal(AttemptOutcome.Found, a.Outcome));
                Assert.All(result.Attempts, a => Assert.Equal(SearchDecision.Continue, a.Decision));
                Assert.Equal(1, h.Server.CountRequests("pypi", "acme-utils"));
            }
        }

        [Fact]
        public async Task Unsafe_first_match_moves_on_when_the_first_index_has_no_compatible_version()
        {
            await using var h = await SearchHarness.StartAsync(ConfusionIndexes());
            var result = await h.Search(Settings(h, IndexStrategy.UnsafeFirstMatch)).ResolveAsync("acme-utils>=2", CancellationToken.None);

            Assert.True(result.Resolved);
            Assert.Equal("pypi", result.Index);
            Assert.Equal("99.0.0", result.Version);
        }

        [Fact]
        public async Task Unsafe_best_match_takes_a_version_on_several_indexes_from_the_earliest()
        {
            await using var h = await SearchHarness.StartAsync(ConfusionIndexes());
            var result = await h.Search(Settings(h, IndexStrategy.UnsafeBestMatch)).ResolveAsync("acme-utils<2", CancellationToken.None);

            Assert.Equal("1.3.0", result.Version);
            Assert.Equal("internal", result.Index);
        }

        [Theory]
        [InlineData(401)]
        [InlineData(403)]
        [InlineData(407)]
        [InlineData(511)]
        public async Task Unsafe_strategies_ignore_authentication_failures_on_every_index(int status)
        {
            await using var h = await SearchHarness.StartAsync(ConfusionIndexes(status));
            // An explicit empty ignore list on the index is not consulted under the unsafe strategies.
            var result = await h.Search(Settings(h, IndexStrategy.UnsafeBestMatch, Array.Empty<int>())).ResolveAsync("requests", CancellationToken.None);

            Assert.True(result.Resolved);
            Assert.Equal("pypi", result.Index);
            Assert.Equal(AttemptOutcome.Ignored, result.Attempts[0].Outcome);
            Assert.Equal(SearchDecision.Continue, result.Attempts[0].Decision);
            Assert.Equal(status, result.Attempts[0].StatusCode);
        }

        [Theory]
        [InlineData(IndexStrategy.UnsafeFirstMatch)]
        [InlineData(IndexStrategy.UnsafeBestMatch)]
        public async Task Under_unsafe_strategies_any_other_failure_fails_the_whole_search(IndexStrategy strategy)
        {
            await using var h = await SearchHarness.StartAsync(ConfusionIndexes(500));
            var result = await h.Search(Settings(h, strategy)).ResolveAsync("requests", CancellationToken.None);

            Assert.False(result.Resolved);
            Assert.Equal(StopReason.IndexError, result.StopReason);
            Assert.Equal(AttemptOutcome.Failed, result.Attempts[0].Outcome);
            Assert.Equal(AttemptOutcome.Found, result.Attempts[2].Outcome);
        }

        [Fact]
        public async Task Unsafe_strategies_ask_indexes_concurrently()
        {
            var fixtures = ConfusionIndexes();
            foreach (var f in fixtures)
            {
                f.Behavior.LatencyMs = 150;
            }

            await using var h = await SearchHarness.StartAsync(fixtures);
            var result = await h.Search(Settings(h, IndexStrategy.UnsafeBestMatch)).ResolveAsync("acme-utils", CancellationToken.None);

            Assert.True(result.Resolved);
            var requests = h.Server.Requests.Where(r => r.Project == "acme-utils").ToList();
            Assert.Equal(3, requests.Count);
            // Every request started before any of them had been answered: they overlapped.
            var firstEnd = requests.Min(r => r.EndedAt!.Value);
            Assert.All(requests, r => Assert.True(r.StartedAt < firstEnd, "a request to " + r.Index + " waited for another index's answer"));
        }

        [Fact]
        public async Task First_index_does_not_ask_a_later_index_about_an_internal_name()
        {
            await using var h = await SearchHarness.StartAsync(ConfusionIndexes());
            await h.Search(Settings(h, IndexStrategy.FirstIndex)).ResolveAsync("acme-utils", CancellationToken.None);

            Assert.Equal(0, h.Server.CountRequests("mirror"));
            Assert.Equal(0, h.Server.CountRequests("pypi"));
        }
    }
}
