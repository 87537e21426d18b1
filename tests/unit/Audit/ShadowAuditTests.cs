using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Audit;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Versions;
using IndexTools.IndexServer;
using IndexTools.Tests.Search;
using Xunit;

namespace IndexTools.Tests.Audit
{
    /// <summary>ShadowAudit over real HTTP against the local index server: every index asked once, the picks replayed, the risk judged.</summary>
    public class ShadowAuditTests
    {
        private static async Task<List<ShadowedPackage>> AuditAsync(SearchHarness harness, IndexSettings settings, ShadowAuditOptions options, params string[] names)
        {
            using var client = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(SearchHarness.Environment(), null));
            var audit = new ShadowAudit(settings, client, options);
            var results = new List<ShadowedPackage>();
            await foreach (var item in audit.AuditManyAsync(names.Select(Requirement.Parse), CancellationToken.None))
            {
                results.Add(item);
            }

            return results;
        }

        [Fact]
        public async Task AsksEveryIndexOncePerPackageEvenUnderFirstIndexAndKeepsInputOrder()
        {
            await using var harness = await SearchHarness.StartAsync(
                new IndexFixture("internal").Add("acme", "acme-1.0.0-py3-none-any.whl"),
                new IndexFixture("public").Add("acme", "acme-2.0.0-py3-none-any.whl").Add("other", "other-1.0-py3-none-any.whl"));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, harness.Index("internal"), harness.Index("public"));
            var results = await AuditAsync(harness, settings, new ShadowAuditOptions { PublicIndexes = new[] { "public" } }, "other", "acme");

            Assert.Equal(new[] { "other", "acme" }, results.Select(r => r.Package));
            Assert.Equal(1, harness.Server.CountRequests("internal", "acme"));
            Assert.Equal(1, harness.Server.CountRequests("public", "acme"));
            Assert.Equal(1, harness.Server.CountRequests("internal", "other"));

            var acme = results[1];
            Assert.Equal(2, acme.FoundOn);
            Assert.Equal(ShadowRisk.High, acme.Risk);
            Assert.Contains(acme.Reasons, r => r.Kind == ShadowReasonKind.PublicVersionHigher);
            Assert.Contains(acme.Reasons, r => r.Kind == ShadowReasonKind.NotPinned);
            Assert.DoesNotContain(acme.Reasons, r => r.Kind == ShadowReasonKind.UnsafeStrategy);
            Assert.Equal(("internal", "1.0.0"), (acme.Picks[0].Index, acme.Picks[0].Version));
            Assert.Equal(("public", "2.0.0"), (acme.Picks[2].Index, acme.Picks[2].Version));
            Assert.Equal(("public", "2.0.0"), (acme.Picks[3].Index, acme.Picks[3].Version));

            Assert.Equal(1, results[0].FoundOn);
            Assert.Equal(ShadowRisk.None, results[0].Risk);
            Assert.Empty(results[0].Reasons);
        }

        [Fact]
        public async Task APinnedInternalPackageWithALowerPublicNamesakeIsLowRiskWithoutNotPinned()
        {
            await using var harness = await SearchHarness.StartAsync(
                new IndexFixture("internal").Add("acme", "acme-3.0.0-py3-none-any.whl"),
                new IndexFixture("public").Add("acme", "acme-2.0.0-py3-none-any.whl"));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, harness.Index("internal"), harness.Index("public"));
            settings.PinnedIndexes = new Dictionary<string, string> { ["acme"] = "internal" };
            var acme = (await AuditAsync(harness, settings, new ShadowAuditOptions { PublicIndexes = new[] { "public" } }, "acme")).Single();

            Assert.Equal(ShadowRisk.Low, acme.Risk);
            Assert.Empty(acme.Reasons);
            Assert.Equal("internal", acme.PinnedTo);
        }

        [Fact]
        public async Task AnIndexThatRefusesIsReportedWithItsStatusAndTheAuditGoesOn()
        {
            await using var harness = await SearchHarness.StartAsync(
                new IndexFixture { Name = "locked", Behavior = new IndexBehavior { Username = "u", Password = "p" } }.Add("acme", "acme-1.0.0-py3-none-any.whl"),
                new IndexFixture("public").Add("acme", "acme-2.0.0-py3-none-any.whl"));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, harness.Index("locked"), harness.Index("public"));
            var acme = (await AuditAsync(harness, settings, new ShadowAuditOptions(), "acme")).Single();

            Assert.Equal(401, acme.Indexes[0].StatusCode);
            Assert.False(acme.Indexes[0].Found);
            Assert.Equal("HTTP 401", acme.Indexes[0].Problem);
            Assert.Equal(1, acme.FoundOn);
            Assert.Equal(nameof(StopReason.AuthenticationFailed), acme.Picks[0].StopReason);
            Assert.Equal(("public", "2.0.0"), (acme.Picks[3].Index, acme.Picks[3].Version));
        }
    }
}
