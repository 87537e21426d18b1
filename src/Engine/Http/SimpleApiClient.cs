using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Security;
using IndexTools.Engine.SimpleApi;
using Microsoft.Extensions.DependencyInjection;

namespace IndexTools.Engine.Http
{
    /// <summary>
    /// Asks Simple API indexes (PEP 503 HTML / PEP 691 JSON), flat indexes and local index folders for project pages,
    /// the way uv's registry client does (crates/uv-client/src/registry_client.rs). Built on Microsoft.Extensions.Http:
    /// one named client whose pipeline is, outermost first, redirect → retry → buffering → authentication → wire log →
    /// the primary handler (see <see cref="PrimaryHandlerFactory"/>).
    /// <para>Tries (in <see cref="PageResponse.Tries"/>) counts every request that went on the wire: the first one,
    /// retries, the authenticated retry after a 401, and each redirect hop.</para>
    /// </summary>
    public sealed class SimpleApiClient : IProjectPageSource, IDisposable
    {
        /// <summary>uv's <c>MediaType::pypi()</c> Accept header, byte for byte.</summary>
        public const string AcceptHeader = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

        private const string ClientName = "IndexTools.SimpleApi";

        private static readonly string[] HeaderNames =
        {
            "Server", "Cache-Control", "ETag", "Last-Modified", "Age", "Date", "Expires", "Vary", "Content-Type", "Via", "Location",
            "X-Artifactory-Id", "X-Artifactory-Node-Id",
        };

        private static readonly string[] HeaderPrefixes = { "X-JFrog-", "X-TFS-", "X-VSS-", "X-GitLab-", "X-Amz-", "X-Goog-" };

        private static readonly string[] SecretHints = { "auth", "token", "cookie", "secret", "signature", "credential", "key", "session" };

        private readonly HttpSettings _settings;
        private readonly CredentialProvider _credentials;
        private readonly Action<string>? _debug;
        private readonly Action<RetryNotice>? _retry;
        private readonly ServiceProvider _services;
        private readonly IHttpClientFactory _factory;
        private readonly List<HttpMessageHandler> _primaries = new List<HttpMessageHandler>();

        private readonly ConcurrentDictionary<IndexUrl, Lazy<Task<FlatListing>>> _flat =
            new ConcurrentDictionary<IndexUrl, Lazy<Task<FlatListing>>>();

        /// <param name="retry">Told before and after each backoff wait (progress records), or null.</param>
        public SimpleApiClient(HttpSettings settings, CredentialProvider credentials, Action<string>? debug = null, Action<RetryNotice>? retry = null)
        {
            _retry = retry;
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            _debug = NetworkText.Cleaning(debug);

            var services = new ServiceCollection();
            services.AddHttpClient(ClientName, client =>
                {
                    client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
                })
                .ConfigurePrimaryHttpMessageHandler(() =>
                {
                    var primary = PrimaryHandlerFactory.Create(_settings);
                    lock (_primaries)
                    {
                        _primaries.Add(primary);
                    }

                    return primary;
                })
                .AddHttpMessageHandler(() => new RedirectHandler(_settings, _debug))
                .AddHttpMessageHandler(() => new RetryHandler(_settings, _debug, _retry))
                .AddHttpMessageHandler(() => new BufferingHandler(_settings))
                .AddHttpMessageHandler(() => new AuthenticationHandler(_credentials, _debug))
                .AddHttpMessageHandler(() => new WireLogHandler(_debug))
                .SetHandlerLifetime(System.Threading.Timeout.InfiniteTimeSpan)
                .RemoveAllLoggers();
            _services = services.BuildServiceProvider();
            _factory = _services.GetRequiredService<IHttpClientFactory>();
        }

        public HttpSettings Settings => _settings;

