using IndexTools.Engine.Credentials;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Http
{
    /// <summary>What one page exchange carries through the handler pipeline (stored in the request's properties).</summary>
    internal sealed class RequestState
    {
        private const string Key = "IndexTools.RequestState";

        public RequestState(IndexDefinition index, Uri? indexUri)
        {
            Index = index;
            IndexRealm = indexUri is null ? (Realm?)null : new Realm(indexUri);
        }

        public IndexDefinition Index { get; }

        /// <summary>The realm the index's own credentials belong to.</summary>
        public Realm? IndexRealm { get; }

        /// <summary>The credential for <see cref="IndexRealm"/> (known before the first request, or found after a 401).</summary>
        public IndexCredential? Credential { get; set; }

        public CredentialSourceKind CredentialSource { get; set; }

        /// <summary>A credential found for another realm (netrc, after a cross-origin redirect and a 401).</summary>
        public IndexCredential? ForeignCredential { get; set; }

        public Realm? ForeignRealm { get; set; }

        public CredentialSourceKind ForeignSource { get; set; }

        /// <summary>Every request that went on the wire.</summary>
        public int Tries;

        /// <summary>Whether the last request on the wire carried Authorization, and from which source.</summary>
        public bool CredentialsSent { get; set; }

        public CredentialSourceKind SentSource { get; set; }

        /// <summary>Whether any request of this exchange carried Authorization (never reset by a later hop that did not).</summary>
        public bool CredentialsSentInChain { get; set; }

        /// <summary>The 2xx body exceeded the size limit; its content was dropped.</summary>
        public bool BodyTooLarge { get; set; }

        /// <summary>Why a 2xx body could not be used: a Content-Encoding we do not decode, or bytes that do not decode.</summary>
        public string? BodyError { get; set; }

        /// <summary>The running attempt's read-timeout timer (reset on every body read).</summary>
        public CancellationTokenSource? AttemptTimer { get; set; }

        /// <summary>Whether <see cref="Credential"/> goes into the run's learned credentials once the index accepts it (uv's
        /// <c>complete_request</c> with credentials: the URL's own, and every fetched one).</summary>
        public bool RememberOnSuccess { get; set; }

        /// <summary>The (redacted) http URL when the chain was redirected from https to http: no credential is sent from then on.</summary>
        public string? CleartextRedirect { get; set; }

        public void Attach(HttpRequestMessage request)
        {
#pragma warning disable CS0618 // Properties is the netstandard2.0 way; Options does not exist there.
            request.Properties[Key] = this;
#pragma warning restore CS0618
        }

        public static RequestState? Of(HttpRequestMessage request)
        {
#pragma warning disable CS0618
            return request.Properties.TryGetValue(Key, out var value) ? value as RequestState : null;
#pragma warning restore CS0618
        }
    }
}
