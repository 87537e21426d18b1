namespace IndexTools.Engine.Probe
{
    /// <summary>
    /// One answer the probe saw, with what the analysis needs: status, the response headers (secret-looking ones
    /// dropped), the start of the body, the redirect target. Never holds the request's Authorization.
    /// </summary>
    public sealed class ProbeObservation
    {
        public ProbeObservation(string purpose, Uri url)
        {
            Purpose = purpose ?? throw new ArgumentNullException(nameof(purpose));
            Url = url ?? throw new ArgumentNullException(nameof(url));
        }

        /// <summary>See <see cref="ProbePurposes"/>.</summary>
        public string Purpose { get; }

        /// <summary>The URL asked (without user info).</summary>
        public Uri Url { get; }

        public string Accept { get; set; } = "";

        public bool WithCredentials { get; set; }

        /// <summary>Null when nothing answered.</summary>
        public int? StatusCode { get; set; }

        public string? ContentType { get; set; }

        /// <summary>Response and content headers (names case-insensitive), secret-looking ones removed.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The first bytes of the body as text (UTF-8), for product markers, API versions and error wording.</summary>
        public string BodyStart { get; set; } = "";

        /// <summary>The absolute redirect target, when the answer was a redirect with a Location.</summary>
        public Uri? Location { get; set; }

        /// <summary>The wire error (already free of secrets), when nothing answered.</summary>
        public string? Error { get; set; }

        /// <summary>The failure happened in the TLS handshake.</summary>
        public bool TlsFailure { get; set; }

        /// <summary>PEP 708 fields and API version, when the body was a readable project page.</summary>
        public IReadOnlyList<string> Tracks { get; set; } = Array.Empty<string>();

        public IReadOnlyList<string> AlternateLocations { get; set; } = Array.Empty<string>();

        public string? ApiVersion { get; set; }

        public double DurationMs { get; set; }

        public bool IsSuccess => StatusCode >= 200 && StatusCode <= 299;

        public bool IsRedirect => StatusCode is 301 or 302 or 303 or 307 or 308;

        public bool IsAuthError => StatusCode is 401 or 403;

        public bool IsNotFound => StatusCode is 404 or 410;

        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

        public override string ToString() => Purpose + " " + (StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Error ?? "no answer");
    }

    /// <summary>The purposes of the probe's requests.</summary>
    public static class ProbePurposes
    {
        public const string RootJson = "root-json";
        public const string RootHtml = "root-html";
        public const string RootAnonymous = "root-anonymous";
        public const string Missing = "missing";
        public const string MissingAnonymous = "missing-anonymous";
        public const string Public = "public";
        public const string PublicAnonymous = "public-anonymous";
        public const string Package = "package";
        public const string PackageAnonymous = "package-anonymous";
        public const string PageJson = "page-json";
        public const string PageHtml = "page-html";
        public const string RedirectSuffix = "+redirect";
    }
}
