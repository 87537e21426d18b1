using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.SimpleApi;
using IndexTools.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Xunit;

namespace IndexTools.Tests.Security
{
    /// <summary>A server that echoes the credentials it receives into every header and text it can.</summary>
    public sealed class HostileEchoTests
    {
        private static Task Echo(HttpContext context, int status, string contentType)
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            var decoded = authorization.StartsWith("Basic ", StringComparison.Ordinal)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Substring(6)))
                : "";
            var password = decoded.Contains(':') ? decoded.Substring(decoded.IndexOf(':') + 1) : decoded;
            context.Response.StatusCode = status;
            context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = "Denied " + password;
            context.Response.Headers["WWW-Authenticate"] = "Basic realm=\"" + password + "\", error=\"" + authorization + "\"";
            context.Response.Headers["Server"] = "echo/" + password;
            context.Response.Headers["ETag"] = "\"" + password + "\"";
            context.Response.Headers["X-JFrog-Echo"] = authorization;
            context.Response.ContentType = contentType.Replace("{p}", Uri.EscapeDataString(password));
            return context.Response.WriteAsync("<html>" + password + " " + authorization + "</html>");
        }

        [Theory]
        [InlineData(401, "text/html")]
        [InlineData(403, "text/html")]
        [InlineData(200, "text/plain; x={p}")]
        [InlineData(200, "application/x-{p}")]
        public async Task EchoedSecretsNeverLeaveTheEngine(int status, string contentType)
        {
            var password = "echo-Pw/" + Guid.NewGuid().ToString("N").Substring(0, 10);
            await using var server = await RecordingServer.StartAsync((c, n) => Echo(c, status, contentType));
            var credentials = new Dictionary<string, IndexCredential> { ["internal"] = new IndexCredential("alice", password) };
            using var t = new TestClient(parameters: credentials, configure: s => s.Retries = 0);
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.True(response.CredentialsSent);
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + password));
            var texts = new List<string?> { response.Error, response.WwwAuthenticate, response.Url };
            texts.AddRange(response.Headers.Values);
            texts.AddRange(t.Lines.Select(l => l.Replace("ms", "")));
            Assert.Contains(t.Lines, l => l.Contains("Denied ****", StringComparison.Ordinal));
            foreach (var text in texts.Where(x => x != null))
            {
                Assert.DoesNotContain(password, text!);
                Assert.DoesNotContain(Uri.EscapeDataString(password), text!);
                Assert.DoesNotContain(basic, text!);
            }
        }

        [Fact]
        public async Task NetworkTextCannotStartALine()
        {
            const string Forge = "\n::warning::forged\r\n##vso[task.setvariable variable=x]y";
            var json = "{\"meta\":{\"api-version\":\"1.1" + Escape(Forge) + "\",\"tracks\":[\"https://t.example/" + Escape(Forge) + "\"]},"
                + "\"alternate-locations\":[\"https://alt.example/x" + Escape(Forge) + "\"],\"name\":\"demo\",\"files\":["
                + "{\"filename\":\"demo-1.0-py3-none-any.whl\",\"url\":\"https://f.example/demo-1.0-py3-none-any.whl\",\"hashes\":{},"
                + "\"yanked\":\"bad" + Escape(Forge) + "\",\"requires-python\":\">=3" + Escape(Forge) + "\"}]}";
            await using var server = await RecordingServer.StartAsync((c, n) => RecordingServer.Json(c, json));
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Page, response.Kind);
            var page = response.Page!;
            var file = Assert.Single(page.Files);
            var texts = new[] { page.ApiVersion, file.YankedReason, file.RequiresPython }.Concat(page.Tracks).Concat(page.AlternateLocations).ToList();
            Assert.All(texts, text =>
            {
                Assert.NotNull(text);
                Assert.DoesNotContain('\n', text!);
                Assert.DoesNotContain('\r', text!);
                Assert.Contains("\\n::warning::forged\\r\\n##vso[", text!);
            });
        }

        private static string Escape(string text) => text.Replace("\n", "\\n").Replace("\r", "\\r");
    }
}
