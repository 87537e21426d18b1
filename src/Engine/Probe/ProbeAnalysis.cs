using System.Globalization;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Security;

namespace IndexTools.Engine.Probe
{
    /// <summary>Everything the analysis reads: the index, the answers, and whether credentials were sent.</summary>
    public sealed class ProbeInput
    {
        public ProbeInput(IndexDefinition index, Uri indexUrl, string missingName, IReadOnlyList<ProbeObservation> observations)
        {
            Index = index ?? throw new ArgumentNullException(nameof(index));
            IndexUrl = indexUrl ?? throw new ArgumentNullException(nameof(indexUrl));
            MissingName = missingName ?? throw new ArgumentNullException(nameof(missingName));
            Observations = observations ?? throw new ArgumentNullException(nameof(observations));
        }

        public IndexDefinition Index { get; }

        /// <summary>The index URL without user info.</summary>
        public Uri IndexUrl { get; }

        public string MissingName { get; }

        public IReadOnlyList<ProbeObservation> Observations { get; }

        /// <summary>Complete credentials were found and sent on the "with credentials" requests.</summary>
        public bool HasCredentials { get; set; }

        public string CredentialSource { get; set; } = "none";

        public ProbeOptions Options { get; set; } = new ProbeOptions();
    }

    /// <summary>
    /// Turns the probe's answers into conclusions. Pure: no I/O, so every rule is tested with hand-made observations.
    /// <list type="bullet">
    /// <item>Credentials: accepted when a request with them got a page (or a 404 where anonymous got 401/403); rejected when
    /// the index root answered 401/403 with them; undetermined when the answers cannot tell (a 404 with credentials where
    /// anonymous got 401 — CodeArtifact answers 404 to an expired token).</item>
    /// <item>Missing names: a 401/403 for a random name counts as "not here" only when the credentials are accepted (or the
    /// index serves pages without any); only then is ignore-error-codes recommended. A 401/403 that is the index asking
    /// for credentials, or a package that is merely protected, never earns a recommendation.</item>
    /// <item>Falling through: a redirect of a missing name to another index (GitLab forwarding, another origin), or an
    /// anonymous view that serves a public package on an index that has credentials configured.</item>
    /// </list>
    /// </summary>
    public static class ProbeAnalysis
    {
        public static IndexProbeResult NotProbed(IndexDefinition index, ProbeOptions options, string missingName, string why)
        {
            return new IndexProbeResult
            {
                Name = index.Name,
                Url = index.DisplayUrl,
                ConfigFile = options.ConfigFile,
                Source = index.Source.Description,
                Scheme = "file",
                Reachable = false,
                MissingName = missingName,
                MissingNameBehavior = MissingNameBehavior.Unknown,
                IgnoredStatusCodes = options.IgnoredStatusCodes.ToArray(),
                Credentials = CredentialVerdict.NotNeeded,
                Findings = new[] { new ProbeFinding { Kind = "NotProbed", Severity = ReportSeverity.Notice, Message = "Not probed: " + why + "." } },
            };
        }

