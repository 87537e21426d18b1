using System.Text;

namespace IndexTools.Engine.Indexes
{
    /// <summary>
    /// The location of one index (or flat index, find-links location, lock registry) as a value: the one thing the engine
    /// compares when it asks "is this the same index" — for the status-code policy, the credential owner, duplicate
    /// definitions, the search's per-index memory, the audit's public test, the hints and the lock's registry.
    /// <para>Two URLs are the same index when their <see cref="Key"/>s are equal: uv's <c>CanonicalUrl</c>
    /// (crates/uv-cache-key/src/canonical_url.rs), as uv's <c>is_same_index</c> compares them
    /// (crates/uv-distribution-types/src/index_url.rs): no user info, scheme and host lower-cased, the default port
    /// dropped, the trailing slash removed (all of them: uv removes one), on github.com the path lower-cased, a <c>.git</c> suffix removed, the path's
    /// percent-encoding decoded (and re-encoded as the url crate writes a path segment). A local path is its file URL.</para>
    /// <para>uv's raw-URL equality (<c>fetch_indexes</c>, the credential store's exact service) is <see cref="RawKey"/>.</para>
    /// <para><see cref="ToString"/> redacts (uv's <c>DisplaySafeUrl</c>): the configured text, which may embed
    /// credentials, is never shown by this type. Immutable.</para>
    /// </summary>
    public sealed class IndexUrl : IEquatable<IndexUrl>
    {
        /// <summary>uv's PYPI_URL.</summary>
        public const string PyPiText = "https://pypi.org/simple";

        /// <summary>https://pypi.org/simple, the implicit default index.</summary>
        public static readonly IndexUrl PyPi = Parse(PyPiText);

        private readonly string _raw;
        private readonly string _prefix;

        private IndexUrl(string raw, string key, string rawKey, Uri? uri)
        {
            _raw = raw;
            Key = key;
            RawKey = rawKey;
            Uri = uri;
            _prefix = key.EndsWith("/", StringComparison.Ordinal) ? key : key + "/";
        }

        /// <summary>The text this value was read from, as given (may embed credentials: never show it).</summary>
        internal string Text => _raw;

        /// <summary>uv's canonical URL (see the class summary): the identity of the index. Holds no credential.</summary>
        public string Key { get; }

        /// <summary>
        /// The URL as uv's url crate compares raw URLs (scheme and host lower-cased, default port dropped; user info, path
        /// with its trailing slash, query and fragment as written). May hold the URL's credentials: compare it, never show it.
        /// </summary>
        internal string RawKey { get; }

        /// <summary>The absolute URL without user info (http, https or file), or null for text that is neither a URL nor a rooted path.</summary>
        public Uri? Uri { get; }

        /// <summary>True for an http or https URL.</summary>
        public bool IsHttp => Uri != null && (Uri.Scheme == Uri.UriSchemeHttp || Uri.Scheme == Uri.UriSchemeHttps);

        /// <summary>True for a file URL or a local path.</summary>
        public bool IsFile => Uri != null && Uri.IsFile;

        /// <summary>The host, lower-cased; empty for a path or a file URL.</summary>
        public string Host => Uri?.Host ?? "";

        /// <summary>The redacted URL (user info as <c>****</c>, signed-URL parameters hidden): what users may see.</summary>
        public string Display => UrlRedactor.Redact(_raw);

        /// <summary>The URL of a project's page under this index as users see it: <c>https://host/simple/name/</c>, redacted.</summary>
        public string DisplayProjectUrl(string normalizedName) => Display.TrimEnd('/') + "/" + normalizedName + "/";

