using IndexTools.Engine;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Security;
using Xunit;

namespace IndexTools.Tests.Security
{
    public sealed class RedactionTests
    {
        // Every RFC 3986 reserved character (gen-delims and sub-delims), plus '%' and '\'.
        public static IEnumerable<object[]> Reserved() => ":/?#[]@!$&'()*+,;=%\\".Select(c => new object[] { c.ToString() });

        [Theory]
        [MemberData(nameof(Reserved))]
        public void PasswordWithAnyReservedCharacterIsHiddenWhole(string reserved)
        {
            var password = "pa" + reserved + "ssTail9";
            foreach (var shape in new[]
            {
                "https://user:{0}@host.example/simple/",
                "https://user:{0}@host.example:8443/simple/?x=1",
                "https://user:{0}@host.example",
                "http://user:{0}@proxy.example:3128",
                "git+https://user:{0}@github.com/org/repo@v1.0",
            })
            {
                var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, password);
                var shown = UrlRedactor.Redact(url);
                Assert.DoesNotContain("ssTail9", shown);
                Assert.DoesNotContain("pa" + reserved + "ss", shown);
                Assert.StartsWith(url.Substring(0, url.IndexOf("://", StringComparison.Ordinal) + 3) + "****@", shown);
                Assert.Contains(shape.Contains("github") ? "github.com/org/repo" : shape.Contains("proxy") ? "proxy.example:3128" : "host.example", shown);

                // The same URL inside a sentence (errors, reports) is hidden as well.
                var sentence = SecretScrubber.Scrub("index " + url + " answered 401");
                Assert.DoesNotContain("ssTail9", sentence);
            }
        }

        [Theory]
        [InlineData("https://host.example/simple/", "https://host.example/simple/")]
        [InlineData("https://user@host.example/simple/", "https://****@host.example/simple/")]
        [InlineData("https://user:pw@host.example/simple/", "https://****@host.example/simple/")]
        [InlineData("git+https://github.com/org/repo@v1.0#egg=x", "git+https://github.com/org/repo@v1.0#egg=x")]
        [InlineData("git+https://host.example:8080/org/repo@main", "git+https://host.example:8080/org/repo@main")]
        [InlineData("git+https://u:p/w@github.com/org/repo@v1", "git+https://****@github.com/org/repo@v1")]
        [InlineData("file:///C:/Users/me/project@home/wheels", "file:///C:/Users/me/project@home/wheels")]
        [InlineData("C:\\plain\\path", "C:\\plain\\path")]
        public void OrdinaryUrlsStayReadable(string url, string expected)
        {
            Assert.Equal(expected, UrlRedactor.Redact(url));
        }

        [Theory]
        [InlineData("X-Amz-Signature")]
        [InlineData("X-Amz-Credential")]
        [InlineData("X-Amz-Security-Token")]
        [InlineData("X-Goog-Signature")]
        [InlineData("X-Goog-Credential")]
        [InlineData("sig")]
        [InlineData("signature")]
        [InlineData("token")]
        [InlineData("access_token")]
        public void SignedQueryParametersAreRedacted(string name)
        {
            var url = "https://bucket.example/pkgs/demo-1.0.whl?a=1&" + name + "=Zm9vYmFy%2Fsecret&b=2#sha256=ab";
            var shown = UrlRedactor.Redact(url);
            Assert.DoesNotContain("Zm9vYmFy", shown);
            Assert.Contains(name + "=****", shown);
            Assert.Contains("a=1", shown);
            Assert.Contains("b=2", shown);
            Assert.EndsWith("#sha256=ab", shown);
            Assert.DoesNotContain("Zm9vYmFy", UrlRedactor.Redact(url.Replace("?a=1&", "?")));
            Assert.DoesNotContain("Zm9vYmFy", SecretScrubber.Scrub("see " + url + " now"));
        }

        [Fact]
        public void ScrubberHidesARegisteredSecretInEveryShape()
        {
            var user = "scrub-user";
            var password = "sc/rub#me?" + Guid.NewGuid().ToString("N").Substring(0, 8);
            SecretScrubber.RegisterCredential(user, password);
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
            foreach (var text in new[]
            {
                "reason: " + password,
                "Authorization: Basic " + basic,
                "echo " + Uri.EscapeDataString(password),
                "echo " + Uri.EscapeDataString(password).ToLowerInvariant(),
            })
            {
                var clean = SecretScrubber.Scrub(text);
                Assert.DoesNotContain(password, clean);
                Assert.DoesNotContain(basic, clean);
                Assert.DoesNotContain(Uri.EscapeDataString(password).ToLowerInvariant(), clean.ToLowerInvariant());
                Assert.Contains(SecretScrubber.Mask, clean);
            }

            Assert.Equal("nothing here", SecretScrubber.Scrub("nothing here"));
        }

        [Fact]
        public void EveryCredentialAndIndexUrlIsRegistered()
        {
            var secret = "Idx-" + Guid.NewGuid().ToString("N");
            _ = new IndexDefinition("x", "https://u:" + secret + "/x@host.example/simple/", Provenance.Default);
            Assert.True(SecretScrubber.ContainsSecret("..." + secret + "/x..."));
            Assert.DoesNotContain(secret, SecretScrubber.Scrub("echo " + secret + "/x"));
            var other = "Cred-" + Guid.NewGuid().ToString("N");
            _ = new IndexTools.Engine.Credentials.IndexCredential("u", other);
            Assert.Equal("a **** b", SecretScrubber.Scrub("a " + other + " b"));
        }

        [Theory]
        [InlineData("HTTP_PROXY")]
        [InlineData("HTTPS_PROXY")]
        [InlineData("ALL_PROXY")]
        public void InvalidProxyVariableNamesTheVariableAndHidesItsPassword(string variable)
        {
            var secret = "Pr0xy" + Guid.NewGuid().ToString("N").Substring(0, 6);
            foreach (var value in new[] { "ftp://user:" + secret + "@proxy.example:3128", "http://user:" + secret + "/x@proxy.example:notaport", "user:" + secret + "@proxy example" })
            {
                var env = new EngineEnvironment(new Dictionary<string, string> { [variable] = value }, "/tmp", "/tmp", isWindows: false);
                var error = Assert.Throws<IndexConfigurationException>(() => HttpSettings.FromEnvironment(env));
                Assert.Equal(ErrorKind.InvalidEnvironmentVariable, error.Kind);
                Assert.Contains(variable, error.Message);
                Assert.DoesNotContain(secret, error.Message);
                Assert.Contains("****@proxy", error.Message);
            }
        }

        [Theory]
        [InlineData("1.1\n::warning::forged", "1.1\\n::warning::forged")]
        [InlineData("x\r\n##vso[task.setvariable variable=a]b", "x\\r\\n##vso[task.setvariable variable=a]b")]
        [InlineData("bell\u0007esc\u001B[31mnel\u0085ls\u2028", "bell\\x07esc\\x1B[31mnel\\x85ls\\u2028")]
        [InlineData("plain", "plain")]
        public void ControlCharactersAreEscaped(string raw, string expected)
        {
            Assert.Equal(expected, NetworkText.EscapeControls(raw));
            Assert.DoesNotContain('\n', NetworkText.Clean(raw)!);
        }
    }
}
