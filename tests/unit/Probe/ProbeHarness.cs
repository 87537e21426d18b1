using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Probe;
using IndexTools.IndexServer;

namespace IndexTools.Tests.Probe
{
    /// <summary>Starts the local index server with one index of a profile (plus a "pypi" index, and a "pypi" peer) and probes it.</summary>
    internal static class ProbeHarness
    {
        public const string User = "probe-user";
        public const string Secret = "probe-secret-value-9731";

        public static IndexFixture PrivateIndex(string profile, Action<IndexBehavior>? configure = null)
        {
            var behavior = new IndexBehavior { Profile = profile };
            configure?.Invoke(behavior);
            var index = new IndexFixture("internal") { Behavior = behavior };
            index.Add("acme-utils", "acme_utils-1.0.0-py3-none-any.whl", "acme_utils-1.0.0.tar.gz");
            return index;
        }

        public static IndexFixture PublicIndex(string name = "pypi")
        {
            var index = new IndexFixture(name) { Behavior = new IndexBehavior { Profile = "pypi" } };
            index.Add("pip", "pip-24.0-py3-none-any.whl");
            index.Add("acme-utils", "acme_utils-99.0.0-py3-none-any.whl");
            return index;
        }

        public static Task<IndexServerHost> StartAsync(IndexFixture index, bool peer = false)
        {
            var fixture = new ServerFixture();
            fixture.Indexes.Add(index);
            if (index.Name != "pypi")
            {
                fixture.Indexes.Add(PublicIndex());
            }

            if (peer)
            {
                fixture.PeerIndexes.Add(PublicIndex());
            }

            return IndexServerHost.StartAsync(fixture);
        }

        public static EngineEnvironment Environment()
        {
            var home = Path.Combine(Path.GetTempPath(), "indextools-probe-home-" + Guid.NewGuid().ToString("n"));
            return new EngineEnvironment(new Dictionary<string, string>(), home, home, isWindows: false);
        }

        public static async Task<IndexProbeResult> ProbeAsync(Uri url, string name = "internal", IndexCredential? credential = null, ProbeOptions? options = null, HttpSettings? http = null)
        {
            var index = new IndexDefinition(name, url.AbsoluteUri, Provenance.FromParameter("test"));
            var credentials = new Dictionary<string, IndexCredential>(StringComparer.Ordinal);
            if (credential != null)
            {
                credentials[name] = credential;
            }

            using var prober = new IndexProber(http ?? new HttpSettings { Retries = 0, Timeout = TimeSpan.FromSeconds(10) }, new CredentialProvider(Environment(), credentials));
            return await prober.ProbeAsync(index, options ?? new ProbeOptions { MissingName = "indextools-probe-test" }, CancellationToken.None);
        }
    }
}
