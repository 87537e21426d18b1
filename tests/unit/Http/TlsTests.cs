using IndexTools.Engine;
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace IndexTools.Tests.Http
{
    /// <summary>A private CA and a leaf certificate it issued, for HTTPS on loopback.</summary>
    internal sealed class TestCertificates : IDisposable
    {
        public TestCertificates(string caName = "IndexTools Test CA", bool leafForLoopback = true)
        {
            CaKey = RSA.Create(2048);
            var caRequest = new CertificateRequest("CN=" + caName, CaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

            using var leafKey = RSA.Create(2048);
            var leafRequest = new CertificateRequest("CN=index.test", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            if (leafForLoopback)
            {
                san.AddIpAddress(IPAddress.Loopback);
            }
            else
            {
                san.AddDnsName("somewhere-else.test");
            }

            leafRequest.CertificateExtensions.Add(san.Build());
            leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            var serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            using var issued = leafRequest.Create(Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
            using var withKey = issued.CopyWithPrivateKey(leafKey);
            Leaf = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
        }

        public RSA CaKey { get; }

        public X509Certificate2 Ca { get; }

        public X509Certificate2 Leaf { get; }

        public string CaPem => "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(Ca.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";

        public void Dispose()
        {
            Leaf.Dispose();
            Ca.Dispose();
            CaKey.Dispose();
        }
    }

    /// <summary>SSL_CERT_FILE / SSL_CERT_DIR (uv: the given CAs replace the default roots) and HTTPS downgrade refusal over real TLS.</summary>
    public class TlsTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "indextools-tls-" + Guid.NewGuid().ToString("N"));

        public TlsTests()
        {
            Directory.CreateDirectory(_folder);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, true);
            }
            catch (IOException)
            {
            }
        }

        private static Task Page(HttpContext context) => RecordingServer.Json(context, RecordingServer.PageJson("demo", "demo-1.0.0-py3-none-any.whl"));

        private string Write(string name, string text)
        {
            var path = Path.Combine(_folder, name);
            File.WriteAllText(path, text);
            return path;
        }

        private static async Task<PageResponse> FetchAsync(Uri indexUrl, IDictionary<string, string> variables)
        {
            var env = new EngineEnvironment(new Dictionary<string, string>(variables), Path.GetTempPath(), Path.GetTempPath(), isWindows: false);
            using var t = new TestClient(variables, configure: s => s.Trust = HttpSettings.FromEnvironment(env).Trust);
            return await t.Client.GetProjectPageAsync(TestClient.Index(indexUrl.AbsoluteUri), "demo", CancellationToken.None);
        }

        [Fact]
        public async Task APrivateCaIsNotTrustedByDefault()
        {
            using var certs = new TestCertificates();
            await using var server = await RecordingServer.StartAsync((c, n) => Page(c), certs.Leaf);
            var response = await FetchAsync(new Uri(server.BaseUri, "simple/"), new Dictionary<string, string>());
            Assert.Equal(PageResponseKind.NetworkError, response.Kind);
            Assert.Contains("certificate", response.Error);
        }

        [Fact]
        public async Task SslCertFileTrustsThePrivateCa()
        {
            using var certs = new TestCertificates();
            await using var server = await RecordingServer.StartAsync((c, n) => Page(c), certs.Leaf);
            var bundle = Write("bundle.pem", "# a comment line\n" + certs.CaPem);
            var response = await FetchAsync(new Uri(server.BaseUri, "simple/"), new Dictionary<string, string> { ["SSL_CERT_FILE"] = bundle });
            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Single(response.Page!.Files);
        }

        [Fact]
        public async Task SslCertDirTrustsThePrivateCaAndIgnoresOtherFiles()
        {
            using var certs = new TestCertificates();
            await using var server = await RecordingServer.StartAsync((c, n) => Page(c), certs.Leaf);
            var dir = Path.Combine(_folder, "certs");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "README"), "not a certificate");
            File.WriteAllText(Path.Combine(dir, "corp.crt"), certs.CaPem);
            var response = await FetchAsync(new Uri(server.BaseUri, "simple/"), new Dictionary<string, string> { ["SSL_CERT_DIR"] = dir });
            Assert.Equal(PageResponseKind.Page, response.Kind);
        }

        [Fact]
        public async Task AnotherCaInTheBundleDoesNotTrustTheServer()
        {
            using var certs = new TestCertificates();
            using var other = new TestCertificates("Some Other CA");
            await using var server = await RecordingServer.StartAsync((c, n) => Page(c), certs.Leaf);
            var bundle = Write("other.pem", other.CaPem);
            var response = await FetchAsync(new Uri(server.BaseUri, "simple/"), new Dictionary<string, string> { ["SSL_CERT_FILE"] = bundle });
            Assert.Equal(PageResponseKind.NetworkError, response.Kind);
            Assert.Contains("certificate", response.Error);
        }

        [Fact]
        public async Task ATrustedCaDoesNotExcuseAHostNameMismatch()
        {
            using var certs = new TestCertificates(leafForLoopback: false);
            await using var server = await RecordingServer.StartAsync((c, n) => Page(c), certs.Leaf);
            var bundle = Write("bundle.pem", certs.CaPem);
            var response = await FetchAsync(new Uri(server.BaseUri, "simple/"), new Dictionary<string, string> { ["SSL_CERT_FILE"] = bundle });
            Assert.Equal(PageResponseKind.NetworkError, response.Kind);
        }

        [Fact]
        public void AMissingOrEmptyBundleIsAnErrorNamingTheVariable()
        {
            var env = new EngineEnvironment(new Dictionary<string, string> { ["SSL_CERT_FILE"] = Path.Combine(_folder, "nope.pem") }, _folder, _folder, isWindows: false);
            var error = Assert.Throws<IndexConfigurationException>(() => HttpSettings.FromEnvironment(env));
            Assert.Equal(ErrorKind.InvalidEnvironmentVariable, error.Kind);
            Assert.Contains("SSL_CERT_FILE", error.Message);

            var empty = Write("empty.pem", "nothing here\n");
            env = new EngineEnvironment(new Dictionary<string, string> { ["SSL_CERT_FILE"] = empty }, _folder, _folder, isWindows: false);
            Assert.Contains("no PEM certificate", Assert.Throws<IndexConfigurationException>(() => HttpSettings.FromEnvironment(env)).Message);
        }

        [Fact]
        public async Task AnHttpsIndexRedirectingToHttpIsFollowedAsUvDoesWithoutAnyCredentialAndMarkedCleartext()
        {
            // uv follows https -> http (base_client.rs request_into_redirect checks only the scheme is http or https).
            // We follow it too, but nothing is sent over http: not the index's credentials, not a netrc entry for the
            // http host after its 401 (a host-only netrc entry would match any port).
            using var certs = new TestCertificates();
            await using var plain = await RecordingServer.StartAsync((c, n) =>
                c.Request.Headers.Authorization.Count == 0 ? RecordingServer.Status(c, 401) : Page(c));
            await using var server = await RecordingServer.StartAsync(
                (context, n) =>
                {
                    context.Response.StatusCode = 301;
                    context.Response.Headers.Location = new Uri(plain.BaseUri, "simple/demo/").AbsoluteUri;
                    return Task.CompletedTask;
                },
                certs.Leaf);
            var bundle = Write("bundle.pem", certs.CaPem);
            var netrc = Write("netrc", "machine 127.0.0.1 login henry password netrc-downgrade-secret\n");
            var response = await FetchAsync(new Uri(server.BaseUri, "simple/"), new Dictionary<string, string>
            {
                ["SSL_CERT_FILE"] = bundle,
                ["NETRC"] = netrc,
                ["UV_INDEX_INTERNAL_USERNAME"] = "henry",
                ["UV_INDEX_INTERNAL_PASSWORD"] = "tls-downgrade-secret",
            });

            Assert.Equal(PageResponseKind.HttpStatus, response.Kind);
            Assert.Equal(401, response.StatusCode);
            Assert.False(response.CredentialsSent);
            Assert.NotNull(response.CleartextRedirect);
            Assert.StartsWith("http://127.0.0.1:", response.CleartextRedirect);
            var asked = Assert.Single(plain.Requests);
            Assert.Null(asked.Header("Authorization"));
            Assert.Single(server.Requests);
        }
    }
}
