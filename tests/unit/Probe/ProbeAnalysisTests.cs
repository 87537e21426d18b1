using System;
using System.Collections.Generic;
using System.Linq;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Probe;
using Xunit;

namespace IndexTools.Tests.Probe
{
    /// <summary>The analysis rules on hand-made answers (no HTTP).</summary>
    public sealed class ProbeAnalysisTests
    {
        private static readonly Uri Index = new Uri("https://registry.example.com/simple/");

        private static ProbeObservation O(string purpose, int? status, bool credentials = false, string? contentType = "text/html", string? location = null, string? wwwAuthenticate = null)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (wwwAuthenticate != null)
            {
                headers["WWW-Authenticate"] = wwwAuthenticate;
            }

            return new ProbeObservation(purpose, new Uri(Index, purpose.StartsWith("root") ? "" : "x/"))
            {
                StatusCode = status,
                WithCredentials = credentials,
                ContentType = contentType,
                Location = location is null ? null : new Uri(location),
                Headers = headers,
            };
        }

        private static IndexProbeResult Analyze(bool credentials, params ProbeObservation[] observations)
        {
            var index = new IndexDefinition("internal", Index.AbsoluteUri, Provenance.FromParameter("test"));
            return ProbeAnalysis.Analyze(new ProbeInput(index, Index, "indextools-probe-x", observations) { HasCredentials = credentials, CredentialSource = credentials ? "env" : "none" });
        }

        [Fact]
        public void Missing_401_with_accepted_credentials_recommends_401()
        {
            var result = Analyze(true,
                O(ProbePurposes.RootJson, 200, true, "application/vnd.pypi.simple.v1+json"),
                O(ProbePurposes.RootHtml, 200, true),
                O(ProbePurposes.RootAnonymous, 401, wwwAuthenticate: "Basic realm=\"x\""),
                O(ProbePurposes.Missing, 401, true),
                O(ProbePurposes.MissingAnonymous, 401));
            Assert.Equal(CredentialVerdict.Accepted, result.Credentials);
            Assert.Equal(MissingNameBehavior.Refused, result.MissingNameBehavior);
            Assert.Equal(new[] { 401 }, result.RecommendedIgnoreErrorCodes);
            Assert.Equal(new[] { "json", "html" }, result.Formats);
            Assert.True(result.TlsHandshake);
        }

