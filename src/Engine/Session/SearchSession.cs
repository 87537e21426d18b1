using IndexTools.Engine.Audit;
using IndexTools.Engine.Cache;
using IndexTools.Engine.Config;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Probe;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Search;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.Engine.Session
{
    /// <summary>Everything one search session is built from: one object, filled once by a cmdlet (or a test).</summary>
    public sealed class SearchSessionOptions
    {
        public SearchSessionOptions(EngineEnvironment environment, HttpSettings http)
        {
            Environment = environment ?? throw new ArgumentNullException(nameof(environment));
            Http = http ?? throw new ArgumentNullException(nameof(http));
        }

        public EngineEnvironment Environment { get; }

        /// <summary>HTTP, proxy and timeout settings (uv's variables with the cmdlet's -Proxy, -NoProxy, -TimeoutSec applied).</summary>
        public HttpSettings Http { get; }

        /// <summary>The loaded configuration; when null, <see cref="Request"/> is loaded.</summary>
        public IndexSettings? Settings { get; set; }

        /// <summary>The configuration request, loaded when <see cref="Settings"/> is null.</summary>
        public ConfigurationRequest? Request { get; set; }

        /// <summary>Parameter credentials (our -Credential), keyed by index name or URL.</summary>
        public IReadOnlyDictionary<string, IndexCredential>? ParameterCredentials { get; set; }

        /// <summary>The page cache folder; null: no cache (-NoCache).</summary>
        public string? CacheDirectory { get; set; }

        public CacheMode CacheMode { get; set; } = CacheMode.Normal;

        /// <summary>Requests in flight at once, across packages (-ThrottleLimit; uv's concurrency, 50).</summary>
        public int Concurrency { get; set; } = 50;

        /// <summary>The uv release whose credential rules the session's sources follow (-UvVersion; uv 0.12.5 by default).
        /// The search's own rules come with its <see cref="SearchOptions"/>.</summary>
        public UvRules UvRules { get; set; } = UvRules.Latest;

        /// <summary>The redacted wire log and other debug lines; null when nobody listens (nothing is composed then).</summary>
        public Action<string>? Debug { get; set; }

        /// <summary>Told each warning of the session (credential sources) as it happens.</summary>
        public Action<string>? Warning { get; set; }

        /// <summary>Told before and after each retry's backoff wait (progress records show it), or null.</summary>
        public Action<RetryNotice>? Retry { get; set; }

        /// <summary>Told each secret a credential source reads (for the output scrubber).</summary>
        public Action<string>? Secret { get; set; }

        /// <summary>A copy of these options (every field) for another uv release: Compare-IndexStrategy -UvVersion A, B runs
        /// one session per release.</summary>
        public SearchSessionOptions ForUvRules(UvRules rules)
        {
            var copy = (SearchSessionOptions)MemberwiseClone();
            copy.UvRules = rules ?? throw new ArgumentNullException(nameof(rules));
            return copy;
        }
    }

    /// <summary>
    /// The composition root of a search: built once from <see cref="SearchSessionOptions"/>, it owns the settings, the credential
    /// sources (<see cref="CredentialProvider"/>), the HTTP client and the page cache, and hands out the search, the lock check, the
    /// audit and the prober, so that every cmdlet that touches the network gets the same credentials, proxy, cache, throttle
    /// and wire log. Building it asks nothing on the network. Dispose it when the command ends (pending cache writes reach the
    /// disk, connections close).
    /// </summary>
    public sealed class SearchSession : IDisposable
    {
        private readonly SearchSessionOptions _options;
        private readonly CachingPageSource? _cache;
        private readonly SemaphoreSlim _throttle;
        private int _disposed;

        private SearchSession(SearchSessionOptions options, IndexSettings settings)
        {
            _options = options;
            Settings = settings;
            var keyring = string.Equals(settings.KeyringProvider, "subprocess", StringComparison.Ordinal);
            Credentials = new CredentialProvider(options.Environment, options.ParameterCredentials, new CredentialOptions
            {
                KeyringSubprocess = keyring,
                KeyringTimeout = options.Http.Timeout,
                Indexes = settings.Indexes,
                UvRules = options.UvRules,
                Debug = options.Debug,
                Warning = options.Warning,
                Secret = options.Secret,
            });
            Client = new SimpleApiClient(options.Http, Credentials, options.Debug, options.Retry);
            _cache = options.CacheDirectory is null ? null : new CachingPageSource(Client, new PageCacheOptions(options.CacheDirectory) { Mode = options.CacheMode }, options.Debug);
            Pages = (IProjectPageSource?)_cache ?? Client;
            _throttle = new SemaphoreSlim(Math.Max(1, options.Concurrency));
        }

        /// <summary>Builds the session; loads the configuration when the options carry a request instead of settings.</summary>
        public static SearchSession Open(SearchSessionOptions options)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var settings = options.Settings
                ?? (options.Request != null ? ConfigurationLoader.Load(options.Request, options.Environment) : throw new ArgumentException("Settings or Request is required.", nameof(options)));
            return new SearchSession(options, settings);
        }

        public IndexSettings Settings { get; }

        public CredentialProvider Credentials { get; }

        public SimpleApiClient Client { get; }

        /// <summary>Where pages come from: the cache over the client, or the client alone (-NoCache).</summary>
        public IProjectPageSource Pages { get; }

        public HttpSettings Http => _options.Http;

        public int Concurrency => Math.Max(1, _options.Concurrency);

        /// <summary>The credential sources' warnings so far (also told to <see cref="SearchSessionOptions.Warning"/>).</summary>
        public IReadOnlyList<string> Warnings => Credentials.Warnings;

        /// <summary>A search over the session's pages, at the session's concurrency.</summary>
        public IndexSearch Search(SearchOptions? options = null, ISearchListener? listener = null)
        {
            var effective = options ?? new SearchOptions();
            effective.Concurrency = Concurrency;
            return new IndexSearch(Settings, Pages, effective, listener);
        }

        /// <summary>A uv.lock check over the session's pages, at the session's concurrency.</summary>
        public LockCheck LockCheck(SearchOptions? options = null, ISearchListener? listener = null)
        {
            var effective = options ?? new SearchOptions();
            effective.Concurrency = Concurrency;
            return new LockCheck(Settings, Pages, effective, listener);
        }

        /// <summary>The configured search under two uv releases side by side (Compare-IndexStrategy -UvVersion A, B), over the
        /// session's pages, at the session's concurrency.</summary>
        public UvVersionComparer UvComparison(SearchOptions options, UvRules a, UvRules b)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.Concurrency = Concurrency;
            return new UvVersionComparer(Settings, Pages, options, a, b);
        }

        /// <summary>A dependency-confusion audit over the session's pages (and cache): as many packages at once as the throttle
        /// allows, every request behind the session's one throttle.</summary>
        public ShadowAudit Audit(ShadowAuditOptions? options = null)
        {
            var effective = options ?? new ShadowAuditOptions();
            effective.Concurrency = Concurrency;
            return new ShadowAudit(Settings, new ThrottledPageSource(Pages, _throttle), effective);
        }

        /// <summary>A prober with the session's HTTP settings and credential sources.</summary>
        public IndexProber Prober() => new IndexProber(_options.Http, Credentials, _options.Debug);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            _cache?.Dispose();
            Client.Dispose();
            _throttle.Dispose();
        }

        /// <summary>At most the throttle's count of page requests in flight, whoever asks.</summary>
        private sealed class ThrottledPageSource : IProjectPageSource
        {
            private readonly IProjectPageSource _inner;
            private readonly SemaphoreSlim _gate;

            public ThrottledPageSource(IProjectPageSource inner, SemaphoreSlim gate)
            {
                _inner = inner;
                _gate = gate;
            }

            public async Task<PageResponse> GetProjectPageAsync(IndexDefinition index, string normalizedName, CancellationToken cancellationToken)
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await _inner.GetProjectPageAsync(index, normalizedName, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
    }
}
