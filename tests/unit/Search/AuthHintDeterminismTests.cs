using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.Search
{
    /// <summary>
    /// Issue 17.2: uv's 403 hint says "uv received a successful response from another request to the index" when the index
    /// answered another package. It used to depend on which request happened to finish first; now only the packages before
    /// this one in the input (and its own search) count, so the same inputs give the same hint.
    /// </summary>
    public class AuthHintDeterminismTests
    {
        private const string SuccessWording = "received a successful response from another request";

        private static IndexFixture Corp()
        {
            var corp = new IndexFixture("corp").Add("corp-lib", "corp_lib-1.0.0-py3-none-any.whl").Add("secret", "secret-1.0.0-py3-none-any.whl");
            corp.Behavior.ProjectStatus["secret"] = 403;
            return corp;
        }

        private static async Task<PackageResolution> SecretOf(SearchHarness h, params string[] names)
        {
            var search = h.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("corp"), h.Index("pypi")));
            var all = new List<PackageResolution>();
            await foreach (var resolution in search.ResolveManyAsync(names, CancellationToken.None))
            {
                all.Add(resolution);
            }

            return all.Single(r => r.Package == "secret");
        }

        [Fact]
        public async Task A_package_before_the_403_that_the_index_served_turns_the_hint_to_ignore_error_codes_every_time()
        {
            await using var h = await SearchHarness.StartAsync(Corp(), new IndexFixture("pypi").Add("secret", "secret-9.0.0-py3-none-any.whl"));
            var hints = new List<string>();
            var fixes = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                var secret = await SecretOf(h, "corp-lib", "secret");
                Assert.Equal(StopReason.AuthenticationFailed, secret.StopReason);
                hints.Add(secret.Hint!);
                fixes.Add(secret.Fix!);
            }

            Assert.Single(hints.Distinct());
            Assert.Contains(SuccessWording, hints[0]);
            Assert.Contains("ignore-error-codes = [403]", hints[0]);
            Assert.Single(fixes.Distinct());
            Assert.Contains("Set-IndexIgnoredCodes -Name corp -StatusCode 403", fixes[0]);
        }

        [Fact]
        public async Task A_package_after_the_403_does_not_count_however_fast_it_answers()
        {
            await using var h = await SearchHarness.StartAsync(Corp(), new IndexFixture("pypi").Add("secret", "secret-9.0.0-py3-none-any.whl"));
            var hints = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                // corp-lib's page and secret's 403 race; before the change the hint followed whichever came first.
                var secret = await SecretOf(h, "secret", "corp-lib", "corp-lib[extra]");
                hints.Add(secret.Hint!);
            }

            Assert.Single(hints.Distinct());
            Assert.DoesNotContain(SuccessWording, hints[0]);
            Assert.Contains("returned a 403 Forbidden error. Check that the index URL is correct", hints[0]);
        }

        [Fact]
        public async Task A_single_search_counts_only_its_own_answers()
        {
            await using var h = await SearchHarness.StartAsync(Corp(), new IndexFixture("pypi"));
            var search = h.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("corp"), h.Index("pypi")));
            Assert.True((await search.ResolveAsync("corp-lib", CancellationToken.None)).Resolved);
            var secret = await search.ResolveAsync("secret", CancellationToken.None);
            Assert.DoesNotContain(SuccessWording, secret.Hint);
        }
    }
}
