using IndexTools.Engine;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Credentials
{
    public sealed class CredentialProviderTests : IDisposable
    {
        private readonly string _home = Path.Combine(Path.GetTempPath(), "indextools-cred-" + Guid.NewGuid().ToString("N"));

        public CredentialProviderTests()
        {
            Directory.CreateDirectory(_home);
        }

        public void Dispose() => Directory.Delete(_home, recursive: true);

        [Theory]
        [InlineData("internal", "INTERNAL")]
        [InlineData("my-index", "MY_INDEX")]
        [InlineData("my.index_2", "MY_INDEX_2")]
        [InlineData("PyTorch-CU121", "PYTORCH_CU121")]
        [InlineData("a--b", "A__B")]
        [InlineData("é-x", "__X")]
        public void EnvironmentNameAsUvBuildsIt(string name, string expected)
        {
            Assert.Equal(expected, CredentialProvider.ToEnvironmentName(name));
            Assert.Equal("UV_INDEX_" + expected + "_USERNAME", CredentialProvider.UsernameVariable(name));
            Assert.Equal("UV_INDEX_" + expected + "_PASSWORD", CredentialProvider.PasswordVariable(name));
        }

        [Fact]
        public void ParameterThenEnvThenUrlThenNetrc()
        {
            WriteNetrc("machine idx.example login n password netrc-pw\n");
            var index = Index("https://url-user:url-pw@idx.example/simple");
            var request = new Uri("https://idx.example/simple/demo/");

            var env = Env(("UV_INDEX_CORP_USERNAME", "env-user"), ("UV_INDEX_CORP_PASSWORD", "env-pw"));
            var withParameter = new CredentialProvider(env, new Dictionary<string, IndexCredential> { ["corp"] = new IndexCredential("p", "param-pw") });
            Assert.Equal(CredentialSourceKind.Parameter, withParameter.Find(index, request).Source);

            var withEnv = new CredentialProvider(env);
            var fromEnv = withEnv.Find(index, request);
            Assert.Equal(CredentialSourceKind.Env, fromEnv.Source);
            Assert.Equal("env-user", fromEnv.Credential!.Username);

            var plain = new CredentialProvider(Env());
            var fromUrl = plain.Find(index, request);
            Assert.Equal(CredentialSourceKind.Url, fromUrl.Source);
            Assert.Equal("url-pw", fromUrl.Credential!.Password);

            var fromNetrc = plain.Find(Index("https://idx.example/simple"), request);
            Assert.Equal(CredentialSourceKind.Netrc, fromNetrc.Source);
            Assert.Equal("netrc-pw", fromNetrc.Credential!.Password);
        }

        [Fact]
        public void ParameterCredentialMatchesByNameCaseSensitiveOrByUrl()
        {
            var byUrl = new CredentialProvider(Env(), new Dictionary<string, IndexCredential> { ["https://IDX.example/simple/"] = new IndexCredential("u", "p") });
            Assert.Equal(CredentialSourceKind.Parameter, byUrl.FindDirect(Index("https://idx.example/simple")).Source);

            var byOtherCase = new CredentialProvider(Env(), new Dictionary<string, IndexCredential> { ["CORP"] = new IndexCredential("u", "p") });
            Assert.Equal(CredentialSourceKind.None, byOtherCase.FindDirect(Index("https://idx.example/simple")).Source);
        }

        [Fact]
        public void UsernameOnlyIsCompletedFromANetrcEntryWithThatLogin()
        {
            WriteNetrc("machine idx.example login alice password a-pw\n");
            var provider = new CredentialProvider(Env());
            var request = new Uri("https://idx.example/simple/demo/");

            var alice = provider.Find(Index("https://alice@idx.example/simple"), request);
            Assert.Equal(CredentialSourceKind.Netrc, alice.Source);
            Assert.Equal("a-pw", alice.Credential!.Password);

            var bob = provider.Find(Index("https://bob@idx.example/simple"), request);
            Assert.Equal(CredentialSourceKind.Url, bob.Source);
            Assert.Null(bob.Credential!.Password);
        }

        [Fact]
        public void EnvironmentUsernameOrPasswordAloneCounts()
        {
            var provider = new CredentialProvider(Env(("UV_INDEX_CORP_PASSWORD", "token")));
            var found = provider.FindDirect(Index("https://idx.example/simple"));
            Assert.Equal(CredentialSourceKind.Env, found.Source);
            Assert.Null(found.Credential!.Username);
            Assert.False(found.Credential.IsComplete);
        }

        [Fact]
        public void IndexCredentialsStayInTheirRealm()
        {
            WriteNetrc("machine cdn.example login cdn password cdn-pw\n");
            var provider = new CredentialProvider(Env(("UV_INDEX_CORP_USERNAME", "u"), ("UV_INDEX_CORP_PASSWORD", "p")));
            var index = Index("https://idx.example/simple");

            Assert.Equal(CredentialSourceKind.Env, provider.Find(index, new Uri("https://idx.example:443/other/")).Source);
            Assert.Equal(CredentialSourceKind.None, provider.Find(index, new Uri("http://idx.example/simple/demo/")).Source);
            Assert.Equal(CredentialSourceKind.None, provider.Find(index, new Uri("https://idx.example:8443/simple/demo/")).Source);
            var cdn = provider.Find(index, new Uri("https://cdn.example/files/"));
            Assert.Equal(CredentialSourceKind.Netrc, cdn.Source);
            Assert.Equal("cdn", cdn.Credential!.Username);
        }

        [Fact]
        public void RealmEquality()
        {
            Assert.Equal(new Realm(new Uri("https://h.example/a")), new Realm(new Uri("https://H.example:443/b")));
            Assert.NotEqual(new Realm(new Uri("https://h.example/")), new Realm(new Uri("http://h.example/")));
            Assert.NotEqual(new Realm(new Uri("https://h.example/")), new Realm(new Uri("https://h.example:8443/")));
            Assert.NotEqual(new Realm(new Uri("https://h.example/")), new Realm(new Uri("https://sub.h.example/")));
        }

        [Fact]
        public void NetrcEnvironmentVariableWinsAndFallsBackWhenMissing()
        {
            var custom = Path.Combine(_home, "custom-netrc");
            File.WriteAllText(custom, "default login from-env password x\n");
            WriteNetrc("default login from-home password y\n");
            var request = new Uri("https://any.example/");

            Assert.Equal("from-env", new CredentialProvider(Env(("NETRC", custom))).FindInNetrc(request, null).Credential!.Username);
            Assert.Equal("from-env", new CredentialProvider(Env(("NETRC", "~/custom-netrc"))).FindInNetrc(request, null).Credential!.Username);
            Assert.Equal("from-home", new CredentialProvider(Env(("NETRC", Path.Combine(_home, "absent")))).FindInNetrc(request, null).Credential!.Username);
        }

        [Fact]
        public void WindowsAlsoReadsUnderscoreNetrc()
        {
            File.WriteAllText(Path.Combine(_home, "_netrc"), "default login win password x\n");
            var windows = new EngineEnvironment(new Dictionary<string, string>(), _home, _home, isWindows: true);
            Assert.Equal("win", new CredentialProvider(windows).FindInNetrc(new Uri("https://a.example/"), null).Credential!.Username);
            Assert.Null(new CredentialProvider(Env()).FindInNetrc(new Uri("https://a.example/"), null).Credential);
        }

        [Fact]
        public void AMalformedNetrcIsIgnoredWithAWarning()
        {
            WriteNetrc("machine h login u password p bogus-token\n");
            var provider = new CredentialProvider(Env());
            Assert.Null(provider.FindInNetrc(new Uri("https://h/"), null).Credential);
            Assert.Contains(provider.Warnings, w => w.Contains("netrc"));
            Assert.DoesNotContain(provider.Warnings, w => w.Contains("bogus-token"));
        }

        [Fact]
        public void NeverSendsTheUrlsOwnCredentialsAsUvsCodeDoesButRefusesAParameterAndIgnoresEnvironment()
        {
            // uv's docs say "never" errors on credentials given directly; middleware.rs only skips its own lookups, and the
            // request still carries the URL's user info: the code wins.
            var never = Index("https://u:p@idx.example/simple") with { Authenticate = AuthenticatePolicy.Never };
            var direct = new CredentialProvider(Env()).FindDirect(never);
            Assert.Equal(CredentialSourceKind.Url, direct.Source);
            Assert.Equal("p", direct.Credential!.Password);

            var parameter = new CredentialProvider(Env(), new Dictionary<string, IndexCredential> { ["corp"] = new IndexCredential("a", "b") });
            var error = Assert.Throws<IndexConfigurationException>(() => parameter.FindDirect(never));
            Assert.Equal(ErrorKind.CredentialsNotAllowed, error.Kind);
            Assert.Equal("corp", error.IndexName);

            var plain = Index("https://idx.example/simple") with { Authenticate = AuthenticatePolicy.Never };
            WriteNetrc("default login n password x\n");
            var provider = new CredentialProvider(Env(("UV_INDEX_CORP_USERNAME", "u"), ("UV_INDEX_CORP_PASSWORD", "p")));
            Assert.Null(provider.Find(plain, new Uri("https://idx.example/simple/demo/")).Credential);
        }

        [Fact]
        public void SourcesAreInUvsOrder()
        {
            var provider = new CredentialProvider(Env(), null, new CredentialOptions { KeyringSubprocess = true });
            Assert.Equal(
                new[] { CredentialSourceKind.Parameter, CredentialSourceKind.Env, CredentialSourceKind.Url, CredentialSourceKind.Netrc, CredentialSourceKind.UvStore, CredentialSourceKind.Keyring },
                provider.Sources.Select(s => s.Kind).ToArray());
            Assert.DoesNotContain(new CredentialProvider(Env()).Sources, s => s.Kind == CredentialSourceKind.Keyring);
        }

        [Fact]
        public void NetrcComesBeforeTheUvStore()
        {
            WriteNetrc("machine idx.example login n password netrc-pw\n");
            var dir = Path.Combine(_home, "creds");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "credentials.toml"), "[[credential]]\nservice = \"https://idx.example/simple\"\nusername = \"s\"\npassword = \"store-pw\"\n");
            var provider = new CredentialProvider(Env(("UV_CREDENTIALS_DIR", dir)));
            var found = provider.Fetch(Index("https://idx.example/simple"), new Uri("https://idx.example/simple/demo/"), null);
            Assert.Equal(CredentialSourceKind.Netrc, found.Source);

            File.Delete(Path.Combine(_home, ".netrc"));
            var second = new CredentialProvider(Env(("UV_CREDENTIALS_DIR", dir)));
            var fromStore = second.Fetch(Index("https://idx.example/simple"), new Uri("https://idx.example/simple/demo/"), null);
            Assert.Equal(CredentialSourceKind.UvStore, fromStore.Source);
            Assert.Equal("store-pw", fromStore.Credential!.Password);
        }

        [Fact]
        public void ADefaultStoreFolderPerOperatingSystem()
        {
            var linux = new EngineEnvironment(new Dictionary<string, string>(), "/home/u", "/", isWindows: false);
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX))
            {
                Assert.Equal(Path.Combine("/home/u", ".local", "share", "uv", "credentials", "credentials.toml"), UvCredentialStoreFile(linux));
            }

            var xdg = new EngineEnvironment(new Dictionary<string, string> { ["XDG_DATA_HOME"] = "/data" }, "/home/u", "/", isWindows: false);
            var relative = new EngineEnvironment(new Dictionary<string, string> { ["XDG_DATA_HOME"] = "rel" }, "/home/u", "/", isWindows: false);
            var explicitDir = new EngineEnvironment(new Dictionary<string, string> { ["UV_CREDENTIALS_DIR"] = "/c" }, "/home/u", "/", isWindows: false);
            Assert.Equal(Path.Combine("/c", "credentials.toml"), UvCredentialStoreFile(explicitDir));
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX))
            {
                Assert.Equal(Path.Combine("/data", "uv", "credentials", "credentials.toml"), UvCredentialStoreFile(xdg));
                Assert.Equal(Path.Combine("/home/u", ".local", "share", "uv", "credentials", "credentials.toml"), UvCredentialStoreFile(relative));
            }

            var windows = new EngineEnvironment(new Dictionary<string, string> { ["APPDATA"] = Path.Combine(_home, "Roaming") }, _home, _home, isWindows: true);
            Assert.Equal(Path.Combine(_home, "Roaming", "uv", "credentials", "credentials.toml"), UvCredentialStoreFile(windows));
            Directory.CreateDirectory(Path.Combine(_home, "Roaming", "uv", "data"));
            Assert.Equal(Path.Combine(_home, "Roaming", "uv", "data", "credentials", "credentials.toml"), UvCredentialStoreFile(windows));
        }

        private static string? UvCredentialStoreFile(EngineEnvironment environment) => new CredentialProvider(environment).StorePath;

        [Fact]
        public void MissingCredentialsNamesTheVariables()
        {
            var error = new CredentialProvider(Env()).MissingCredentials(Index("https://idx.example/simple"), incomplete: false);
            Assert.Equal(ErrorKind.MissingCredentials, error.Kind);
            Assert.Contains("UV_INDEX_CORP_USERNAME", error.Message);
            Assert.Contains("UV_INDEX_CORP_PASSWORD", error.Message);
        }

        private static IndexDefinition Index(string url) => new IndexDefinition("corp", url, Provenance.Default);

        private EngineEnvironment Env(params (string Name, string Value)[] variables)
        {
            var map = new Dictionary<string, string>();
            foreach (var (name, value) in variables)
            {
                map[name] = value;
            }

            return new EngineEnvironment(map, _home, _home, isWindows: false);
        }

        private void WriteNetrc(string text) => File.WriteAllText(Path.Combine(_home, ".netrc"), text);
    }
}
