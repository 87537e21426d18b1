using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.IndexServer;
using IndexTools.Tests.Search;
using Xunit;

namespace IndexTools.Tests.Indexes
{
    /// <summary>
    /// Over loopback HTTP: an index written in different ways (credentials, case of scheme and host, trailing slash) is one
    /// index for the policy lookup, Get-IndexStrategy, the search and -Credential; the policy the search decides with is the
    /// one object the index list resolved, and its reason is the decision's.
    /// </summary>
    public sealed class IndexIdentityTests
    {
        private static IndexFixture Internal() => new IndexFixture
        {
            Name = "internal",
            Packages = { ["other"] = new List<string> { "other-1.0-py3-none-any.whl" } },
            Behavior = new IndexBehavior { MissingStatus = 403 },
        };

        private static IndexFixture Public() => new IndexFixture
        {
            Name = "public",
            Packages = { ["acme"] = new List<string> { "acme-1.0.0-py3-none-any.whl" } },
        };

        /// <summary>http://someone:pw@127.0.0.1:port/internal/simple (no trailing slash), scheme and host upper-cased.</summary>
        private static string Respelled(SearchHarness harness, string fixture)
        {
            var url = harness.Server.IndexUrl(fixture).ToString().TrimEnd('/');
            return "HTTP://someone:n0t-a-real-pw-9@" + url.Substring("http://".Length).ToUpperInvariant().Replace("/" + fixture.ToUpperInvariant() + "/SIMPLE", "/" + fixture + "/simple");
        }

        [Fact]
        public async Task The_first_definition_of_an_index_governs_it_however_its_url_is_written()
        {
            await using var harness = await SearchHarness.StartAsync(Internal(), Public());
            var searched = harness.Index("internal");
            var governing = new IndexDefinition("corp", Respelled(harness, "internal"), new Provenance(ProvenanceKind.File, "/user/uv.toml", "/user/uv.toml", 4))
            {
                IgnoreErrorCodes = new[] { 403 },
                IgnoreErrorCodesSource = new Provenance(ProvenanceKind.File, "/user/uv.toml", "/user/uv.toml", 6),
            };
            var pypi = new IndexDefinition("public", harness.Server.IndexUrl("public").ToString(), Provenance.Default) { IsDefault = true };
            var settings = new IndexSettings(new[] { searched, pypi }, IndexStrategy.FirstIndex, Provenance.Default)
            {
                Definitions = new[] { governing, searched, pypi },
            };

            Assert.Equal(governing.IndexUrl, searched.IndexUrl);
            var policy = settings.PolicyOf(searched);
            Assert.Same(policy, settings.PolicyOf(searched));
            Assert.Same(governing, policy.Governing);
            Assert.Equal(PolicyBasis.Configured, policy.Basis);

            // Get-IndexStrategy shows that policy.
            var shown = IndexPolicies.Describe(settings);
            Assert.Equal(new[] { 403 }, shown[0].IgnoredStatusCodes);
            Assert.Equal("/user/uv.toml", shown[0].PolicySource);
            Assert.Equal(policy.Source, shown[0].PolicySource);
            Assert.Single(shown[0].OtherDefinitions);

            // The search decides with it: internal's 403 is ignored, public has the package.
            var result = await harness.Search(settings).ResolveAsync("acme", CancellationToken.None);
            Assert.True(result.Resolved);
            Assert.Equal("public", result.Index);
            Assert.Equal(403, result.Attempts[0].StatusCode);
            Assert.Equal(AttemptOutcome.Ignored, result.Attempts[0].Outcome);
            Assert.Equal(policy.Decide(403).Reason, result.Attempts[0].Reason);
            Assert.Contains("(/user/uv.toml)", result.Attempts[0].Reason);
            Assert.DoesNotContain("n0t-a-real-pw-9", string.Join(" ", shown.Select(p => p.Url)) + result.Attempts[0].Reason + policy.Source);
        }

        [Fact]
        public async Task Without_the_governing_definition_the_same_403_stops_first_index()
        {
            await using var harness = await SearchHarness.StartAsync(Internal(), Public());
            var searched = harness.Index("internal");
            var pypi = new IndexDefinition("public", harness.Server.IndexUrl("public").ToString(), Provenance.Default) { IsDefault = true };
            var settings = new IndexSettings(new[] { searched, pypi }, IndexStrategy.FirstIndex, Provenance.Default);

            var result = await harness.Search(settings).ResolveAsync("acme", CancellationToken.None);
            var decision = settings.PolicyOf(searched).Decide(403);
            Assert.False(result.Resolved);
            Assert.Equal(StopReason.AuthenticationFailed, result.StopReason);
            Assert.False(decision.Ignore);
            Assert.Equal(StatusCodeRule.AuthenticationStop, decision.Rule);
            Assert.Equal(decision.Reason, result.Attempts[0].Reason);
            Assert.Equal(decision.Outcome, result.Attempts[0].Outcome);
            Assert.Equal(decision.Decision, result.Attempts[0].Decision);
            Assert.Equal("default", IndexPolicies.Describe(settings)[0].PolicySource);
        }

        [Fact]
        public async Task A_credential_given_for_a_differently_written_url_is_sent_to_the_index()
        {
            var fixture = new IndexFixture
            {
                Name = "private",
                Packages = { ["acme"] = new List<string> { "acme-1.0.0-py3-none-any.whl" } },
                Behavior = new IndexBehavior { Username = "alice", Password = "s3cret-identity-test" },
            };
            await using var harness = await SearchHarness.StartAsync(fixture);
            var index = new IndexDefinition(null, harness.Server.IndexUrl("private").ToString(), Provenance.Default) { IsDefault = true };
            var key = harness.Server.IndexUrl("private").ToString().TrimEnd('/').Replace("http://127.0.0.1", "HTTP://127.0.0.1");
            var credentials = new Dictionary<string, IndexCredential> { [key] = new IndexCredential("alice", "s3cret-identity-test") };

            var result = await harness.Search(SearchHarness.Settings(IndexStrategy.FirstIndex, index), credentials: credentials).ResolveAsync("acme", CancellationToken.None);

            Assert.True(result.Resolved);
            Assert.Equal(200, result.Attempts[0].StatusCode);
        }
    }
}
