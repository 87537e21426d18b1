using System.Globalization;

namespace IndexTools.Engine.Cache
{
    /// <summary>The Cache-Control directives a private HTTP cache acts on (RFC 9111), as uv's httpcache reads them.</summary>
    internal sealed class CacheControl
    {
        public bool NoStore { get; private set; }

        public bool NoCache { get; private set; }

        public bool MustRevalidate { get; private set; }

        public bool Immutable { get; private set; }

        public long? MaxAgeSeconds { get; private set; }

        public static CacheControl Parse(string? header)
        {
            var result = new CacheControl();
            if (string.IsNullOrWhiteSpace(header))
            {
                return result;
            }

            foreach (var raw in header!.Split(','))
            {
                var part = raw.Trim();
                var equals = part.IndexOf('=');
                var name = (equals < 0 ? part : part.Substring(0, equals)).Trim().ToLowerInvariant();
                var value = equals < 0 ? null : part.Substring(equals + 1).Trim().Trim('"');
                switch (name)
                {
                    case "no-store":
                        result.NoStore = true;
                        break;
                    case "no-cache":
                        result.NoCache = true;
                        break;
                    case "must-revalidate":
                        result.MustRevalidate = true;
                        break;
                    case "immutable":
                        result.Immutable = true;
                        break;
                    case "max-age":
                        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                        {
                            result.MaxAgeSeconds = seconds;
                        }

                        break;
                }
            }

            return result;
        }

        /// <summary>
        /// How long a stored response stays fresh, as uv computes it: max-age; else Expires − Date; else 10 minutes when
        /// the response has Last-Modified (uv assumes PyPI's max-age); else zero (always revalidate).
        /// </summary>
        public static TimeSpan FreshnessLifetime(CacheControl control, DateTimeOffset? date, DateTimeOffset? expires, DateTimeOffset? lastModified)
        {
            if (control.MaxAgeSeconds is long maxAge)
            {
                return TimeSpan.FromSeconds(maxAge);
            }

            if (expires is DateTimeOffset e)
            {
                var lifetime = e - (date ?? e);
                return lifetime > TimeSpan.Zero ? lifetime : TimeSpan.Zero;
            }

            return lastModified is null ? TimeSpan.Zero : TimeSpan.FromMinutes(10);
        }

        public static DateTimeOffset? ParseDate(string? value)
        {
            return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed)
                ? parsed
                : (DateTimeOffset?)null;
        }
    }
}