        public static IndexProbeResult Analyze(ProbeInput input)
        {
            if (input is null)
            {
                throw new ArgumentNullException(nameof(input));
            }

            var findings = new List<ProbeFinding>();
            void Add(string kind, ReportSeverity severity, string message) => findings.Add(new ProbeFinding { Kind = kind, Severity = severity, Message = message });

            var obs = input.Observations;
            ProbeObservation? Get(string purpose) => obs.FirstOrDefault(o => o.Purpose == purpose);
            var with = input.HasCredentials;
            var rootJson = Get(ProbePurposes.RootJson);
            var rootHtml = Get(ProbePurposes.RootHtml);
            var rootCred = rootJson ?? rootHtml;
            var rootAnon = with ? Get(ProbePurposes.RootAnonymous) : rootCred;
            var missingCred = with ? Get(ProbePurposes.Missing) : null;
            var missingAnon = Get(ProbePurposes.MissingAnonymous);
            var publicCred = with ? Get(ProbePurposes.Public) : null;
            var publicAnon = Get(ProbePurposes.PublicAnonymous);
            var packageCred = Get(ProbePurposes.Package);
            var packageAnon = with ? Get(ProbePurposes.PackageAnonymous) : packageCred;

            var result = new IndexProbeResult
            {
                Name = input.Index.Name,
                Url = input.Index.DisplayUrl,
                ConfigFile = input.Options.ConfigFile,
                Source = input.Index.Source.Description,
                Scheme = input.IndexUrl.Scheme,
                MissingName = input.MissingName,
                CredentialSource = input.CredentialSource,
                IgnoredStatusCodes = input.Options.IgnoredStatusCodes.OrderBy(c => c).ToArray(),
                Exchanges = obs.Select(ToExchange).ToArray(),
            };

            // Reachability and TLS.
            result.Reachable = obs.Any(o => o.StatusCode.HasValue);
            if (string.Equals(input.IndexUrl.Scheme, "https", StringComparison.OrdinalIgnoreCase))
            {
                var tls = obs.FirstOrDefault(o => o.TlsFailure && SameOrigin(o.Url, input.IndexUrl));
                if (obs.Any(o => o.StatusCode.HasValue && SameOrigin(o.Url, input.IndexUrl)))
                {
                    result.TlsHandshake = true;
                }
                else if (tls != null)
                {
                    result.TlsHandshake = false;
                    result.TlsError = tls.Error;
                }
            }
            else if (string.Equals(input.IndexUrl.Scheme, "http", StringComparison.OrdinalIgnoreCase) && !IsLoopback(input.IndexUrl))
            {
                Add("PlainHttp", ReportSeverity.Warning, "The index is reached over plain http: credentials and pages travel unencrypted.");
            }

            if (!result.Reachable)
            {
                if (result.TlsHandshake == false)
                {
                    Add("TlsFailed", ReportSeverity.Error, "The TLS handshake with the index failed (" + result.TlsError + ").");
                }
                else
                {
                    var error = obs.Select(o => o.Error).FirstOrDefault(e => e != null) ?? "no answer";
                    Add("Unreachable", ReportSeverity.Error, "The index did not answer: " + error + ".");
                }
            }

            // Formats and API version.
            var pageJson = Get(ProbePurposes.PageJson);
            var pageHtml = Get(ProbePurposes.PageHtml);
            var jsonAnswer = rootJson != null && rootJson.IsSuccess ? rootJson : pageJson;
            var htmlAnswer = rootHtml != null && rootHtml.IsSuccess ? rootHtml : pageHtml;
            var formats = new List<string>();
            if (jsonAnswer != null && jsonAnswer.IsSuccess && Contains(jsonAnswer.ContentType, "json"))
            {
                formats.Add("json");
            }

            if (htmlAnswer != null && htmlAnswer.IsSuccess && Contains(htmlAnswer.ContentType, "html"))
            {
                formats.Add("html");
            }

            result.Formats = formats.ToArray();
            result.ApiVersion = new[] { jsonAnswer, htmlAnswer }.Where(o => o != null && o.IsSuccess).Select(o => o!.ApiVersion).FirstOrDefault(v => v != null)
                ?? obs.Where(o => o.IsSuccess).Select(o => o.ApiVersion).FirstOrDefault(v => v != null);

            // Credentials.
            // A 404 on the root with credentials where anonymous gets 401/403 may be a refusal in disguise (CodeArtifact's
            // expired token): then a 404 for the missing name proves nothing about the credentials either.
            var hiddenRefusal = with && (rootCred?.IsNotFound ?? false) && (rootAnon?.IsAuthError ?? false);
            var credentialOk = with && (
                (rootCred?.IsSuccess ?? false)
                || (publicCred?.IsSuccess ?? false)
                || (packageCred?.IsSuccess ?? false)
                || (!hiddenRefusal && (missingCred?.IsNotFound ?? false) && (missingAnon?.IsAuthError ?? false)));
            var anonymousReads = (rootAnon?.IsSuccess ?? false) || (publicAnon?.IsSuccess ?? false) || (packageAnon?.IsSuccess ?? false) || (missingAnon?.IsNotFound ?? false);
            var anonymousAsked = AsksForCredentials(rootAnon) || AsksForCredentials(missingAnon) || AsksForCredentials(publicAnon);
            if (!with)
            {
                if (anonymousReads)
                {
                    result.Credentials = CredentialVerdict.NotNeeded;
                }
                else if (anonymousAsked)
                {
                    result.Credentials = CredentialVerdict.Missing;
                    Add("CredentialsMissing", ReportSeverity.Error,
                        "The index asks for credentials (" + Status(rootAnon) + " on its root) and none are configured: set "
                        + (input.Index.Name != null ? CredentialProvider.UsernameVariable(input.Index.Name) + " / " + CredentialProvider.PasswordVariable(input.Index.Name) : "credentials in the URL or netrc")
                        + ", or pass -Credential.");
                }
                else
                {
                    result.Credentials = result.Reachable ? CredentialVerdict.Undetermined : CredentialVerdict.NotNeeded;
                }
            }
            else if (credentialOk)
            {
                // The credentials matter when some request is answered differently without them.
                var differs = !anonymousReads || anonymousAsked
                    || new[] { (rootCred, rootAnon), (missingCred, missingAnon), (publicCred, publicAnon), (packageCred, packageAnon) }
                        .Any(p => p.Item1 != null && p.Item2 != null && p.Item1.StatusCode != p.Item2.StatusCode);
                result.Credentials = differs ? CredentialVerdict.Accepted : CredentialVerdict.NotChecked;
                if (!differs)
                {
                    Add("CredentialsNotNeeded", ReportSeverity.Notice,
                        "The index answers the same without credentials, so it does not need (or does not check) the configured ones (" + input.CredentialSource + ").");
                }
            }
            else if (rootCred != null && rootCred.IsAuthError)
            {
                result.Credentials = CredentialVerdict.Rejected;
                Add("CredentialsRejected", ReportSeverity.Error,
                    "The index refused the configured credentials (" + input.CredentialSource + "): " + Status(rootCred) + " on its root with them. They are wrong, expired or lack read permission.");
            }
            else if (hiddenRefusal)
            {
                result.Credentials = CredentialVerdict.Undetermined;
                Add("CredentialsUndetermined", ReportSeverity.Warning,
                    "Cannot tell rejected or expired credentials from \"not on this index\": with credentials the index answers 404 where it answers "
                    + Status(rootAnon) + " without them. Some registries hide a refusal behind 404 (AWS CodeArtifact answers 404 to an expired token); refresh the token and probe again.");
            }
            else
            {
                result.Credentials = CredentialVerdict.Undetermined;
                if (result.Reachable)
                {
                    Add("CredentialsUndetermined", ReportSeverity.Warning,
                        "The answers do not show whether the configured credentials are accepted: no request with them got a page (root " + Status(rootCred) + ", missing name " + Status(missingCred) + ").");
                }
            }

            // Missing names.
            var missing = with ? missingCred : missingAnon;
            result.MissingStatus = missingCred?.StatusCode;
            result.MissingStatusAnonymous = missingAnon?.StatusCode;
            var readable = with ? credentialOk : anonymousReads && !AsksForCredentials(rootAnon);
            if (missing is null || !missing.StatusCode.HasValue)
            {
                result.MissingNameBehavior = MissingNameBehavior.Unknown;
            }
            else if (missing.IsRedirect)
            {
                result.MissingNameBehavior = MissingNameBehavior.Forwarded;
            }
            else if (missing.IsNotFound)
            {
                result.MissingNameBehavior = MissingNameBehavior.NotFound;
            }
            else if (missing.IsAuthError)
            {
                result.MissingNameBehavior = readable ? MissingNameBehavior.Refused : MissingNameBehavior.Unknown;
            }
            else if (missing.IsSuccess)
            {
                result.MissingNameBehavior = MissingNameBehavior.ServesPage;
            }
            else
            {
                result.MissingNameBehavior = MissingNameBehavior.Unknown;
            }

            // Forwarding (with credentials or anonymously).
            foreach (var forwarded in new[] { missing, missingAnon }.Where(o => o != null && o.IsRedirect && o.Location != null).Distinct())
            {
                var target = forwarded!.Location!;
                var hops = obs.Where(o => o.Purpose == forwarded.Purpose + ProbePurposes.RedirectSuffix).ToList();
                var final = hops.LastOrDefault();
                var crossOrigin = !SameOrigin(target, input.IndexUrl);
                result.ForwardsTo ??= UrlRedactor.Redact(target.AbsoluteUri);
                result.FallsThroughToPublic = true;
                var who = forwarded.WithCredentials ? "with credentials" : "without credentials";
                Add(forwarded.WithCredentials ? "ForwardsMissingNames" : "ForwardsAnonymousRequests", ReportSeverity.Warning,
                    "A name the index does not hold is redirected (" + forwarded.StatusCode + ", " + who + ") to " + (crossOrigin ? "another origin, " : "") + UrlRedactor.Redact(target.AbsoluteUri)
                    + (final?.StatusCode != null ? " (which answered " + final.StatusCode + ")" : "")
                    + ": packages missing here come from there (GitLab-style forwarding). An internal name that is not published yet resolves to a public namesake; "
                    + (forwarded.WithCredentials ? "turn package forwarding off on the registry." : "set authenticate = \"always\" so requests carry credentials."));
            }

            if (result.MissingNameBehavior == MissingNameBehavior.ServesPage)
            {
                Add("ServesPageForMissingName", ReportSeverity.Warning,
                    "The index answers " + missing!.StatusCode + " (" + (missing.ContentType ?? "no content type") + ") for '" + input.MissingName + "', a name that cannot exist: a login page or a catch-all, not a Simple API answer.");
            }

            // An anonymous view that serves public packages on an index meant to be private.
            var meantPrivate = with || input.Index.Authenticate == AuthenticatePolicy.Always;
            if (meantPrivate && publicAnon != null && publicAnon.IsSuccess && !(input.Index.Authenticate == AuthenticatePolicy.Always))
            {
                result.FallsThroughToPublic = true;
                Add("AnonymousServesPublicPackages", ReportSeverity.Warning,
                    "Without credentials the index serves '" + PackageName(publicAnon) + "', a public package: a request that loses its credentials gets public packages here instead of a 401 "
                    + "(JFrog anonymous access, uv #10684), so an internal name can silently come from PyPI. Set authenticate = \"always\" on the index, or turn anonymous access off.");
            }

            // A package that is merely protected.
            if (packageCred != null && packageCred.IsAuthError && (missing?.IsNotFound ?? false))
            {
                var upstream = packageCred.BodyStart.IndexOf("upstream", StringComparison.OrdinalIgnoreCase) >= 0;
                Add(upstream ? "UpstreamNotPermitted" : "PackageProtected", ReportSeverity.Warning,
                    "'" + PackageName(packageCred) + "' answers " + packageCred.StatusCode + (with ? " with credentials" : "") + " while missing names answer " + missing!.StatusCode
                    + (upstream
                        ? ": the package exists only upstream and the caller may not pull it through (Azure Artifacts' \"not found in disguise\")."
                        : ": the package is protected for this account (or not published yet, uv #13856).")
                    + " Ignoring " + packageCred.StatusCode + " would hide this; it is not recommended.");
            }

            // Recommendation.
            if (result.MissingNameBehavior == MissingNameBehavior.Refused)
            {
                var code = missing!.StatusCode!.Value;
                if (result.IgnoredStatusCodes.Contains(code))
                {
                    Add("MissingNamesIgnored", ReportSeverity.Info,
                        "The index answers " + code + " for names it does not hold, and ignore-error-codes already includes " + code + ".");
                }
                else
                {
                    result.RecommendedIgnoreErrorCodes = result.IgnoredStatusCodes.Concat(new[] { code }).Distinct().OrderBy(c => c).ToArray();
                    Add("MissingNamesRefused", ReportSeverity.Warning,
                        "The index answers " + code + " for '" + input.MissingName + "', a name it cannot hold" + (with ? ", although it accepts the credentials" : "")
                        + ": uv stops the search there (first-index). Set ignore-error-codes = [" + string.Join(", ", result.RecommendedIgnoreErrorCodes.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray())
                        + "] on the index (pipe this result to Set-IndexIgnoredCodes -WhatIf) — knowing it lets the search continue past this index when it refuses.");
                }
            }
            else if (missing != null && missing.IsAuthError && result.MissingNameBehavior == MissingNameBehavior.Unknown)
            {
                Add("NoRecommendation", ReportSeverity.Info,
                    "The " + missing.StatusCode + " for a missing name is the index asking for (valid) credentials, not \"not here\": ignore-error-codes is not recommended.");
            }

            // The page whose headers and fields are reported.
            var probed = new[] { packageCred, publicCred, publicAnon, rootJson, rootHtml }.FirstOrDefault(o => o != null && o.IsSuccess);
            if (probed != null)
            {
                result.ProbedPage = UrlRedactor.Redact(probed.Url.AbsoluteUri);
                result.CacheControl = probed.Header("Cache-Control");
                result.ETag = probed.Header("ETag");
                result.LastModified = probed.Header("Last-Modified");
                if (result.CacheControl is null && result.ETag is null && result.LastModified is null)
                {
                    Add("NoCacheHeaders", ReportSeverity.Notice, "The index sends no Cache-Control, ETag or Last-Modified: uv revalidates every page on every run.");
                }
            }

            var pep708 = obs.Where(o => o.IsSuccess && (o.Tracks.Count > 0 || o.AlternateLocations.Count > 0)).ToList();
            if (pep708.Count > 0)
            {
                result.Tracks = pep708.SelectMany(o => o.Tracks).Distinct().ToArray();
                result.AlternateLocations = pep708.SelectMany(o => o.AlternateLocations).Distinct().ToArray();
                Add("Pep708Fields", ReportSeverity.Notice,
                    "The page of '" + PackageName(pep708[0]) + "' declares PEP 708 "
                    + (result.Tracks.Length > 0 ? "tracks (" + string.Join(", ", result.Tracks) + ")" : "")
                    + (result.Tracks.Length > 0 && result.AlternateLocations.Length > 0 ? " and " : "")
                    + (result.AlternateLocations.Length > 0 ? "alternate-locations (" + string.Join(", ", result.AlternateLocations) + ")" : "")
                    + " — advisory: uv ignores PEP 708.");
            }

            if (result.Reachable && result.Formats.Length == 0 && input.Index.Format != IndexFormat.Flat && result.Credentials != CredentialVerdict.Missing && result.Credentials != CredentialVerdict.Rejected && result.Credentials != CredentialVerdict.Undetermined)
            {
                Add("NoSimpleApiPage", ReportSeverity.Warning,
                    "Neither the root nor a package page answered with a Simple API page (root: " + Status(rootJson) + "); the URL may not be a Simple API index.");
            }

            var guess = ProductDetector.Detect(input.IndexUrl, obs);
            result.Product = guess.Product;
            result.ProductConfidence = guess.Confidence;
            result.ProductEvidence = guess.Evidence.ToArray();
            if (guess.Product == RegistryProduct.CodeArtifact && result.Credentials == CredentialVerdict.Accepted)
            {
                Add("TokenExpires", ReportSeverity.Info, "CodeArtifact tokens expire after at most 12 hours; an expired token answers 401 (or 404), so refresh it in CI before each run.");
            }

            result.Findings = findings.ToArray();
            Sanitize(result);
            return result;
        }

