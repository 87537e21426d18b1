using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Probe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;
using static IndexTools.Tests.Probe.ProbeHarness;

namespace IndexTools.Tests.Probe
{
    /// <summary>The prober against the local index server, one registry profile (registries.md row) at a time.</summary>
    public sealed class ProfileProbeTests
    {
        private static readonly IndexCredential Good = new IndexCredential(User, Secret);
        private static readonly IndexCredential Bad = new IndexCredential(User, "wrong-or-expired");

        private static Action<IndexTools.IndexServer.IndexBehavior> Auth => b =>
        {
            b.Username = User;
            b.Password = Secret;
        };

        [Fact]
        public async Task Pypi_is_detected_serves_both_formats_and_needs_nothing()
        {
            await using var host = await StartAsync(PublicIndex());
            var result = await ProbeAsync(host.IndexUrl("pypi"), "pypi");
            Assert.Equal(RegistryProduct.PyPI, result.Product);
            Assert.Equal(new[] { "json", "html" }, result.Formats);
            Assert.Equal("1.1", result.ApiVersion);
            Assert.Equal(CredentialVerdict.NotNeeded, result.Credentials);
            Assert.Equal(MissingNameBehavior.NotFound, result.MissingNameBehavior);
            Assert.Equal(404, result.MissingStatusAnonymous);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
            Assert.Contains("max-age=600", result.CacheControl);
            Assert.True(result.Reachable);
            Assert.Null(result.TlsHandshake);
        }

        [Fact]
        public async Task Pytorch_like_static_index_answers_403_for_missing_names_and_gets_a_recommendation()
        {
            await using var host = await StartAsync(PrivateIndex("pytorch"));
            var result = await ProbeAsync(host.IndexUrl("internal"));
            // Only the host name says "PyTorch"; on loopback the headers are those of S3 behind CloudFront.
            Assert.Equal(RegistryProduct.StaticHosting, result.Product);
            Assert.Equal(new[] { "html" }, result.Formats);
            Assert.Equal(MissingNameBehavior.Refused, result.MissingNameBehavior);
            Assert.Equal(new[] { 403 }, result.RecommendedIgnoreErrorCodes);
            Assert.Contains(result.Findings, f => f.Kind == "MissingNamesRefused");
        }

        [Fact]
        public async Task Already_ignored_code_is_not_recommended_again()
        {
            await using var host = await StartAsync(PrivateIndex("pytorch"));
            var result = await ProbeAsync(host.IndexUrl("internal"), options: new ProbeOptions { IgnoredStatusCodes = new[] { 403 } });
            Assert.Equal(MissingNameBehavior.Refused, result.MissingNameBehavior);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
            Assert.Contains(result.Findings, f => f.Kind == "MissingNamesIgnored");
        }

        [Fact]
        public async Task S3_bucket_is_static_hosting_with_a_403_recommendation()
        {
            await using var host = await StartAsync(PrivateIndex("s3"));
            var result = await ProbeAsync(host.IndexUrl("internal"));
            Assert.Equal(RegistryProduct.StaticHosting, result.Product);
            Assert.Contains(result.ProductEvidence, e => e.Contains("AmazonS3"));
            Assert.Equal(new[] { 403 }, result.RecommendedIgnoreErrorCodes);
            Assert.NotNull(result.ETag);
        }

