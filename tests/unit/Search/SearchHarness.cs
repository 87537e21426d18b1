using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.IndexServer;

namespace IndexTools.Tests.Search
{
    /// <summary>
    /// Runs the real search against the local index server over loopback HTTP: real SimpleApiClient, real
    /// credentials lookup (from a test environment, never the process's), real status policy.
    /// </summary>
    internal sealed class SearchHarness : IAsyncDisposable
    {
        private SearchHarness(IndexServerHost server)
        {
            Server = server;
        }

        public IndexServerHost Server { get; }

        public List<string> DebugLines { get; } = new List<string>();

        public RecordingListener Listener { get; } = new RecordingListener();

        public static async Task<SearchHarness> StartAsync(params IndexFixture[] indexes)
        {
            var fixture = new ServerFixture();
            fixture.Indexes.AddRange(indexes);
            return new SearchHarness(await IndexServerHost.StartAsync(fixture));
        }

        public static async Task<SearchHarness> StartAsync(ServerFixture fixture)
        {
            return new SearchHarness(await IndexServerHost.StartAsync(fixture));
        }

        /// <summary>An index definition pointing at one of the server's indexes (its fixture name by default).</summary>
        public IndexDefinition Index(string fixtureName, string? name = null, Func<IndexDefinition, IndexDefinition>? configure = null)
        {
            var definition = new IndexDefinition(name ?? fixtureName, Server.IndexUrl(fixtureName).ToString(), new Provenance(ProvenanceKind.File, "test pyproject.toml [[tool.uv.index]] '" + (name ?? fixtureName) + "'", "/test/pyproject.toml", 1));
            return configure is null ? definition : configure(definition);
        }

        public static IndexSettings Settings(IndexStrategy strategy, params IndexDefinition[] indexes)
        {
            return new IndexSettings(indexes, strategy, Provenance.Default);
        }

        internal readonly record struct EnvVar(string Name, string Value);

        public static EngineEnvironment Environment(params (string Name, string Value)[] variables)
        {
            var home = Path.Combine(Path.GetTempPath(), "indextools-home-" + Guid.NewGuid().ToString("N"));
            return new EngineEnvironment(variables.ToDictionary(v => v.Name, v => v.Value), home, home, isWindows: false);
        }

        /// <summary>The real search over a real client; its credential sources follow the same uv release as the search
        /// (<see cref="SearchOptions.UvRules"/>), as one session's do.</summary>
        public IndexSearch Search(IndexSettings settings, EngineEnvironment? environment = null, SearchOptions? options = null, IReadOnlyDictionary<string, IndexCredential>? credentials = null, HttpSettings? http = null)
        {
            var client = new SimpleApiClient(
                http ?? FastHttp(),
                new CredentialProvider(environment ?? Environment(), credentials, new CredentialOptions { UvRules = options?.UvRules ?? UvRules.Latest }),
                line => { lock (DebugLines) { DebugLines.Add(line); } });
            return new IndexSearch(settings, client, options, Listener);
        }

        /// <summary>uv's retry count, with short backoff so tests do not sleep.</summary>
        public static HttpSettings FastHttp()
        {
            return new HttpSettings
            {
                Retries = 3,
                Timeout = TimeSpan.FromSeconds(20),
                RetryBaseDelay = TimeSpan.FromMilliseconds(5),
                NoProxy = true,
            };
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    internal sealed class RecordingListener : ISearchListener
    {
        public List<IndexAttempt> Attempts { get; } = new List<IndexAttempt>();

        public List<string> Debug { get; } = new List<string>();

        public List<(string Package, int Completed, int Total)> Progress { get; } = new List<(string, int, int)>();

        public void OnAttempt(IndexAttempt attempt)
        {
            lock (Attempts)
            {
                Attempts.Add(attempt);
            }
        }

        public void OnDebug(string message)
        {
            lock (Debug)
            {
                Debug.Add(message);
            }
        }

        public void OnProgress(PackageResolution resolution, int completed, int total)
        {
            lock (Progress)
            {
                Progress.Add((resolution.Package, completed, total));
            }
        }
    }
}