        /// <summary>
        /// Asks <paramref name="index"/> for <paramref name="normalizedName"/>'s page.
        /// <list type="bullet">
        /// <item>Simple index over HTTP: GET <c>&lt;index url&gt;/&lt;name&gt;/</c> with uv's Accept header; 2xx → Page or
        /// Unreadable, other final status → HttpStatus, no answer → NetworkError.</item>
        /// <item>Simple index in a local folder (a <c>file://</c> URL or a path): <c>&lt;folder&gt;/&lt;name&gt;/index.html</c>;
        /// missing → LocalNotFound.</item>
        /// <item>Flat index (a folder, an HTML file, or an HTML page over HTTP): read ONCE per client and index and reused for
        /// every package, as uv caches it per run. The page returned holds ALL the flat index's files, not only this
        /// project's: the search filters them by project name. A flat HTTP page that fails is not cached.</item>
        /// </list>
        /// Throws only <see cref="OperationCanceledException"/> and <see cref="IndexConfigurationException"/> (MissingCredentials
        /// for authenticate = always, CredentialsNotAllowed for authenticate = never with credentials given directly).
        /// </summary>
        public Task<PageResponse> GetProjectPageAsync(IndexDefinition index, string normalizedName, CancellationToken cancellationToken)
        {
            return GetProjectPageAsync(index, normalizedName, null, cancellationToken);
        }

        /// <summary>As <see cref="GetProjectPageAsync(IndexDefinition, string, CancellationToken)"/>, with conditional-request
        /// headers for a cache layer (a 304 answer comes back as HttpStatus 304 with its headers).</summary>
        public Task<PageResponse> GetProjectPageAsync(IndexDefinition index, string normalizedName, PageRequestOptions? options, CancellationToken cancellationToken)
        {
            return GetProjectPageAsync(index, normalizedName, options, null, cancellationToken);
        }

        /// <summary>
        /// The credentials the first request for <paramref name="normalizedName"/>'s page on a Simple index over HTTP will
        /// carry (what <see cref="GetProjectPageAsync(IndexDefinition, string, PageRequestOptions?, PreparedCredentials?, CancellationToken)"/>
        /// sends when given this value), decided before anything is sent: the cache keys its entries on their
        /// <see cref="PreparedCredentials.Identity"/>. Throws MissingCredentials as a request would (authenticate = always).
        /// </summary>
        internal PreparedCredentials PrepareCredentials(IndexDefinition index, string normalizedName)
        {
            var indexUri = CredentialProvider.TryHttpUri(index.Url) ?? throw new ArgumentException("Not an HTTP index: " + UrlRedactor.Redact(index.Url), nameof(index));
            return PrepareCredentials(index, BuildProjectUrl(indexUri, normalizedName));
        }

        /// <summary>As the public overload; <paramref name="prepared"/> (from <see cref="PrepareCredentials(IndexDefinition, string)"/>
        /// for this index and name) is used instead of deciding the first request's credentials again.</summary>
        internal async Task<PageResponse> GetProjectPageAsync(IndexDefinition index, string normalizedName, PageRequestOptions? options, PreparedCredentials? prepared, CancellationToken cancellationToken)
        {
            if (index is null)
            {
                throw new ArgumentNullException(nameof(index));
            }

            if (string.IsNullOrEmpty(normalizedName))
            {
                throw new ArgumentException("A project name is required.", nameof(normalizedName));
            }

            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            PageResponse response;
            if (index.Format == IndexFormat.Flat)
            {
                response = await GetFlatAsync(index, normalizedName, cancellationToken).ConfigureAwait(false);
            }
            else if (CredentialProvider.TryHttpUri(index.Url) is Uri indexUri)
            {
                var url = BuildProjectUrl(indexUri, normalizedName);
                response = await FetchAsync(index, url, AcceptHeader, options, ParseSimplePageAsync(normalizedName), prepared, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                response = ReadLocalSimple(index, normalizedName);
            }

            response.DurationMs = watch.Elapsed.TotalMilliseconds;
            return response;
        }

        /// <summary>
        /// uv's project URL: the index URL without user info, one trailing empty path segment dropped, then
        /// <c>&lt;name&gt;/</c> appended (the query string is kept).
        /// </summary>
        public static Uri BuildProjectUrl(Uri indexUrl, string normalizedName)
        {
            var builder = new UriBuilder(indexUrl) { UserName = "", Password = "", Fragment = "" };
            var path = builder.Path;
            if (path.EndsWith("/", StringComparison.Ordinal))
            {
                path = path.Substring(0, path.Length - 1);
            }

            builder.Path = path + "/" + Uri.EscapeDataString(normalizedName) + "/";
            return builder.Uri;
        }

        /// <summary>
        /// Closes every connection the client opened. The factory never disposes a handler whose lifetime is infinite, so
        /// without this a command's pooled connections (up to the concurrency, per host) stayed open until a garbage
        /// collection finalized their sockets, and repeated commands in one session piled them up on both ends.
        /// </summary>
        public void Dispose()
        {
            _services.Dispose();
            HttpMessageHandler[] primaries;
            lock (_primaries)
            {
                primaries = _primaries.ToArray();
                _primaries.Clear();
            }

            foreach (var primary in primaries)
            {
                primary.Dispose();
            }
        }

        private Func<HttpResponseMessage, Uri, CancellationToken, Task<ProjectPage>> ParseSimplePageAsync(string normalizedName)
        {
            return async (response, finalUrl, ct) =>
            {
                var contentType = response.Content.Headers.ContentType?.MediaType;
                if (contentType is null)
                {
                    throw new UnreadablePageException("the response has no Content-Type");
                }

                var media = contentType.ToLowerInvariant();
                if (media != "application/vnd.pypi.simple.v1+json" && media != "application/vnd.pypi.simple.v1+html" && media != "text/html")
                {
                    throw new UnreadablePageException($"unsupported Content-Type '{contentType}'");
                }

                var header = response.Content.Headers.ContentType!.ToString();
                using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    try
                    {
                        return await ProjectPageParser.ParseAsync(stream, header, finalUrl, normalizedName, _settings.MaxPageBytes, ct).ConfigureAwait(false);
                    }
                    catch (ProjectPageFormatException ex)
                    {
                        throw new UnreadablePageException(UrlRedactor.Redact(ex.Message));
                    }
                }
            };
        }

