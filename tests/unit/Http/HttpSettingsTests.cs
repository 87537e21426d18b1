using IndexTools.Engine;
using System;
using System.Collections.Generic;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Http
{
    public sealed class HttpSettingsTests
    {
        [Fact]
        public void DefaultsAreUvs()
        {
            var settings = HttpSettings.FromEnvironment(Env());
            Assert.Equal(3, settings.Retries);
            Assert.Equal(TimeSpan.FromSeconds(30), settings.Timeout);
            Assert.Equal(TimeSpan.FromSeconds(10), settings.ConnectTimeout);
            Assert.Equal(10, settings.MaxRedirects);
            Assert.Null(settings.HttpProxy);
            Assert.StartsWith("IndexTools/", settings.UserAgent);
        }

        [Fact]
        public void ReadsRetriesAndTimeoutsWithUvsPrecedence()
        {
            var settings = HttpSettings.FromEnvironment(Env(("UV_HTTP_RETRIES", "0"), ("UV_HTTP_TIMEOUT", "5"), ("UV_REQUEST_TIMEOUT", "7"), ("HTTP_TIMEOUT", "9"), ("UV_HTTP_CONNECT_TIMEOUT", "2")));
            Assert.Equal(0, settings.Retries);
            Assert.Equal(TimeSpan.FromSeconds(5), settings.Timeout);
            Assert.Equal(TimeSpan.FromSeconds(2), settings.ConnectTimeout);

            Assert.Equal(TimeSpan.FromSeconds(7), HttpSettings.FromEnvironment(Env(("UV_REQUEST_TIMEOUT", "7"), ("HTTP_TIMEOUT", "9"))).Timeout);
            Assert.Equal(TimeSpan.FromSeconds(9), HttpSettings.FromEnvironment(Env(("HTTP_TIMEOUT", "9"))).Timeout);
        }

        [Fact]
        public void ConnectTimeoutNeverExceedsTheReadTimeout()
        {
            var settings = new HttpSettings { Timeout = TimeSpan.FromSeconds(3), ConnectTimeout = TimeSpan.FromSeconds(10) };
            Assert.Equal(TimeSpan.FromSeconds(3), RetryHandler.EffectiveConnectTimeout(settings));
        }

        [Theory]
        [InlineData("UV_HTTP_RETRIES", "three")]
        [InlineData("UV_HTTP_RETRIES", "-1")]
        [InlineData("UV_HTTP_TIMEOUT", "1.5")]
        [InlineData("UV_REQUEST_TIMEOUT", "30s")]
        [InlineData("HTTP_TIMEOUT", "x")]
        [InlineData("UV_HTTP_CONNECT_TIMEOUT", "soon")]
        public void InvalidValuesNameTheVariableAndValue(string name, string value)
        {
            var error = Assert.Throws<IndexConfigurationException>(() => HttpSettings.FromEnvironment(Env((name, value))));
            Assert.Equal(ErrorKind.InvalidEnvironmentVariable, error.Kind);
            Assert.Contains(name, error.Message);
            Assert.Contains("'" + value + "'", error.Message);
        }

        [Fact]
        public void ProxiesFromTheEnvironment()
        {
            var settings = HttpSettings.FromEnvironment(Env(("HTTPS_PROXY", "http://user:pw@proxy.corp:3128"), ("http_proxy", "plain.corp:8080"), ("NO_PROXY", "localhost, .internal.corp,10.0.0.0/8")));
            Assert.Equal("proxy.corp", settings.HttpsProxy!.Host);
            Assert.Equal("http://plain.corp:8080/", settings.HttpProxy!.AbsoluteUri);
            Assert.Equal(new[] { "localhost", ".internal.corp", "10.0.0.0/8" }, settings.NoProxyList);

            var all = HttpSettings.FromEnvironment(Env(("ALL_PROXY", "http://all.corp:1")));
            Assert.Equal("all.corp", all.HttpProxy!.Host);
            Assert.Equal("all.corp", all.HttpsProxy!.Host);
        }

        [Fact]
        public void InvalidProxyIsRejectedWithItsCredentialsRedacted()
        {
            var error = Assert.Throws<IndexConfigurationException>(() => HttpSettings.FromEnvironment(Env(("HTTPS_PROXY", "gopher://u:secretpw@proxy"))));
            Assert.Contains("HTTPS_PROXY", error.Message);
            Assert.DoesNotContain("secretpw", error.Message);
        }

        [Theory]
        [InlineData("*", "anything.example", true)]
        [InlineData("example.com", "example.com", true)]
        [InlineData("example.com", "pkgs.example.com", true)]
        [InlineData("example.com", "badexample.com", false)]
        [InlineData(".example.com", "example.com", true)]
        [InlineData(".example.com", "a.b.example.com", true)]
        [InlineData("*.example.com", "a.example.com", true)]
        [InlineData("example.com:8080", "example.com", true)]
        [InlineData("10.0.0.0/8", "10.1.2.3", true)]
        [InlineData("10.0.0.0/8", "11.1.2.3", false)]
        [InlineData("127.0.0.1", "127.0.0.1", true)]
        [InlineData("::1", "[::1]", true)]
        [InlineData("other.com", "example.com", false)]
        public void NoProxyMatching(string entry, string host, bool bypassed)
        {
            Assert.Equal(bypassed, ProxySelector.Matches(ProxySelector.ParseNoProxy(entry), host));
        }

        [Fact]
        public void ProxySelectorUsesOneProxyPerSchemeAndTheBypassList()
        {
            var settings = new HttpSettings
            {
                HttpProxy = new Uri("http://p1:1"),
                HttpsProxy = new Uri("http://u:pw@p2:2"),
                NoProxyList = new[] { "internal.corp" },
            };
            var proxy = ProxySelector.Create(settings)!;
            Assert.Equal("http://p1:1/", proxy.GetProxy(new Uri("http://pypi.org/simple/"))!.AbsoluteUri);
            Assert.Equal("http://p2:2/", proxy.GetProxy(new Uri("https://pypi.org/simple/"))!.AbsoluteUri);
            Assert.Null(proxy.GetProxy(new Uri("https://pkgs.internal.corp/simple/")));
            Assert.Equal("u", proxy.Credentials!.GetCredential(new Uri("http://p2:2/"), "Basic")!.UserName);
            Assert.Null(proxy.Credentials.GetCredential(new Uri("http://p1:1/"), "Basic"));

            Assert.Null(ProxySelector.Create(new HttpSettings { HttpProxy = new Uri("http://p1:1"), NoProxy = true }));
        }

        private static EngineEnvironment Env(params (string Name, string Value)[] variables)
        {
            var map = new Dictionary<string, string>();
            foreach (var (name, value) in variables)
            {
                map[name] = value;
            }

            return new EngineEnvironment(map, "/home/none", "/home/none", isWindows: false);
        }
    }
}
