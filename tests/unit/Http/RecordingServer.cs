using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IndexTools.Tests.Http
{
    /// <summary>One request as the server saw it.</summary>
    public sealed class RecordedRequest
    {
        public RecordedRequest(string path, IReadOnlyDictionary<string, string> headers)
        {
            Path = path;
            Headers = headers;
        }

        public string Path { get; }

        public IReadOnlyDictionary<string, string> Headers { get; }

        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>
    /// A minimal Kestrel server on 127.0.0.1, port 0, that records every request and answers with a handler the test
    /// gives (the full behaviour server lives in tests/IndexServer; this is only what the HTTP client tests need).
    /// </summary>
    public sealed class RecordingServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<RecordedRequest> _requests = new ConcurrentQueue<RecordedRequest>();

        private RecordingServer(WebApplication app)
        {
            _app = app;
        }

        public Uri BaseUri { get; private set; } = new Uri("http://127.0.0.1/");

        public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

        /// <summary>Starts on 127.0.0.1 with a free port: plain HTTP, or HTTPS with <paramref name="certificate"/>.</summary>
        public static async Task<RecordingServer> StartAsync(Func<HttpContext, int, Task> handler, X509Certificate2? certificate = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            if (certificate != null)
            {
                builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
            }

            var app = builder.Build();
            if (certificate is null)
            {
                app.Urls.Add("http://127.0.0.1:0");
            }

            var server = new RecordingServer(app);
            var count = 0;
            app.Run(async context =>
            {
                var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                server._requests.Enqueue(new RecordedRequest(context.Request.Path + context.Request.QueryString, headers));
                var number = System.Threading.Interlocked.Increment(ref count);
                await handler(context, number);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.BaseUri = new Uri(address.TrimEnd('/') + "/");
            return server;
        }

        public Uri Url(string path) => new Uri(BaseUri, path.TrimStart('/'));

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        public static Task Json(HttpContext context, string body, int status = 200)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/vnd.pypi.simple.v1+json";
            return context.Response.WriteAsync(body);
        }

        public static Task Status(HttpContext context, int status)
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        public static string PageJson(string name, params string[] files)
        {
            var list = string.Join(",", files.Select(f => "{\"filename\":\"" + f + "\",\"url\":\"https://files.example/" + f + "\",\"hashes\":{}}"));
            return "{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"" + name + "\",\"files\":[" + list + "]}";
        }
    }
}