        private async Task<PageResponse> FetchAsync(
            IndexDefinition index,
            Uri url,
            string accept,
            PageRequestOptions? options,
            Func<HttpResponseMessage, Uri, CancellationToken, Task<ProjectPage>> parse,
            PreparedCredentials? prepared,
            CancellationToken cancellationToken)
        {
            var indexUri = CredentialProvider.TryHttpUri(index.Url);
            var state = new RequestState(index, indexUri);
            var first = prepared ?? PrepareCredentials(index, url);
            state.Credential = first.Credential;
            state.CredentialSource = first.Source;
            state.RememberOnSuccess = first.Remember;

            using (var request = new HttpRequestMessage(HttpMethod.Get, url))
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
                request.Headers.TryAddWithoutValidation("User-Agent", _settings.UserAgent);
                if (options?.IfNoneMatch != null)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", options.IfNoneMatch);
                }

                if (options?.IfModifiedSince != null)
                {
                    request.Headers.IfModifiedSince = options.IfModifiedSince;
                }

                if (options?.CacheControl != null)
                {
                    request.Headers.TryAddWithoutValidation("Cache-Control", options.CacheControl);
                }

                state.Attach(request);
                var client = _factory.CreateClient(ClientName);
                var deadlineLength = _settings.EffectiveRequestDeadline;
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                if (deadlineLength != System.Threading.Timeout.InfiniteTimeSpan)
                {
                    deadline.CancelAfter(deadlineLength);
                }

                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (deadline.IsCancellationRequested && (ex is OperationCanceledException || ex is HttpRequestException || ex is IOException || ex is TimeoutException))
                {
                    return Finish(new PageResponse(PageResponseKind.NetworkError, UrlRedactor.Redact(request.RequestUri?.AbsoluteUri))
                    {
                        Error = "timed out: no complete answer within the request deadline of " + ReadTimeoutException.FormatSeconds(deadlineLength)
                            + " (every try, redirect and body read together; the read timeout × (retries + 2) unless set)",
                    }, state);
                }
                catch (RedirectRefusedException ex)
                {
                    return Finish(new PageResponse(PageResponseKind.RedirectFailed, UrlRedactor.Redact(request.RequestUri?.AbsoluteUri)) { RedirectStatusCode = ex.StatusCode, Error = ex.Message }, state);
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is TimeoutException)
                {
                    return Finish(new PageResponse(PageResponseKind.NetworkError, UrlRedactor.Redact(request.RequestUri?.AbsoluteUri)) { Error = NetworkErrors.Describe(ex) }, state);
                }

