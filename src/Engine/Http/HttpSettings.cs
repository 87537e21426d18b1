using System;

namespace IndexTools.Engine.Http
{
    /// <summary>HTTP behaviour, with uv's defaults and environment variables (UV_HTTP_RETRIES, UV_HTTP_TIMEOUT, proxies).</summary>
    public sealed class HttpSettings
    {
        /// <summary>Retries of a transient failure after the first try (uv: 3).</summary>
        public int Retries { get; set; } = 3;

        /// <summary>Read timeout (uv: 30 s, UV_HTTP_TIMEOUT).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Connect timeout (uv: 10 s).</summary>
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Redirects followed at most (uv: 10).</summary>
        public int MaxRedirects { get; set; } = 10;

        /// <summary>An explicit proxy URL; null: from the environment (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY).</summary>
        public Uri? Proxy { get; set; }

        /// <summary>Bypass every proxy, including the environment's.</summary>
        public bool NoProxy { get; set; }

        /// <summary>Largest Simple API page read, in bytes; a larger one is Unreadable.</summary>
        public long MaxPageBytes { get; set; } = 256L * 1024 * 1024;
    }
}
