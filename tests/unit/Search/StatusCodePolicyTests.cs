using System;
using System.Linq;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using Xunit;

namespace IndexTools.Tests.Search
{
    /// <summary>The policy itself, row by row (the HTTP-level rows are in FirstIndexDecisionTableTests).</summary>
    public sealed class StatusCodePolicyTests
    {
        private static IndexDefinition Index(string url, int[]? ignore = null, string? name = "idx")
        {
            return new IndexDefinition(name, url, Provenance.FromParameter("-Index"))
            {
                IgnoreErrorCodes = ignore,
                IgnoreErrorCodesSource = ignore is null ? null : new Provenance(ProvenanceKind.File, "/p/pyproject.toml", "/p/pyproject.toml", 3),
            };
        }

        private static IndexStatusCodeDecision Decide(IndexDefinition index, int status, IndexStrategy strategy = IndexStrategy.FirstIndex)
            => StatusCodePolicy.For(index, new[] { index }, strategy).Decide(status);

        [Theory]
        [InlineData("https://download.pytorch.org/whl/cpu")]
        [InlineData("https://DOWNLOAD.PyTorch.org/whl/cu121")]
        public void PyTorch_ignores_403_by_inference(string url)
        {
            var policy = StatusCodePolicy.For(Index(url), new[] { Index(url) }, IndexStrategy.FirstIndex);

            Assert.Equal(new[] { 403 }, policy.IgnoredStatusCodes.ToArray());
            Assert.Equal("inferred: download.pytorch.org", policy.Source);
            Assert.Equal(AttemptOutcome.Ignored, policy.Decide(403).Outcome);
            Assert.Equal(AttemptOutcome.AuthFailed, policy.Decide(401).Outcome);
        }

        [Fact]
        public void An_explicit_empty_list_overrides_the_pytorch_inference()
        {
            var index = Index("https://download.pytorch.org/whl/cpu", Array.Empty<int>());
            var decision = Decide(index, 403);

            Assert.Equal(AttemptOutcome.AuthFailed, decision.Outcome);
            Assert.Equal(SearchDecision.Stop, decision.Decision);
            Assert.Equal(StopReason.AuthenticationFailed, decision.StopReason);
        }

        [Fact]
        public void A_list_replaces_the_inferred_set()
        {
            var index = Index("https://download.pytorch.org/whl/cpu", new[] { 401 });

            Assert.Equal(AttemptOutcome.Ignored, Decide(index, 401).Outcome);
            Assert.Equal(AttemptOutcome.AuthFailed, Decide(index, 403).Outcome);
        }

        [Fact]
        public void A_lookalike_host_gets_no_inference()
        {
            Assert.Equal(AttemptOutcome.AuthFailed, Decide(Index("https://download.pytorch.org.evil.example/whl"), 403).Outcome);
            Assert.Equal(AttemptOutcome.AuthFailed, Decide(Index("https://pytorch-extension.intel.com/whl"), 403).Outcome);
        }

        [Theory]
        [InlineData(404, AttemptOutcome.NotFound, SearchDecision.Continue, null)]
        [InlineData(401, AttemptOutcome.AuthFailed, SearchDecision.Stop, StopReason.AuthenticationFailed)]
        [InlineData(403, AttemptOutcome.AuthFailed, SearchDecision.Stop, StopReason.AuthenticationFailed)]
        [InlineData(407, AttemptOutcome.AuthFailed, SearchDecision.Stop, StopReason.IndexError)]
        [InlineData(511, AttemptOutcome.AuthFailed, SearchDecision.Stop, StopReason.IndexError)]
        [InlineData(400, AttemptOutcome.Failed, SearchDecision.Stop, StopReason.IndexError)]
        [InlineData(429, AttemptOutcome.Failed, SearchDecision.Stop, StopReason.IndexError)]
        [InlineData(500, AttemptOutcome.Failed, SearchDecision.Stop, StopReason.IndexError)]
        [InlineData(503, AttemptOutcome.Failed, SearchDecision.Stop, StopReason.IndexError)]
        public void First_index_default_policy(int status, AttemptOutcome outcome, SearchDecision decision, StopReason? stop)
        {
            var result = Decide(Index("https://example.test/simple"), status);

            Assert.Equal(outcome, result.Outcome);
            Assert.Equal(decision, result.Decision);
            Assert.Equal(stop, result.StopReason);
        }