                using (response)
                {
                    var finalUrl = request.RequestUri ?? url;
                    var status = (int)response.StatusCode;
                    var display = UrlRedactor.Redact(finalUrl.AbsoluteUri);
                    PageResponse result;
                    if (status < 200 || status > 299)
                    {
                        result = new PageResponse(PageResponseKind.HttpStatus, display) { StatusCode = status };
                    }
                    else if (state.BodyError != null)
                    {
                        result = new PageResponse(PageResponseKind.Unreadable, display) { StatusCode = status, Error = state.BodyError };
                    }
                    else if (state.BodyTooLarge)
                    {
                        result = new PageResponse(PageResponseKind.Unreadable, display)
                        {
                            StatusCode = status,
                            Error = $"the page is larger than {_settings.MaxPageBytes} bytes",
                        };
                    }
                    else
                    {
                        try
                        {
                            var page = await parse(response, finalUrl, cancellationToken).ConfigureAwait(false);
                            result = new PageResponse(PageResponseKind.Page, display) { StatusCode = status, Page = page };
                        }
                        catch (UnreadablePageException ex)
                        {
                            result = new PageResponse(PageResponseKind.Unreadable, display) { StatusCode = status, Error = ex.Message };
                        }
                    }

                    result.WwwAuthenticate = WireLogHandler.HeaderValue(response, "WWW-Authenticate");
                    result.Headers = SelectHeaders(response);
                    return Finish(result, state);
                }
            }
        }

        /// <summary>
        /// The credentials uv sends on the first request (crates/uv-auth/src/middleware.rs <c>handle</c>):
        /// <list type="bullet">
        /// <item>authenticate = never: only the URL's own credentials (the request carries them; uv looks nothing up);</item>
        /// <item>complete direct credentials (parameter, env, URL): those;</item>
        /// <item>a username from the URL only: what the run learned for the index with that username, else the fetched sources
        /// (netrc, uv-store, keyring) with it, else the realm's learned ones, else the username alone;</item>
        /// <item>otherwise what the run learned for a URL prefix of this one (the index's own env/URL credentials, or another
        /// index's under the same path), else an env username or password alone;</item>
        /// <item>authenticate = always and nothing complete yet: the learned and fetched sources now (keyring without a
        /// username too); still nothing is MissingCredentials.</item>
        /// </list>
        /// </summary>
        private PreparedCredentials PrepareCredentials(IndexDefinition index, Uri url)
        {
            var direct = _credentials.FindDirect(index);
            if (index.Authenticate == AuthenticatePolicy.Never)
            {
                return new PreparedCredentials(direct.Credential, direct.Source, remember: false);
            }

            var owner = index.IndexUrl;
            var indexUri = CredentialProvider.TryHttpUri(index.Url) ?? url;
            var learned = _credentials.Learned;
            (IndexCredential? Credential, CredentialSourceKind Source) chosen = direct;
            var remember = false;

            // What the run learned: sent as learned, under the source that first gave it (as seen by this index).
            void TakeLearned(Learned known) => chosen = (known.Credential, known.SourceFor(owner));

            // The fetched sources (netrc, uv-store, keyring) for this URL: what they give is sent and, once accepted, learned.
            bool TakeFetched(string? username)
            {
                var fetched = _credentials.Fetch(index, url, username);
                if (fetched.Credential is null)
                {
                    return false;
                }

                chosen = fetched;
                remember = true;
                return true;
            }

            if (direct.Credential != null && direct.Credential.IsComplete)
            {
                // uv caches request credentials (the URL's) when accepted; the env ones are cached already; ours stay ours.
                remember = direct.Source == CredentialSourceKind.Url;
            }
            else if (direct.Credential != null && direct.Source == CredentialSourceKind.Url)
            {
                var username = direct.Credential.Username;
                if (learned.ByUrl(indexUri, username) is Learned known)
                {
                    TakeLearned(known);
                }
                else if (!TakeFetched(username) && learned.ByRealm(url, username) is Learned realm)
                {
                    TakeLearned(realm);
                }
            }
            else if (learned.ByUrl(url, null) is Learned prefix && (direct.Credential is null || prefix.Credential.IsComplete))
            {
                TakeLearned(prefix);
            }

            if (index.Authenticate == AuthenticatePolicy.Always && (chosen.Credential is null || !chosen.Credential.IsComplete))
            {
                var username = chosen.Credential?.Username;
                var known = learned.ByUrl(indexUri, username) ?? learned.ByRealm(url, username);
                if (known != null && known.Credential.IsComplete)
                {
                    TakeLearned(known);
                }
                else
                {
                    TakeFetched(username);
                }

                if (chosen.Credential is null || !chosen.Credential.IsComplete)
                {
                    throw _credentials.MissingCredentials(index, incomplete: chosen.Credential != null);
                }
            }

            return new PreparedCredentials(chosen.Credential, chosen.Source, remember);
        }

        private static PageResponse Finish(PageResponse response, RequestState state)
        {
            // Text a server wrote (reason, WWW-Authenticate, headers, error details) leaves the engine here: control
            // characters escaped, known secrets scrubbed.
            response.Error = NetworkText.Clean(response.Error);
            response.WwwAuthenticate = NetworkText.Clean(response.WwwAuthenticate);
            if (response.Headers.Count > 0)
            {
                var clean = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var header in response.Headers)
                {
                    clean[header.Key] = NetworkText.Clean(header.Value)!;
                }

                response.Headers = clean;
            }

            response.CleartextRedirect = state.CleartextRedirect;
            response.Tries = state.Tries;
            response.CredentialsSent = state.CredentialsSent;
            response.CredentialsInChain = state.CredentialsSentInChain || state.CredentialsSent;
            response.CredentialSource = (state.CredentialsSent ? state.SentSource : CredentialSourceKind.None).ToDisplayString();
            return response;
        }

        internal static IReadOnlyDictionary<string, string> SelectHeaders(HttpResponseMessage response)
        {
            var selected = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var all = response.Headers.AsEnumerable();
            if (response.Content != null)
            {
                all = all.Concat(response.Content.Headers);
            }

            foreach (var header in all)
            {
                var name = header.Key;
                var wanted = HeaderNames.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
                    || (HeaderPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                        && !SecretHints.Any(h => name.IndexOf(h, StringComparison.OrdinalIgnoreCase) >= 0));
                if (!wanted)
                {
                    continue;
                }

                var value = string.Join(", ", header.Value);
                if (string.Equals(name, "Location", StringComparison.OrdinalIgnoreCase))
                {
                    value = UrlRedactor.Redact(value);
                }

                selected[name] = value;
            }

            return selected;
        }

        private PageResponse ReadLocalSimple(IndexDefinition index, string normalizedName)
        {
            var root = LocalPath(index.Url);
            var display = UrlRedactor.Redact(index.Url);
            try
            {
                var page = LocalIndexReader.ReadProject(root, normalizedName);
                if (page is null)
                {
                    return new PageResponse(PageResponseKind.LocalNotFound, display) { Error = $"no {normalizedName}/index.html in the local index" };
                }

                return new PageResponse(PageResponseKind.Page, display) { Page = page };
            }
            catch (ProjectPageFormatException ex)
            {
                return new PageResponse(PageResponseKind.Unreadable, display) { Error = ex.Message };
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return new PageResponse(PageResponseKind.Unreadable, display) { Error = "cannot read the local index (" + ex.GetType().Name + ")" };
            }
        }

        private async Task<PageResponse> GetFlatAsync(IndexDefinition index, string normalizedName, CancellationToken cancellationToken)
        {
            var key = index.IndexUrl;
            while (true)
            {
                var created = false;
                var lazy = _flat.GetOrAdd(key, _ =>
                {
                    created = true;
                    return new Lazy<Task<FlatListing>>(() => LoadFlatAsync(index, cancellationToken));
                });
                FlatListing listing;
                try
                {
                    listing = await lazy.Value.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!created && !cancellationToken.IsCancellationRequested)
                {
                    // Another caller's load was cancelled; load again for this one.
                    ((ICollection<KeyValuePair<IndexUrl, Lazy<Task<FlatListing>>>>)_flat).Remove(new KeyValuePair<IndexUrl, Lazy<Task<FlatListing>>>(key, lazy));
                    continue;
                }
                catch
                {
                    ((ICollection<KeyValuePair<IndexUrl, Lazy<Task<FlatListing>>>>)_flat).Remove(new KeyValuePair<IndexUrl, Lazy<Task<FlatListing>>>(key, lazy));
                    throw;
                }

                var first = listing.Response;
                if (first.Kind != PageResponseKind.Page || first.Page is null)
                {
                    ((ICollection<KeyValuePair<IndexUrl, Lazy<Task<FlatListing>>>>)_flat).Remove(new KeyValuePair<IndexUrl, Lazy<Task<FlatListing>>>(key, lazy));
                    return first;
                }

                if (Interlocked.Exchange(ref listing.Handed, 1) == 0)
                {
                    return Copy(first, normalizedName, fromCache: false);
                }

                return Copy(first, normalizedName, fromCache: true);
            }
        }

        private static PageResponse Copy(PageResponse source, string normalizedName, bool fromCache)
        {
            var page = new ProjectPage(normalizedName, source.Page!.Files) { Format = "flat" };
            return new PageResponse(source.Kind, source.Url)
            {
                StatusCode = source.StatusCode,
                Page = page,
                Tries = fromCache ? 0 : source.Tries,
                CredentialSource = source.CredentialSource,
                CredentialsSent = !fromCache && source.CredentialsSent,
                CredentialsInChain = source.CredentialsInChain,
                WwwAuthenticate = source.WwwAuthenticate,
                Headers = source.Headers,
                FromCache = fromCache,
                CleartextRedirect = source.CleartextRedirect,
            };
        }

        private async Task<FlatListing> LoadFlatAsync(IndexDefinition index, CancellationToken cancellationToken)
        {
            if (CredentialProvider.TryHttpUri(index.Url) is Uri url)
            {
                var bare = new UriBuilder(url) { UserName = "", Password = "" }.Uri;
                var response = await FetchAsync(index, bare, "text/html", null, async (message, finalUrl, ct) =>
                {
                    var contentType = message.Content.Headers.ContentType?.ToString();
                    using (var stream = await message.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    {
                        try
                        {
                            var files = FlatIndexReader.ParseHtml(stream, finalUrl, contentType, _settings.MaxPageBytes);
                            return new ProjectPage("", files) { Format = "flat" };
                        }
                        catch (ProjectPageFormatException ex)
                        {
                            throw new UnreadablePageException(UrlRedactor.Redact(ex.Message));
                        }
                    }
                }, null, cancellationToken).ConfigureAwait(false);
                return new FlatListing(response);
            }

            var display = UrlRedactor.Redact(index.Url);
            try
            {
                var files = FlatIndexReader.ReadLocal(LocalPath(index.Url));
                return new FlatListing(new PageResponse(PageResponseKind.Page, display) { Page = new ProjectPage("", files) { Format = "flat" } });
            }
            catch (ProjectPageFormatException ex)
            {
                return new FlatListing(new PageResponse(PageResponseKind.Unreadable, display) { Error = ex.Message });
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                var reason = ex is DirectoryNotFoundException || ex is FileNotFoundException
                    ? "the flat index folder or file does not exist"
                    : "cannot read the flat index (" + ex.GetType().Name + ")";
                return new FlatListing(new PageResponse(PageResponseKind.Unreadable, display) { Error = reason });
            }
        }

        /// <summary>A local index location: a <c>file://</c> URL's path, or a path (made absolute).</summary>
        internal static string LocalPath(string url)
        {
            if (url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile)
            {
                return uri.LocalPath;
            }

            return Path.GetFullPath(url);
        }

        private sealed class UnreadablePageException : Exception
        {
            public UnreadablePageException(string message)
                : base(message)
            {
            }
        }

        private sealed class FlatListing
        {
            /// <summary>1 once the first caller got the listing with its real Tries.</summary>
            public int Handed;

            public FlatListing(PageResponse response)
            {
                Response = response;
            }

            public PageResponse Response { get; }
        }
    }
}
