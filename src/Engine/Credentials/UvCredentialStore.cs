using IndexTools.Engine.Config;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Credentials
{
    /// <summary>
    /// uv's plaintext credential store, written by <c>uv auth login</c> (crates/uv-auth/src/store.rs
    /// <c>TextCredentialStore</c>): <c>credentials.toml</c> in <c>UV_CREDENTIALS_DIR</c>, else in the <c>credentials</c> folder of
    /// uv's state directory (<see cref="DefaultFile"/>). Read once per run, only when a lookup reaches it.
    /// <para>Entries are <c>[[credential]]</c> tables: <c>service</c> (a URL; without a scheme <c>https://</c> is assumed; http
    /// only for localhost and 127.0.0.1), <c>username</c> + <c>password</c> (<c>scheme = "basic"</c>, the default) or
    /// <c>token</c> (<c>scheme = "bearer"</c>). A lookup takes the entry whose service URL equals the request URL, else the
    /// entry of the same realm whose path is a prefix of the request path on a segment boundary (<c>/simple</c> covers
    /// <c>/simple/x/</c>, not <c>/simple-evil/</c>; before uv 0.11.9 a plain string prefix, which covered it:
    /// <see cref="UvRules.IsPathPrefix"/>), the longest one; with a known username only that username's entries.
    /// Two entries equally specific: none (uv: "Multiple credentials found ..., specify which username to use").</para>
    /// A file that is not valid TOML or breaks those rules is a warning and the store is ignored, as uv ignores it.
    /// </summary>
    internal sealed class UvCredentialStore : ICredentialSource
    {
        private readonly EngineEnvironment _environment;
        private readonly Action<string> _warn;
        private readonly Action<string>? _debug;
        private readonly Lazy<List<Entry>?> _entries;
        private readonly UvRules _rules;

        public UvCredentialStore(EngineEnvironment environment, Action<string> warn, Action<string>? debug, UvRules? rules = null)
        {
            _environment = environment;
            _warn = warn;
            _debug = debug;
            _rules = rules ?? UvRules.Latest;
            _entries = new Lazy<List<Entry>?>(Load);
        }

        public CredentialSourceKind Kind => CredentialSourceKind.UvStore;

        public CredentialStage Stage => CredentialStage.Fetched;

        /// <summary>The file this store reads (it need not exist).</summary>
        public string? FilePath => DefaultFile(_environment);

        /// <summary>The secrets the store holds, once read (for a scrubber).</summary>
        public IEnumerable<IndexCredential> Loaded => _entries.IsValueCreated && _entries.Value != null ? _entries.Value.Select(e => e.Credential) : Enumerable.Empty<IndexCredential>();

        /// <summary>
        /// uv's <c>TextCredentialStore::default_file</c>: <c>UV_CREDENTIALS_DIR</c>/credentials.toml when set and not empty, else
        /// &lt;state&gt;/credentials/credentials.toml where &lt;state&gt; is uv's <c>StateStore::from_settings(None)</c>: the legacy
        /// native data folder when it exists (Windows <c>%APPDATA%\uv\data</c>, macOS <c>~/Library/Application Support/uv</c>),
        /// else the XDG one (<c>$XDG_DATA_HOME/uv</c> when absolute, else <c>~/.local/share/uv</c>; Windows <c>%APPDATA%\uv</c>).
        /// </summary>
        public static string? DefaultFile(EngineEnvironment environment)
        {
            var dir = environment.Get("UV_CREDENTIALS_DIR");
            if (dir != null)
            {
                return Path.Combine(CredentialProvider.ExpandTilde(environment, dir), "credentials.toml");
            }

            var state = StateDirectory(environment);
            return state is null ? null : Path.Combine(state, "credentials", "credentials.toml");
        }

        private static string? StateDirectory(EngineEnvironment environment)
        {
            var home = environment.HomeDirectory;
            if (environment.IsWindows)
            {
                var appData = environment.Get("APPDATA") ?? (string.IsNullOrEmpty(home) ? null : Path.Combine(home, "AppData", "Roaming"));
                if (appData is null)
                {
                    return null;
                }

                var legacy = Path.Combine(appData, "uv", "data");
                return Directory.Exists(legacy) ? legacy : Path.Combine(appData, "uv");
            }

            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX) && !string.IsNullOrEmpty(home))
            {
                var legacy = Path.Combine(home, "Library", "Application Support", "uv");
                if (Directory.Exists(legacy))
                {
                    return legacy;
                }
            }

            var xdg = environment.Get("XDG_DATA_HOME");
            if (xdg != null && Path.IsPathRooted(xdg))
            {
                return Path.Combine(xdg, "uv");
            }

            return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".local", "share", "uv");
        }

        public void Preload() => _ = _entries.Value;

        public IndexCredential? Find(CredentialQuery query)
        {
            var entries = _entries.Value;
            if (entries is null || entries.Count == 0)
            {
                return null;
            }

            var url = query.Url;
            var username = query.Username;

            // Exact service first (uv: only when the URL is a valid service, i.e. https or local http).
            if (IsAllowedService(url))
            {
                var wanted = IndexUrl.From(url);
                var exact = entries.FirstOrDefault(e => IndexUrl.From(e.Service).SameRaw(wanted) && string.Equals(e.Credential.Username, username, StringComparison.Ordinal));
                if (exact != null)
                {
                    return exact.Credential;
                }
            }

            var realm = new Realm(url);
            Entry? best = null;
            var ambiguous = false;
            foreach (var entry in entries)
            {
                if (new Realm(entry.Service) != realm || !_rules.IsPathPrefix(entry.Service.AbsolutePath, url.AbsolutePath))
                {
                    continue;
                }

                if (username != null && !string.Equals(username, entry.Credential.Username, StringComparison.Ordinal))
                {
                    continue;
                }

                var specificity = entry.Service.AbsolutePath.Length;
                if (best is null || specificity > best.Service.AbsolutePath.Length)
                {
                    best = entry;
                    ambiguous = false;
                }
                else if (specificity == best.Service.AbsolutePath.Length)
                {
                    ambiguous = true;
                }
            }

            if (ambiguous)
            {
                _debug?.Invoke("uv credential store: several credentials match " + UrlRedactor.Redact(url.AbsoluteUri) + "; none is used (give the username in the index URL)");
                return null;
            }

            return best?.Credential;
        }

        /// <summary>uv 0.12.5's <c>is_path_prefix</c>: equal, or a prefix that ends at a '/' (in the prefix or the path).</summary>
        internal static bool IsPathPrefix(string prefix, string path) => UvRules.Latest.IsPathPrefix(prefix, path);

        /// <summary>uv's <c>Service::check_scheme</c>: https, or http for localhost and 127.0.0.1 only.</summary>
        private static bool IsAllowedService(Uri url)
        {
            return url.Scheme == Uri.UriSchemeHttps
                || (url.Scheme == Uri.UriSchemeHttp && (url.Host == "localhost" || url.Host == "127.0.0.1"));
        }

        private List<Entry>? Load()
        {
            var path = FilePath;
            if (path is null)
            {
                _warn("Cannot determine uv's credentials folder (no home folder); the uv credential store is not read.");
                return null;
            }

            byte[] bytes;
            try
            {
                if (!File.Exists(path))
                {
                    _debug?.Invoke("uv credential store: no file at " + path);
                    return null;
                }

                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _warn("Cannot read uv's credential store '" + path + "': " + ex.GetType().Name + ". It is ignored, as uv ignores it.");
                return null;
            }

            try
            {
                var entries = Parse(path, bytes);
                _debug?.Invoke("uv credential store: read " + entries.Count + " credential(s) from " + path);
                return entries;
            }
            catch (IndexConfigurationException ex)
            {
                _warn("uv's credential store is not usable: " + ex.Message + " It is ignored, as uv ignores it; rewrite it with 'uv auth login <url>'.");
                return null;
            }
        }

        /// <summary>Parses credentials.toml as uv's serde model does; the first bad entry rejects the file.</summary>
        internal static List<Entry> Parse(string path, byte[] bytes)
        {
            var file = TomlFile.Parse(path, bytes);
            var result = new List<Entry>();
            var node = file.Root.Get("credential");
            if (node is null)
            {
                return result;
            }

            if (!(node is TomlArrayNode array))
            {
                throw Bad(path, node, "'credential' must be an array of tables ([[credential]])");
            }

            foreach (var item in array.Items)
            {
                if (!(item is TomlTableNode table))
                {
                    throw Bad(path, item, "each 'credential' must be a table");
                }

                var serviceText = String(path, table, "service") ?? throw Bad(path, table, "missing field `service`");
                var username = String(path, table, "username");
                var password = String(path, table, "password");
                var token = String(path, table, "token");
                var scheme = String(path, table, "scheme") ?? "basic";
                var service = ParseService(path, table, serviceText);
                IndexCredential credential;
                if (scheme == "basic")
                {
                    if (string.IsNullOrEmpty(username))
                    {
                        throw Bad(path, table, "`username` is required with `scheme = basic`");
                    }

                    if (token != null)
                    {
                        throw Bad(path, table, "`token` cannot be provided with `scheme = basic`");
                    }

                    credential = new IndexCredential(username, password);
                }
                else if (scheme == "bearer")
                {
                    if (!string.IsNullOrEmpty(username))
                    {
                        throw Bad(path, table, "`username` cannot be provided with `scheme = bearer`");
                    }

                    if (password != null)
                    {
                        throw Bad(path, table, "`password` cannot be provided with `scheme = bearer`");
                    }

                    credential = IndexCredential.Bearer(token ?? throw Bad(path, table, "`token` is required with `scheme = bearer`"));
                }
                else
                {
                    throw Bad(path, table, "unknown variant `" + scheme + "`, expected `basic` or `bearer`");
                }

                // uv keys the store by (service, username): a later duplicate replaces an earlier one.
                result.RemoveAll(e => IndexUrl.From(e.Service).SameRaw(IndexUrl.From(service)) && string.Equals(e.Credential.Username, credential.Username, StringComparison.Ordinal));
                result.Add(new Entry(service, credential));
            }

            return result;
        }

        private static Uri ParseService(string path, TomlTableNode table, string text)
        {
            var candidate = text.IndexOf("://", StringComparison.Ordinal) > 0 ? text : "https://" + text;
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var url) || url.Host.Length == 0)
            {
                throw Bad(path, table, "service '" + UrlRedactor.Redact(text) + "' is not a URL");
            }

            if (url.Scheme == Uri.UriSchemeHttp && url.Host != "localhost" && url.Host != "127.0.0.1")
            {
                throw Bad(path, table, "service '" + UrlRedactor.Redact(text) + "': HTTPS is required for non-local hosts");
            }

            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            {
                throw Bad(path, table, "service '" + UrlRedactor.Redact(text) + "': unsupported scheme: " + url.Scheme);
            }

            return url;
        }

        private static string? String(string path, TomlTableNode table, string key)
        {
            var node = table.Get(key);
            if (node is null)
            {
                return null;
            }

            if (node is TomlScalar scalar && scalar.Value is string text)
            {
                return text;
            }

            throw Bad(path, node, "'" + key + "' must be a string");
        }

        private static IndexConfigurationException Bad(string path, TomlNode node, string message)
        {
            return new IndexConfigurationException(path + ":" + node.Line + ": " + message + ".", path, node.Line) { Kind = ErrorKind.InvalidCredentialStore };
        }

        /// <summary>One entry of the store: the service URL and its credential.</summary>
        internal sealed record Entry(Uri Service, IndexCredential Credential);
    }
}
