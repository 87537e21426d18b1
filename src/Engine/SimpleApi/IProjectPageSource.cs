using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// Where the search gets project pages from. The HTTP client implements it; an on-disk cache wraps another
    /// source and implements it too, so the search never knows whether an answer came from the wire.
    /// </summary>
    public interface IProjectPageSource
    {
        /// <summary>
        /// Asks <paramref name="index"/> for <paramref name="normalizedName"/>'s page. Never throws for HTTP statuses,
        /// network errors or unreadable pages: those come back as a <see cref="PageResponse"/>. Throws only
        /// <see cref="System.OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled, and
        /// <see cref="IndexConfigurationException"/> for an index whose settings make a request impossible
        /// (authenticate = always without credentials, authenticate = never with URL credentials).
        /// </summary>
        Task<PageResponse> GetProjectPageAsync(IndexDefinition index, string normalizedName, CancellationToken cancellationToken);
    }

    /// <summary>How a page request ended.</summary>
    public enum PageResponseKind
    {
        /// <summary>A 2xx answer that parsed as a Simple API page (possibly with zero files).</summary>
        Page,
        /// <summary>A non-2xx final status (after retries). <see cref="PageResponse.StatusCode"/> is set.</summary>
        HttpStatus,
        /// <summary>Nothing usable answered: DNS, connect, TLS, reset, timeout (after retries).</summary>
        NetworkError,
        /// <summary>A 2xx answer that is not a Simple API page: wrong content type, malformed body, too large.</summary>
        Unreadable,
        /// <summary>A local (file) index or flat folder had nothing for the project.</summary>
        LocalNotFound,
        /// <summary>Offline (uv's --offline) and the page is not in the cache: uv takes it for "not found" and continues.</summary>
        Offline,
        /// <summary>A redirect chain that ends nowhere: too many redirects, an unsupported scheme, no Location. Not an HTTP status.</summary>
        RedirectFailed,
    }

    /// <summary>What one index said about one project. Every URL and message here is already redacted.</summary>
    public sealed class PageResponse
    {
        public PageResponse(PageResponseKind kind, string url)
        {
            Kind = kind;
            Url = url;
        }

        public PageResponseKind Kind { get; }

        /// <summary>The URL asked (redacted); after redirects, the final URL.</summary>
        public string Url { get; }

        /// <summary>The final HTTP status, when one arrived.</summary>
        public int? StatusCode { get; set; }

        /// <summary>For <see cref="PageResponseKind.RedirectFailed"/>: the 3xx of the hop that could not be followed.</summary>
        public int? RedirectStatusCode { get; set; }

        /// <summary>The redacted http URL when the request was redirected from https to http (the page came over cleartext).</summary>
        public string? CleartextRedirect { get; set; }

        /// <summary>Set when <see cref="Kind"/> is Page.</summary>
        public ProjectPage? Page { get; set; }

        /// <summary>A plain, redacted sentence for NetworkError / Unreadable / HttpStatus (e.g. "connection refused").</summary>
        public string? Error { get; set; }

        /// <summary>HTTP requests made, retries and the authenticated retry included (0 for a cache hit without revalidation).</summary>
        public int Tries { get; set; }

        /// <summary>none, url, env, netrc, keyring or parameter.</summary>
        public string CredentialSource { get; set; } = "none";

        /// <summary>True when credentials were sent on the final request.</summary>
        public bool CredentialsSent { get; set; }

        /// <summary>
        /// True when any request of the exchange carried credentials (the first one, a retry after a 401, a redirect hop),
        /// even when the final hop went out without them (a credentialed request redirected to another origin). The cache
        /// never stores such an answer: it is what a credentialed caller was shown.
        /// </summary>
        public bool CredentialsInChain { get; set; }

        /// <summary>Wall time of the whole exchange, retries included.</summary>
        public double DurationMs { get; set; }

        /// <summary>The response's WWW-Authenticate header, when any (realm names help hints; no secrets).</summary>
        public string? WwwAuthenticate { get; set; }

        /// <summary>True when the answer came from the cache without a request.</summary>
        public bool FromCache { get; set; }

        /// <summary>Selected response headers (Server, X-Artifactory-Id, Cache-Control, ...) for probes. Never Authorization or cookies.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();
    }
}
