using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Credentials
{
    /// <summary>When uv asks a source (crates/uv-auth/src/middleware.rs).</summary>
    public enum CredentialStage
    {
        /// <summary>Known before the first request: our parameter, <c>UV_INDEX_&lt;NAME&gt;_USERNAME/PASSWORD</c>, the URL's user info
        /// (uv's <c>Index::credentials()</c> and the request's own credentials).</summary>
        Direct,

        /// <summary>Asked after the index refused a bare request (401, 403, 404), or before the first request when a username is
        /// known from the URL or <c>authenticate = "always"</c>: uv's <c>fetch_credentials</c> (netrc, then the uv credential
        /// store, then the keyring). Each answer is remembered for the run, a miss too.</summary>
        Fetched,
    }

    /// <summary>What a credential source is asked: the index (null for a URL of no index, after a cross-origin redirect),
    /// the URL requested (no user info), and the username already known (from the URL or the environment), if any.</summary>
    public sealed class CredentialQuery
    {
        public CredentialQuery(IndexDefinition? index, Uri url, string? username, bool always)
        {
            Index = index;
            Url = url ?? throw new ArgumentNullException(nameof(url));
            Username = string.IsNullOrEmpty(username) ? null : username;
            Always = always;
        }

        public IndexDefinition? Index { get; }

        public Uri Url { get; }

        public string? Username { get; }

        /// <summary>The index has <c>authenticate = "always"</c> (the keyring is then asked without a username).</summary>
        public bool Always { get; }
    }

    /// <summary>
    /// One place credentials come from. <see cref="CredentialProvider"/> holds them in uv's order; adding a source is a new
    /// implementation in that list, its tests and its docs. A source never throws for bad data: it reports a warning
    /// through the provider and answers null.
    /// </summary>
    public interface ICredentialSource
    {
        CredentialSourceKind Kind { get; }

        CredentialStage Stage { get; }

        /// <summary>The credential this source holds for the query, or null.</summary>
        IndexCredential? Find(CredentialQuery query);
    }
}
