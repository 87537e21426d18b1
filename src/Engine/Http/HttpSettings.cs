using System.Globalization;
using System.Reflection;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Http
{
    /// <summary>HTTP behaviour, with uv's defaults and environment variables (UV_HTTP_RETRIES, UV_HTTP_TIMEOUT, proxies).</summary>
    public sealed class HttpSettings
    {
        private Uri? _proxy;
        private System.Net.NetworkCredential? _proxyCredential;

        /// <summary>Retries of a transient failure after the first try (uv: 3).</summary>
        public int Retries { get; set; } = 3;

        /// <summary>Read timeout (uv: 30 s, UV_HTTP_TIMEOUT).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// The overall deadline of one page request — every try, backoff, redirect and body read together — after which
        /// the request fails with an error naming it. Null (the default): <see cref="Timeout"/> × (<see cref="Retries"/> + 2),
        /// enough for every try to use its whole read timeout and back off; infinite when the timeout is. The read
        /// timeout alone restarts with every byte received, so without a deadline a server that sends one byte a second
        /// keeps a request alive for as long as its page lasts. uv has no such deadline.
        /// </summary>
        public TimeSpan? RequestDeadline { get; set; }

        /// <summary>The deadline in force: <see cref="RequestDeadline"/>, or its default; infinite when there is none.</summary>
        public TimeSpan EffectiveRequestDeadline
        {
            get
            {
                if (RequestDeadline is TimeSpan given)
                {
                    return given > TimeSpan.Zero ? given : System.Threading.Timeout.InfiniteTimeSpan;
                }

                if (Timeout <= TimeSpan.Zero || Timeout == System.Threading.Timeout.InfiniteTimeSpan)
                {
                    return System.Threading.Timeout.InfiniteTimeSpan;
                }

                var ticks = Math.Min((double)Timeout.Ticks * (Math.Max(Retries, 0) + 2.0), TimeSpan.FromDays(1).Ticks);
                return TimeSpan.FromTicks((long)ticks);
            }
        }

        /// <summary>Connect timeout (uv: 10 s). The effective value is never above <see cref="Timeout"/>, as uv documents.</summary>
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Redirects followed at most (uv: 10).</summary>
        public int MaxRedirects { get; set; } = 10;

        /// <summary>An explicit proxy URL; null: from the environment (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY).</summary>
        public Uri? Proxy
        {
            get => _proxy;
            set
            {
                Security.SecretScrubber.RegisterUrl(value?.OriginalString);
                _proxy = value;
            }
        }

        /// <summary>Credentials for the proxy (PowerShell's -ProxyCredential); sent only to the proxy. Userinfo in a proxy URL is used otherwise.</summary>
        public System.Net.NetworkCredential? ProxyCredential
        {
            get => _proxyCredential;
            set
            {
                Security.SecretScrubber.RegisterCredential(value?.UserName, value?.Password);
                _proxyCredential = value;
            }
        }

        /// <summary>Bypass every proxy, including the environment's.</summary>
        public bool NoProxy { get; set; }

        /// <summary>Largest Simple API page read, in bytes; a larger one is Unreadable.</summary>
        public long MaxPageBytes { get; set; } = 256L * 1024 * 1024;

        /// <summary>
        /// Upper bound of the first retry delay; retry n waits a random time in [d/2, d] with d = base × 2^n, at most
        /// <see cref="MaxRetryDelay"/> (uv: exponential backoff with bounded jitter, bounds 2 s to 30 s). Tests set it tiny.
        /// </summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Longest backoff between two tries (uv: 30 s).</summary>
        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>A <c>Retry-After</c> on a retryable answer (429, 503) is honoured up to this long (uv ignores Retry-After).</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Proxy for http:// URLs from the environment (HTTP_PROXY / http_proxy, else ALL_PROXY); used when <see cref="Proxy"/> is null.</summary>
        public Uri? HttpProxy { get; set; }

        /// <summary>Proxy for https:// URLs from the environment (HTTPS_PROXY / https_proxy, else ALL_PROXY); used when <see cref="Proxy"/> is null.</summary>
        public Uri? HttpsProxy { get; set; }

        /// <summary>Hosts that bypass the proxy (NO_PROXY): <c>*</c>, host names (suffix match on label boundaries; a leading
        /// <c>.</c> or <c>*.</c> means subdomains), IP addresses and CIDR ranges.</summary>
        public IReadOnlyList<string> NoProxyList { get; set; } = Array.Empty<string>();

        /// <summary>The User-Agent header (IndexTools/&lt;version&gt;).</summary>
        public string UserAgent { get; set; } = DefaultUserAgent;

        /// <summary>SSL_CERT_FILE / SSL_CERT_DIR: CA certificates that replace the default roots (null: the system's roots).</summary>
        public CustomTrust? Trust { get; set; }

        /// <summary>IndexTools/&lt;assembly informational version&gt;.</summary>
        public static string DefaultUserAgent
        {
            get
            {
                var assembly = typeof(HttpSettings).Assembly;
                var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                    ?? assembly.GetName().Version?.ToString()
                    ?? "0.0.0";
                var plus = version.IndexOf('+');
                return "IndexTools/" + (plus >= 0 ? version.Substring(0, plus) : version);
            }
        }

        /// <summary>
        /// uv's defaults, overridden by the environment as uv reads it (crates/uv-settings/src/lib.rs,
        /// crates/uv-static/src/env_vars.rs): UV_HTTP_RETRIES; the read timeout from UV_HTTP_TIMEOUT, else
        /// UV_REQUEST_TIMEOUT, else HTTP_TIMEOUT (whole seconds, each validated when set); UV_HTTP_CONNECT_TIMEOUT;
        /// HTTPS_PROXY/https_proxy, HTTP_PROXY/http_proxy, ALL_PROXY/all_proxy, NO_PROXY/no_proxy (upper case first).
        /// An invalid value throws <see cref="IndexConfigurationException"/> (Kind <c>InvalidEnvironmentVariable</c>)
        /// naming the variable and its (redacted) value.
        /// </summary>
        public static HttpSettings FromEnvironment(EngineEnvironment env)
        {
            if (env is null)
            {
                throw new ArgumentNullException(nameof(env));
            }

            var settings = new HttpSettings();
            var retries = ReadInteger(env, "UV_HTTP_RETRIES", null);
            if (retries.HasValue)
            {
                settings.Retries = checked((int)Math.Min(retries.Value, int.MaxValue));
            }

            const string seconds = "value should be an integer number of seconds";
            var httpTimeout = ReadInteger(env, "UV_HTTP_TIMEOUT", seconds);
            var requestTimeout = ReadInteger(env, "UV_REQUEST_TIMEOUT", seconds);
            var plainTimeout = ReadInteger(env, "HTTP_TIMEOUT", seconds);
            var timeout = httpTimeout ?? requestTimeout ?? plainTimeout;
            if (timeout.HasValue)
            {
                settings.Timeout = TimeSpan.FromSeconds(timeout.Value);
            }

            var connect = ReadInteger(env, "UV_HTTP_CONNECT_TIMEOUT", seconds);
            if (connect.HasValue)
            {
                settings.ConnectTimeout = TimeSpan.FromSeconds(connect.Value);
            }

            settings.Trust = CustomTrust.FromEnvironment(env);

            var all = ReadProxy(env, "ALL_PROXY", "all_proxy");
            settings.HttpProxy = ReadProxy(env, "HTTP_PROXY", "http_proxy") ?? all;
            settings.HttpsProxy = ReadProxy(env, "HTTPS_PROXY", "https_proxy") ?? all;
            var noProxy = env.Get("NO_PROXY") ?? env.Get("no_proxy");
            if (noProxy != null)
            {
                settings.NoProxyList = ProxySelector.ParseNoProxy(noProxy);
            }

            return settings;
        }

        private static long? ReadInteger(EngineEnvironment env, string name, string? help)
        {
            var value = env.Get(name);
            if (value is null)
            {
                return null;
            }

            if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= (ulong)int.MaxValue)
            {
                return (long)parsed;
            }

            throw new IndexConfigurationException(
                $"Invalid environment variable {name}='{value}': " + (help ?? "value should be a non-negative integer") + ".")
            {
                Kind = ErrorKind.InvalidEnvironmentVariable,
            };
        }

        private static Uri? ReadProxy(EngineEnvironment env, string upper, string lower)
        {
            var name = upper;
            var value = env.Get(upper);
            if (value is null)
            {
                name = lower;
                value = env.Get(lower);
            }

            if (value is null)
            {
                return null;
            }

            // The proxy's user info is a secret whether or not the value parses.
            Security.SecretScrubber.RegisterUrl(value);
            var uri = ProxySelector.ParseProxyUrl(value);
            if (uri is null)
            {
                throw new IndexConfigurationException(
                    $"Invalid environment variable {name}='{UrlRedactor.RedactAuthority(value)}': value should be a proxy URL such as http://proxy.example:3128.")
                {
                    Kind = ErrorKind.InvalidEnvironmentVariable,
                };
            }

            return uri;
        }
    }
}
