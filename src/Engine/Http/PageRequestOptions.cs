namespace IndexTools.Engine.Http
{
    /// <summary>
    /// Per-request extras for a cache layer in front of <see cref="SimpleApiClient"/>: conditional request headers.
    /// When the server answers <c>304 Not Modified</c>, the response comes back as Kind = HttpStatus with
    /// StatusCode = 304 (no page) and the response headers (ETag, Cache-Control, Date, ...) in
    /// <c>PageResponse.Headers</c>, so the cache can refresh its entry.
    /// </summary>
    public sealed class PageRequestOptions
    {
        /// <summary>Sent as <c>If-None-Match</c> (an entity tag exactly as the server gave it, quotes included).</summary>
        public string? IfNoneMatch { get; set; }

        /// <summary>Sent as <c>If-Modified-Since</c>.</summary>
        public DateTimeOffset? IfModifiedSince { get; set; }

        /// <summary>Sent as <c>Cache-Control</c> on the request (e.g. <c>no-cache</c> to get past shared caches).</summary>
        public string? CacheControl { get; set; }
    }
}
