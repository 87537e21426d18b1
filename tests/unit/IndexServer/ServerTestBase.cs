using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using IndexTools.IndexServer;

namespace IndexTools.Tests.IndexServer
{
    /// <summary>Shared helpers: a client that does not follow redirects, and small fixtures.</summary>
    public abstract class ServerTestBase
    {
        protected const string UvAccept = SimpleMediaTypes.UvAccept;

        protected static readonly HttpClient Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

        protected static IndexFixture Requests(string name = "main", IndexBehavior? behavior = null)
        {
            var index = new IndexFixture(name) { Behavior = behavior ?? new IndexBehavior() };
            index.Add("requests", "requests-2.31.0-py3-none-any.whl", "requests-2.31.0.tar.gz");
            index.Add("requests", new PackageFile("requests-2.32.0-py3-none-any.whl") { RequiresPython = ">=3.8", Yanked = true, YankedReason = "broken <build>" });
            return index;
        }

        protected static Task<IndexServerHost> StartAsync(params IndexFixture[] indexes)
        {
            var fixture = new ServerFixture();
            fixture.Indexes.AddRange(indexes);
            return IndexServerHost.StartAsync(fixture);
        }

        protected static async Task<HttpResponseMessage> GetAsync(Uri url, string? accept = UvAccept, AuthenticationHeaderValue? authorization = null, Action<HttpRequestMessage>? configure = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (accept != null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            request.Headers.Authorization = authorization;
            configure?.Invoke(request);
            return await Client.SendAsync(request);
        }

        protected static AuthenticationHeaderValue Basic(string user, string password) =>
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + password)));

        protected static string? MediaType(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;
    }
}
