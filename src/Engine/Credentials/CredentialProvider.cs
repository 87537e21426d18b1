using System.Collections.Concurrent;
using System.Text;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Credentials
{
    /// <summary>What the credential sources need besides the environment.</summary>
    public sealed class CredentialOptions
    {
        /// <summary>uv's keyring-provider: true for "subprocess" (from UV_KEYRING_PROVIDER, else the configuration).</summary>
        public bool KeyringSubprocess { get; set; }

        /// <summary>How long one `keyring` process may run (uv waits without limit).</summary>
        public TimeSpan KeyringTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The uv release whose credential rules apply: whether uv's credential store is a source (0.8.15+) and how
        /// its service URLs match a request path (a segment boundary from 0.11.9, a plain string prefix before).</summary>
        public UvRules UvRules { get; set; } = UvRules.Latest;

        /// <summary>Indexes whose own credentials (env, URL) seed the per-run cache, as uv's registry client does.</summary>
        public IReadOnlyList<IndexDefinition> Indexes { get; set; } = Array.Empty<IndexDefinition>();

        /// <summary>Debug lines (never a secret).</summary>
        public Action<string>? Debug { get; set; }

        /// <summary>Told each warning as it happens (also kept in <see cref="CredentialProvider.Warnings"/>).</summary>
        public Action<string>? Warning { get; set; }

        /// <summary>Told each secret a source reads (a keyring password, a store password or token), for a scrubber.</summary>
        public Action<string>? Secret { get; set; }
    }

    /// <summary>
    /// Every credential source uv 0.12.5 uses, in uv's order (crates/uv-auth/src/middleware.rs <c>handle</c> and
    /// <c>fetch_credentials</c>, crates/uv-distribution-types/src/index.rs <c>credentials()</c>), plus our parameter:
    /// <list type="number">
    /// <item><b>parameter</b> (<c>-Credential</c>, one index), <b>env</b> (<c>UV_INDEX_&lt;NAME&gt;_USERNAME/PASSWORD</c>), <b>url</b>
    /// (user info) — known before the first request (<see cref="CredentialStage.Direct"/>);</item>
    /// <item><b>learned</b> — the per-run cache (<see cref="LearnedCredentials"/>): before the first request by URL prefix, after a
    /// refusal by realm;</item>
    /// <item><b>netrc</b>, then <b>uv-store</b> (<c>uv auth login</c>'s credentials.toml), then <b>keyring</b>
    /// (<c>keyring-provider = "subprocess"</c>) — <see cref="CredentialStage.Fetched"/>: after a refusal, or before the first
    /// request when the URL gives a username or the index has <c>authenticate = "always"</c>. Each (index, username) is fetched
    /// once per run, a miss too (uv's <c>fetches</c> map).</item>
    /// </list>
    /// Credentials belong to their realm (scheme, host, port): for a URL of another realm (a cross-origin redirect) only the
    /// fetched sources are asked, for that URL.
    /// </summary>
    public sealed class CredentialProvider
    {
        private readonly EngineEnvironment _environment;
        private readonly CredentialOptions _options;
        private readonly ParameterCredentialSource _parameter;
        private readonly NetrcCredentialSource _netrc;
        private readonly UvCredentialStore _store;
        private readonly List<ICredentialSource> _sources;
        private readonly List<string> _warnings = new List<string>();
        private readonly object _gate = new object();
        private readonly ConcurrentDictionary<(string, string?), Lazy<(IndexCredential?, CredentialSourceKind)>> _fetches =
            new ConcurrentDictionary<(string, string?), Lazy<(IndexCredential?, CredentialSourceKind)>>();

        public CredentialProvider(EngineEnvironment environment, IReadOnlyDictionary<string, IndexCredential>? parameterCredentials = null, CredentialOptions? options = null)
        {
            _environment = environment ?? throw new ArgumentNullException(nameof(environment));
            _options = options ?? new CredentialOptions();
            _parameter = new ParameterCredentialSource(parameterCredentials);
            _netrc = new NetrcCredentialSource(environment, AddWarning);
            _store = new UvCredentialStore(environment, AddWarning, DebugLine, _options.UvRules);
            _sources = new List<ICredentialSource>
            {
                _parameter,
                new EnvironmentCredentialSource(environment),
                new UrlCredentialSource(),
                _netrc,
            };
            if (_options.UvRules.ReadsUvCredentialStore)
            {
                // uv 0.8.15 (uv auth) added the store; an older uv never reads it.
                _sources.Add(_store);
            }

            if (_options.KeyringSubprocess)
            {
                _sources.Add(new KeyringCredentialSource(environment, _options.KeyringTimeout, AddWarning, DebugLine, s => _options.Secret?.Invoke(s)));
            }

            foreach (var credential in _parameter.All)
            {
                Register(credential);
            }

            Learned = new LearnedCredentials();
            foreach (var index in _options.Indexes)
            {
                Seed(index);
            }
        }

        /// <summary>The sources in the order they are asked.</summary>
        public IReadOnlyList<ICredentialSource> Sources => _sources;

        /// <summary>Whether the keyring subprocess is asked.</summary>
        public bool KeyringEnabled => _options.KeyringSubprocess;

        /// <summary>uv's credential store file (it need not exist).</summary>
        public string? StorePath => _store.FilePath;

        internal LearnedCredentials Learned { get; }

        internal Action<string>? Debug => _options.Debug;

        /// <summary>Things worth telling the user (an unreadable netrc or store, a keyring that failed). Never secrets.</summary>
        public IReadOnlyList<string> Warnings
        {
            get
            {
                lock (_gate)
                {
                    return _warnings.ToArray();
                }
            }
        }

        /// <summary>Reads netrc and the uv store now, so that their warnings come before the search's results.</summary>
        public void Preload()
        {
            _netrc.Preload();
            if (_options.UvRules.ReadsUvCredentialStore)
            {
                _store.Preload();
            }
        }

        /// <summary>The uv release whose credential rules apply.</summary>
        public UvRules UvRules => _options.UvRules;

        /// <summary>The netrc file used, or null when none exists.</summary>
        public string? NetrcPath => _netrc.Path;

        /// <summary>uv's <c>IndexName::to_env_var</c>: ASCII letters and digits upper-cased, anything else becomes '_'.</summary>
        public static string ToEnvironmentName(string indexName)
        {
            var builder = new StringBuilder(indexName.Length);
            foreach (var c in indexName)
            {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                {
                    builder.Append(char.ToUpperInvariant(c));
                }
                else
                {
                    builder.Append('_');
                }
            }

            return builder.ToString();
        }

        public static string UsernameVariable(string indexName) => "UV_INDEX_" + ToEnvironmentName(indexName) + "_USERNAME";

        public static string PasswordVariable(string indexName) => "UV_INDEX_" + ToEnvironmentName(indexName) + "_PASSWORD";

        /// <summary>
        /// The credentials known without asking any store: parameter, then env, then URL. <c>authenticate = "never"</c>: a
        /// parameter credential is refused (<see cref="IndexConfigurationException"/>, Kind <c>CredentialsNotAllowed</c>); the
        /// URL's own credentials are returned, because uv's code sends them (the request carries them; middleware.rs skips
        /// only its own lookups), whatever its documentation says; env credentials are not (uv keeps them in a cache that
        /// <c>never</c> does not read).
        /// </summary>
        public (IndexCredential? Credential, CredentialSourceKind Source) FindDirect(IndexDefinition index)
        {
            if (index is null)
            {
                throw new ArgumentNullException(nameof(index));
            }

            var query = new CredentialQuery(index, TryHttpUri(index.Url) ?? new Uri("http://localhost/"), null, index.Authenticate == AuthenticatePolicy.Always);
            if (index.Authenticate == AuthenticatePolicy.Never)
            {
                if (_parameter.Find(query) != null)
                {
                    throw new IndexConfigurationException(
                        $"Index '{index.DisplayName}' has authenticate = \"never\", but a credential was given for it. Remove -Credential or change authenticate.",
                        index.Source.FilePath,
                        index.Source.Line,
                        indexName: index.Name)
                    {
                        Kind = ErrorKind.CredentialsNotAllowed,
                    };
                }

                var url = FromUrl(index.Url);
                return url is null ? (null, CredentialSourceKind.None) : (url, CredentialSourceKind.Url);
            }

            foreach (var source in _sources)
            {
                if (source.Stage != CredentialStage.Direct)
                {
                    continue;
                }

                var found = source.Find(query);
                if (found != null)
                {
                    return (found, source.Kind);
                }
            }

            return (null, CredentialSourceKind.None);
        }

        /// <summary>
        /// The fetched sources (netrc, uv-store, keyring) for <paramref name="url"/>, once per run for each index (or realm, for
        /// no index) and username: a second call gets the first one's answer, a miss too.
        /// </summary>
        public (IndexCredential? Credential, CredentialSourceKind Source) Fetch(IndexDefinition? index, Uri url, string? username)
        {
            if (url is null)
            {
                throw new ArgumentNullException(nameof(url));
            }

            var key = index != null && index.IndexUrl.IsHttp ? "index " + index.IndexUrl.Key : "realm " + new Realm(url);
            var lazy = _fetches.GetOrAdd((key, username), _ => new Lazy<(IndexCredential?, CredentialSourceKind)>(() =>
            {
                var query = new CredentialQuery(index, StripUserInfo(url), username, index?.Authenticate == AuthenticatePolicy.Always);
                foreach (var source in _sources)
                {
                    if (source.Stage != CredentialStage.Fetched)
                    {
                        continue;
                    }

                    var found = source.Find(query);
                    if (found != null)
                    {
                        Register(found);
                        return (found, source.Kind);
                    }
                }

                return (null, CredentialSourceKind.None);
            }));
            return lazy.Value;
        }

        /// <summary>
        /// The whole lookup for <paramref name="requestUrl"/> made for <paramref name="index"/>, as the prober wants it: the direct
        /// credentials when complete; else what the run learned for a URL prefix of the index's; else the fetched sources (with the
        /// direct username, if any). For another realm than the index's, only the fetched sources for that URL.
        /// <c>authenticate = never</c>: only the URL's own credentials (see <see cref="FindDirect"/>).
        /// </summary>
        public (IndexCredential? Credential, CredentialSourceKind Source) Find(IndexDefinition index, Uri requestUrl)
        {
            if (requestUrl is null)
            {
                throw new ArgumentNullException(nameof(requestUrl));
            }

            var direct = FindDirect(index);
            if (index.Authenticate == AuthenticatePolicy.Never)
            {
                return direct;
            }

            var indexUri = TryHttpUri(index.Url);
            if (indexUri is null || new Realm(indexUri) != new Realm(requestUrl))
            {
                return Fetch(null, requestUrl, null);
            }

            if (direct.Credential != null && direct.Credential.IsComplete)
            {
                return direct;
            }

            // Only what uv would send before any refusal: the learned credentials of a URL prefix (the realm's other ones are
            // tried by uv after a refusal only, and are not this index's configuration).
            var username = direct.Credential?.Username;
            var learned = Learned.ByUrl(indexUri, username);
            if (learned != null && learned.Credential.IsComplete)
            {
                return (learned.Credential, learned.SourceFor(index.IndexUrl));
            }

            var fetched = Fetch(index, requestUrl, username);
            return fetched.Credential != null ? fetched : direct;
        }

        /// <summary>netrc only: the entry for <paramref name="url"/>'s host (or <c>default</c>), optionally of one login.</summary>
        public (IndexCredential? Credential, CredentialSourceKind Source) FindInNetrc(Uri url, string? username)
        {
            var found = _netrc.Find(new CredentialQuery(null, url, username, false));
            return found is null ? (null, CredentialSourceKind.None) : (found, CredentialSourceKind.Netrc);
        }

        /// <summary>Remembers a credential the index accepted for <paramref name="url"/> (uv's <c>CredentialsCache::insert</c>).</summary>
        internal void Remember(IndexDefinition index, Uri url, IndexCredential credential, CredentialSourceKind source)
        {
            Learned.Insert(StripUserInfo(url), new Learned(credential, source, index.IndexUrl));
        }

        /// <summary>The error for <c>authenticate = always</c> when no (or only partial) credentials were found.</summary>
        public IndexConfigurationException MissingCredentials(IndexDefinition index, bool incomplete)
        {
            var message = new StringBuilder();
            message.Append(incomplete ? "Incomplete credentials for index '" : "Missing credentials for index '")
                .Append(index.DisplayName)
                .Append("' (authenticate = \"always\"). ");
            if (index.Name != null)
            {
                message.Append("Set ").Append(UsernameVariable(index.Name)).Append(" and ").Append(PasswordVariable(index.Name))
                    .Append(", run 'uv auth login ").Append(UrlRedactor.Redact(index.Url)).Append("', pass a credential, or add a netrc entry for its host")
                    .Append(_options.KeyringSubprocess ? "; the keyring had none." : ".");
            }
            else
            {
                message.Append("Pass a credential, embed them in the index URL, run 'uv auth login ").Append(UrlRedactor.Redact(index.Url))
                    .Append("', or add a netrc entry for its host.");
            }

            return new IndexConfigurationException(message.ToString(), index.Source.FilePath, index.Source.Line, indexName: index.Name)
            {
                Kind = ErrorKind.MissingCredentials,
            };
        }

        /// <summary>uv's <c>IndexUrl::root</c>: the URL without its last segment when that is <c>simple</c> or <c>+simple</c>.</summary>
        internal static Uri? RootUrl(Uri url)
        {
            var path = url.AbsolutePath.TrimEnd('/');
            var slash = path.LastIndexOf('/');
            if (slash < 0)
            {
                return null;
            }

            var last = path.Substring(slash + 1);
            if (!string.Equals(last, "simple", StringComparison.OrdinalIgnoreCase) && !string.Equals(last, "+simple", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return new UriBuilder(url) { Path = path.Substring(0, slash + 1), Query = "", Fragment = "" }.Uri;
        }

        /// <summary>URL user info, percent-decoded; null when the URL has none or is not absolute.</summary>
        internal static IndexCredential? FromUrl(string url)
        {
            var text = url ?? "";
            var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd < 0)
            {
                return null;
            }

            var authorityStart = schemeEnd + 3;
            var authorityEnd = text.IndexOfAny(new[] { '/', '?', '#' }, authorityStart);
            if (authorityEnd < 0)
            {
                authorityEnd = text.Length;
            }

            var at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
            if (at < 0)
            {
                return null;
            }

            var userInfo = text.Substring(authorityStart, at - authorityStart);
            var colon = userInfo.IndexOf(':');
            var user = colon < 0 ? userInfo : userInfo.Substring(0, colon);
            var password = colon < 0 ? null : userInfo.Substring(colon + 1);
            user = Uri.UnescapeDataString(user);
            password = password is null ? null : Uri.UnescapeDataString(password);
            if (user.Length == 0 && password is null)
            {
                return null;
            }

            return new IndexCredential(user, password);
        }

        /// <summary>The index URL as an absolute http(s) URI, or null for a local path / file URL / invalid text.</summary>
        internal static Uri? TryHttpUri(string url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            return null;
        }

        internal static string ExpandTilde(EngineEnvironment environment, string path)
        {
            if (path == "~")
            {
                return environment.HomeDirectory;
            }

            if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
            {
                return System.IO.Path.Combine(environment.HomeDirectory, path.Substring(2));
            }

            return path;
        }

        private static Uri StripUserInfo(Uri url)
        {
            return url.UserInfo.Length == 0 ? url : new UriBuilder(url) { UserName = "", Password = "" }.Uri;
        }

        /// <summary>Seeds the learned credentials with these indexes' own credentials (what <see cref="CredentialOptions.Indexes"/> does).</summary>
        internal void SeedForTests(params IndexDefinition[] indexes)
        {
            foreach (var index in indexes)
            {
                Seed(index);
            }
        }

        /// <summary>uv's <c>cache_index_credentials</c>: an index's own credentials (env, else URL) under its URL and root URL.</summary>
        private void Seed(IndexDefinition index)
        {
            if (!(TryHttpUri(index.Url) is Uri url))
            {
                return;
            }

            var query = new CredentialQuery(index, url, null, false);
            IndexCredential? credential = null;
            var kind = CredentialSourceKind.None;
            foreach (var source in _sources.Where(s => s.Kind == CredentialSourceKind.Env || s.Kind == CredentialSourceKind.Url))
            {
                credential = source.Find(query);
                if (credential != null)
                {
                    kind = source.Kind;
                    break;
                }
            }

            if (credential is null)
            {
                return;
            }

            var bare = StripUserInfo(url);
            if (RootUrl(bare) is Uri root)
            {
                Remember(index, root, credential, kind);
            }

            Remember(index, bare, credential, kind);
        }

        private void Register(IndexCredential credential)
        {
            foreach (var secret in credential.Secrets)
            {
                if (!string.IsNullOrEmpty(secret))
                {
                    Security.SecretScrubber.Register(secret);
                    _options.Secret?.Invoke(secret!);
                }
            }
        }

        /// <summary>Debug lines of the sources (rare: one per file read or keyring call), to whoever listens now.</summary>
        private void DebugLine(string line) => _options.Debug?.Invoke(line);

        private void AddWarning(string warning)
        {
            // A keyring or store message never carries a secret by construction; the scrubber makes sure.
            warning = Security.SecretScrubber.Scrub(warning);
            lock (_gate)
            {
                if (_warnings.Contains(warning))
                {
                    return;
                }

                _warnings.Add(warning);
            }

            _options.Warning?.Invoke(warning);
        }
    }
}
