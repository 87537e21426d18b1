namespace IndexTools.Engine.Credentials
{
    /// <summary>
    /// uv's per-run credential cache (crates/uv-auth/src/cache.rs <c>CredentialsCache</c>), filled with each index's own
    /// credentials (env or URL) under its URL and root URL before the run, and with every credential a 2xx/3xx answer
    /// accepted. Two views, as uv's:
    /// <list type="bullet">
    /// <item><b>by URL</b> (uv's <c>UrlTrie</c>): an entry applies to URLs of its realm whose path starts with its path, segment by
    /// segment (<c>/a/simple</c> covers <c>/a/simple/x/</c>, not <c>/a/simplex/</c> nor <c>/b/simple/</c>); the shortest such entry
    /// wins. Used before the first request.</item>
    /// <item><b>by realm</b> (scheme, host, port) and username: used after a refusal, so credentials accepted by one index of a
    /// host and port are retried on another index of the same host and port, and never on another realm.</item>
    /// </list>
    /// A username given with the lookup must match, and then a password-less entry does not answer.
    /// </summary>
    internal sealed class LearnedCredentials
    {
        private readonly object _gate = new object();
        private readonly Dictionary<(Realm, string?), Learned> _realms = new Dictionary<(Realm, string?), Learned>();
        private readonly List<(Realm Realm, string[] Segments, Learned Value)> _urls = new List<(Realm, string[], Learned)>();

        public void Insert(Uri url, Learned learned)
        {
            var credential = learned.Credential;
            if (credential.Username is null && credential.Password is null && credential.Token is null)
            {
                return;
            }

            var realm = new Realm(url);
            lock (_gate)
            {
                if (credential.Username != null)
                {
                    InsertRealm((realm, credential.Username), learned);
                }

                InsertRealm((realm, null), learned);
                var segments = Segments(url);
                _urls.RemoveAll(e => e.Realm == realm && e.Segments.SequenceEqual(segments, StringComparer.Ordinal));
                _urls.Add((realm, segments, learned));
            }
        }

        public Learned? ByUrl(Uri url, string? username)
        {
            var realm = new Realm(url);
            var segments = Segments(url);
            Learned? found = null;
            lock (_gate)
            {
                var best = -1;
                foreach (var entry in _urls)
                {
                    if (entry.Realm == realm && entry.Segments.Length <= segments.Length
                        && (best < 0 || entry.Segments.Length < best)
                        && entry.Segments.SequenceEqual(segments.Take(entry.Segments.Length), StringComparer.Ordinal))
                    {
                        best = entry.Segments.Length;
                        found = entry.Value;
                    }
                }
            }

            if (found is null)
            {
                return null;
            }

            if (username != null && !string.Equals(username, found.Credential.Username, StringComparison.Ordinal))
            {
                return null;
            }

            return username != null && found.Credential.Password is null && found.Credential.Token is null ? null : found;
        }

        public Learned? ByRealm(Uri url, string? username)
        {
            Learned? found;
            lock (_gate)
            {
                _realms.TryGetValue((new Realm(url), username), out found);
            }

            if (found != null && username != null && found.Credential.Password is null && found.Credential.Token is null)
            {
                return null;
            }

            return found;
        }

        private void InsertRealm((Realm, string?) key, Learned learned)
        {
            if (learned.Credential.IsComplete || !_realms.TryGetValue(key, out var existing) || (existing.Credential.Password is null && existing.Credential.Token is null))
            {
                _realms[key] = learned;
            }
        }

        private static string[] Segments(Uri url)
        {
            return url.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        }
    }

    /// <summary>A remembered credential: what it is, where it first came from, and the index it came for.</summary>
    internal sealed class Learned
    {
        public Learned(IndexCredential credential, CredentialSourceKind source, Indexes.IndexUrl? owner)
        {
            Credential = credential;
            Source = source;
            Owner = owner;
        }

        public IndexCredential Credential { get; }

        public CredentialSourceKind Source { get; }

        public Indexes.IndexUrl? Owner { get; }

        /// <summary>The source an attempt for <paramref name="index"/> reports: the original one for its own index, else learned.</summary>
        public CredentialSourceKind SourceFor(Indexes.IndexUrl? index) => Owner != null && Owner == index ? Source : CredentialSourceKind.Learned;
    }
}