        /// <summary>
        /// Reads an index URL or path. A value without <c>scheme://</c> is a path: a relative one is made absolute against
        /// <paramref name="baseDirectory"/> (when given). Never throws for text: what cannot be read as a URL or a rooted
        /// path is compared as written (without a trailing separator).
        /// </summary>
        public static IndexUrl Parse(string? text, string? baseDirectory = null)
        {
            var original = text ?? "";
            var raw = original.Trim();
            if (raw.IndexOf("://", StringComparison.Ordinal) < 0)
            {
                var path = raw;
                if (baseDirectory != null && path.Length > 0 && !Path.IsPathRooted(path))
                {
                    path = Path.Combine(baseDirectory, path);
                }

                if (path.Length > 0 && Path.IsPathRooted(path))
                {
                    try
                    {
                        var file = new Uri(Path.GetFullPath(path));
                        return new IndexUrl(original, Canonical(file), file.AbsoluteUri, file);
                    }
                    catch (Exception e) when (e is ArgumentException || e is UriFormatException || e is NotSupportedException || e is PathTooLongException)
                    {
                        // Not a path this platform can read: compared as written.
                    }
                }

                var plain = path.TrimEnd('/', '\\');
                return new IndexUrl(original, plain, raw, null);
            }

            var rawKey = Uri.TryCreate(raw, UriKind.Absolute, out var withUserInfo) ? withUserInfo.AbsoluteUri : raw;
            var stripped = UrlRedactor.WithoutUserInfo(raw);
            if (Uri.TryCreate(stripped, UriKind.Absolute, out var uri))
            {
                return new IndexUrl(original, Canonical(uri), rawKey, uri);
            }

            return new IndexUrl(original, stripped.TrimEnd('/'), rawKey, null);
        }