        [Fact]
        public void Recommendation_keeps_the_codes_already_ignored()
        {
            var index = new IndexDefinition("internal", Index.AbsoluteUri, Provenance.FromParameter("test"));
            var result = ProbeAnalysis.Analyze(new ProbeInput(index, Index, "n", new[]
            {
                O(ProbePurposes.RootJson, 200, true), O(ProbePurposes.Missing, 401, true), O(ProbePurposes.MissingAnonymous, 401),
            })
            { HasCredentials = true, Options = new ProbeOptions { IgnoredStatusCodes = new[] { 403 } } });
            Assert.Equal(new[] { 401, 403 }, result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public void Missing_401_anonymously_but_404_with_credentials_is_not_a_reason_to_ignore()
        {
            var result = Analyze(true,
                O(ProbePurposes.RootJson, 200, true), O(ProbePurposes.RootAnonymous, 401),
                O(ProbePurposes.Missing, 404, true), O(ProbePurposes.MissingAnonymous, 401));
            Assert.Equal(MissingNameBehavior.NotFound, result.MissingNameBehavior);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public void Root_401_with_credentials_means_rejected()
        {
            var result = Analyze(true,
                O(ProbePurposes.RootJson, 401, true), O(ProbePurposes.RootAnonymous, 401),
                O(ProbePurposes.Missing, 401, true), O(ProbePurposes.MissingAnonymous, 401));
            Assert.Equal(CredentialVerdict.Rejected, result.Credentials);
            Assert.Equal(MissingNameBehavior.Unknown, result.MissingNameBehavior);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public void Root_404_with_credentials_where_anonymous_gets_401_is_undetermined()
        {
            var result = Analyze(true,
                O(ProbePurposes.RootJson, 404, true), O(ProbePurposes.RootAnonymous, 401),
                O(ProbePurposes.Missing, 404, true), O(ProbePurposes.MissingAnonymous, 401));
            Assert.Equal(CredentialVerdict.Undetermined, result.Credentials);
            Assert.Contains(result.Findings, f => f.Kind == "CredentialsUndetermined" && f.Message.Contains("CodeArtifact"));
        }

        [Fact]
        public void No_credentials_and_a_401_root_means_missing()
        {
            var result = Analyze(false, O(ProbePurposes.RootJson, 401), O(ProbePurposes.RootHtml, 401), O(ProbePurposes.MissingAnonymous, 401), O(ProbePurposes.PublicAnonymous, 401));
            Assert.Equal(CredentialVerdict.Missing, result.Credentials);
            Assert.Contains(result.Findings, f => f.Kind == "CredentialsMissing" && f.Message.Contains("UV_INDEX_INTERNAL_USERNAME"));
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public void Same_answers_with_and_without_credentials_are_not_checked()
        {
            var result = Analyze(true,
                O(ProbePurposes.RootJson, 200, true), O(ProbePurposes.RootAnonymous, 200),
                O(ProbePurposes.Missing, 404, true), O(ProbePurposes.MissingAnonymous, 404));
            Assert.Equal(CredentialVerdict.NotChecked, result.Credentials);
        }

        [Fact]
        public void A_2xx_for_a_missing_name_is_flagged()
        {
            var result = Analyze(false, O(ProbePurposes.RootJson, 200), O(ProbePurposes.MissingAnonymous, 200));
            Assert.Equal(MissingNameBehavior.ServesPage, result.MissingNameBehavior);
            Assert.Contains(result.Findings, f => f.Kind == "ServesPageForMissingName");
        }

        [Fact]
        public void Anonymous_forwarding_to_another_origin_falls_through()
        {
            var result = Analyze(false, O(ProbePurposes.RootJson, 200), O(ProbePurposes.MissingAnonymous, 302, location: "https://pypi.org/simple/indextools-probe-x/"));
            Assert.Equal(MissingNameBehavior.Forwarded, result.MissingNameBehavior);
            Assert.True(result.FallsThroughToPublic);
            Assert.Equal("https://pypi.org/simple/indextools-probe-x/", result.ForwardsTo);
            Assert.Contains(result.Findings, f => f.Kind == "ForwardsAnonymousRequests" && f.Message.Contains("another origin"));
        }

        [Fact]
        public void Nothing_answering_is_unreachable_and_a_tls_failure_is_named()
        {
            var tls = O(ProbePurposes.RootJson, null);
            tls.TlsFailure = true;
            tls.Error = "TLS handshake failed: untrusted root";
            var result = Analyze(false, tls);
            Assert.False(result.Reachable);
            Assert.False(result.TlsHandshake);
            Assert.Contains(result.Findings, f => f.Kind == "TlsFailed");
            Assert.Equal(ReportSeverity.Error, result.Severity);
            var entries = ((IReportable)result).GetReportEntries().ToList();
            Assert.All(entries, e => Assert.Equal("IndexProbe", e.Section));
            Assert.Contains(entries, e => e.Severity == ReportSeverity.Error && e.Subject == "internal");
        }

        [Fact]
        public void A_clean_index_reports_one_info_entry()
        {
            var root = O(ProbePurposes.RootJson, 200, contentType: "application/vnd.pypi.simple.v1+json");
            root.Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Cache-Control"] = "max-age=600" };
            var result = Analyze(false, root, O(ProbePurposes.RootHtml, 200), O(ProbePurposes.MissingAnonymous, 404));
            Assert.Empty(result.Findings);
            var entry = Assert.Single(((IReportable)result).GetReportEntries());
            Assert.Equal(ReportSeverity.Info, entry.Severity);
        }
    }
}
