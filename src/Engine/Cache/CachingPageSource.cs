using System.Collections.Concurrent;
using System.Diagnostics;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.Engine.Cache
{
    /// <summary>
    /// An on-disk HTTP cache for Simple API pages in front of <see cref="SimpleApiClient"/>, with uv's rules: a fresh
    /// entry answers without a request; a stale one is revalidated with If-None-Match / If-Modified-Since (a 304 renews
    /// it); <c>no-store</c> is never stored; the index's <c>cache-control</c> setting (uv's <c>cache-control.api</c>)
    /// replaces the server's header. Flat and local indexes pass through. Answers to exchanges in which any request carried
    /// credentials are not stored (a private index's page is never served from disk to a later run that may lack access,
    /// nor a page reached by a credentialed request that was redirected to another origin), and the key carries the
    /// identity the request is sent as (<see cref="PreparedCredentials.Identity"/>: source and username, never the
    /// secret), so a credentialed run never reads what an anonymous run stored.
    /// </summary>
    public sealed class CachingPageSource : IProjectPageSource, IDisposable
    {
        private readonly SimpleApiClient _inner;
        private readonly PageCacheOptions _options;
        private readonly PageCacheStore _store;
        private readonly Action<string>? _debug;

        // Entries go to disk on one background writer, off the request path: a search does not wait for the file system
        // (create + rename is ~0.2 ms an entry here, more than the rest of a request's own work). Until written, an
        // entry is served from _pending, so a later lookup in this instance sees it; Flush/Dispose wait for the disk.
        private readonly ConcurrentDictionary<string, CacheEntry> _pending = new ConcurrentDictionary<string, CacheEntry>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _queue = new ConcurrentQueue<string>();
        private readonly object _writerGate = new object();
        private Task _writer = Task.CompletedTask;
        private bool _writerRunning;

        public CachingPageSource(SimpleApiClient inner, PageCacheOptions options, Action<string>? debug = null)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _store = new PageCacheStore(options.Directory, options.MaxBytes);
            _debug = Security.NetworkText.Cleaning(debug);
        }

        public PageCacheOptions Options => _options;

        public async Task<PageResponse> GetProjectPageAsync(IndexDefinition index, string normalizedName, CancellationToken cancellationToken)
        {
            if (!IsCacheable(index))
            {
                if (_options.Mode == CacheMode.Offline && IsRemote(index))
                {
                    // A remote flat index or find-links page is not cached here: offline, uv reads it as empty (flat_index.rs
                    // FlatIndexEntries::offline) and the search goes on. Never touch the network.
                    return new PageResponse(PageResponseKind.Offline, index.DisplayUrl)
                    {
                        Error = "offline: the flat index " + index.DisplayUrl + " is not in the cache",
                    };
                }

                return await _inner.GetProjectPageAsync(index, normalizedName, cancellationToken).ConfigureAwait(false);
            }

            var clock = Stopwatch.StartNew();

            // Who the request goes out as, decided before the lookup: the key carries that identity (never the secret), so
            // a credentialed run never reads an entry an anonymous run stored (it may be shown another page), and the
            // request below sends exactly these credentials.
            var prepared = _inner.PrepareCredentials(index, normalizedName);
            var key = PageCacheStore.Key(index, normalizedName, prepared.Identity);
            var entry = _pending.TryGetValue(key, out var pending) ? pending : _store.Read(key);
            var now = _options.Now();

            if (_options.Mode == CacheMode.Offline)
            {
                if (entry is null)
                {
                    return new PageResponse(PageResponseKind.Offline, ProjectUrl(index, normalizedName))
                    {
                        Error = "offline: '" + normalizedName + "' is not in the cache for " + index.DisplayUrl,
                        DurationMs = clock.Elapsed.TotalMilliseconds,
                    };
                }

                _debug?.Invoke("CACHE offline hit " + entry.Url);
                return FromEntry(entry, tries: 0, clock);
            }

            if (entry is not null && _options.Mode == CacheMode.Normal && IsFresh(entry, index, now))
            {
                _debug?.Invoke("CACHE fresh hit " + entry.Url);
                return FromEntry(entry, tries: 0, clock);
            }

            PageRequestOptions? conditional = null;
            if (entry is not null && (entry.ETag is not null || entry.LastModified is not null))
            {
                conditional = new PageRequestOptions
                {
                    IfNoneMatch = entry.ETag,
                    IfModifiedSince = CacheControl.ParseDate(entry.LastModified),
                };
            }

            var response = await _inner.GetProjectPageAsync(index, normalizedName, conditional, prepared, cancellationToken).ConfigureAwait(false);
            if (entry is not null && response.Kind == PageResponseKind.HttpStatus && response.StatusCode == 304)
            {
                // Not modified: renew the stored entry's freshness from the 304's headers.
                Renew(entry, response.Headers, now);
                if (!response.CredentialsInChain)
                {
                    Store(key, entry);
                }

                _debug?.Invoke("CACHE revalidated (304) " + entry.Url);
                var revalidated = FromEntry(entry, response.Tries, clock);
                revalidated.StatusCode = 304;
                revalidated.FromCache = true;
                revalidated.CredentialSource = response.CredentialSource;
                revalidated.CredentialsSent = response.CredentialsSent;
                return revalidated;
            }

            // Nothing from an exchange in which credentials were sent is stored, even when its last hop (a redirect to
            // another origin) went out without them: that answer was given to a credentialed request.
            if (response.Kind == PageResponseKind.Page && response.Page is not null && !response.CredentialsInChain)
            {
                var headers = Effective(response.Headers, index);
                if (!CacheControl.Parse(headers.CacheControl).NoStore)
                {
                    var stored = new CacheEntry
                    {
                        Url = response.Url,
                        StatusCode = response.StatusCode ?? 200,
                        Page = CachedPage.From(response.Page),
                    };
                    Renew(stored, response.Headers, now);
                    Store(key, stored);
                }
            }

            return response;
        }

        /// <summary>Waits until every entry this instance stored is on disk.</summary>
        public void Flush()
        {
            while (true)
            {
                Task writer;
                lock (_writerGate)
                {
                    if (!_writerRunning && _queue.IsEmpty)
                    {
                        return;
                    }

                    writer = _writer;
                }

                writer.GetAwaiter().GetResult();
            }
        }

        /// <summary>Writes what is pending, then keeps the folder within its size bound (also done during writes).</summary>
        public void Dispose()
        {
            Flush();
            _store.Evict();
        }

        private void Store(string key, CacheEntry entry)
        {
            _pending[key] = entry;
            _queue.Enqueue(key);
            lock (_writerGate)
            {
                if (!_writerRunning)
                {
                    _writerRunning = true;
                    _writer = Task.Run(DrainQueue);
                }
            }
        }

        private void DrainQueue()
        {
            while (true)
            {
                while (_queue.TryDequeue(out var key))
                {
                    if (!_pending.TryGetValue(key, out var entry))
                    {
                        continue;
                    }

                    try
                    {
                        _store.Write(key, entry);
                    }
                    catch (Exception e)
                    {
                        // Never fail a search because its cache could not be written (PageCacheStore already absorbs I/O errors).
                        _debug?.Invoke("CACHE write failed: " + e.GetType().Name + ": " + e.Message);
                    }

                    // Only if no newer entry for the key arrived meanwhile (that one is queued again).
                    ((ICollection<KeyValuePair<string, CacheEntry>>)_pending).Remove(new KeyValuePair<string, CacheEntry>(key, entry));
                }

                lock (_writerGate)
                {
                    if (_queue.IsEmpty)
                    {
                        _writerRunning = false;
                        return;
                    }
                }
            }
        }

        private static bool IsCacheable(IndexDefinition index)
        {
            return index.Format == IndexFormat.Simple && IsRemote(index);
        }

        private static bool IsRemote(IndexDefinition index)
        {
            return Uri.TryCreate(index.Url, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
        }

        private static string ProjectUrl(IndexDefinition index, string normalizedName) => index.IndexUrl.DisplayProjectUrl(normalizedName);

        private static (string? CacheControl, string? Date, string? Expires, string? LastModified) Effective(IReadOnlyDictionary<string, string> headers, IndexDefinition index)
        {
            headers.TryGetValue("Cache-Control", out var cacheControl);
            headers.TryGetValue("Date", out var date);
            headers.TryGetValue("Expires", out var expires);
            headers.TryGetValue("Last-Modified", out var lastModified);
            return (index.CacheControlApi ?? cacheControl, date, expires, lastModified);
        }

        private static void Renew(CacheEntry entry, IReadOnlyDictionary<string, string> headers, DateTimeOffset now)
        {
            entry.StoredAt = now.ToUnixTimeMilliseconds();
            if (headers.TryGetValue("Cache-Control", out var cacheControl))
            {
                entry.CacheControl = cacheControl;
            }

            if (headers.TryGetValue("ETag", out var etag))
            {
                entry.ETag = etag;
            }

            if (headers.TryGetValue("Last-Modified", out var lastModified))
            {
                entry.LastModified = lastModified;
            }

            if (headers.TryGetValue("Date", out var date))
            {
                entry.Date = date;
            }

            if (headers.TryGetValue("Expires", out var expires))
            {
                entry.Expires = expires;
            }

            entry.AgeSeconds = headers.TryGetValue("Age", out var age) && long.TryParse(age, out var seconds) && seconds > 0 ? seconds : 0;
        }

        private static bool IsFresh(CacheEntry entry, IndexDefinition index, DateTimeOffset now)
        {
            // uv: the index's cache-control setting overrides the server's header for Simple API responses.
            var control = CacheControl.Parse(index.CacheControlApi ?? entry.CacheControl);
            if (control.NoStore || control.NoCache)
            {
                return false;
            }

            var lifetime = CacheControl.FreshnessLifetime(
                control,
                CacheControl.ParseDate(entry.Date),
                CacheControl.ParseDate(entry.Expires),
                CacheControl.ParseDate(entry.LastModified));
            if (control.Immutable)
            {
                return true;
            }

            var age = now - DateTimeOffset.FromUnixTimeMilliseconds(entry.StoredAt) + TimeSpan.FromSeconds(entry.AgeSeconds);
            return age < lifetime;
        }

        private static PageResponse FromEntry(CacheEntry entry, int tries, Stopwatch clock)
        {
            return new PageResponse(PageResponseKind.Page, entry.Url)
            {
                StatusCode = entry.StatusCode,
                Page = entry.Page.ToPage(),
                Tries = tries,
                FromCache = true,
                DurationMs = clock.Elapsed.TotalMilliseconds,
                Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
                {
                    ["X-IndexTools-Cache"] = tries == 0 ? "hit" : "revalidated",
                },
            };
        }
    }
}