        /// <summary>
        /// Every text of the result that an index could have written (headers, evidence, PEP 708 URLs, errors) with its
        /// control characters escaped and known secrets scrubbed, before it becomes an output object.
        /// </summary>
        private static void Sanitize(IndexProbeResult result)
        {
            result.ApiVersion = NetworkText.Clean(result.ApiVersion);
            result.TlsError = NetworkText.Clean(result.TlsError);
            result.ForwardsTo = NetworkText.Clean(result.ForwardsTo);
            result.CacheControl = NetworkText.Clean(result.CacheControl);
            result.ETag = NetworkText.Clean(result.ETag);
            result.LastModified = NetworkText.Clean(result.LastModified);
            result.ProbedPage = NetworkText.Clean(result.ProbedPage);
            result.ProductEvidence = result.ProductEvidence.Select(e => NetworkText.Clean(e)!).ToArray();
            result.Tracks = result.Tracks.Select(e => NetworkText.Clean(e)!).ToArray();
            result.AlternateLocations = result.AlternateLocations.Select(e => NetworkText.Clean(e)!).ToArray();
            foreach (var finding in result.Findings)
            {
                finding.Message = NetworkText.Clean(finding.Message)!;
            }

            foreach (var exchange in result.Exchanges)
            {
                exchange.Url = NetworkText.Clean(exchange.Url)!;
                exchange.ContentType = NetworkText.Clean(exchange.ContentType);
                exchange.Location = NetworkText.Clean(exchange.Location);
                exchange.Error = NetworkText.Clean(exchange.Error);
            }
        }

