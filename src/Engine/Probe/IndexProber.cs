using System.Diagnostics;
using System.Security.Authentication;
using System.Text;
using System.Text.RegularExpressions;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Security;
using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Probe
{
    /// <summary>What to probe besides the fixed questions.</summary>
    public sealed class ProbeOptions
    {
        /// <summary>A package expected on the index (e.g. an internal one): asked with and without credentials.</summary>
        public string? Package { get; set; }

        /// <summary>The well-known public package asked for to see whether the index serves public packages (default pip).</summary>
        public string PublicPackage { get; set; } = "pip";

        /// <summary>The surely-missing name; default <c>indextools-probe-&lt;guid&gt;</c>.</summary>
        public string? MissingName { get; set; }

        /// <summary>ignore-error-codes in effect for the index (explicit or inferred), beyond 404.</summary>
        public IReadOnlyList<int> IgnoredStatusCodes { get; set; } = Array.Empty<int>();

        /// <summary>The configuration file that defines the index, copied to the result.</summary>
        public string? ConfigFile { get; set; }
    }

    /// <summary>
    /// Asks one index a fixed set of questions over HTTP (root with JSON-only and HTML-only Accept, a surely-missing
    /// name with and without credentials, a public package, an optional known package) without following redirects
    /// automatically, then hands the answers to <see cref="ProbeAnalysis"/>. Credentials come from the
    /// <see cref="CredentialProvider"/> as for a search and are sent only to the index's own realm; they never reach
    /// an observation, a message or the result.
    /// </summary>
    public sealed class IndexProber : IDisposable
    {
        public const string JsonAccept = "application/vnd.pypi.simple.v1+json";
        public const string HtmlAccept = "application/vnd.pypi.simple.v1+html, text/html;q=0.9";
        private const int MaxRedirectHops = 5;
        private const int BodyStartChars = 4096;
        private const int MaxRootBytes = 256 * 1024;
        private const int MaxPageBytes = 8 * 1024 * 1024;

        private static readonly string[] SecretHints = { "auth", "token", "cookie", "secret", "signature", "credential", "session", "key" };
        private static readonly Regex JsonApiVersion = new Regex("\"api-version\"\\s*:\\s*\"([^\"]{1,20})\"", RegexOptions.CultureInvariant);
        private static readonly Regex HtmlApiVersion = new Regex("<meta\\s+name=[\"']pypi:repository-version[\"']\\s+content=[\"']([^\"']{1,20})[\"']", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private readonly HttpSettings _settings;
        private readonly CredentialProvider _credentials;
        private readonly Action<string>? _debug;
        private readonly HttpClient _client;

        public IndexProber(HttpSettings settings, CredentialProvider credentials, Action<string>? debug = null)
        {
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            _debug = NetworkText.Cleaning(debug);
            _client = new HttpClient(PrimaryHandlerFactory.Create(settings), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        public void Dispose() => _client.Dispose();

        /// <summary>
        /// Probes <paramref name="index"/>. Throws only <see cref="OperationCanceledException"/> and
        /// <see cref="IndexConfigurationException"/> (credentials given for an index with authenticate = never).
        /// </summary>
        public async Task<IndexProbeResult> ProbeAsync(IndexDefinition index, ProbeOptions? options, CancellationToken cancellationToken)
        {
            if (index is null)
            {
                throw new ArgumentNullException(nameof(index));
            }

            options ??= new ProbeOptions();
            var watch = Stopwatch.StartNew();
            var missingName = options.MissingName ?? "indextools-probe-" + Guid.NewGuid().ToString("n");
            var indexUri = CredentialProvider.TryHttpUri(index.Url);
            if (indexUri is null)
            {
                return ProbeAnalysis.NotProbed(index, options, missingName, "a local index (" + index.DisplayUrl + ") is not probed over HTTP");
            }

            var bare = new UriBuilder(indexUri) { UserName = "", Password = "" }.Uri;
            var found = index.Authenticate == AuthenticatePolicy.Never ? (null, CredentialSourceKind.None) : _credentials.Find(index, bare);
            if (index.Authenticate == AuthenticatePolicy.Never)
            {
                _credentials.FindDirect(index); // throws CredentialsNotAllowed when credentials were given anyway
            }

            var credential = found.Credential != null && found.Credential.IsComplete ? found.Credential : null;
            var realm = new Realm(bare);
            var observations = new List<ProbeObservation>();

            async Task<ProbeObservation> Ask(string purpose, Uri url, string accept, bool withCredentials, int maxBytes, string? project)
            {
                var first = await SendAsync(purpose, url, accept, withCredentials ? credential : null, maxBytes, project, cancellationToken).ConfigureAwait(false);
                observations.Add(first);
                var current = first;
                for (var hop = 0; hop < MaxRedirectHops && current.IsRedirect && current.Location != null; hop++)
                {
                    var sendAgain = withCredentials && new Realm(current.Location) == realm ? credential : null;
                    current = await SendAsync(purpose + ProbePurposes.RedirectSuffix, current.Location, accept, sendAgain, maxBytes, project, cancellationToken).ConfigureAwait(false);
                    observations.Add(current);
                }

                return first;
            }

            var hasCredentials = credential != null;
            if (index.Format == IndexFormat.Flat)
            {
                await Ask(ProbePurposes.RootHtml, bare, "text/html", hasCredentials, MaxRootBytes, null).ConfigureAwait(false);
                if (hasCredentials)
                {
                    await Ask(ProbePurposes.RootAnonymous, bare, "text/html", false, MaxRootBytes, null).ConfigureAwait(false);
                }
            }
            else
            {
                var rootJson = await Ask(ProbePurposes.RootJson, bare, JsonAccept, hasCredentials, MaxRootBytes, null).ConfigureAwait(false);
                if (rootJson.Error is null)
                {
                    await Ask(ProbePurposes.RootHtml, bare, HtmlAccept, hasCredentials, MaxRootBytes, null).ConfigureAwait(false);
                    if (hasCredentials)
                    {
                        await Ask(ProbePurposes.RootAnonymous, bare, SimpleApiClient.AcceptHeader, false, MaxRootBytes, null).ConfigureAwait(false);
                    }

                    var missingUrl = SimpleApiClient.BuildProjectUrl(bare, missingName);
                    if (hasCredentials)
                    {
                        await Ask(ProbePurposes.Missing, missingUrl, SimpleApiClient.AcceptHeader, true, MaxRootBytes, missingName).ConfigureAwait(false);
                    }

                    await Ask(ProbePurposes.MissingAnonymous, missingUrl, SimpleApiClient.AcceptHeader, false, MaxRootBytes, missingName).ConfigureAwait(false);

                    var publicName = PackageName.Normalize(options.PublicPackage);
                    var publicUrl = SimpleApiClient.BuildProjectUrl(bare, publicName);
                    ProbeObservation? publicWith = null;
                    if (hasCredentials)
                    {
                        publicWith = await Ask(ProbePurposes.Public, publicUrl, SimpleApiClient.AcceptHeader, true, MaxPageBytes, publicName).ConfigureAwait(false);
                    }

                    var publicAnonymous = await Ask(ProbePurposes.PublicAnonymous, publicUrl, SimpleApiClient.AcceptHeader, false, MaxPageBytes, publicName).ConfigureAwait(false);

                    ProbeObservation? package = null;
                    if (!string.IsNullOrWhiteSpace(options.Package))
                    {
                        var name = PackageName.Normalize(options.Package!);
                        var url = SimpleApiClient.BuildProjectUrl(bare, name);
                        package = await Ask(ProbePurposes.Package, url, SimpleApiClient.AcceptHeader, hasCredentials, MaxPageBytes, name).ConfigureAwait(false);
                        if (hasCredentials)
                        {
                            await Ask(ProbePurposes.PackageAnonymous, url, SimpleApiClient.AcceptHeader, false, MaxPageBytes, name).ConfigureAwait(false);
                        }
                    }

                    // The root tells the formats when it is served; otherwise ask a page that answered.
                    var rootHtml = observations.First(o => o.Purpose == ProbePurposes.RootHtml);
                    if (!rootJson.IsSuccess && !rootHtml.IsSuccess)
                    {
                        var page = new[] { package, publicWith ?? publicAnonymous }.FirstOrDefault(o => o != null && o.IsSuccess);
                        if (page != null)
                        {
                            var project = page.Url.AbsolutePath.TrimEnd('/').Split('/').Last();
                            await Ask(ProbePurposes.PageJson, page.Url, JsonAccept, page.WithCredentials, MaxPageBytes, project).ConfigureAwait(false);
                            await Ask(ProbePurposes.PageHtml, page.Url, HtmlAccept, page.WithCredentials, MaxPageBytes, project).ConfigureAwait(false);
                        }
                    }
                }
            }

            var input = new ProbeInput(index, bare, missingName, observations)
            {
                HasCredentials = hasCredentials,
                CredentialSource = hasCredentials ? found.Source.ToDisplayString() : "none",
                Options = options,
            };
            var result = ProbeAnalysis.Analyze(input);
            result.DurationMs = watch.Elapsed.TotalMilliseconds;
            return result;
        }

        private async Task<ProbeObservation> SendAsync(string purpose, Uri url, string accept, IndexCredential? credential, int maxBytes, string? project, CancellationToken cancellationToken)
        {
            var observation = new ProbeObservation(purpose, url) { Accept = accept, WithCredentials = credential != null };
            var watch = Stopwatch.StartNew();
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var request = new HttpRequestMessage(HttpMethod.Get, url))
            {
                timeout.CancelAfter(_settings.Timeout);
                request.Headers.TryAddWithoutValidation("Accept", accept);
                request.Headers.TryAddWithoutValidation("User-Agent", _settings.UserAgent);
                if (credential != null)
                {
                    var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.Password));
                    request.Headers.TryAddWithoutValidation("Authorization", "Basic " + token);
                }

                try
                {
                    using (var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false))
                    {
                        observation.StatusCode = (int)response.StatusCode;
                        observation.ContentType = response.Content?.Headers.ContentType?.MediaType;
                        observation.Headers = SafeHeaders(response);
                        if (response.Headers.Location is Uri location)
                        {
                            observation.Location = location.IsAbsoluteUri ? location : new Uri(url, location);
                        }

                        var body = response.Content is null ? Array.Empty<byte>() : await ReadLimitedAsync(response.Content, maxBytes, timeout.Token).ConfigureAwait(false);
                        var text = Encoding.UTF8.GetString(body, 0, body.Length);
                        observation.BodyStart = text.Length > BodyStartChars ? text.Substring(0, BodyStartChars) : text;
                        ReadPage(observation, body, text, project, response.Content?.Headers.ContentType?.ToString(), maxBytes);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException)
                {
                    observation.Error = "timed out after " + _settings.Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " s";
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is TimeoutException)
                {
                    observation.TlsFailure = IsTls(ex);
                    observation.Error = observation.TlsFailure ? TlsMessage(ex) : NetworkErrors.Describe(ex);
                }
            }

            observation.DurationMs = watch.Elapsed.TotalMilliseconds;
            _debug?.Invoke("Probe " + purpose + ": GET " + UrlRedactor.Redact(url.AbsoluteUri) + (credential != null ? " (with credentials)" : "") + " -> "
                + (observation.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? observation.Error));
            return observation;
        }

        private static void ReadPage(ProbeObservation observation, byte[] body, string text, string? project, string? contentType, int maxBytes)
        {
            if (!observation.IsSuccess)
            {
                return;
            }

            var json = JsonApiVersion.Match(text);
            if (json.Success && (observation.ContentType ?? "").IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                observation.ApiVersion = json.Groups[1].Value;
            }
            else
            {
                var html = HtmlApiVersion.Match(text);
                if (html.Success)
                {
                    observation.ApiVersion = html.Groups[1].Value;
                }
            }

            if (project is null || body.Length >= maxBytes || !ProjectPageParser.IsSupportedContentType(contentType))
            {
                return;
            }

            try
            {
                var page = ProjectPageParser.Parse(body, contentType, observation.Url, project);
                var tracks = page.Tracks.Count > 0 ? page.Tracks : JsonMetaTracks(body, observation.ContentType);
                observation.Tracks = tracks.Select(UrlRedactor.Redact).ToArray();
                observation.AlternateLocations = page.AlternateLocations.Select(UrlRedactor.Redact).ToArray();
                observation.ApiVersion = page.ApiVersion ?? observation.ApiVersion;
            }
            catch (ProjectPageFormatException)
            {
                // Not a readable project page (a login page, a catch-all): the analysis sees the content type and body start.
            }
        }

        /// <summary>
        /// PEP 708 puts <c>tracks</c> inside <c>meta</c> in JSON (alternate-locations is top-level); the page parser reads it at
        /// the top level only, so the probe reads <c>meta.tracks</c> itself.
        /// </summary>
        internal static IReadOnlyList<string> JsonMetaTracks(byte[] body, string? mediaType)
        {
            if (mediaType is null || mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return Array.Empty<string>();
            }

            try
            {
                using (var document = System.Text.Json.JsonDocument.Parse(body))
                {
                    if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                        && document.RootElement.TryGetProperty("meta", out var meta)
                        && meta.ValueKind == System.Text.Json.JsonValueKind.Object
                        && meta.TryGetProperty("tracks", out var tracks)
                        && tracks.ValueKind == System.Text.Json.JsonValueKind.Array)
                    {
                        return tracks.EnumerateArray().Where(t => t.ValueKind == System.Text.Json.JsonValueKind.String).Select(t => t.GetString()!).ToArray();
                    }
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: no tracks.
            }

            return Array.Empty<string>();
        }

        private static async Task<byte[]> ReadLimitedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
        {
            using (var stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
            using (var buffer = new MemoryStream())
            {
                var chunk = new byte[16384];
                while (buffer.Length < maxBytes)
                {
                    var read = await stream.ReadAsync(chunk, 0, (int)Math.Min(chunk.Length, maxBytes - buffer.Length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    buffer.Write(chunk, 0, read);
                }

                return buffer.ToArray();
            }
        }

        /// <summary>Response and content headers without anything that may carry a secret (Set-Cookie, tokens, signatures).</summary>
        internal static IReadOnlyDictionary<string, string> SafeHeaders(HttpResponseMessage response)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var all = response.Headers.AsEnumerable();
            if (response.Content != null)
            {
                all = all.Concat(response.Content.Headers);
            }

            foreach (var header in all)
            {
                var name = header.Key;
                if (string.Equals(name, "WWW-Authenticate", StringComparison.OrdinalIgnoreCase))
                {
                    headers[name] = NetworkText.Clean(string.Join(", ", header.Value))!;
                    continue;
                }

                if (SecretHints.Any(h => name.IndexOf(h, StringComparison.OrdinalIgnoreCase) >= 0))
                {
                    continue;
                }

                var value = string.Join(", ", header.Value);
                headers[name] = NetworkText.Clean(string.Equals(name, "Location", StringComparison.OrdinalIgnoreCase) ? UrlRedactor.Redact(value) : value)!;
            }

            return headers;
        }

        private static bool IsTls(Exception exception)
        {
            for (var current = exception; current != null; current = current.InnerException)
            {
                if (current is AuthenticationException)
                {
                    return true;
                }
            }

            return false;
        }

        private static string TlsMessage(Exception exception)
        {
            for (var current = exception; current != null; current = current.InnerException)
            {
                if (current is AuthenticationException auth)
                {
                    return "TLS handshake failed: " + auth.Message;
                }
            }

            return "TLS handshake failed";
        }
    }
}
