using IndexTools.Engine;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Credentials
{
    public sealed class NetrcFileTests
    {
        [Fact]
        public void ReadsMultipleMachinesAndTheDefaultEntry()
        {
            const string text = @"# corporate mirrors
machine pkgs.dev.azure.com
  login azure
  password tok-1
machine artifactory.example.com login ci password ""pw with spaces"" account ops
default login anonymous password guest
";
            var netrc = NetrcFile.Parse(text, "/home/u/.netrc");

            var azure = netrc.Find("pkgs.dev.azure.com")!;
            Assert.Equal("azure", azure.Username);
            Assert.Equal("tok-1", azure.Password);
            var jfrog = netrc.Find("artifactory.example.com")!;
            Assert.Equal("ci", jfrog.Username);
            Assert.Equal("pw with spaces", jfrog.Password);
            Assert.Equal("ops", netrc.FindAccount("artifactory.example.com"));
            var other = netrc.Find("unknown.example")!;
            Assert.Equal("anonymous", other.Username);
            Assert.Equal("guest", other.Password);
        }

        [Fact]
        public void TokensInAnyOrderAndUserAsLoginSynonym()
        {
            var netrc = NetrcFile.Parse("machine host.domain.com password pass1 user log1 account acct1", "n");
            var credential = netrc.Find("host.domain.com")!;
            Assert.Equal("log1", credential.Username);
            Assert.Equal("pass1", credential.Password);
        }

        [Fact]
        public void QuotedTokensAndBackslashEscapes()
        {
            var netrc = NetrcFile.Parse("machine h login \"a \\\"quoted\\\" user\" password pa\\ ss\\\\word", "n");
            var credential = netrc.Find("h")!;
            Assert.Equal("a \"quoted\" user", credential.Username);
            Assert.Equal("pa ss\\word", credential.Password);
        }

        [Fact]
        public void MacdefSwallowsLinesUpToABlankLine()
        {
            const string text = "macdef init\ncd /pub\nmachine fake login x password y\n\nmachine real login r password s\n";
            var netrc = NetrcFile.Parse(text, "n");
            Assert.Null(netrc.Find("fake"));
            Assert.Equal("r", netrc.Find("real")!.Username);
            Assert.Equal(new[] { "cd /pub", "machine fake login x password y" }, netrc.Macros["init"]);
        }

        [Fact]
        public void CommentsAfterTokensAreSkipped()
        {
            var netrc = NetrcFile.Parse("machine h login u # the CI user\n password p\n", "n");
            Assert.Equal("p", netrc.Find("h")!.Password);
        }

        [Fact]
        public void LaterEntryForTheSameMachineWinsAsInUv()
        {
            var netrc = NetrcFile.Parse("machine h login first password 1\nmachine h login second password 2\n", "n");
            Assert.Equal("second", netrc.Find("h")!.Username);
        }

        [Fact]
        public void UsernameConstraintFiltersTheEntry()
        {
            var netrc = NetrcFile.Parse("machine h login alice password 1\n", "n");
            Assert.NotNull(netrc.Find("h", "alice"));
            Assert.Null(netrc.Find("h", "bob"));
            Assert.Null(netrc.Find("other"));
        }

        [Fact]
        public void OptionalTokensMayBeMissing()
        {
            var netrc = NetrcFile.Parse("machine host.domain.com login", "n");
            var credential = netrc.Find("host.domain.com")!;
            Assert.Null(credential.Username);
            Assert.Equal("", credential.Password);
        }

        [Theory]
        [InlineData("login x password y", 1)]
        [InlineData("machine h\n  login u\n  secret-token z\n", 3)]
        [InlineData("machine", 1)]
        public void MalformedFilesNameThePathAndLineButNoToken(string text, int line)
        {
            var error = Assert.Throws<IndexConfigurationException>(() => NetrcFile.Parse(text, "/etc/netrc-test"));
            Assert.Equal(ErrorKind.InvalidNetrc, error.Kind);
            Assert.Equal(line, error.Line);
            Assert.Contains("/etc/netrc-test", error.Message);
            Assert.DoesNotContain("secret-token", error.Message);
            Assert.DoesNotContain(" x ", error.Message);
        }

        [Fact]
        public void CredentialToStringHidesThePassword()
        {
            var credential = new IndexCredential("user", "hunter2");
            Assert.DoesNotContain("hunter2", credential.ToString());
            Assert.Contains("user", credential.ToString());
        }
    }
}
