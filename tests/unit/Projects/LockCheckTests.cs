using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Projects;
using IndexTools.IndexServer;
using IndexTools.Tests.Search;
using Xunit;

namespace IndexTools.Tests.Projects
{
    /// <summary>The real search over loopback HTTP against the local index server, compared with a lock.</summary>
    public sealed class LockCheckTests
    {
        private static async Task<SearchHarness> StartAsync()
        {
            var internalIndex = new IndexFixture("internal")
                .Add("acme-utils", "acme_utils-1.4.1-py3-none-any.whl")
                .Add("acme-auth", "acme_auth-1.0.0-py3-none-any.whl");
            var locked = new IndexFixture("locked");
            locked.Behavior.Username = "u";
            locked.Behavior.Password = "p";
            var pypi = new IndexFixture("pypi")
                .Add("acme-utils", "acme_utils-99.0.0-py3-none-any.whl")
                .Add("requests", new PackageFile("requests-2.32.0-py3-none-any.whl") { Yanked = true }, new PackageFile("requests-2.32.3-py3-none-any.whl"))
                .Add("numpy", "numpy-2.0.0-py3-none-any.whl");
            return await SearchHarness.StartAsync(internalIndex, locked, pypi);
        }

        private static string LockText(SearchHarness h, params (string Name, string Version, string Registry)[] packages)
        {
            var text = "version = 1\n";
            foreach (var (name, version, registry) in packages)
            {
                text += "\n[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\nsource = { registry = \"" + registry + "\" }\n";
            }

            return text + "\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { virtual = \".\" }\n";
        }

        private static async Task<List<LockLikeResult>> CheckAsync(SearchHarness h, string lockPath, IndexStrategy strategy)
        {
            var settings = SearchHarness.Settings(strategy, h.Index("internal"), h.Index("locked"), h.Index("pypi"));
            var client = new IndexTools.Engine.Http.SimpleApiClient(SearchHarness.FastHttp(), new IndexTools.Engine.Credentials.CredentialProvider(SearchHarness.Environment()));
            var check = new LockCheck(settings, client);
            var result = new List<LockLikeResult>();
            await foreach (var drift in check.CheckAsync(lockPath, UvLockReader.Read(lockPath), CancellationToken.None))
            {
                result.Add(new LockLikeResult(drift));
            }

            return result;
        }

        [Fact]
        public async Task EachRegistryPackageGetsItsVerdict()
        {
            await using var h = await StartAsync();
            using var files = new ProjectFiles();
            var internalUrl = h.Server.IndexUrl("internal").ToString();
            var pypiUrl = h.Server.IndexUrl("pypi").ToString();
            var path = files.Write("uv.lock", LockText(
                h,
                ("acme-utils", "1.4.1", internalUrl.TrimEnd('/').Replace("http://", "http://someone:pw@")),
                ("requests", "2.32.3", pypiUrl.TrimEnd('/')),
                ("numpy", "2.0.0", internalUrl),
                ("gone", "1.0", pypiUrl),
                ("requests", "2.32.0", pypiUrl),
                ("numpy", "9.9.9", pypiUrl)));

            var results = await CheckAsync(h, path, IndexStrategy.FirstIndex);
            Assert.Equal(
                new[]
                {
                    ("acme-utils", LockDriftReason.Unchanged, "internal"),
                    // internal answers 404, then 'locked' answers 401 without credentials: first-index stops there.
                    ("requests", LockDriftReason.AuthenticationFailed, "locked"),
                    ("numpy", LockDriftReason.AuthenticationFailed, "locked"),
                    ("gone", LockDriftReason.AuthenticationFailed, "locked"),
                    ("requests", LockDriftReason.AuthenticationFailed, "locked"),
                    ("numpy", LockDriftReason.AuthenticationFailed, "locked"),
                },
                results.Select(r => (r.Package, r.Reason, r.Index ?? "")));
            Assert.DoesNotContain(results, r => r.LockedRegistry.Contains("pw"));
        }

        [Fact]
        public async Task DifferentIndexMissingAndYankedVersions_WithAuthenticationAnswered()
        {
            await using var h = await StartAsync();
            using var files = new ProjectFiles();
            var internalUrl = h.Server.IndexUrl("internal").ToString();
            var pypiUrl = h.Server.IndexUrl("pypi").ToString();
            var path = files.Write("uv.lock", LockText(
                h,
                ("acme-utils", "99.0.0", pypiUrl),
                ("requests", "2.32.0", pypiUrl + "/"),
                ("numpy", "9.9.9", pypiUrl),
                ("gone", "1.0", pypiUrl),
                ("numpy", "2.0.0", internalUrl)));

            // Without the locked index (which needs credentials) in the way: internal, then pypi.
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal"), h.Index("pypi"));
            var client = new IndexTools.Engine.Http.SimpleApiClient(SearchHarness.FastHttp(), new IndexTools.Engine.Credentials.CredentialProvider(SearchHarness.Environment()));
            var drifts = new List<LockDrift>();
            await foreach (var drift in new LockCheck(settings, client).CheckAsync(path, UvLockReader.Read(path), CancellationToken.None))
            {
                drifts.Add(drift);
            }

            Assert.Equal(
                new[] { LockDriftReason.DifferentIndex, LockDriftReason.VersionYanked, LockDriftReason.VersionMissing, LockDriftReason.NotFound, LockDriftReason.DifferentIndex },
                drifts.Select(d => d.Reason));
            Assert.Equal("internal", drifts[0].Index);
            Assert.Contains("now chooses 'internal'", drifts[0].Message);
            Assert.Equal("pypi", drifts[4].Index);
            Assert.All(drifts, d => Assert.True(d.Drifted));
            Assert.Equal(3, drifts[0].Line);
            Assert.NotNull(drifts[0].Resolution);
            Assert.Equal("acme-utils==99.0.0", drifts[0].Resolution!.Requirement);

            // The report entries: DifferentIndex and NotFound are errors, yanked and missing versions warnings.
            var severities = drifts.Select(d => ((IReportable)d).GetReportEntries().Single().Severity).ToArray();
            Assert.Equal(new[] { ReportSeverity.Error, ReportSeverity.Warning, ReportSeverity.Warning, ReportSeverity.Error, ReportSeverity.Error }, severities);
        }

        [Fact]
        public async Task UnsafeBestMatchPicksTheIndexThatHasTheLockedVersion()
        {
            await using var h = await StartAsync();
            using var files = new ProjectFiles();
            var path = files.Write("uv.lock", LockText(h, ("acme-utils", "99.0.0", h.Server.IndexUrl("pypi").ToString())));
            var settings = SearchHarness.Settings(IndexStrategy.UnsafeBestMatch, h.Index("internal"), h.Index("pypi"));
            var client = new IndexTools.Engine.Http.SimpleApiClient(SearchHarness.FastHttp(), new IndexTools.Engine.Credentials.CredentialProvider(SearchHarness.Environment()));
            var drifts = new List<LockDrift>();
            await foreach (var drift in new LockCheck(settings, client).CheckAsync(path, UvLockReader.Read(path), CancellationToken.None))
            {
                drifts.Add(drift);
            }

            var only = Assert.Single(drifts);
            Assert.Equal(LockDriftReason.Unchanged, only.Reason);
            Assert.Equal(IndexStrategy.UnsafeBestMatch, only.Strategy);
        }

        private readonly record struct LockLikeResult(string Package, LockDriftReason Reason, string? Index, string LockedRegistry)
        {
            public LockLikeResult(LockDrift drift)
                : this(drift.Package, drift.Reason, drift.Index, drift.LockedRegistry)
            {
            }
        }
    }
}
