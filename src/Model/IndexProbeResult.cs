using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace IndexTools
{
    /// <summary>Which registry product an index looks like (from headers, bodies and URL shapes).</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum RegistryProduct
    {
        Unknown,
        PyPI,
        PyTorch,
        Artifactory,
        Nexus,
        AzureArtifacts,
        CodeArtifact,
        GoogleArtifactRegistry,
        GitLab,
        Devpi,
        Pypiserver,
        StaticHosting,
    }

    /// <summary>What the probe could tell about the credentials configured for an index.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum CredentialVerdict
    {
        /// <summary>No credentials are configured and the index answers without them.</summary>
        NotNeeded,
        /// <summary>No credentials are configured, and the index asks for them.</summary>
        Missing,
        /// <summary>The index answered with credentials where it refused (or would refuse) without them.</summary>
        Accepted,
        /// <summary>Credentials are configured; the index answers the same with and without them, so they are not checked.</summary>
        NotChecked,
        /// <summary>The index refused the credentials (401/403 with them on a page it serves to valid ones).</summary>
        Rejected,
        /// <summary>The answers do not tell rejected or expired credentials apart from "not on this index" (CodeArtifact's 404).</summary>
        Undetermined,
    }

    /// <summary>What an index answers for a name it cannot hold, with and without credentials.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum MissingNameBehavior
    {
        /// <summary>404 (or 410): "not here", the search goes on.</summary>
        NotFound,
        /// <summary>401/403 although the index accepts the request otherwise: uv stops unless ignore-error-codes says otherwise.</summary>
        Refused,
        /// <summary>A redirect to another index (GitLab-style forwarding), possibly to PyPI.</summary>
        Forwarded,
        /// <summary>A 2xx page for a name that cannot exist.</summary>
        ServesPage,
        /// <summary>No usable answer (network error, 5xx, credentials rejected).</summary>
        Unknown,
    }

    /// <summary>One HTTP exchange the probe made. Never carries a credential: URLs are redacted, Authorization is never recorded.</summary>
    public sealed class ProbeExchange
    {
        /// <summary>root-json, root-html, root-anonymous, missing, missing-anonymous, public, public-anonymous, package, package-anonymous (a redirect hop adds "+redirect").</summary>
        public string Purpose { get; set; } = "";

        /// <summary>The URL asked, redacted.</summary>
        public string Url { get; set; } = "";

        public string Accept { get; set; } = "";

        /// <summary>Whether Authorization was sent (never its value).</summary>
        public bool WithCredentials { get; set; }

        /// <summary>Null when nothing answered.</summary>
        public int? StatusCode { get; set; }

        public string? ContentType { get; set; }

        /// <summary>A redirect's target, redacted.</summary>
        public string? Location { get; set; }

        /// <summary>What went wrong on the wire (network, TLS, timeout), when something did.</summary>
        public string? Error { get; set; }

        public double DurationMs { get; set; }

        public override string ToString()
        {
            var status = StatusCode.HasValue ? StatusCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : (Error ?? "no answer");
            return Purpose + ": " + status + (Location != null ? " -> " + Location : "");
        }
    }

    /// <summary>One conclusion of a probe, with its severity.</summary>
    public sealed class ProbeFinding
    {
        /// <summary>A stable PascalCase identifier (Unreachable, TlsFailed, CredentialsRejected, ForwardsMissingNames, ...).</summary>
        public string Kind { get; set; } = "";

        public ReportSeverity Severity { get; set; }

        /// <summary>One or two plain sentences; no secrets.</summary>
        public string Message { get; set; } = "";

        public override string ToString() => Severity + " " + Kind + ": " + Message;
    }

    /// <summary>What <c>Test-PyIndex</c> found out about one index.</summary>
    public sealed class IndexProbeResult : IReportable
    {
        /// <summary>The index's name; null for a URL given with -Url. Binds to Set-IndexIgnoredCodes -Name.</summary>
        public string? Name { get; set; }

        /// <summary>The index URL, redacted.</summary>
        public string Url { get; set; } = "";

        /// <summary>The configuration file that defines the index (binds to Set-IndexIgnoredCodes -Path), when it came from a file.</summary>
        public string? ConfigFile { get; set; }

        /// <summary>Where the index is defined, as Get-IndexStrategy's Source shows it: <c>pyproject.toml:4</c>, <c>env: UV_INDEX</c>, <c>parameter: Url</c>.</summary>
        public string Source { get; set; } = "";

        /// <summary>Whether any HTTP answer came back.</summary>
        public bool Reachable { get; set; }

        /// <summary>http, https (or file for a local index, which is not probed).</summary>
        public string Scheme { get; set; } = "";

        /// <summary>For https: whether the TLS handshake succeeded; null for http.</summary>
        public bool? TlsHandshake { get; set; }

        /// <summary>For https: why the handshake failed.</summary>
        public string? TlsError { get; set; }

        /// <summary>Simple API formats served: json (PEP 691), html (PEP 503).</summary>
        public string[] Formats { get; set; } = Array.Empty<string>();

        /// <summary>The API version announced (PEP 691 <c>meta.api-version</c> or PEP 629 meta tag); null when none.</summary>
        public string? ApiVersion { get; set; }

        public RegistryProduct Product { get; set; }

        /// <summary>High, Medium or Low.</summary>
        public string ProductConfidence { get; set; } = "Low";

        /// <summary>Why the product was chosen (header names and values, URL shape, body markers), or what was seen when it is Unknown.</summary>
        public string[] ProductEvidence { get; set; } = Array.Empty<string>();

        /// <summary>none, url, env, netrc or parameter: where the probe's credentials came from (never the secret).</summary>
        public string CredentialSource { get; set; } = "none";

        public CredentialVerdict Credentials { get; set; }

        /// <summary>The random name probed (<c>indextools-probe-&lt;guid&gt;</c>).</summary>
        public string MissingName { get; set; } = "";

        /// <summary>Status for the missing name with credentials (null when none are configured or nothing answered).</summary>
        public int? MissingStatus { get; set; }

        /// <summary>Status for the missing name without credentials.</summary>
        public int? MissingStatusAnonymous { get; set; }

        /// <summary>What the missing-name answers mean for uv's search (with credentials when they are configured).</summary>
        public MissingNameBehavior MissingNameBehavior { get; set; }

        /// <summary>Where a missing name is forwarded to (redacted), for GitLab-style forwarding.</summary>
        public string? ForwardsTo { get; set; }

        /// <summary>True when the index hands out packages it does not hold by itself: forwarding to another origin, or an anonymous view serving public packages.</summary>
        public bool FallsThroughToPublic { get; set; }

        /// <summary>Cache-Control of the probed page, when sent.</summary>
        public string? CacheControl { get; set; }

        public string? ETag { get; set; }

        public string? LastModified { get; set; }

        /// <summary>PEP 708 <c>tracks</c> on the probed page (redacted URLs).</summary>
        public string[] Tracks { get; set; } = Array.Empty<string>();

        /// <summary>PEP 708 <c>alternate-locations</c> on the probed page (redacted URLs).</summary>
        public string[] AlternateLocations { get; set; } = Array.Empty<string>();

        /// <summary>The project page the formats, cache headers and PEP 708 fields were read from (root, or a package).</summary>
        public string? ProbedPage { get; set; }

        /// <summary>The ignore-error-codes value to set, when the index answers 401/403 for names it does not hold; null when nothing should change. Binds to Set-IndexIgnoredCodes -StatusCode.</summary>
        public int[]? RecommendedIgnoreErrorCodes { get; set; }

        /// <summary>ignore-error-codes as configured now (explicit or inferred), beyond 404.</summary>
        public int[] IgnoredStatusCodes { get; set; } = Array.Empty<int>();

        public ProbeFinding[] Findings { get; set; } = Array.Empty<ProbeFinding>();

        public ProbeExchange[] Exchanges { get; set; } = Array.Empty<ProbeExchange>();

        public double DurationMs { get; set; }

        /// <summary>The worst severity among the findings.</summary>
        public ReportSeverity Severity => Findings.Length == 0 ? ReportSeverity.Info : Findings.Max(f => f.Severity);

        IEnumerable<ReportEntry> IReportable.GetReportEntries()
        {
            var subject = Name ?? Url;
            if (Findings.Length == 0)
            {
                yield return new ReportEntry("IndexProbe", ReportSeverity.Info, subject, subject, "Index answers as expected", Product + " index; nothing to act on.").At(Source, ConfigFile);
                yield break;
            }

            foreach (var finding in Findings)
            {
                var entry = new ReportEntry("IndexProbe", finding.Severity, subject, subject, finding.Kind, finding.Message);
                entry.Columns.Add(new KeyValuePair<string, string>("Product", Product.ToString()));
                entry.Columns.Add(new KeyValuePair<string, string>("Credentials", Credentials.ToString()));
                if (RecommendedIgnoreErrorCodes != null)
                {
                    entry.Columns.Add(new KeyValuePair<string, string>("Recommended ignore-error-codes", "[" + string.Join(", ", RecommendedIgnoreErrorCodes) + "]"));
                }

                yield return entry.At(Source, ConfigFile);
            }
        }

        public override string ToString() => (Name ?? Url) + ": " + Product + ", " + (Reachable ? "reachable" : "unreachable");
    }
}
