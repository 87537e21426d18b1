using System.Text;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Credentials
{
    /// <summary>Our <c>-Credential</c>: a credential the caller passed for one index, keyed by index name (case-sensitive) or
    /// URL. It ranks first: the caller asked for it, for this call. Never shared with another index.</summary>
    internal sealed class ParameterCredentialSource : ICredentialSource
    {
        private readonly IReadOnlyDictionary<string, IndexCredential> _credentials;

        public ParameterCredentialSource(IReadOnlyDictionary<string, IndexCredential>? credentials)
        {
            _credentials = credentials ?? new Dictionary<string, IndexCredential>();
        }

        public CredentialSourceKind Kind => CredentialSourceKind.Parameter;

        public CredentialStage Stage => CredentialStage.Direct;

        public IEnumerable<IndexCredential> All => _credentials.Values;

        public IndexCredential? Find(CredentialQuery query)
        {
            var index = query.Index;
            if (index is null || _credentials.Count == 0)
            {
                return null;
            }

            if (index.Name != null && _credentials.TryGetValue(index.Name, out var byName))
            {
                return byName;
            }

            foreach (var pair in _credentials)
            {
                if (pair.Key.IndexOf("://", StringComparison.Ordinal) > 0 && index.IndexUrl.SameAs(pair.Key))
                {
                    return pair.Value;
                }
            }

            return null;
        }
    }

    /// <summary><c>UV_INDEX_&lt;NAME&gt;_USERNAME</c> / <c>UV_INDEX_&lt;NAME&gt;_PASSWORD</c> for a named index; either one alone counts
    /// (uv's <c>Credentials::from_env</c>). uv prefers these to the URL's own (<c>Index::credentials()</c>).</summary>
    internal sealed class EnvironmentCredentialSource : ICredentialSource
    {
        private readonly EngineEnvironment _environment;

        public EnvironmentCredentialSource(EngineEnvironment environment)
        {
            _environment = environment;
        }

        public CredentialSourceKind Kind => CredentialSourceKind.Env;

        public CredentialStage Stage => CredentialStage.Direct;

        public IndexCredential? Find(CredentialQuery query)
        {
            var name = query.Index?.Name;
            if (name is null)
            {
                return null;
            }

            var username = _environment.Get(CredentialProvider.UsernameVariable(name));
            var password = _environment.Get(CredentialProvider.PasswordVariable(name));
            return username != null || password != null ? new IndexCredential(username, password) : null;
        }
    }

    /// <summary>User info embedded in the index URL, percent-decoded (uv's <c>Credentials::from_url</c>).</summary>
    internal sealed class UrlCredentialSource : ICredentialSource
    {
        public CredentialSourceKind Kind => CredentialSourceKind.Url;

        public CredentialStage Stage => CredentialStage.Direct;

        public IndexCredential? Find(CredentialQuery query)
        {
            return query.Index is null ? null : CredentialProvider.FromUrl(query.Index.Url);
        }
    }

    /// <summary>
    /// netrc: <c>NETRC</c>, else <c>~/.netrc</c> (on Windows also <c>~/_netrc</c>), the first file that exists, read once per run
    /// (lossy UTF-8, as uv). By the requested URL's host, else <c>default</c>; with a known username only an entry of that
    /// login answers (uv's <c>Credentials::from_netrc</c>). An unreadable or invalid file is a warning and is ignored.
    /// </summary>
    internal sealed class NetrcCredentialSource : ICredentialSource
    {
        private readonly EngineEnvironment _environment;
        private readonly Action<string> _warn;
        private readonly Lazy<NetrcFile?> _netrc;

        public NetrcCredentialSource(EngineEnvironment environment, Action<string> warn)
        {
            _environment = environment;
            _warn = warn;
            _netrc = new Lazy<NetrcFile?>(Load);
        }

        public CredentialSourceKind Kind => CredentialSourceKind.Netrc;

        public CredentialStage Stage => CredentialStage.Fetched;

        /// <summary>The netrc file used, or null when none exists (reading it if not read yet).</summary>
        public string? Path
        {
            get
            {
                _ = _netrc.Value;
                return FilePath;
            }
        }

        private string? FilePath { get; set; }

        /// <summary>Reads the file now (so that its warnings come before the search).</summary>
        public void Preload() => _ = _netrc.Value;

        public IndexCredential? Find(CredentialQuery query)
        {
            return _netrc.Value?.Find(query.Url.Host, query.Username);
        }

        private NetrcFile? Load()
        {
            var candidates = new List<string>();
            var fromEnv = _environment.Get("NETRC");
            if (fromEnv != null)
            {
                candidates.Add(CredentialProvider.ExpandTilde(_environment, fromEnv));
            }

            if (!string.IsNullOrEmpty(_environment.HomeDirectory))
            {
                candidates.Add(System.IO.Path.Combine(_environment.HomeDirectory, ".netrc"));
                if (_environment.IsWindows)
                {
                    candidates.Add(System.IO.Path.Combine(_environment.HomeDirectory, "_netrc"));
                }
            }

            foreach (var path in candidates)
            {
                if (!File.Exists(path))
                {
                    continue;
                }

                FilePath = path;
                try
                {
                    var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
                    return NetrcFile.Parse(text, path);
                }
                catch (IndexConfigurationException ex)
                {
                    _warn(ex.Message + " It is ignored, as uv ignores it.");
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    _warn($"Cannot read netrc file '{path}': {ex.GetType().Name}. It is ignored.");
                }

                return null;
            }

            return null;
        }
    }
}
