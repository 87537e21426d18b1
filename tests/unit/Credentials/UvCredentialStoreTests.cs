using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Credentials
{
    /// <summary>uv's plaintext store (crates/uv-auth/src/store.rs): parsing, service/URL prefix matching with path boundaries.</summary>
    public sealed class UvCredentialStoreTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "indextools-store-" + Guid.NewGuid().ToString("N"));

        public UvCredentialStoreTests()
        {
            Directory.CreateDirectory(_dir);
        }

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        [Fact]
        public void PrefixMatchingOnSegmentBoundariesTheLongestWins()
        {
            var store = Store(
                "[[credential]]\nservice = \"https://h.example/a\"\nusername = \"short\"\npassword = \"p1\"\n"
                + "[[credential]]\nservice = \"https://h.example/a/simple\"\nusername = \"long\"\npassword = \"p2\"\n"
                + "[[credential]]\nservice = \"h.example/b\"\nscheme = \"bearer\"\ntoken = \"tok\"\n");
            Assert.Equal("long", Find(store, "https://h.example/a/simple/pkg/")!.Username);
            Assert.Equal("short", Find(store, "https://h.example/a/other/")!.Username);
            Assert.Null(Find(store, "https://h.example/abc/simple/"));
            Assert.Null(Find(store, "https://h.example/a-evil/"));
            Assert.Equal("tok", Find(store, "https://h.example/b/simple/x/")!.Token);
            Assert.Null(Find(store, "http://h.example/a/simple/pkg/"));
            Assert.Null(Find(store, "https://h.example:8443/a/simple/pkg/"));
            Assert.Equal("short", Find(store, "https://h.example/a/simple/pkg/", "short")!.Username);
            Assert.Null(Find(store, "https://h.example/a/simple/pkg/", "nobody"));
        }

        [Fact]
        public void TwoEquallySpecificEntriesAnswerNothing()
        {
            var store = Store(
                "[[credential]]\nservice = \"https://h.example/a\"\nusername = \"one\"\npassword = \"p1\"\n"
                + "[[credential]]\nservice = \"https://h.example/a\"\nusername = \"two\"\npassword = \"p2\"\n");
            Assert.Null(Find(store, "https://h.example/a/pkg/"));
            Assert.Equal("two", Find(store, "https://h.example/a/pkg/", "two")!.Username);
        }

        [Theory]
        [InlineData("[[credential]\nservice = 1", "invalid TOML")]
        [InlineData("[[credential]]\nusername = \"u\"\n", "missing field `service`")]
        [InlineData("[[credential]]\nservice = \"https://h\"\npassword = \"secret-xyz\"\n", "`username` is required")]
        [InlineData("[[credential]]\nservice = \"https://h\"\nscheme = \"bearer\"\nusername = \"u\"\ntoken = \"secret-xyz\"\n", "`username` cannot be provided")]
        [InlineData("[[credential]]\nservice = \"http://h.example\"\nusername = \"u\"\npassword = \"secret-xyz\"\n", "HTTPS is required")]
        public void ABadFileIsAWarningAndIgnoredWithoutItsSecrets(string text, string expected)
        {
            File.WriteAllText(Path.Combine(_dir, "credentials.toml"), text);
            var warnings = new List<string>();
            var provider = new CredentialProvider(Env(), null, new CredentialOptions { Warning = warnings.Add });
            var found = provider.Fetch(null, new Uri("https://h/pkg/"), null);
            Assert.Null(found.Credential);
            var warning = Assert.Single(warnings);
            Assert.Contains(expected, warning);
            Assert.Contains("credentials.toml", warning);
            Assert.DoesNotContain("secret-xyz", warning);
        }

        [Fact]
        public void HttpServicesAreAllowedForLocalHostsOnly()
        {
            var store = Store("[[credential]]\nservice = \"http://127.0.0.1:8080/simple\"\nusername = \"u\"\npassword = \"p\"\n");
            Assert.Equal("u", Find(store, "http://127.0.0.1:8080/simple/pkg/")!.Username);
        }

        [Fact]
        public void IsPathPrefixAsUv()
        {
            Assert.True(UvCredentialStore.IsPathPrefix("/simple", "/simple"));
            Assert.True(UvCredentialStore.IsPathPrefix("/simple", "/simple/anyio"));
            Assert.True(UvCredentialStore.IsPathPrefix("/", "/simple"));
            Assert.False(UvCredentialStore.IsPathPrefix("/simple", "/simpleevil"));
            Assert.False(UvCredentialStore.IsPathPrefix("/simple", "/simple-evil"));
            Assert.False(UvCredentialStore.IsPathPrefix("/simple", "/simpl"));
        }

        private CredentialProvider Store(string text)
        {
            File.WriteAllText(Path.Combine(_dir, "credentials.toml"), text);
            return new CredentialProvider(Env());
        }

        private static IndexCredential? Find(CredentialProvider provider, string url, string? username = null)
        {
            // A fresh query each time: Fetch remembers per (realm, username); ask the store source directly.
            foreach (var source in provider.Sources)
            {
                if (source.Kind == CredentialSourceKind.UvStore)
                {
                    return source.Find(new CredentialQuery(null, new Uri(url), username, false));
                }
            }

            return null;
        }

        private EngineEnvironment Env()
        {
            return new EngineEnvironment(new Dictionary<string, string> { ["UV_CREDENTIALS_DIR"] = _dir }, _dir, _dir, isWindows: false);
        }
    }
}
