using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;

namespace IndexTools.Tests.Http
{
    /// <summary>Builds clients with short delays and an isolated environment (its own empty home folder).</summary>
    internal sealed class TestClient : IDisposable
    {
        public TestClient(
            IDictionary<string, string>? variables = null,
            string? netrc = null,
            Action<HttpSettings>? configure = null,
            IReadOnlyDictionary<string, IndexCredential>? parameters = null,
            CredentialOptions? credentialOptions = null)
        {
            Home = Path.Combine(Path.GetTempPath(), "indextools-http-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Home);
            if (netrc != null)
            {
                File.WriteAllText(Path.Combine(Home, ".netrc"), netrc);
            }

            var env = new EngineEnvironment(
                new Dictionary<string, string>(variables ?? new Dictionary<string, string>()),
                Home,
                Home,
                isWindows: false);
            Settings = new HttpSettings
            {
                Retries = 3,
                RetryBaseDelay = TimeSpan.FromMilliseconds(5),
                MaxRetryDelay = TimeSpan.FromMilliseconds(20),
                MaxRetryAfter = TimeSpan.FromMilliseconds(50),
                Timeout = TimeSpan.FromSeconds(10),
            };
            configure?.Invoke(Settings);
            Credentials = new CredentialProvider(env, parameters, credentialOptions);
            Client = new SimpleApiClient(Settings, Credentials, line => Lines.Enqueue(line));
        }

        public string Home { get; }

        public HttpSettings Settings { get; }

        public CredentialProvider Credentials { get; }

        public SimpleApiClient Client { get; }

        public ConcurrentQueue<string> Lines { get; } = new ConcurrentQueue<string>();

        public static IndexDefinition Index(string url, string? name = "internal", AuthenticatePolicy authenticate = AuthenticatePolicy.Auto, IndexFormat format = IndexFormat.Simple)
        {
            return new IndexDefinition(name, url, Provenance.Default) { Authenticate = authenticate, Format = format };
        }

        public void Dispose()
        {
            Client.Dispose();
            try
            {
                Directory.Delete(Home, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
