using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.Engine.Http
{
    /// <summary>
    /// Follows redirects itself (the primary handler has AllowAutoRedirect = false), as uv's
    /// <c>RedirectClientWithMiddleware</c> does: 301, 302, 303, 307 and 308, at most <see cref="HttpSettings.MaxRedirects"/>
    /// (the last 3xx is returned past that), relative Locations resolved against the request URL. Each hop goes through
    /// retry and authentication again; the authentication handler decides per realm whether Authorization is sent, so
    /// a hop to another origin never carries the index's credentials. As in uv, an https → http downgrade is followed;
    /// unlike uv, nothing is ever sent with it (<see cref="RequestState.CleartextRedirect"/>: no Authorization, no
    /// credential lookup on that chain) and the attempt carries a security warning. A Location whose scheme is not
    /// http or https, a 3xx without a Location, and more than <see cref="HttpSettings.MaxRedirects"/> hops end the
    /// request with <see cref="RedirectRefusedException"/> ("too many redirects (10)"); user info in a Location is dropped.
    /// </summary>
    internal sealed class RedirectHandler : DelegatingHandler
    {
        private readonly HttpSettings _settings;
        private readonly Action<string>? _debug;

        public RedirectHandler(HttpSettings settings, Action<string>? debug)
        {
            _settings = settings;
            _debug = debug;
        }

        internal static bool IsRedirect(int status) => status == 301 || status == 302 || status == 303 || status == 307 || status == 308;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            for (var hop = 0; ; hop++)
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (!IsRedirect(status) || request.RequestUri is null)
                {
                    return response;
                }

                var location = response.Headers.Location;
                if (location is null)
                {
                    response.Dispose();
                    throw new RedirectRefusedException(status, $"HTTP {status} redirect without a Location header (a server configuration issue)");
                }

                if (hop >= _settings.MaxRedirects)
                {
                    response.Dispose();
                    throw new RedirectRefusedException(status, $"too many redirects ({_settings.MaxRedirects})");
                }

                var target = ResolveRedirect(request.RequestUri, location, status);
                var crossOrigin = new Realm(target) != new Realm(request.RequestUri);
                var downgrade = request.RequestUri.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp;
                var state = RequestState.Of(request);
                if (downgrade && state != null)
                {
                    state.CleartextRedirect ??= UrlRedactor.Redact(target.AbsoluteUri);
                }

                _debug?.Invoke($"HTTP {status} redirect to {UrlRedactor.Redact(target.AbsoluteUri)}"
                    + (downgrade ? " (https to http: followed as uv does, with no credentials; the page comes over cleartext)"
                        : crossOrigin ? " (another origin: the index's credentials are not sent there)" : ""));
                response.Dispose();
                if (status == 303 && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
                {
                    request.Method = HttpMethod.Get;
                    request.Content = null;
                }

                request.Headers.Authorization = null;
                request.RequestUri = target;
            }
        }

        /// <summary>The next URL for a redirect, or <see cref="RedirectRefusedException"/> when we do not follow it.</summary>
        internal static Uri ResolveRedirect(Uri from, Uri location, int status)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(from, location);
            if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
            {
                throw new RedirectRefusedException(status, $"redirect to an unsupported scheme ({target.Scheme}:); only http and https are followed");
            }

            if (target.UserInfo.Length > 0)
            {
                target = new UriBuilder(target) { UserName = "", Password = "" }.Uri;
            }

            return target;
        }
    }

    /// <summary>
    /// Retries transient failures as uv does (crates/uv-client/src/retry.rs, base_client.rs <c>retry_policy</c>): request
    /// errors (connect, reset, DNS, TLS handshake — certificate errors excepted), our read timeout, and the statuses
    /// 408, 429 and 500–599. Backoff: base × 2^n with bounded jitter, capped; a Retry-After header is honoured up to
    /// <see cref="HttpSettings.MaxRetryAfter"/> (uv ignores it). Each try gets a read timeout that the buffering handler
    /// re-arms on every body read; the caller's token cancels at once and is never taken for a timeout.
    /// </summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        private static readonly object RandomGate = new object();
        private static readonly Random Jitter = new Random();
        private readonly HttpSettings _settings;
        private readonly Action<string>? _debug;
        private readonly Action<RetryNotice>? _retry;

        public RetryHandler(HttpSettings settings, Action<string>? debug, Action<RetryNotice>? retry = null)
        {
            _settings = settings;
            _debug = debug;
            _retry = retry;
        }

        internal static bool IsRetryableStatus(int status) => status == 408 || status == 429 || (status >= 500 && status <= 599);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var state = RequestState.Of(request);
            for (var attempt = 0; ; attempt++)
            {
                HttpResponseMessage? response = null;
                Exception? failure = null;
                using (var timer = new CancellationTokenSource())
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token))
                {
                    if (state != null)
                    {
                        state.AttemptTimer = timer;
                    }

                    if (_settings.Timeout > TimeSpan.Zero && _settings.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
                    {
                        timer.CancelAfter(_settings.Timeout);
                    }

                    try
                    {
                        response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (OperationCanceledException) when (timer.IsCancellationRequested)
                    {
                        failure = new ReadTimeoutException(_settings.Timeout);
                    }
                    catch (OperationCanceledException)
                    {
                        // Not the caller, not our timer: the primary handler's own connect timeout.
                        failure = new ReadTimeoutException(EffectiveConnectTimeout(_settings), connecting: true);
                    }
                    catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                    {
                        if (cancellationToken.IsCancellationRequested)
                        {
                            throw new OperationCanceledException(cancellationToken);
                        }

                        failure = timer.IsCancellationRequested ? new ReadTimeoutException(_settings.Timeout) : ex;
                    }
                    finally
                    {
                        if (state != null)
                        {
                            state.AttemptTimer = null;
                        }
                    }
                }

                TimeSpan delay;
                string why;
                if (failure != null)
                {
                    if (!NetworkErrors.IsTransient(failure) || attempt >= _settings.Retries)
                    {
                        if (failure is ReadTimeoutException)
                        {
                            throw failure;
                        }

                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
                    }

                    delay = Backoff(attempt);
                    why = NetworkErrors.Describe(failure);
                    _debug?.Invoke($"Transient failure ({NetworkErrors.Describe(failure)}); retrying in {ReadTimeoutException.FormatSeconds(delay)} (retry {attempt + 1} of {_settings.Retries})");
                }
                else
                {
                    var status = (int)response!.StatusCode;
                    if (!IsRetryableStatus(status) || attempt >= _settings.Retries)
                    {
                        return response;
                    }

                    delay = RetryAfter(response) ?? Backoff(attempt);
                    why = "HTTP " + status;
                    _debug?.Invoke($"Transient HTTP {status}; retrying in {ReadTimeoutException.FormatSeconds(delay)} (retry {attempt + 1} of {_settings.Retries})");
                    response.Dispose();
                }

                if (_retry is null)
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var notice = new RetryNotice(state?.Index.DisplayName ?? request.RequestUri?.Authority ?? "index", attempt + 1, _settings.Retries, delay, why);
                _retry(notice);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _retry(notice.Finished());
                }
            }
        }

        internal static TimeSpan EffectiveConnectTimeout(HttpSettings settings)
        {
            return settings.Timeout > TimeSpan.Zero && settings.Timeout < settings.ConnectTimeout ? settings.Timeout : settings.ConnectTimeout;
        }

        private TimeSpan Backoff(int attempt)
        {
            var upper = _settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
            upper = Math.Min(upper, _settings.MaxRetryDelay.TotalMilliseconds);
            double fraction;
            lock (RandomGate)
            {
                fraction = Jitter.NextDouble();
            }

            return TimeSpan.FromMilliseconds(Math.Max(0, (upper / 2) + (fraction * upper / 2)));
        }

        private TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header is null)
            {
                return null;
            }

            TimeSpan? wait = header.Delta;
            if (wait is null && header.Date.HasValue)
            {
                wait = header.Date.Value - DateTimeOffset.UtcNow;
            }

            if (wait is null)
            {
                return null;
            }

            if (wait.Value < TimeSpan.Zero)
            {
                return TimeSpan.Zero;
            }

            return wait.Value > _settings.MaxRetryAfter ? _settings.MaxRetryAfter : wait.Value;
        }
    }

    /// <summary>
    /// Reads a 2xx body into memory inside the retried region (so a reset or stall while reading is retried, as uv's
    /// <c>get_cacheable_with_retry</c> does), re-arming the read timeout on every read, and stops at
    /// <see cref="HttpSettings.MaxPageBytes"/> (the body is then dropped and the page reported Unreadable).
    /// </summary>
    internal sealed class BufferingHandler : DelegatingHandler
    {
        private readonly HttpSettings _settings;

        public BufferingHandler(HttpSettings settings)
        {
            _settings = settings;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status < 200 || status > 299 || response.Content is null)
            {
                return response;
            }

            var state = RequestState.Of(request);
            try
            {
                HttpContent content;
                var undecoded = response.Content.Headers.ContentEncoding
                    .Where(e => !string.Equals(e, "identity", StringComparison.OrdinalIgnoreCase))
                    .ToArray();
                if (undecoded.Length > 0 && state != null)
                {
                    // The primary handler decodes gzip and deflate (what we advertise) and removes them from the header;
                    // anything left (br, zstd, a made-up name) would reach the parser as compressed bytes.
                    state.BodyError = "the page's Content-Encoding '" + string.Join(", ", undecoded) + "' is not one IndexTools decodes (gzip, deflate)";
                    content = new ByteArrayContent(Array.Empty<byte>());
                }
                else
                {
                    try
                    {
                        using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                        {
                            // Sized from Content-Length, owned by the new content and released when the response is disposed.
                            // Bodies past the small-body size wait for the process-wide large-body gate (bounded memory).
                            var body = await PageBuffer.ReadAsync(
                                stream,
                                _settings.MaxPageBytes,
                                response.Content.Headers.ContentLength,
                                () => RearmTimer(state),
                                cancellationToken,
                                LargeBodyGate.Shared,
                                () => PauseTimer(state)).ConfigureAwait(false);
                            content = new BufferedBody(body);
                        }
                    }
                    catch (ProjectPageFormatException) when (state != null)
                    {
                        // Over the page limit (declared or read): the client reports it, nothing more is read.
                        state.BodyTooLarge = true;
                        content = new ByteArrayContent(Array.Empty<byte>());
                    }
                    catch (InvalidDataException ex) when (state != null)
                    {
                        // gzip or deflate declared, other bytes sent: a page problem of this index, not of the command.
                        state.BodyError = "the page does not decode as its Content-Encoding says (" + ex.Message.TrimEnd('.') + ")";
                        content = new ByteArrayContent(Array.Empty<byte>());
                    }
                }

                foreach (var header in response.Content.Headers)
                {
                    if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)
                        && !string.Equals(header.Key, "Content-Encoding", StringComparison.OrdinalIgnoreCase))
                    {
                        content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }
                }

                response.Content.Dispose();
                response.Content = content;
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        /// <summary>Stops the read timeout while a body waits for the large-body gate (the server is not the one stalling).</summary>
        private static void PauseTimer(RequestState? state)
        {
            try
            {
                state?.AttemptTimer?.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private void RearmTimer(RequestState? state)
        {
            var timer = state?.AttemptTimer;
            if (timer != null && _settings.Timeout > TimeSpan.Zero && _settings.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            {
                try
                {
                    timer.CancelAfter(_settings.Timeout);
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }
    }

    /// <summary>
    /// A response body buffered in a pooled array (<see cref="PageBuffer"/>): read as a MemoryStream over that array,
    /// which the page parser reads in place; disposing the content (with its response) returns the array, once.
    /// </summary>
    internal sealed class BufferedBody : HttpContent
    {
        private readonly int _length;
        private PageBuffer? _buffer;

        public BufferedBody(PageBuffer buffer)
        {
            _buffer = buffer ?? throw new ArgumentNullException(nameof(buffer));
            _length = buffer.Length;
        }

        private byte[] Bytes => (_buffer ?? throw new ObjectDisposedException(nameof(BufferedBody))).Array;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            stream.WriteAsync(Bytes, 0, _length);

        protected override Task<Stream> CreateContentReadStreamAsync() =>
            Task.FromResult<Stream>(new MemoryStream(Bytes, 0, _length, writable: false, publiclyVisible: true));

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Interlocked.Exchange(ref _buffer, null)?.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// uv's authentication middleware (crates/uv-auth/src/middleware.rs), narrowed to what a page request needs:
    /// Authorization is set only for the realm it belongs to — the index's credential for the index's realm, a fetched one
    /// (netrc, uv-store) for another realm. A complete credential is sent as it is and never retried. Otherwise the request goes
    /// out bare (or with a username alone) and, on 401, 403 or 404 (uv's set), the lookup uv makes then — what the run learned
    /// for the index or its realm, else netrc, the uv credential store and the keyring — and the request is sent once more
    /// with what it found. An accepted fetched credential is learned for the run. authenticate = never: only what the
    /// request carries (the URL's own credentials), never a lookup or a retry.
    /// </summary>
    internal sealed class AuthenticationHandler : DelegatingHandler
    {
        private readonly CredentialProvider _credentials;
        private readonly Action<string>? _debug;

        public AuthenticationHandler(CredentialProvider credentials, Action<string>? debug)
        {
            _credentials = credentials;
            _debug = debug;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = null;
            var state = RequestState.Of(request);
            if (state is null || request.RequestUri is null || state.CleartextRedirect != null)
            {
                // A chain that went from https to http sends nothing, whatever the realm (the redirect handler marks it).
                if (state != null)
                {
                    state.CredentialsSent = false;
                    state.SentSource = CredentialSourceKind.None;
                }

                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            var realm = new Realm(request.RequestUri);
            var own = state.IndexRealm.HasValue && state.IndexRealm.Value == realm;
            IndexCredential? credential;
            CredentialSourceKind source;
            if (own)
            {
                credential = state.Credential;
                source = state.CredentialSource;
            }
            else if (state.ForeignRealm.HasValue && state.ForeignRealm.Value == realm)
            {
                credential = state.ForeignCredential;
                source = state.ForeignSource;
            }
            else
            {
                credential = null;
                source = CredentialSourceKind.None;
            }

            var never = state.Index.Authenticate == AuthenticatePolicy.Never;
            if (credential != null && (credential.IsComplete || never))
            {
                Authorize(request, credential, state, source);
                var answered = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (own && state.RememberOnSuccess && (int)answered.StatusCode < 400)
                {
                    _credentials.Remember(state.Index, request.RequestUri, credential, source);
                }

                return answered;
            }

            if (credential != null)
            {
                Authorize(request, credential, state, source);
            }
            else
            {
                state.CredentialsSent = false;
                state.SentSource = CredentialSourceKind.None;
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if ((status != 401 && status != 403 && status != 404) || never)
            {
                return response;
            }

            var username = credential?.Username;
            (IndexCredential? Credential, CredentialSourceKind Source) found = (null, CredentialSourceKind.None);
            var fetched = false;
            if (own)
            {
                var owner = state.Index.IndexUrl;
                var indexUri = CredentialProvider.TryHttpUri(state.Index.Url) ?? request.RequestUri;
                var known = _credentials.Learned.ByUrl(indexUri, username) ?? _credentials.Learned.ByRealm(request.RequestUri, username);
                if (known != null && known.Credential.IsComplete && !ReferenceEquals(known.Credential, credential))
                {
                    found = (known.Credential, known.SourceFor(owner));
                }
                else
                {
                    found = _credentials.Fetch(state.Index, request.RequestUri, username);
                    fetched = true;
                }
            }
            else
            {
                found = _credentials.Fetch(null, request.RequestUri, username);
                fetched = true;
            }

            if (found.Credential is null)
            {
                return response;
            }

            _debug?.Invoke($"HTTP {status} from {UrlRedactor.Redact(request.RequestUri.AbsoluteUri)}; retrying with credentials from {found.Source.ToDisplayString()}");
            response.Dispose();
            if (own)
            {
                state.Credential = found.Credential;
                state.CredentialSource = found.Source;
                state.RememberOnSuccess = fetched;
            }
            else
            {
                state.ForeignRealm = realm;
                state.ForeignCredential = found.Credential;
                state.ForeignSource = found.Source;
            }

            Authorize(request, found.Credential, state, found.Source);
            var retried = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (own && fetched && (int)retried.StatusCode < 400)
            {
                _credentials.Remember(state.Index, request.RequestUri, found.Credential, found.Source);
            }

            return retried;
        }

        private static void Authorize(HttpRequestMessage request, IndexCredential credential, RequestState state, CredentialSourceKind source)
        {
            request.Headers.Authorization = credential.ToAuthorization();
            state.CredentialsSent = true;
            state.CredentialsSentInChain = true;
            state.SentSource = source;
        }
    }

    /// <summary>The innermost handler: counts every request on the wire and writes one redacted debug line per exchange.</summary>
    internal sealed class WireLogHandler : DelegatingHandler
    {
        private static readonly string[] LoggedHeaders = { "Content-Type", "Content-Length", "Server", "Location", "WWW-Authenticate", "Retry-After", "Cache-Control", "ETag" };
        private readonly Action<string>? _debug;

        public WireLogHandler(Action<string>? debug)
        {
            _debug = debug;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var state = RequestState.Of(request);
            var tries = state is null ? 1 : Interlocked.Increment(ref state.Tries);
            var withCredentials = request.Headers.Authorization != null;
            var url = UrlRedactor.Redact(request.RequestUri?.AbsoluteUri);
            var watch = Stopwatch.StartNew();
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (_debug != null)
                {
                    var line = new StringBuilder();
                    line.Append("HTTP ").Append(request.Method.Method).Append(' ').Append(url)
                        .Append(" -> ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase)
                        .Append(" (").Append(watch.ElapsedMilliseconds).Append(" ms, try ").Append(tries)
                        .Append(", credentials ").Append(withCredentials ? "sent" : "not sent").Append(')');
                    foreach (var name in LoggedHeaders)
                    {
                        var value = HeaderValue(response, name);
                        if (value != null)
                        {
                            line.Append("; ").Append(name).Append(": ")
                                .Append(name == "Location" ? UrlRedactor.Redact(value) : value);
                        }
                    }

                    _debug(line.ToString());
                }

                return response;
            }
            catch (Exception ex)
            {
                _debug?.Invoke($"HTTP {request.Method.Method} {url} -> failed after {watch.ElapsedMilliseconds} ms (try {tries}): "
                    + (ex is OperationCanceledException ? "cancelled or timed out" : NetworkErrors.Describe(ex)));
                throw;
            }
        }

        internal static string? HeaderValue(HttpResponseMessage response, string name)
        {
            if (response.Headers.TryGetValues(name, out var values)
                || (response.Content != null && response.Content.Headers.TryGetValues(name, out values)))
            {
                return string.Join(", ", values.ToArray());
            }

            return null;
        }
    }
}