        /// <summary>True when <paramref name="other"/> is the same index (see <see cref="Key"/>).</summary>
        public bool Equals(IndexUrl? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

        /// <summary>The value of an absolute URL (as <see cref="Parse"/> reads its text).</summary>
        public static IndexUrl From(Uri url) => Parse((url ?? throw new ArgumentNullException(nameof(url))).OriginalString);

        /// <summary>uv's raw-URL equality (<see cref="RawKey"/>): a trailing slash or other credentials make another URL.</summary>
        internal bool SameRaw(IndexUrl other) => string.Equals(RawKey, other.RawKey, StringComparison.Ordinal);

        /// <summary>True when <paramref name="url"/> (a URL or path) is the same index.</summary>
        public bool SameAs(string? url) => url != null && Equals(Parse(url));

        /// <summary>
        /// True when <paramref name="url"/> is this index or lies under it (a project page of it): its key is this key or
        /// starts with it followed by a path boundary. Redacted text (<c>****@</c>) reads the same as the original.
        /// </summary>
        public bool Contains(string? url)
        {
            if (url is null)
            {
                return false;
            }

            var other = Parse(url).Key;
            return string.Equals(other, Key, StringComparison.Ordinal) || other.StartsWith(_prefix, StringComparison.Ordinal);
        }

        public override bool Equals(object? obj) => obj is IndexUrl other && Equals(other);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

        public static bool operator ==(IndexUrl? left, IndexUrl? right) => left is null ? right is null : left.Equals(right);

        public static bool operator !=(IndexUrl? left, IndexUrl? right) => !(left == right);

        /// <summary>The redacted URL (<see cref="Display"/>): never a credential.</summary>
        public override string ToString() => Display;

        /// <summary>uv's CanonicalUrl::new on a URL without user info.</summary>
        private static string Canonical(Uri uri)
        {
            var authority = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
            var path = uri.AbsolutePath;

            // Strip the trailing slash; the root path stays "/". uv pops one empty segment (pop_if_empty), so for uv
            // ".../simple//" is ".../simple/"; every comparison here before this type trimmed them all, and tests (a lock
            // registry written with "//") rely on it: we keep trimming them all.
            while (path.Length > 1 && path.EndsWith("/", StringComparison.Ordinal))
            {
                path = path.Substring(0, path.Length - 1);
            }

            // GitHub: the path lower-cased (the scheme and host already are).
            if (string.Equals(uri.Host, "github.com", StringComparison.Ordinal))
            {
                path = path.ToLowerInvariant();
            }

            path = WithoutGitSuffix(path);
            path = DecodeSegments(path);
            return authority + path + uri.Query + uri.Fragment;
        }

        /// <summary>Repositories can be reached with or without <c>.git</c>: removed from the path, or from before a last '@'.</summary>
        private static string WithoutGitSuffix(string path)
        {
            var at = path.LastIndexOf('@');
            var prefix = at < 0 ? path : path.Substring(0, at);
            if (!HasGitExtension(prefix))
            {
                return path;
            }

            return at < 0 ? path.Substring(0, path.Length - 4) : prefix.Substring(0, prefix.Length - 4) + path.Substring(at);
        }

        /// <summary>Rust's <c>Path::extension</c> is "git" (case-insensitive): the file name has a '.' that is not its first character.</summary>
        private static bool HasGitExtension(string path)
        {
            var trimmed = path.TrimEnd('/');
            var name = trimmed.Substring(trimmed.LastIndexOf('/') + 1);
            if (name.Length == 0 || name == "..")
            {
                return false;
            }

            var dot = name.LastIndexOf('.');
            return dot > 0 && string.Equals(name.Substring(dot + 1), "git", StringComparison.OrdinalIgnoreCase) && path.Length >= 4;
        }

        /// <summary>
        /// Every path segment percent-decoded (a segment that does not decode to UTF-8 stays as it is) and written again as the
        /// url crate writes a pushed segment of a special URL: '.' and '..' segments dropped, controls, non-ASCII, space and
        /// <c>" # % / &lt; &gt; ? \ ` { }</c> percent-encoded (upper-case hex).
        /// </summary>
        private static string DecodeSegments(string path)
        {
            if (path.Length == 0 || path[0] != '/')
            {
                return path;
            }

            // As path_segments_mut().clear().extend(..): the path starts as "/", a '/' is added before a segment only once
            // the path has more than that first slash (so a leading empty segment vanishes).
            var segments = path.Substring(1).Split('/');
            var builder = new StringBuilder(path.Length).Append('/');
            foreach (var segment in segments)
            {
                var decoded = Decode(segment);
                if (decoded == "." || decoded == "..")
                {
                    continue;
                }

                if (builder.Length > 1)
                {
                    builder.Append('/');
                }

                foreach (var b in Encoding.UTF8.GetBytes(decoded))
                {
                    if (NeedsEncoding(b))
                    {
                        builder.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 15]);
                    }
                    else
                    {
                        builder.Append((char)b);
                    }
                }
            }

            return builder.ToString();
        }

        private static bool NeedsEncoding(byte b)
        {
            if (b <= 0x20 || b >= 0x7F)
            {
                return true;
            }

            switch ((char)b)
            {
                case '"':
                case '#':
                case '%':
                case '/':
                case '<':
                case '>':
                case '?':
                case '\\':
                case '`':
                case '{':
                case '}':
                    return true;
                default:
                    return false;
            }
        }

        private static string Decode(string segment)
        {
            if (segment.IndexOf('%') < 0)
            {
                return segment;
            }

            var bytes = new System.Collections.Generic.List<byte>(segment.Length);
            var literal = 0;
            for (var i = 0; i < segment.Length; i++)
            {
                if (segment[i] == '%' && i + 2 < segment.Length && IsHex(segment[i + 1]) && IsHex(segment[i + 2]))
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(segment.Substring(literal, i - literal)));
                    bytes.Add((byte)((HexValue(segment[i + 1]) << 4) | HexValue(segment[i + 2])));
                    i += 2;
                    literal = i + 1;
                }
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(segment.Substring(literal)));
            try
            {
                return new UTF8Encoding(false, true).GetString(bytes.ToArray());
            }
            catch (DecoderFallbackException)
            {
                return segment;
            }
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