        private static ProbeExchange ToExchange(ProbeObservation o) => new ProbeExchange
        {
            Purpose = o.Purpose,
            Url = UrlRedactor.Redact(o.Url.AbsoluteUri),
            Accept = o.Accept,
            WithCredentials = o.WithCredentials,
            StatusCode = o.StatusCode,
            ContentType = o.ContentType,
            Location = o.Location is null ? null : UrlRedactor.Redact(o.Location.AbsoluteUri),
            Error = o.Error,
            DurationMs = o.DurationMs,
        };

        /// <summary>401, or 403 with a WWW-Authenticate challenge: the index wants credentials.</summary>
        private static bool AsksForCredentials(ProbeObservation? o) =>
            o != null && (o.StatusCode == 401 || (o.StatusCode == 403 && o.Header("WWW-Authenticate") != null));

        private static string Status(ProbeObservation? o) =>
            o is null ? "not asked" : o.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? (o.Error ?? "no answer");

        private static bool Contains(string? text, string part) => text != null && text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;

        private static string PackageName(ProbeObservation o) => o.Url.AbsolutePath.TrimEnd('/').Split('/').Last();

        private static bool SameOrigin(Uri a, Uri b) =>
            string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

        private static bool IsLoopback(Uri url) => url.IsLoopback;
    }
}
