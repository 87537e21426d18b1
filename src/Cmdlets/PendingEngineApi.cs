// =====================================================================================================================
// TEMPORARY SHIM — DELETE AT MERGE.
// Stand-ins for engine APIs that other branches are writing (they are not in the `module` branch yet):
//   IndexTools.Engine.Search.IndexPolicies.Describe(IndexSettings)        — the lead's
//   IndexTools.Engine.Http.HttpSettings.FromEnvironment(EngineEnvironment) — the HTTP helper's (called here via PendingHttp)
//   IndexTools.Engine.Http.CredentialProvider, IndexTools.Engine.Http.SimpleApiClient — the HTTP helper's
// They are declared in the engine's namespaces on purpose: once this file is deleted the call sites bind to the real
// types without edits (except PendingHttp.FromEnvironment → HttpSettings.FromEnvironment, ProxyCredential). If the
// file is kept by mistake, the duplicate type names fail the build (CS0436 with warnings as errors).
// =====================================================================================================================
using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.Engine.Search
{
    /// <summary>TEMPORARY (merge: the lead's IndexPolicies). IndexSettings → one IndexPolicy per index, in search order.</summary>
    internal static class IndexPolicies
    {
        public static IReadOnlyList<IndexPolicy> Describe(IndexSettings settings)
        {
            var result = new List<IndexPolicy>(settings.Indexes.Count);
            var order = 0;
            foreach (var index in settings.Indexes)
            {
                order++;
                int[] ignored;
                string policySource;
                if (index.IgnoreErrorCodes != null)
                {
                    ignored = new List<int>(index.IgnoreErrorCodes).ToArray();
                    policySource = index.IgnoreErrorCodesSource?.Description ?? "configuration";
                }
                else if (Uri.TryCreate(index.Url, UriKind.Absolute, out var uri) && string.Equals(uri.Host, "download.pytorch.org", StringComparison.OrdinalIgnoreCase))
                {
                    ignored = new[] { 403 };
                    policySource = "inferred: download.pytorch.org";
                }
                else
                {
                    ignored = Array.Empty<int>();
                    policySource = "default";
                }

                var stopsOn = new List<int>();
                if (settings.Strategy == IndexStrategy.FirstIndex)
                {
                    foreach (var code in new[] { 401, 403 })
                    {
                        if (Array.IndexOf(ignored, code) < 0)
                        {
                            stopsOn.Add(code);
                        }
                    }
                }

                result.Add(new IndexPolicy
                {
                    Order = order,
                    Name = index.Name,
                    Url = index.DisplayUrl,
                    Strategy = settings.Strategy,
                    StrategySource = settings.StrategySource.Description,
                    Default = index.IsDefault,
                    Explicit = index.IsExplicit,
                    Format = index.Format == IndexFormat.Flat ? "flat" : "simple",
                    Authenticate = index.Authenticate.ToString().ToLowerInvariant(),
                    IgnoredStatusCodes = ignored,
                    PolicySource = policySource,
                    StopsOn = stopsOn.ToArray(),
                    Source = index.Source.Description,
                    ConfigFile = index.Source.FilePath,
                });
            }

            return result;
        }
    }
}

namespace IndexTools.Engine.Http
{
    /// <summary>TEMPORARY (merge: use HttpSettings.FromEnvironment). uv's HTTP defaults; the environment is not read yet.</summary>
    internal static class PendingHttp
    {
        public static HttpSettings FromEnvironment(EngineEnvironment environment)
        {
            GC.KeepAlive(environment);
            return new HttpSettings();
        }
    }

    /// <summary>TEMPORARY (merge: the HTTP helper's CredentialProvider). Credentials from -Credential keyed by index URL, plus the proxy's.</summary>
    internal sealed class CredentialProvider
    {
        public CredentialProvider(EngineEnvironment environment, IReadOnlyDictionary<string, NetworkCredential> indexCredentials, NetworkCredential? proxyCredential)
        {
            Environment = environment;
            IndexCredentials = indexCredentials;
            ProxyCredential = proxyCredential;
        }

        public EngineEnvironment Environment { get; }

        public IReadOnlyDictionary<string, NetworkCredential> IndexCredentials { get; }

        public NetworkCredential? ProxyCredential { get; }
    }

    /// <summary>TEMPORARY (merge: the HTTP helper's SimpleApiClient). No HTTP in this branch: every request is refused.</summary>
    internal sealed class SimpleApiClient : IProjectPageSource, IDisposable
    {
        public SimpleApiClient(HttpSettings settings, CredentialProvider credentials, Action<string> debug)
        {
            GC.KeepAlive(settings);
            GC.KeepAlive(credentials);
            GC.KeepAlive(debug);
        }

        public Task<PageResponse> GetProjectPageAsync(IndexDefinition index, string normalizedName, CancellationToken cancellationToken)
        {
            throw new InvalidOperationException("The HTTP client is not merged into this branch yet.");
        }

        public void Dispose()
        {
        }
    }
}
