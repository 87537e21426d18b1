using IndexTools.Engine.Credentials;

namespace IndexTools.Engine.Http
{
    /// <summary>
    /// The credentials the first request of one page exchange carries (uv's middleware decides them before sending; see
    /// <see cref="SimpleApiClient.PrepareCredentials(Indexes.IndexDefinition, string)"/>), and the identity they stand for.
    /// </summary>
    internal sealed class PreparedCredentials
    {
        public PreparedCredentials(IndexCredential? credential, CredentialSourceKind source, bool remember)
        {
            Credential = credential;
            Source = credential is null ? CredentialSourceKind.None : source;
            Remember = credential != null && remember;
        }

        public IndexCredential? Credential { get; }

        public CredentialSourceKind Source { get; }

        /// <summary>Whether the credential is learned for the run once the index accepts it.</summary>
        public bool Remember { get; }

        /// <summary>
        /// Who the first request is sent as: null when it goes out anonymously, else the source and the username
        /// (<c>env:alice</c>, <c>netrc:</c> for a password or token without a username). Never the secret, nor anything
        /// derived from it: it names the caller in the page cache's key, so that a credentialed run never reads what an
        /// anonymous one stored.
        /// </summary>
        public string? Identity => Credential is null ? null : Source.ToDisplayString() + ":" + (Credential.Username ?? "");
    }
}