        [Theory]
        [InlineData(401, AttemptOutcome.Ignored)]
        [InlineData(403, AttemptOutcome.Ignored)]
        [InlineData(407, AttemptOutcome.Ignored)]
        [InlineData(511, AttemptOutcome.Ignored)]
        [InlineData(404, AttemptOutcome.NotFound)]
        [InlineData(500, AttemptOutcome.Failed)]
        [InlineData(429, AttemptOutcome.Failed)]
        public void Unsafe_strategies_ignore_exactly_the_authentication_codes(int status, AttemptOutcome outcome)
        {
            // The index's own list (here: 500) is not consulted under the unsafe strategies.
            var index = Index("https://example.test/simple", new[] { 500 });
            Assert.Equal(outcome, Decide(index, status, IndexStrategy.UnsafeBestMatch).Outcome);
            Assert.Equal(outcome, Decide(index, status, IndexStrategy.UnsafeFirstMatch).Outcome);
        }

        [Fact]
        public void The_ignore_set_comes_from_the_first_index_with_the_same_url()
        {
            // uv #13248: an index given by UV_INDEX carries no ignore-error-codes; the first definition of a URL wins.
            var fromEnv = Index("https://pkgs.example.test/simple/", null, null);
            var fromFile = Index("https://pkgs.example.test/simple", new[] { 401 }, "internal");
            var all = new[] { fromEnv, fromFile };

            Assert.Equal(AttemptOutcome.AuthFailed, StatusCodePolicy.For(fromFile, all, IndexStrategy.FirstIndex).Decide(401).Outcome);
            Assert.Equal(AttemptOutcome.Ignored, StatusCodePolicy.For(fromFile, new[] { fromFile, fromEnv }, IndexStrategy.FirstIndex).Decide(401).Outcome);
        }

        [Fact]
        public void Describe_lists_every_index_with_its_policy_and_provenance()
        {
            var settings = new IndexSettings(
                new[]
                {
                    Index("https://user:pw@pkgs.example.test/simple", new[] { 401 }, "internal"),
                    Index("https://download.pytorch.org/whl/cpu", null, "pytorch"),
                    new IndexDefinition(null, "https://pypi.org/simple", Provenance.Default) { IsDefault = true },
                },
                IndexStrategy.FirstIndex,
                Provenance.FromEnvironment("UV_INDEX_STRATEGY"));

            var policies = IndexPolicies.Describe(settings);

            Assert.Equal(new[] { 1, 2, 3 }, policies.Select(p => p.Order).ToArray());
            Assert.Equal("https://****@pkgs.example.test/simple", policies[0].Url);
            Assert.Equal(new[] { 401 }, policies[0].IgnoredStatusCodes);
            Assert.Equal("/p/pyproject.toml", policies[0].PolicySource);
            Assert.Equal(new[] { 403, 407, 511 }, policies[0].StopsOn);
            Assert.Equal(new[] { 403 }, policies[1].IgnoredStatusCodes);
            Assert.Equal("inferred: download.pytorch.org", policies[1].PolicySource);
            Assert.Equal(new[] { 401, 407, 511 }, policies[1].StopsOn);
            Assert.True(policies[2].Default);
            Assert.Equal("default", policies[2].PolicySource);
            Assert.Equal("env: UV_INDEX_STRATEGY", policies[2].StrategySource);
            Assert.All(policies, p => Assert.DoesNotContain("pw", p.Url));
        }

        [Theory]
        [InlineData("internal", "UV_INDEX_INTERNAL_")]
        [InlineData("my-index", "UV_INDEX_MY_INDEX_")]
        [InlineData("corp.pkgs_2", "UV_INDEX_CORP_PKGS_2_")]
        public void Environment_variable_prefix_follows_uvs_normalization(string name, string prefix)
        {
            Assert.Equal(prefix, Hints.EnvironmentPrefix(name));
        }
    }
}
