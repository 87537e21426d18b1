using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;
using IndexTools.Tests.Http;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace IndexTools.Tests.Credentials
{
    /// <summary>
    /// Each credential source over real HTTP on loopback, its order against the others, the per-run learned credentials across
    /// indexes of one realm (and their refusal across realms and path prefixes), and the keyring subprocess through a fake
    /// `keyring` script on PATH that logs its arguments.
    /// </summary>
    public sealed class CredentialSourceHttpTests : IDisposable
    {
        private const string Secret = "kr-S3cret-77";
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "indextools-src-" + Guid.NewGuid().ToString("N"));

        public CredentialSourceHttpTests()
        {
            Directory.CreateDirectory(_dir);
        }

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private static string Basic(string user, string password) =>
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

        [Fact]
        public async Task TheUvStoreAnswersAfterThe401ByServicePrefix()
        {
            await using var server = await AcceptOnly(Basic("store-user", Secret));
            WriteStore($"[[credential]]\nservice = \"{server.Url("simple").AbsoluteUri.TrimEnd('/')}\"\nusername = \"store-user\"\npassword = \"{Secret}\"\n");
            using var t = Client();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Equal("uv-store", response.CredentialSource);
            Assert.Equal(2, response.Tries);
            Assert.Null(server.Requests[0].Header("Authorization"));
        }

        [Fact]
        public async Task AStoreServiceOnAnotherPathIsNotUsed()
        {
            await using var server = await AcceptOnly(Basic("store-user", Secret));
            WriteStore($"[[credential]]\nservice = \"{server.Url("simple-other").AbsoluteUri.TrimEnd('/')}\"\nusername = \"store-user\"\npassword = \"{Secret}\"\n");
            using var t = Client();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);
            Assert.Equal(401, response.StatusCode);
            Assert.Equal("none", response.CredentialSource);
        }

        [Fact]
        public async Task NetrcComesBeforeTheStoreAndTheStoreBeforeTheKeyring()
        {
            await using var server = await AcceptAny();
            WriteStore($"[[credential]]\nservice = \"{server.BaseUri.AbsoluteUri.TrimEnd('/')}\"\nusername = \"u\"\npassword = \"store-pw\"\n");
            var log = WriteKeyring("echo keyring-pw");
            using (var both = Client(netrc: "machine 127.0.0.1 login u password netrc-pw\n", keyring: true))
            {
                var index = TestClient.Index("http://u@127.0.0.1:" + server.BaseUri.Port + "/simple");
                var response = await both.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);
                Assert.Equal("netrc", response.CredentialSource);
            }

            using (var storeOnly = Client(keyring: true))
            {
                var index = TestClient.Index("http://u@127.0.0.1:" + server.BaseUri.Port + "/simple");
                var response = await storeOnly.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);
                Assert.Equal("uv-store", response.CredentialSource);
            }

            Assert.False(File.Exists(log));
            File.Delete(Path.Combine(_dir, "store", "credentials.toml"));
            using (var keyringOnly = Client(keyring: true))
            {
                var index = TestClient.Index("http://u@127.0.0.1:" + server.BaseUri.Port + "/simple");
                var response = await keyringOnly.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);
                Assert.Equal("keyring", response.CredentialSource);
                Assert.Equal(Basic("u", "keyring-pw"), server.Requests.Last().Header("Authorization"));
            }
        }

        [Fact]
        public async Task TheKeyringIsAskedWithTheUrlsUsernameBeforeTheFirstRequestOncePerIndex()
        {
            await using var server = await AcceptOnly(Basic("VssSessionToken", Secret));
            var log = WriteKeyring($"echo {Secret}");
            using var t = Client(keyring: true);
            var index = TestClient.Index("http://VssSessionToken@127.0.0.1:" + server.BaseUri.Port + "/simple/");
            var first = await t.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);
            var second = await t.Client.GetProjectPageAsync(index, "other", CancellationToken.None);

            Assert.Equal("keyring", first.CredentialSource);
            Assert.Equal(1, first.Tries);
            Assert.Equal(PageResponseKind.Page, second.Kind);
            var calls = File.ReadAllLines(log);
            Assert.Equal(new[] { "get " + server.Url("simple/").AbsoluteUri + " VssSessionToken" }, calls);
            Assert.DoesNotContain(t.Lines, l => l.Contains(Secret));
            Assert.DoesNotContain(t.Credentials.Warnings, w => w.Contains(Secret));
        }

        [Fact]
        public async Task WithoutAUsernameTheKeyringIsSkippedUnlessAuthenticateIsAlways()
        {
            await using var server = await AcceptOnly(Basic("from-keyring", Secret));
            var log = WriteKeyring($"printf 'from-keyring\\n{Secret}\\n'");
            using (var auto = Client(keyring: true))
            {
                var response = await auto.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);
                Assert.Equal(401, response.StatusCode);
                Assert.False(File.Exists(log));
            }

            using (var always = Client(keyring: true))
            {
                var index = TestClient.Index(server.Url("simple").AbsoluteUri, authenticate: AuthenticatePolicy.Always);
                var response = await always.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);
                Assert.Equal(PageResponseKind.Page, response.Kind);
                Assert.Equal("keyring", response.CredentialSource);
                Assert.Equal(1, response.Tries);
                Assert.Equal(new[] { "get " + server.Url("simple").AbsoluteUri + " --mode creds" }, File.ReadAllLines(log));
            }
        }

        [Fact]
        public async Task TheKeyringFallsBackToHostAndSchemeHostServiceNames()
        {
            await using var server = await AcceptAny();
            var port = server.BaseUri.Port;
            var log = WriteKeyring($"if [ \"$2\" = \"http://127.0.0.1:{port}\" ]; then echo pw; exit 0; fi; exit 1");
            using var t = Client(keyring: true);
            var index = TestClient.Index("http://u@127.0.0.1:" + port + "/simple");
            var response = await t.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);
            Assert.Equal("keyring", response.CredentialSource);
            Assert.Equal(
                new[] { $"get http://127.0.0.1:{port}/simple u", $"get 127.0.0.1:{port} u", $"get http://127.0.0.1:{port} u" },
                File.ReadAllLines(log));
        }

        [Theory]
        [InlineData("exit 3", null)]
        [InlineData("true", "empty password")]
        [InlineData("printf 'line1\\nline2\\n'", "more than one line")]
        [InlineData("sleep 30", "did not answer")]
        public async Task AKeyringThatFailsIsAWarningAndTheSearchGoesOn(string script, string? warning)
        {
            await using var server = await AcceptOnly(Basic("u", "right"));
            WriteKeyring(script);
            using var t = Client(keyring: true, configure: s => s.Timeout = TimeSpan.FromSeconds(2));
            var index = TestClient.Index("http://u@127.0.0.1:" + server.BaseUri.Port + "/simple");
            var response = await t.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);
            Assert.Equal(401, response.StatusCode);
            if (warning != null)
            {
                Assert.Contains(t.Credentials.Warnings, w => w.Contains(warning));
            }

            Assert.DoesNotContain(t.Credentials.Warnings, w => w.Contains("line2"));
        }

        [Fact]
        public async Task AMissingKeyringExecutableIsAWarning()
        {
            await using var server = await AcceptOnly(Basic("u", "right"));
            using var t = Client(keyring: true, path: Path.Combine(_dir, "empty-bin"));
            var index = TestClient.Index("http://u@127.0.0.1:" + server.BaseUri.Port + "/simple");
            var response = await t.Client.GetProjectPageAsync(index, "demo", CancellationToken.None);
            Assert.Equal(401, response.StatusCode);
            Assert.Contains(t.Credentials.Warnings, w => w.Contains("no `keyring` executable"));
        }

        [Fact]
        public async Task CredentialsLearnedOnOneIndexAreRetriedOnAnotherIndexOfTheSameRealmAfterIts401()
        {
            await using var server = await AcceptOnly(Basic("team", Secret));
            using var t = Client(netrc: null, variables: new Dictionary<string, string> { ["UV_INDEX_FIRST_USERNAME"] = "team", ["UV_INDEX_FIRST_PASSWORD"] = Secret });
            var first = TestClient.Index(server.Url("a/simple").AbsoluteUri, name: "first");
            var second = TestClient.Index(server.Url("b/simple").AbsoluteUri, name: "second");
            var under = TestClient.Index(server.Url("a/extra/simple").AbsoluteUri, name: "under");
            t.Credentials.SeedForTests(first, second, under);

            var one = await t.Client.GetProjectPageAsync(first, "demo", CancellationToken.None);
            Assert.Equal("env", one.CredentialSource);
            Assert.Equal(1, one.Tries);

            // Another path on the realm: not a prefix, so a bare request, its 401, then the realm's credentials.
            var two = await t.Client.GetProjectPageAsync(second, "demo", CancellationToken.None);
            Assert.Equal(PageResponseKind.Page, two.Kind);
            Assert.Equal("learned", two.CredentialSource);
            Assert.Equal(2, two.Tries);

            // Under the first index's root (/a/): sent before the first request (uv's URL prefix view).
            var three = await t.Client.GetProjectPageAsync(under, "demo", CancellationToken.None);
            Assert.Equal("learned", three.CredentialSource);
            Assert.Equal(1, three.Tries);
        }

        [Fact]
        public async Task LearnedCredentialsNeverCrossARealm()
        {
            await using var a = await AcceptOnly(Basic("team", Secret));
            await using var b = await AcceptOnly(Basic("team", Secret));
            using var t = Client(variables: new Dictionary<string, string> { ["UV_INDEX_FIRST_USERNAME"] = "team", ["UV_INDEX_FIRST_PASSWORD"] = Secret });
            var first = TestClient.Index(a.Url("simple").AbsoluteUri, name: "first");
            var other = TestClient.Index(b.Url("simple").AbsoluteUri, name: "other");
            t.Credentials.SeedForTests(first, other);
            Assert.Equal(PageResponseKind.Page, (await t.Client.GetProjectPageAsync(first, "demo", CancellationToken.None)).Kind);
            var response = await t.Client.GetProjectPageAsync(other, "demo", CancellationToken.None);
            Assert.Equal(401, response.StatusCode);
            Assert.All(b.Requests, r => Assert.Null(r.Header("Authorization")));
        }

        private async Task<RecordingServer> AcceptOnly(string authorization)
        {
            return await RecordingServer.StartAsync((c, n) =>
                c.Request.Headers.Authorization == authorization
                    ? RecordingServer.Json(c, RecordingServer.PageJson("demo"))
                    : Unauthorized(c));
        }

        private static Task<RecordingServer> AcceptAny()
        {
            return RecordingServer.StartAsync((c, n) =>
                string.IsNullOrEmpty(c.Request.Headers.Authorization) ? Unauthorized(c) : RecordingServer.Json(c, RecordingServer.PageJson("demo")));
        }

        private static Task Unauthorized(HttpContext context)
        {
            context.Response.StatusCode = 401;
            return Task.CompletedTask;
        }

        private void WriteStore(string text)
        {
            Directory.CreateDirectory(Path.Combine(_dir, "store"));
            File.WriteAllText(Path.Combine(_dir, "store", "credentials.toml"), text);
        }

        /// <summary>A fake `keyring` on PATH: logs its arguments (one line per call) to keyring.log, then runs the script.</summary>
        private string WriteKeyring(string script)
        {
            var bin = Path.Combine(_dir, "bin");
            Directory.CreateDirectory(bin);
            var log = Path.Combine(_dir, "keyring.log");
            var path = Path.Combine(bin, "keyring");
            File.WriteAllText(path, "#!/bin/sh\necho \"$*\" >> '" + log + "'\n" + script + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return log;
        }

        private TestClient Client(string? netrc = null, bool keyring = false, Action<IndexTools.Engine.Http.HttpSettings>? configure = null, string? path = null, Dictionary<string, string>? variables = null)
        {
            var env = new Dictionary<string, string>(variables ?? new Dictionary<string, string>())
            {
                ["UV_CREDENTIALS_DIR"] = Path.Combine(_dir, "store"),
                ["PATH"] = (path ?? Path.Combine(_dir, "bin")) + ":/usr/bin:/bin",
            };
            return new TestClient(env, netrc, configure, null, new CredentialOptions { KeyringSubprocess = keyring, KeyringTimeout = TimeSpan.FromSeconds(2) });
        }
    }
}