        [Fact]
        public async Task Artifactory_with_valid_credentials_is_accepted_and_missing_is_404()
        {
            await using var host = await StartAsync(PrivateIndex("artifactory", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good);
            Assert.Equal(RegistryProduct.Artifactory, result.Product);
            Assert.Equal("High", result.ProductConfidence);
            Assert.Equal(CredentialVerdict.Accepted, result.Credentials);
            Assert.Equal("parameter", result.CredentialSource);
            Assert.Equal(404, result.MissingStatus);
            Assert.Equal(401, result.MissingStatusAnonymous);
            Assert.Equal(MissingNameBehavior.NotFound, result.MissingNameBehavior);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
            Assert.False(result.FallsThroughToPublic);
        }

        [Fact]
        public async Task Artifactory_answering_403_for_missing_names_with_accepted_credentials_gets_403_recommended()
        {
            await using var host = await StartAsync(PrivateIndex("artifactory", b => { Auth(b); b.MissingStatus = 403; }));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good);
            Assert.Equal(CredentialVerdict.Accepted, result.Credentials);
            Assert.Equal(MissingNameBehavior.Refused, result.MissingNameBehavior);
            Assert.Equal(new[] { 403 }, result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public async Task Artifactory_without_credentials_says_they_are_missing_and_recommends_nothing()
        {
            await using var host = await StartAsync(PrivateIndex("artifactory", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"));
            Assert.Equal(CredentialVerdict.Missing, result.Credentials);
            Assert.Equal(MissingNameBehavior.Unknown, result.MissingNameBehavior);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
            Assert.Contains(result.Findings, f => f.Kind == "CredentialsMissing" && f.Severity == ReportSeverity.Error);
            Assert.Contains(result.Findings, f => f.Kind == "NoRecommendation");
        }

        [Fact]
        public async Task Artifactory_with_wrong_credentials_says_rejected()
        {
            await using var host = await StartAsync(PrivateIndex("artifactory", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Bad);
            Assert.Equal(CredentialVerdict.Rejected, result.Credentials);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
            Assert.Contains(result.Findings, f => f.Kind == "CredentialsRejected" && f.Severity == ReportSeverity.Error);
        }

        [Fact]
        public async Task Artifactory_with_anonymous_access_serves_public_packages_without_credentials()
        {
            await using var host = await StartAsync(PrivateIndex("artifactory-anonymous", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good);
            Assert.Equal(RegistryProduct.Artifactory, result.Product);
            Assert.True(result.FallsThroughToPublic);
            Assert.Contains(result.Findings, f => f.Kind == "AnonymousServesPublicPackages");
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public async Task A_protected_package_is_reported_but_never_recommended_for_ignoring()
        {
            await using var host = await StartAsync(PrivateIndex("artifactory", b => { Auth(b); b.ProjectStatus["acme-secret"] = 403; }));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good, options: new ProbeOptions { Package = "acme-secret", MissingName = "indextools-probe-x" });
            Assert.Equal(MissingNameBehavior.NotFound, result.MissingNameBehavior);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
            Assert.Contains(result.Findings, f => f.Kind == "PackageProtected");
        }

        [Fact]
        public async Task Nexus_is_detected_from_its_server_header()
        {
            await using var host = await StartAsync(PrivateIndex("nexus", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good);
            Assert.Equal(RegistryProduct.Nexus, result.Product);
            Assert.Equal(CredentialVerdict.Accepted, result.Credentials);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public async Task Azure_artifacts_upstream_only_package_is_a_not_found_in_disguise()
        {
            await using var host = await StartAsync(PrivateIndex("azure-artifacts", b => { Auth(b); b.UpstreamPackages = new System.Collections.Generic.List<string> { "left-pad" }; }));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good, options: new ProbeOptions { Package = "left-pad", MissingName = "indextools-probe-x" });
            Assert.Equal(RegistryProduct.AzureArtifacts, result.Product);
            Assert.Equal(CredentialVerdict.Accepted, result.Credentials);
            Assert.Contains(result.Findings, f => f.Kind == "UpstreamNotPermitted");
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public async Task Codeartifact_expired_token_answering_401_is_rejected()
        {
            await using var host = await StartAsync(PrivateIndex("codeartifact", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Bad);
            Assert.Equal(RegistryProduct.CodeArtifact, result.Product);
            Assert.Equal(CredentialVerdict.Rejected, result.Credentials);
        }

        [Fact]
        public async Task Codeartifact_expired_token_answering_404_is_undetermined_and_says_so()
        {
            await using var host = await StartAsync(PrivateIndex("codeartifact-expired", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Bad);
            Assert.Equal(RegistryProduct.CodeArtifact, result.Product);
            Assert.Equal(CredentialVerdict.Undetermined, result.Credentials);
            var finding = Assert.Single(result.Findings, f => f.Kind == "CredentialsUndetermined");
            Assert.Contains("CodeArtifact answers 404 to an expired token", finding.Message);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public async Task Codeartifact_valid_token_is_accepted_with_an_expiry_note()
        {
            await using var host = await StartAsync(PrivateIndex("codeartifact-expired", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good);
            Assert.Equal(CredentialVerdict.Accepted, result.Credentials);
            Assert.Contains(result.Findings, f => f.Kind == "TokenExpires");
        }

        [Fact]
        public async Task Google_artifact_registry_answers_403_to_bad_credentials()
        {
            await using var host = await StartAsync(PrivateIndex("google-artifact-registry", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Bad);
            Assert.Equal(RegistryProduct.GoogleArtifactRegistry, result.Product);
            Assert.Equal(CredentialVerdict.Rejected, result.Credentials);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public async Task Gitlab_forwards_missing_names_to_pypi()
        {
            await using var host = await StartAsync(PrivateIndex("gitlab", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good);
            Assert.Equal(RegistryProduct.GitLab, result.Product);
            Assert.Equal(MissingNameBehavior.Forwarded, result.MissingNameBehavior);
            Assert.True(result.FallsThroughToPublic);
            Assert.Contains("/pypi/simple/", result.ForwardsTo);
            Assert.Contains(result.Findings, f => f.Kind == "ForwardsMissingNames");
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public async Task Gitlab_forwarding_to_another_origin_is_reported_as_such()
        {
            await using var host = await StartAsync(PrivateIndex("gitlab-forwarding", Auth), peer: true);
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good);
            Assert.Equal(RegistryProduct.GitLab, result.Product);
            Assert.Equal(MissingNameBehavior.Forwarded, result.MissingNameBehavior);
            Assert.StartsWith(host.Peer!.BaseUrl.AbsoluteUri, result.ForwardsTo);
            Assert.Contains(result.Findings, f => f.Kind == "ForwardsMissingNames" && f.Message.Contains("another origin"));
            // The hop to the other origin never carries the index's credentials.
            Assert.Contains(result.Exchanges, e => e.Purpose == "missing+redirect" && !e.WithCredentials);
        }

        [Fact]
        public async Task Nginx_static_tree_with_basic_auth()
        {
            await using var host = await StartAsync(PrivateIndex("nginx", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good);
            Assert.Equal(RegistryProduct.StaticHosting, result.Product);
            Assert.Equal(CredentialVerdict.Accepted, result.Credentials);
            Assert.Equal(MissingNameBehavior.NotFound, result.MissingNameBehavior);
        }

        [Fact]
        public async Task Devpi_is_detected_from_its_headers()
        {
            await using var host = await StartAsync(PrivateIndex("devpi"));
            var result = await ProbeAsync(host.IndexUrl("internal"));
            Assert.Equal(RegistryProduct.Devpi, result.Product);
            Assert.Equal(new[] { "json", "html" }, result.Formats);
            Assert.Null(result.RecommendedIgnoreErrorCodes);
        }

        [Fact]
        public async Task Pypiserver_is_detected_from_realm_and_server()
        {
            await using var host = await StartAsync(PrivateIndex("pypiserver", Auth));
            var result = await ProbeAsync(host.IndexUrl("internal"), credential: Good);
            Assert.Equal(RegistryProduct.Pypiserver, result.Product);
            Assert.Equal(CredentialVerdict.Accepted, result.Credentials);
        }

        [Fact]
        public async Task Pep708_fields_of_a_probed_page_are_reported()
        {
            await using var host = await StartAsync(PrivateIndex("devpi", b => b.Tracks = new System.Collections.Generic.List<string> { "https://pypi.org/simple/{project}/" }));
            var result = await ProbeAsync(host.IndexUrl("internal"), options: new ProbeOptions { Package = "acme-utils", MissingName = "indextools-probe-x" });
            Assert.Contains("https://pypi.org/simple/acme-utils/", result.Tracks);
            Assert.Contains(result.Findings, f => f.Kind == "Pep708Fields" && f.Message.Contains("uv ignores"));
            Assert.EndsWith("/acme-utils/", result.ProbedPage);
        }

        [Fact]
        public async Task The_secret_never_appears_in_the_result()
        {
            await using var host = await StartAsync(PrivateIndex("artifactory", Auth));
            var url = new UriBuilder(host.IndexUrl("internal")) { UserName = User, Password = Secret }.Uri;
            var result = await ProbeAsync(url);
            Assert.Equal(CredentialVerdict.Accepted, result.Credentials);
            Assert.Equal("url", result.CredentialSource);
            var json = Newtonsoft.Json.JsonConvert.SerializeObject(result);
            Assert.DoesNotContain(Secret, json);
            Assert.DoesNotContain(Secret, string.Join("\n", ((IReportable)result).GetReportEntries().Select(e => e.Message + e.Title)));
        }

        [Fact]
        public async Task A_closed_port_is_unreachable()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var result = await ProbeAsync(new Uri("http://127.0.0.1:" + port + "/simple/"));
            Assert.False(result.Reachable);
            Assert.Contains(result.Findings, f => f.Kind == "Unreachable" && f.Severity == ReportSeverity.Error);
        }

        [Fact]
        public async Task An_untrusted_certificate_fails_the_tls_handshake()
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var generated = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            using var certificate = X509CertificateLoader.LoadPkcs12(generated.Export(X509ContentType.Pfx), null);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
            await using var app = builder.Build();
            app.Run(context => context.Response.WriteAsync("ok"));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var result = await ProbeAsync(new Uri(address.TrimEnd('/') + "/simple/"));
            Assert.Equal("https", result.Scheme);
            Assert.False(result.TlsHandshake);
            Assert.StartsWith("TLS handshake failed", result.TlsError);
            Assert.Contains(result.Findings, f => f.Kind == "TlsFailed" && f.Severity == ReportSeverity.Error);
            await app.StopAsync();
        }
    }
}
