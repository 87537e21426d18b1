using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IndexTools.IndexServer
{
    /// <summary>
    /// A Kestrel server on 127.0.0.1 and a free port that serves the indexes of a <see cref="ServerFixture"/>
    /// with their behaviours, and records every request. The fixture is copied at start: later changes to
    /// the caller's objects do not affect the running server.
    /// </summary>
    public sealed class IndexServerHost : IAsyncDisposable
    {
        private const string AbortedKey = "IndexServer.Aborted";
        private readonly WebApplication _app;
        private readonly Dictionary<string, IndexContent> _indexes;
        private readonly List<RecordedRequest> _requests = new List<RecordedRequest>();
        private readonly object _requestsLock = new object();
        private readonly ConcurrentDictionary<string, int> _failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private long _sequence;
        private IndexServerHost? _crossOrigin;
        private Uri? _baseUrl;

        private IndexServerHost(WebApplication app, ServerFixture fixture)
        {
            _app = app;
            Fixture = fixture;
            _indexes = fixture.Indexes.ToDictionary(i => i.Name, i => new IndexContent(i, () => BaseUrl.AbsoluteUri), StringComparer.Ordinal);
        }

        /// <summary><c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
        public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The server is not started.");

        /// <summary>The copy of the fixture this server serves.</summary>
        public ServerFixture Fixture { get; }

        /// <summary>The second server (another origin) serving <see cref="ServerFixture.PeerIndexes"/>; null when there are none.</summary>
        public IndexServerHost? Peer { get; private set; }

        /// <summary>Every request in arrival order (a snapshot).</summary>
        public IReadOnlyList<RecordedRequest> Requests
        {
            get
            {
                lock (_requestsLock)
                {
                    return _requests.ToArray();
                }
            }
        }

        public static async Task<IndexServerHost> StartAsync(ServerFixture fixture, CancellationToken ct = default)
        {
            if (fixture == null)
            {
                throw new ArgumentNullException(nameof(fixture));
            }

            // A deep copy, which also validates the fixture.
            var copy = ServerFixture.FromJson(fixture.ToJson());
            var host = await StartOneAsync(new ServerFixture { Indexes = copy.Indexes }, ct).ConfigureAwait(false);
            if (copy.PeerIndexes.Count > 0)
            {
                try
                {
                    var peer = await StartOneAsync(new ServerFixture { Indexes = copy.PeerIndexes }, ct).ConfigureAwait(false);
                    host.Peer = peer;
                    host._crossOrigin = peer;
                    peer._crossOrigin = host;
                }
                catch
                {
                    await host.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }

            return host;
        }

        /// <summary><c>&lt;base&gt;/&lt;name&gt;/simple/</c>.</summary>
        public Uri IndexUrl(string indexName) => new Uri(BaseUrl, Uri.EscapeDataString(indexName) + "/simple/");

        /// <summary><c>&lt;base&gt;/&lt;name&gt;/flat/</c>: an HTML page linking every file of the index.</summary>
        public Uri FlatUrl(string indexName) => new Uri(BaseUrl, Uri.EscapeDataString(indexName) + "/flat/");

        /// <summary><c>&lt;base&gt;/&lt;name&gt;/simple/&lt;normalized project&gt;/</c>.</summary>
        public Uri ProjectUrl(string indexName, string project) => new Uri(IndexUrl(indexName), Names.Normalize(project) + "/");

        /// <summary>Counts recorded requests, optionally for one index and/or one project (any spelling).</summary>
        public int CountRequests(string? index = null, string? project = null)
        {
            var normalized = project == null ? null : Names.Normalize(project);
            return Requests.Count(r => (index == null || r.Index == index) && (normalized == null || r.Project == normalized));
        }

        public void ClearRequests()
        {
            lock (_requestsLock)
            {
                _requests.Clear();
            }
        }

        /// <summary>Forgets how many times each URL failed, so <see cref="IndexBehavior.FailTimes"/> counts from zero again.</summary>
        public void ResetFailures() => _failures.Clear();

        public async ValueTask DisposeAsync()
        {
            if (Peer != null)
            {
                var peer = Peer;
                Peer = null;
                await peer.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                await _app.DisposeAsync().ConfigureAwait(false);
            }
        }

        private static async Task<IndexServerHost> StartOneAsync(ServerFixture fixture, CancellationToken ct)
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(IndexServerHost).Assembly.GetName().Name });
            builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
            {
                options.AddServerHeader = false;
                options.Listen(IPAddress.Loopback, 0);
                options.Limits.MaxConcurrentConnections = null;
                options.Limits.MinResponseDataRate = null;
            });
            var app = builder.Build();
            var host = new IndexServerHost(app, fixture);
            app.Run(host.HandleAsync);
            await app.StartAsync(ct).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var address = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no listening address.");
            host._baseUrl = new Uri(address.TrimEnd('/') + "/");
            return host;
        }

        private static bool IsControlRoute(string[] segments)
        {
            return segments.Length == 2 && segments[0] == "_control" && segments[1] == "requests";
        }

        private async Task HandleAsync(HttpContext ctx)
        {
            var request = ctx.Request;
            var path = request.Path.Value ?? "/";
            var trailingSlash = path.EndsWith("/", StringComparison.Ordinal);
            var segments = path.Trim('/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            var indexName = segments.Length > 0 ? segments[0] : null;
            if (IsControlRoute(segments))
            {
                // Control route for benchmarks run against the server as a process: request counts, and a reset.
                // Not recorded itself. GET /_control/requests → {"total":N,"byStatus":{"200":N,...}}; POST/DELETE clears.
                if (HttpMethods.IsGet(request.Method))
                {
                    var all = Requests;
                    var byStatus = all.GroupBy(r => (r.ResponseStatus ?? 0).ToString(CultureInfo.InvariantCulture))
                        .ToDictionary(g => g.Key, g => g.Count());
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new { total = all.Count, byStatus })).ConfigureAwait(false);
                }
                else
                {
                    ClearRequests();
                    ctx.Response.StatusCode = 204;
                }

                return;
            }

            _indexes.TryGetValue(indexName ?? string.Empty, out var content);

            var kind = RequestKind.Other;
            string? rawProject = null;
            if (content != null && segments.Length >= 2)
            {
                switch (segments[1])
                {
                    case "simple" when segments.Length == 2:
                        kind = RequestKind.Root;
                        break;
                    case "simple" when segments.Length == 3:
                        kind = RequestKind.Project;
                        rawProject = segments[2];
                        break;
                    case "files" when segments.Length == 3:
                        kind = RequestKind.File;
                        break;
                    case "flat" when segments.Length == 2:
                        kind = RequestKind.Flat;
                        break;
                }
            }
            else if (segments.Length == 2 && segments[0] == "_sso" && segments[1] == "login")
            {
                kind = RequestKind.Login;
            }

            var record = Record(ctx, content?.Name, rawProject, kind);
            try
            {
                if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
                {
                    ctx.Response.Headers["Allow"] = "GET, HEAD";
                    await WriteTextAsync(ctx, null, 405, "text/plain", "405 Method Not Allowed\n").ConfigureAwait(false);
                    return;
                }

                if (content == null || kind == RequestKind.Other)
                {
                    if (kind == RequestKind.Login)
                    {
                        await WriteTextAsync(ctx, null, 200, "text/html", LoginPage).ConfigureAwait(false);
                    }
                    else if (segments.Length == 0)
                    {
                        await WriteTextAsync(ctx, null, 200, "text/html", HomePage()).ConfigureAwait(false);
                    }
                    else
                    {
                        await WriteTextAsync(ctx, content?.Behavior, 404, "text/plain", "404 Not Found\n").ConfigureAwait(false);
                    }

                    return;
                }

                await HandleIndexAsync(ctx, content, kind, rawProject, segments, trailingSlash, record).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
            {
                record.Aborted = true;
            }
            finally
            {
                record.Aborted |= ctx.RequestAborted.IsCancellationRequested || ctx.Items.ContainsKey(AbortedKey);
                record.ResponseStatus = ctx.Response.HasStarted || !record.Aborted ? ctx.Response.StatusCode : (int?)null;
                record.ResponseContentType = ctx.Response.ContentType;
                var location = ctx.Response.Headers.Location.ToString();
                record.Location = string.IsNullOrEmpty(location) ? null : location;
                record.EndedAt = DateTimeOffset.UtcNow;
            }
        }

        private async Task HandleIndexAsync(HttpContext ctx, IndexContent content, RequestKind kind, string? rawProject, string[] segments, bool trailingSlash, RecordedRequest record)
        {
            var behavior = content.Behavior;
            if (behavior.LatencyMs > 0)
            {
                // Task.Delay's timer may fire a tick early against a Stopwatch: wait until the whole latency has passed.
                var waited = System.Diagnostics.Stopwatch.StartNew();
                long remaining;
                while ((remaining = behavior.LatencyMs - waited.ElapsedMilliseconds) > 0)
                {
                    await Task.Delay((int)remaining, ctx.RequestAborted).ConfigureAwait(false);
                }
            }

            if (behavior.ErrorStatus is int errorStatus)
            {
                var key = ctx.Request.Path.Value + ctx.Request.QueryString.Value;
                var count = _failures.AddOrUpdate(key, 1, (_, n) => n + 1);
                if (behavior.FailTimes < 0 || count <= behavior.FailTimes)
                {
                    if (behavior.RetryAfterSeconds is int retryAfter)
                    {
                        ctx.Response.Headers["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture);
                    }

                    await WriteErrorAsync(ctx, behavior, errorStatus, "error", rawProject ?? string.Empty).ConfigureAwait(false);
                    return;
                }
            }

            // Authentication, or the pass-through index for anonymous callers.
            var served = content;
            if (behavior.Username != null)
            {
                var authorization = ctx.Request.Headers.Authorization.ToString();
                if (string.IsNullOrEmpty(authorization))
                {
                    if (behavior.AnonymousPassThrough && behavior.PassThroughIndex != null && _indexes.TryGetValue(behavior.PassThroughIndex, out var through))
                    {
                        served = through;
                    }
                    else
                    {
                        await WriteErrorAsync(ctx, behavior, behavior.AnonymousStatus, "anonymous", rawProject ?? string.Empty).ConfigureAwait(false);
                        return;
                    }
                }
                else if (!CredentialsMatch(authorization, behavior))
                {
                    await WriteErrorAsync(ctx, behavior, behavior.BadCredentialsStatus, "bad-credentials", rawProject ?? string.Empty).ConfigureAwait(false);
                    return;
                }
            }

            switch (kind)
            {
                case RequestKind.Root:
                    if (!trailingSlash && behavior.NormalizeRedirect)
                    {
                        await RedirectAsync(ctx, behavior, behavior.NormalizeRedirectStatus, "/" + content.Name + "/simple/" + ctx.Request.QueryString.Value).ConfigureAwait(false);
                        return;
                    }

                    var rootFormat = Negotiate(ctx, behavior);
                    if (rootFormat == null)
                    {
                        await WriteErrorAsync(ctx, behavior, 406, "error", string.Empty).ConfigureAwait(false);
                        return;
                    }

                    await WritePageAsync(ctx, behavior, served.Root(rootFormat.Value)).ConfigureAwait(false);
                    return;
                case RequestKind.Flat:
                    await WritePageAsync(ctx, behavior, served.Flat()).ConfigureAwait(false);
                    return;
                case RequestKind.File:
                    await ServeFileAsync(ctx, content, served, segments[2]).ConfigureAwait(false);
                    return;
                default:
                    await ServeProjectAsync(ctx, content, served, rawProject!, trailingSlash).ConfigureAwait(false);
                    return;
            }
        }

        private async Task ServeProjectAsync(HttpContext ctx, IndexContent content, IndexContent served, string rawProject, bool trailingSlash)
        {
            var behavior = content.Behavior;
            var normalized = Names.Normalize(rawProject);
            if (behavior.NormalizeRedirect && (!trailingSlash || !string.Equals(rawProject, normalized, StringComparison.Ordinal)))
            {
                await RedirectAsync(ctx, behavior, behavior.NormalizeRedirectStatus, "/" + content.Name + "/simple/" + normalized + "/" + ctx.Request.QueryString.Value).ConfigureAwait(false);
                return;
            }

            if (behavior.RedirectTo != null)
            {
                var target = ResolveTarget(behavior.RedirectTo, content, normalized);
                if (target == null)
                {
                    await WriteTextAsync(ctx, behavior, 500, "text/plain", "IndexServer fixture error: redirect target '" + behavior.RedirectTo + "' cannot be resolved (no peer server or no such index).\n").ConfigureAwait(false);
                    return;
                }

                await RedirectAsync(ctx, behavior, behavior.RedirectStatus, target).ConfigureAwait(false);
                return;
            }

            var malformed = ParseMalformed(behavior.Malformed);
            if (malformed.Mode == "login-page")
            {
                await WriteTextAsync(ctx, behavior, 200, "text/html", LoginPage).ConfigureAwait(false);
                return;
            }

            foreach (var pair in behavior.ProjectStatus)
            {
                if (Names.Normalize(pair.Key) == normalized)
                {
                    await WriteErrorAsync(ctx, behavior, pair.Value, "missing", normalized).ConfigureAwait(false);
                    return;
                }
            }

            var exists = served.Projects.TryGetValue(normalized, out var project);
            if (exists && behavior.StrictNames && !string.Equals(rawProject, normalized, StringComparison.Ordinal))
            {
                exists = false;
            }

            if (!exists)
            {
                if (behavior.UpstreamPackages.Any(u => u == "*" || Names.Normalize(u) == normalized))
                {
                    await WriteErrorAsync(ctx, behavior, behavior.UpstreamStatus, "upstream", normalized).ConfigureAwait(false);
                    return;
                }

                if (behavior.ForwardMissingTo != null)
                {
                    var forward = ResolveTarget(behavior.ForwardMissingTo, content, normalized);
                    if (forward != null)
                    {
                        await RedirectAsync(ctx, behavior, behavior.ForwardStatus, forward).ConfigureAwait(false);
                        return;
                    }
                }

                await WriteErrorAsync(ctx, behavior, behavior.MissingStatus, "missing", normalized).ConfigureAwait(false);
                return;
            }

            var format = Negotiate(ctx, behavior);
            if (format == null)
            {
                await WriteErrorAsync(ctx, behavior, 406, "error", normalized).ConfigureAwait(false);
                return;
            }

            if (malformed.Mode == null)
            {
                await WritePageAsync(ctx, behavior, served.ProjectPage(project!, format.Value)).ConfigureAwait(false);
                return;
            }

            await WriteMalformedAsync(ctx, behavior, served, project!, format.Value, malformed.Mode, malformed.Argument).ConfigureAwait(false);
        }

        private async Task ServeFileAsync(HttpContext ctx, IndexContent content, IndexContent served, string filename)
        {
            var behavior = content.Behavior;
            if (behavior.FileStatus.TryGetValue(filename, out var status))
            {
                await WriteErrorAsync(ctx, behavior, status, "missing", filename).ConfigureAwait(false);
                return;
            }

            if (!served.FilesByName.ContainsKey(filename))
            {
                await WriteErrorAsync(ctx, behavior, 404, "missing", filename).ConfigureAwait(false);
                return;
            }

            ApplyProfileHeaders(ctx, behavior);
            await WriteBodyAsync(ctx, behavior, 200, "application/octet-stream", PackageFile.FakeBody(filename)).ConfigureAwait(false);
        }

        private static PageFormat? Negotiate(HttpContext ctx, IndexBehavior behavior)
        {
            if (behavior.StaticHtml)
            {
                return PageFormat.Html;
            }

            ctx.Response.Headers.Vary = "Accept";
            return SimpleMediaTypes.Negotiate(ctx.Request.Headers.Accept.ToString(), behavior.Serves("json"), behavior.Serves("html"));
        }

        private string? ResolveTarget(string target, IndexContent content, string normalized)
        {
            string? resolved;
            if (target.StartsWith("same-origin:", StringComparison.OrdinalIgnoreCase))
            {
                resolved = "/" + target.Substring("same-origin:".Length).TrimStart('/');
            }
            else if (string.Equals(target, "cross-origin", StringComparison.OrdinalIgnoreCase))
            {
                resolved = _crossOrigin == null ? null : _crossOrigin.BaseUrl.AbsoluteUri + content.Name + "/simple/{project}/";
            }
            else if (target.StartsWith("cross-origin:", StringComparison.OrdinalIgnoreCase))
            {
                resolved = _crossOrigin == null ? null : _crossOrigin.BaseUrl.AbsoluteUri + target.Substring("cross-origin:".Length).TrimStart('/');
            }
            else if (target.StartsWith("index:", StringComparison.OrdinalIgnoreCase))
            {
                var name = target.Substring("index:".Length);
                resolved = _indexes.ContainsKey(name) ? "/" + name + "/simple/" : null;
            }
            else if (target.StartsWith("peer:", StringComparison.OrdinalIgnoreCase))
            {
                var name = target.Substring("peer:".Length);
                resolved = _crossOrigin != null && _crossOrigin._indexes.ContainsKey(name) ? new Uri(_crossOrigin.BaseUrl, name + "/simple/").AbsoluteUri : null;
            }
            else if (Uri.TryCreate(target, UriKind.Absolute, out _))
            {
                resolved = target;
            }
            else
            {
                resolved = null;
            }

            if (resolved == null)
            {
                return null;
            }

            if (resolved.Contains("{project}"))
            {
                return resolved.Replace("{project}", normalized);
            }

            return resolved.EndsWith("/", StringComparison.Ordinal) ? resolved + normalized + "/" : resolved;
        }

        private static bool CredentialsMatch(string authorization, IndexBehavior behavior)
        {
            if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var decoded = DecodeBasic(authorization);
            if (decoded == null)
            {
                return false;
            }

            var colon = decoded.IndexOf(':');
            var user = colon < 0 ? decoded : decoded.Substring(0, colon);
            var password = colon < 0 ? string.Empty : decoded.Substring(colon + 1);
            return string.Equals(user, behavior.Username, StringComparison.Ordinal)
                && (behavior.Password == null || string.Equals(password, behavior.Password, StringComparison.Ordinal));
        }

        private static string? DecodeBasic(string authorization)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Substring("Basic ".Length).Trim()));
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private RecordedRequest Record(HttpContext ctx, string? index, string? rawProject, RequestKind kind)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in ctx.Request.Headers)
            {
                headers[header.Key] = RecordedRequest.IsSecretHeader(header.Key) ? RecordedRequest.Redacted : header.Value.ToString();
            }

            string? scheme = null;
            string? username = null;
            var authorization = ctx.Request.Headers.Authorization.ToString();
            if (!string.IsNullOrEmpty(authorization))
            {
                var space = authorization.IndexOf(' ');
                scheme = space < 0 ? authorization : authorization.Substring(0, space);
                if (string.Equals(scheme, "Basic", StringComparison.OrdinalIgnoreCase))
                {
                    var decoded = DecodeBasic(authorization);
                    if (decoded != null)
                    {
                        var colon = decoded.IndexOf(':');
                        username = colon < 0 ? decoded : decoded.Substring(0, colon);
                    }
                }
            }

            var record = new RecordedRequest(
                Interlocked.Increment(ref _sequence),
                ctx.Request.Method,
                (ctx.Request.Path.Value ?? "/") + ctx.Request.QueryString.Value,
                index,
                rawProject,
                kind,
                ctx.Request.Headers.Accept.Count == 0 ? null : ctx.Request.Headers.Accept.ToString(),
                scheme,
                username,
                headers,
                DateTimeOffset.UtcNow);
            lock (_requestsLock)
            {
                _requests.Add(record);
            }

            return record;
        }

        private static void ApplyProfileHeaders(HttpContext ctx, IndexBehavior? behavior)
        {
            if (behavior == null)
            {
                return;
            }

            foreach (var pair in behavior.EffectiveHeaders())
            {
                ctx.Response.Headers[pair.Key] = pair.Value;
            }
        }

        private static Task RedirectAsync(HttpContext ctx, IndexBehavior behavior, int status, string location)
        {
            ctx.Response.Headers.Location = location;
            return WriteTextAsync(ctx, behavior, status, "text/html", "<html><body>Redirecting to <a href=\"" + IndexContent.Escape(location) + "\">" + IndexContent.Escape(location) + "</a></body></html>\n");
        }

        private static Task WriteErrorAsync(HttpContext ctx, IndexBehavior behavior, int status, string reason, string project)
        {
            if (status == 401)
            {
                ctx.Response.Headers.WWWAuthenticate = behavior.WwwAuthenticate ?? "Basic realm=\"" + behavior.Realm + "\"";
            }

            if (status == 429 || status == 503)
            {
                if (behavior.RetryAfterSeconds is int retryAfter && string.IsNullOrEmpty(ctx.Response.Headers.RetryAfter.ToString()))
                {
                    ctx.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                }
            }

            var body = RegistryProfiles.Body(behavior.Profile, status, reason, project);
            ApplyProfileHeaders(ctx, behavior);
            return WriteBodyAsync(ctx, behavior, status, body.ContentType, body.Bytes);
        }

        private static Task WriteTextAsync(HttpContext ctx, IndexBehavior? behavior, int status, string contentType, string text)
        {
            ApplyProfileHeaders(ctx, behavior);
            return WriteBodyAsync(ctx, behavior, status, contentType, Encoding.UTF8.GetBytes(text));
        }

        private static async Task WritePageAsync(HttpContext ctx, IndexBehavior behavior, RenderedPage page)
        {
            ApplyProfileHeaders(ctx, behavior);
            var headers = ctx.Response.Headers;
            if (behavior.CacheControl != null)
            {
                headers.CacheControl = behavior.CacheControl;
            }

            if (behavior.ETags)
            {
                headers.ETag = page.ETag;
            }

            if (behavior.LastModified)
            {
                headers.LastModified = page.LastModified.ToString("R", CultureInfo.InvariantCulture);
            }

            if (NotModified(ctx.Request, behavior, page))
            {
                ctx.Response.StatusCode = 304;
                return;
            }

            await WriteBodyAsync(ctx, behavior, 200, page.ContentType, page.Body).ConfigureAwait(false);
        }

        private static bool NotModified(HttpRequest request, IndexBehavior behavior, RenderedPage page)
        {
            var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
            if (!string.IsNullOrEmpty(ifNoneMatch))
            {
                if (!behavior.ETags)
                {
                    return false;
                }

                foreach (var candidate in ifNoneMatch.Split(','))
                {
                    var tag = candidate.Trim();
                    if (tag.StartsWith("W/", StringComparison.Ordinal))
                    {
                        tag = tag.Substring(2);
                    }

                    if (tag == "*" || tag == page.ETag)
                    {
                        return true;
                    }
                }

                return false;
            }

            var ifModifiedSince = request.Headers.IfModifiedSince.ToString();
            if (behavior.LastModified && !string.IsNullOrEmpty(ifModifiedSince)
                && DateTimeOffset.TryParse(ifModifiedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                return page.LastModified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
            }

            return false;
        }

        private static async Task WriteMalformedAsync(HttpContext ctx, IndexBehavior behavior, IndexContent content, IndexContent.Project project, PageFormat format, string mode, string? argument)
        {
            ApplyProfileHeaders(ctx, behavior);
            var htmlFormat = format == PageFormat.Json ? PageFormat.HtmlV1 : format;
            byte[] body;
            string contentType;
            switch (mode)
            {
                case "truncated-json":
                    body = Half(Encoding.UTF8.GetBytes(content.ProjectJsonText(project)));
                    contentType = SimpleMediaTypes.Json;
                    break;
                case "truncated-html":
                    body = Half(Encoding.UTF8.GetBytes(content.ProjectHtmlText(project)));
                    contentType = SimpleMediaTypes.ContentType(htmlFormat);
                    break;
                case "wrong-content-type":
                    body = content.ProjectPage(project, format).Body;
                    contentType = argument ?? "text/plain";
                    break;
                case "invalid-utf8":
                    const string marker = "@@INDEXSERVER-INVALID-UTF8@@";
                    var text = format == PageFormat.Json
                        ? content.ProjectJsonText(project, f => f.Filename + marker)
                        : content.ProjectHtmlText(project, f => f.Filename + marker);
                    body = ReplaceMarker(Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(marker), new byte[] { 0xC3, 0x28, 0xFF, 0xFE });
                    contentType = SimpleMediaTypes.ContentType(format);
                    break;
                case "deep-nesting":
                    var depth = ParseInt(argument, 10000);
                    var nested = new StringBuilder(depth * 12);
                    if (format == PageFormat.Json)
                    {
                        nested.Append("{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"").Append(project.Normalized).Append("\",\"files\":");
                        nested.Append('[', depth).Append(']', depth).Append('}');
                    }
                    else
                    {
                        nested.Append("<!DOCTYPE html>\n<html><body>");
                        for (var i = 0; i < depth; i++)
                        {
                            nested.Append("<div>");
                        }

                        for (var i = 0; i < depth; i++)
                        {
                            nested.Append("</div>");
                        }

                        nested.Append("</body></html>\n");
                    }

                    body = Encoding.UTF8.GetBytes(nested.ToString());
                    contentType = SimpleMediaTypes.ContentType(format);
                    break;
                case "huge":
                    var megabytes = ParseInt(argument, 16);
                    var page = content.Cached("huge|" + megabytes + "|" + project.Normalized + "|" + format, () => HugePage(content, project, format, megabytes));
                    body = page.Body;
                    contentType = page.ContentType;
                    break;
                case "reset":
                    var full = content.ProjectPage(project, format).Body;
                    ctx.Response.StatusCode = 200;
                    ctx.Response.ContentType = SimpleMediaTypes.ContentType(format);
                    ctx.Response.ContentLength = full.Length;
                    await ctx.Response.Body.WriteAsync(full.AsMemory(0, Math.Max(1, full.Length / 2)), ctx.RequestAborted).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                    ctx.Items[AbortedKey] = true;
                    ctx.Abort();
                    return;
                default:
                    throw new InvalidOperationException("Unknown malformed mode '" + mode + "'.");
            }

            await WriteBodyAsync(ctx, behavior, 200, contentType, body).ConfigureAwait(false);
        }

        private static RenderedPage HugePage(IndexContent content, IndexContent.Project project, PageFormat format, int megabytes)
        {
            var target = (long)megabytes * 1024 * 1024;
            var big = new IndexContent.Project(project.Display, project.Normalized);
            big.Files.AddRange(project.Files);
            var stem = project.Normalized.Replace('-', '_');
            var count = (int)Math.Max(1, target / 200);
            while (true)
            {
                big.Files.RemoveRange(project.Files.Count, big.Files.Count - project.Files.Count);
                for (var i = 0; i < count; i++)
                {
                    big.Files.Add(new PackageFile(stem + "-0.0." + i.ToString(CultureInfo.InvariantCulture) + ".tar.gz") { UploadTime = PackageFile.DefaultUploadTime(i) });
                }

                var rendered = format == PageFormat.Json ? content.ProjectJsonText(big) : content.ProjectHtmlText(big);
                var bytes = Encoding.UTF8.GetByteCount(rendered);
                if (bytes >= target)
                {
                    return new RenderedPage(Encoding.UTF8.GetBytes(rendered), SimpleMediaTypes.ContentType(format), DateTimeOffset.UnixEpoch);
                }

                count = (int)(count * ((double)target / bytes) * 1.05) + 1;
            }
        }


        private static async Task WriteBodyAsync(HttpContext ctx, IndexBehavior? behavior, int status, string contentType, byte[] body)
        {
            var response = ctx.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength = body.Length;
            if (HttpMethods.IsHead(ctx.Request.Method) || body.Length == 0)
            {
                return;
            }

            var rate = behavior?.SlowBodyBytesPerSecond ?? 0;
            if (rate <= 0)
            {
                await response.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
                return;
            }

            // Trickle: a chunk every 50 ms.
            var chunk = Math.Max(1, rate / 20);
            for (var offset = 0; offset < body.Length; offset += chunk)
            {
                var length = Math.Min(chunk, body.Length - offset);
                await response.Body.WriteAsync(body.AsMemory(offset, length), ctx.RequestAborted).ConfigureAwait(false);
                await response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                if (offset + length < body.Length)
                {
                    await Task.Delay(50, ctx.RequestAborted).ConfigureAwait(false);
                }
            }
        }

        private static (string? Mode, string? Argument) ParseMalformed(string? malformed)
        {
            if (string.IsNullOrWhiteSpace(malformed))
            {
                return (null, null);
            }

            var colon = malformed!.IndexOf(':');
            var mode = (colon < 0 ? malformed : malformed.Substring(0, colon)).Trim().ToLowerInvariant();
            var argument = colon < 0 ? null : malformed.Substring(colon + 1).Trim();
            return (mode, argument);
        }

        internal static bool IsKnownMalformed(string? malformed)
        {
            var mode = ParseMalformed(malformed).Mode;
            return mode == null || MalformedModes.Contains(mode);
        }

        /// <summary>The values <see cref="IndexBehavior.Malformed"/> accepts (before an optional <c>:argument</c>).</summary>
        public static IReadOnlyList<string> MalformedModes { get; } = new[] { "truncated-json", "truncated-html", "wrong-content-type", "invalid-utf8", "deep-nesting", "huge", "login-page", "reset" };

        private static int ParseInt(string? text, int fallback) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

        private static byte[] Half(byte[] body) => body.AsSpan(0, body.Length / 2).ToArray();

        private static byte[] ReplaceMarker(byte[] source, byte[] marker, byte[] replacement)
        {
            var output = new List<byte>(source.Length);
            var i = 0;
            while (i < source.Length)
            {
                if (i + marker.Length <= source.Length && source.AsSpan(i, marker.Length).SequenceEqual(marker))
                {
                    output.AddRange(replacement);
                    i += marker.Length;
                }
                else
                {
                    output.Add(source[i]);
                    i++;
                }
            }

            return output.ToArray();
        }

        private string HomePage()
        {
            var html = new StringBuilder("<!DOCTYPE html>\n<html><head><title>IndexTools test index server</title></head><body>\n<h1>Indexes</h1>\n");
            foreach (var index in _indexes.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                html.Append("<a href=\"/").Append(IndexContent.Escape(index)).Append("/simple/\">").Append(IndexContent.Escape(index)).Append("</a><br />\n");
            }

            return html.Append("</body></html>\n").ToString();
        }

        private const string LoginPage =
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Sign in to your account</title></head>\n<body>\n" +
            "<form method=\"post\" action=\"/_sso/login\">\n<h1>Sign in</h1>\n<label>Email <input type=\"email\" name=\"loginfmt\"></label>\n" +
            "<input type=\"submit\" value=\"Next\">\n</form>\n</body>\n</html>\n";
    }
}
