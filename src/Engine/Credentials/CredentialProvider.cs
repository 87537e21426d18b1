using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Credentials
{
    /// <summary>
    /// Finds the credentials for an index the way uv does (crates/uv-distribution-types/src/index.rs
    /// <c>credentials()</c>, crates/uv-auth/src/middleware.rs <c>fetch_credentials</c>), plus our parameter credential.
    /// <para>Order, first match wins:</para>
    /// <list type="number">
    /// <item><b>parameter</b> — a credential the caller passed (our <c>-Credential</c>), keyed by index name
    /// (case-sensitive) or index URL. It ranks first: the caller asked for it explicitly, for this call.</item>
    /// <item><b>env</b> — <c>UV_INDEX_&lt;NAME&gt;_USERNAME</c> / <c>UV_INDEX_&lt;NAME&gt;_PASSWORD</c> for a named index; either
    /// one alone counts. uv prefers these to the URL's own credentials.</item>
    /// <item><b>url</b> — user info embedded in the index URL (percent-decoded).</item>
    /// <item><b>netrc</b> — <c>NETRC</c>, else <c>~/.netrc</c> (on Windows also <c>~/_netrc</c>), first file that exists; by
    /// host. When the sources above gave only a username, netrc answers only with an entry of that login.</item>
    /// </list>
    /// Keyring (uv's <c>keyring-provider = "subprocess"</c>) is not supported: nothing is looked up there, and a
    /// warning says so when <c>UV_KEYRING_PROVIDER</c> asks for it.
    /// Credentials belong to the index's realm (scheme, host, port): for any other realm only netrc is consulted,
    /// by that realm's own host.
    /// </summary>
    public sealed class CredentialProvider
    {
        private readonly EngineEnvironment _environment;
        private readonly IReadOnlyDictionary<string, IndexCredential> _parameterCredentials;
        private readonly Lazy<NetrcFile?> _netrc;
        private readonly List<string> _warnings = new List<string>();
        private readonly object _gate = new object();

        public CredentialProvider(EngineEnvironment environment, IReadOnlyDictionary<string, IndexCredential>? parameterCredentials = null)
        {
            _environment = environment ?? throw new ArgumentNullException(nameof(environment));
            _parameterCredentials = parameterCredentials ?? new Dictionary<string, IndexCredential>();
            _netrc = new Lazy<NetrcFile?>(LoadNetrc);

            var keyring = environment.Get("UV_KEYRING_PROVIDER");
            if (keyring != null && !string.Equals(keyring, "disabled", StringComparison.OrdinalIgnoreCase))
            {
                _warnings.Add($"UV_KEYRING_PROVIDER={keyring} is set, but IndexTools does not query keyring: credentials stored only in a keyring are not found.");
            }
        }

        /// <summary>Keyring lookups are not available in IndexTools.</summary>
        public static bool KeyringSupported => false;

        /// <summary>Things worth telling the user (an unreadable netrc file, a keyring request). Never secrets.</summary>
        public IReadOnlyList<string> Warnings
        {
            get
            {
                _ = _netrc.Value;
                lock (_gate)
                {
                    return _warnings.ToArray();
                }
            }
        }

        /// <summary>The netrc file used, or null when none exists.</summary>
        public string? NetrcPath { get; private set; }

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
        /// The credentials known without asking any store: parameter, env, URL (uv caches these before the first
        /// request and sends them on it). Honors <c>authenticate = never</c>: throws
        /// <see cref="IndexConfigurationException"/> (ErrorId <c>CredentialsNotAllowed</c>) when the URL embeds credentials
        /// or a parameter credential targets the index, otherwise returns nothing.
        /// </summary>
        public (IndexCredential? Credential, CredentialSourceKind Source) FindDirect(IndexDefinition index)
        {
            if (index is null)
            {
                throw new ArgumentNullException(nameof(index));
            }

            var parameter = FindParameter(index);
            var url = FromUrl(index.Url);
            if (index.Authenticate == AuthenticatePolicy.Never)
            {
                if (parameter != null || url != null)
                {
                    var what = parameter != null ? "a credential was given for it" : "its URL embeds credentials";
                    throw new IndexConfigurationException(
                        $"Index '{index.DisplayName}' has authenticate = \"never\", but {what}. Remove the credentials or change authenticate.",
                        index.Source.FilePath,
                        index.Source.Line,
                        indexName: index.Name)
                    {
                        ErrorId = "CredentialsNotAllowed",
                    };
                }

                return (null, CredentialSourceKind.None);
            }

            if (parameter != null)
            {
                return (parameter, CredentialSourceKind.Parameter);
            }

            if (index.Name != null)
            {
                var username = _environment.Get(UsernameVariable(index.Name));
                var password = _environment.Get(PasswordVariable(index.Name));
                if (username != null || password != null)
                {
                    return (new IndexCredential(username, password), CredentialSourceKind.Env);
                }
            }

            if (url != null)
            {
                return (url, CredentialSourceKind.Url);
            }

            return (null, CredentialSourceKind.None);
        }

        /// <summary>
        /// The full lookup for a request to <paramref name="requestUrl"/> made for <paramref name="index"/>: the direct
        /// credentials, completed or replaced from netrc as uv does. When <paramref name="requestUrl"/> is in another realm
        /// than the index (a cross-origin redirect), only netrc is asked, for that URL's host.
        /// <c>authenticate = never</c> returns nothing (or throws, see <see cref="FindDirect"/>).
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
                return FindInNetrc(requestUrl, null);
            }

            if (direct.Credential is null)
            {
                return FindInNetrc(requestUrl, null);
            }

            if (direct.Credential.IsComplete)
            {
                return direct;
            }

            var fromNetrc = FindInNetrc(requestUrl, direct.Credential.Username);
            return fromNetrc.Credential != null ? fromNetrc : direct;
        }

        /// <summary>netrc only: the entry for <paramref name="url"/>'s host (or <c>default</c>), optionally of one login.</summary>
        public (IndexCredential? Credential, CredentialSourceKind Source) FindInNetrc(Uri url, string? username)
        {
            var netrc = _netrc.Value;
            var found = netrc?.Find(url.Host, username);
            return found is null ? (null, CredentialSourceKind.None) : (found, CredentialSourceKind.Netrc);
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
                    .Append(", pass a credential, or add a netrc entry for its host.");
            }
            else
            {
                message.Append("Pass a credential, embed them in the index URL, or add a netrc entry for its host.");
            }

            return new IndexConfigurationException(message.ToString(), index.Source.FilePath, index.Source.Line, indexName: index.Name)
            {
                ErrorId = "MissingCredentials",
            };
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

        /// <summary>An index URL for comparisons: no user info, no trailing slash, scheme and host lower-cased.</summary>
        internal static string ComparableUrl(string url)
        {
            var uri = TryHttpUri(url);
            if (uri is null)
            {
                return url.TrimEnd('/', '\\');
            }

            var builder = new UriBuilder(uri) { UserName = "", Password = "" };
            var text = builder.Uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped);
            return text.TrimEnd('/');
        }

        private IndexCredential? FindParameter(IndexDefinition index)
        {
            if (_parameterCredentials.Count == 0)
            {
                return null;
            }

            if (index.Name != null && _parameterCredentials.TryGetValue(index.Name, out var byName))
            {
                return byName;
            }

            var target = ComparableUrl(index.Url);
            foreach (var pair in _parameterCredentials)
            {
                if (pair.Key.IndexOf("://", StringComparison.Ordinal) > 0
                    && string.Equals(ComparableUrl(pair.Key), target, StringComparison.OrdinalIgnoreCase))
                {
                    return pair.Value;
                }
            }

            return null;
        }

        private NetrcFile? LoadNetrc()
        {
            var candidates = new List<string>();
            var fromEnv = _environment.Get("NETRC");
            if (fromEnv != null)
            {
                candidates.Add(ExpandTilde(fromEnv));
            }

            if (!string.IsNullOrEmpty(_environment.HomeDirectory))
            {
                candidates.Add(Path.Combine(_environment.HomeDirectory, ".netrc"));
                if (_environment.IsWindows)
                {
                    candidates.Add(Path.Combine(_environment.HomeDirectory, "_netrc"));
                }
            }

            foreach (var path in candidates)
            {
                if (!File.Exists(path))
                {
                    continue;
                }

                NetrcPath = path;
                try
                {
                    // uv reads the bytes lossily as UTF-8.
                    var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
                    return NetrcFile.Parse(text, path);
                }
                catch (IndexConfigurationException ex)
                {
                    AddWarning(ex.Message + " It is ignored, as uv ignores it.");
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    AddWarning($"Cannot read netrc file '{path}': {ex.GetType().Name}. It is ignored.");
                }

                return null;
            }

            return null;
        }

        private string ExpandTilde(string path)
        {
            if (path == "~")
            {
                return _environment.HomeDirectory;
            }

            if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
            {
                return Path.Combine(_environment.HomeDirectory, path.Substring(2));
            }

            return path;
        }

        private void AddWarning(string warning)
        {
            lock (_gate)
            {
                _warnings.Add(warning);
            }
        }
    }
}
