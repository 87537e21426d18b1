namespace IndexTools.Engine.Probe
{
    /// <summary>The product an index looks like, how sure, and why.</summary>
    public sealed class ProductGuess
    {
        public ProductGuess(RegistryProduct product, string confidence, IReadOnlyList<string> evidence)
        {
            Product = product;
            Confidence = confidence;
            Evidence = evidence;
        }

        public RegistryProduct Product { get; }

        /// <summary>High, Medium or Low.</summary>
        public string Confidence { get; }

        public IReadOnlyList<string> Evidence { get; }
    }

    /// <summary>
    /// Guesses the registry product from the index URL's shape, response headers, WWW-Authenticate realms and error
    /// bodies (see /work/shared/spec/registries.md). Every clue has a weight: a vendor host or a vendor-only header
    /// weighs most, a generic server header least. The product with the highest total wins; "Unknown" lists what was seen.
    /// </summary>
    public static class ProductDetector
    {
        private const int Strong = 10;
        private const int Medium = 5;
        private const int Weak = 2;

        public static ProductGuess Detect(Uri indexUrl, IReadOnlyList<ProbeObservation> observations)
        {
            if (indexUrl is null)
            {
                throw new ArgumentNullException(nameof(indexUrl));
            }

            var scores = new Dictionary<RegistryProduct, int>();
            var evidence = new Dictionary<RegistryProduct, List<string>>();

            void Add(RegistryProduct product, int weight, string why)
            {
                scores[product] = (scores.TryGetValue(product, out var s) ? s : 0) + weight;
                if (!evidence.TryGetValue(product, out var list))
                {
                    evidence[product] = list = new List<string>();
                }

                if (!list.Contains(why))
                {
                    list.Add(why);
                }
            }

            UrlClues(indexUrl, Add);
            foreach (var observation in observations ?? Array.Empty<ProbeObservation>())
            {
                HeaderClues(observation, Add);
                BodyClues(observation, Add);
            }

            if (scores.Count == 0)
            {
                var seen = observations?
                    .SelectMany(o => new[] { o.Header("Server") is string s ? "Server: " + s : null, o.Header("Via") is string v ? "Via: " + v : null })
                    .Where(x => x != null)
                    .Distinct()
                    .Cast<string>()
                    .ToList() ?? new List<string>();
                if (seen.Count == 0)
                {
                    seen.Add("no product-specific header, realm, body or URL shape");
                }

                return new ProductGuess(RegistryProduct.Unknown, "Low", seen);
            }

            var best = scores.OrderByDescending(p => p.Value).ThenBy(p => (int)p.Key).First();
            var confidence = best.Value >= Strong ? "High" : best.Value >= Medium ? "Medium" : "Low";
            return new ProductGuess(best.Key, confidence, evidence[best.Key]);
        }

        private static void UrlClues(Uri url, Action<RegistryProduct, int, string> add)
        {
            var host = url.Host.ToLowerInvariant();
            var path = url.AbsolutePath.ToLowerInvariant();
            if (host == "pypi.org" || host == "test.pypi.org")
            {
                add(RegistryProduct.PyPI, Strong, "host " + host);
            }

            if (host == "download.pytorch.org")
            {
                add(RegistryProduct.PyTorch, Strong, "host " + host);
            }

            if (host.EndsWith(".jfrog.io", StringComparison.Ordinal) || path.Contains("/artifactory/api/pypi/"))
            {
                add(RegistryProduct.Artifactory, Strong, "URL shape " + (path.Contains("/api/pypi/") ? ".../artifactory/api/pypi/<repo>/simple" : "*.jfrog.io"));
            }
            else if (path.Contains("/api/pypi/"))
            {
                add(RegistryProduct.Artifactory, Medium, "URL shape .../api/pypi/<repo>/simple");
            }

            if (path.StartsWith("/repository/", StringComparison.Ordinal) && path.Contains("/simple"))
            {
                add(RegistryProduct.Nexus, Medium, "URL shape /repository/<repo>/simple");
            }

            if (host == "pkgs.dev.azure.com" || host.EndsWith(".pkgs.visualstudio.com", StringComparison.Ordinal))
            {
                add(RegistryProduct.AzureArtifacts, Strong, "host " + host);
            }

            if (host.Contains(".codeartifact.") && host.EndsWith(".amazonaws.com", StringComparison.Ordinal))
            {
                add(RegistryProduct.CodeArtifact, Strong, "host *.codeartifact.*.amazonaws.com");
            }

            if (host.EndsWith("-python.pkg.dev", StringComparison.Ordinal))
            {
                add(RegistryProduct.GoogleArtifactRegistry, Strong, "host *-python.pkg.dev");
            }

            if (path.Contains("/api/v4/projects/") || path.Contains("/api/v4/groups/"))
            {
                if (path.Contains("/packages/pypi"))
                {
                    add(RegistryProduct.GitLab, Strong, "URL shape /api/v4/.../packages/pypi/simple");
                }
            }

            if (host == "gitlab.com")
            {
                add(RegistryProduct.GitLab, Medium, "host gitlab.com");
            }

            if (path.Contains("/+simple"))
            {
                add(RegistryProduct.Devpi, Strong, "URL shape /<user>/<index>/+simple/");
            }

            if (host == "storage.googleapis.com" || host.EndsWith(".s3.amazonaws.com", StringComparison.Ordinal)
                || (host.StartsWith("s3.", StringComparison.Ordinal) && host.EndsWith(".amazonaws.com", StringComparison.Ordinal))
                || host.Contains(".s3-website"))
            {
                add(RegistryProduct.StaticHosting, Strong, "host " + host + " (bucket hosting)");
            }
        }

        private static void HeaderClues(ProbeObservation o, Action<RegistryProduct, int, string> add)
        {
            foreach (var pair in o.Headers)
            {
                var name = pair.Key;
                var value = pair.Value;
                var lower = name.ToLowerInvariant();
                if (lower == "x-pypi-last-serial")
                {
                    add(RegistryProduct.PyPI, Medium, name + " header");
                }
                else if (lower.StartsWith("x-artifactory-", StringComparison.Ordinal) || lower.StartsWith("x-jfrog-", StringComparison.Ordinal))
                {
                    add(RegistryProduct.Artifactory, Strong, name + " header");
                }
                else if (lower.StartsWith("x-tfs-", StringComparison.Ordinal) || lower.StartsWith("x-vss-", StringComparison.Ordinal))
                {
                    add(RegistryProduct.AzureArtifacts, Strong, name + " header");
                }
                else if (lower.StartsWith("x-gitlab-", StringComparison.Ordinal))
                {
                    add(RegistryProduct.GitLab, Strong, name + " header");
                }
                else if (lower.StartsWith("x-devpi-", StringComparison.Ordinal))
                {
                    add(RegistryProduct.Devpi, Strong, name + " header");
                }
                else if (lower == "x-amzn-requestid")
                {
                    add(RegistryProduct.CodeArtifact, Weak, name + " header (an AWS service)");
                }
                else if (lower == "x-amz-request-id" || lower == "x-amz-id-2")
                {
                    add(RegistryProduct.StaticHosting, Medium, name + " header (Amazon S3)");
                }
                else if (lower == "x-goog-generation" || lower == "x-goog-stored-content-length")
                {
                    add(RegistryProduct.StaticHosting, Medium, name + " header (Google Cloud Storage)");
                }
                else if (lower == "server")
                {
                    ServerClues(value, add);
                }
                else if (lower == "www-authenticate")
                {
                    RealmClues(value, add);
                }
            }
        }

        private static void ServerClues(string value, Action<RegistryProduct, int, string> add)
        {
            var v = value.ToLowerInvariant();
            var why = "Server: " + value;
            if (v.StartsWith("artifactory", StringComparison.Ordinal))
            {
                add(RegistryProduct.Artifactory, Strong, why);
            }
            else if (v.StartsWith("nexus", StringComparison.Ordinal))
            {
                add(RegistryProduct.Nexus, Strong, why);
            }
            else if (v.Contains("amazons3"))
            {
                add(RegistryProduct.StaticHosting, Medium, why);
            }
            else if (v.StartsWith("uploadserver", StringComparison.Ordinal))
            {
                add(RegistryProduct.StaticHosting, Medium, why + " (Google Cloud Storage)");
            }
            else if (v.StartsWith("google frontend", StringComparison.Ordinal))
            {
                add(RegistryProduct.GoogleArtifactRegistry, Weak, why);
            }
            else if (v.StartsWith("nginx", StringComparison.Ordinal) || v.StartsWith("apache", StringComparison.Ordinal) || v.StartsWith("caddy", StringComparison.Ordinal))
            {
                add(RegistryProduct.StaticHosting, 1, why + " (a web server; static tree unless something more specific shows)");
            }
            else if (v.StartsWith("wsgiserver", StringComparison.Ordinal) || v.Contains("pypiserver"))
            {
                add(RegistryProduct.Pypiserver, v.Contains("pypiserver") ? Strong : Weak, why);
            }
            else if (v.StartsWith("waitress", StringComparison.Ordinal))
            {
                add(RegistryProduct.Devpi, Weak, why);
            }
        }

        private static void RealmClues(string value, Action<RegistryProduct, int, string> add)
        {
            var v = value.ToLowerInvariant();
            var why = "WWW-Authenticate " + Realm(value);
            if (v.Contains("artifactory"))
            {
                add(RegistryProduct.Artifactory, Strong, why);
            }
            else if (v.Contains("nexus"))
            {
                add(RegistryProduct.Nexus, Strong, why);
            }
            else if (v.Contains("tfs-federated") || v.Contains("visualstudio.com") || v.Contains("dev.azure.com"))
            {
                add(RegistryProduct.AzureArtifacts, Strong, "WWW-Authenticate: Bearer/Basic with TFS-Federated (Azure DevOps)");
            }
            else if (v.Contains("codeartifact"))
            {
                add(RegistryProduct.CodeArtifact, Medium, why);
            }
            else if (v.Contains("pkg.dev"))
            {
                add(RegistryProduct.GoogleArtifactRegistry, Medium, why);
            }
            else if (v.Contains("gitlab"))
            {
                add(RegistryProduct.GitLab, Medium, why);
            }
            else if (v.Contains("pypiserver"))
            {
                add(RegistryProduct.Pypiserver, Medium, why);
            }
            else if (v.Contains("devpi"))
            {
                add(RegistryProduct.Devpi, Medium, why);
            }
        }

        /// <summary>The realm part of a WWW-Authenticate value (never a token: Basic challenges carry none).</summary>
        private static string Realm(string value)
        {
            var at = value.IndexOf("realm=", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                var space = value.IndexOf(' ');
                return space < 0 ? value : value.Substring(0, space);
            }

            var rest = value.Substring(at);
            var comma = rest.IndexOf(',');
            return comma < 0 ? rest : rest.Substring(0, comma);
        }

        private static void BodyClues(ProbeObservation o, Action<RegistryProduct, int, string> add)
        {
            var body = o.BodyStart;
            if (string.IsNullOrEmpty(body))
            {
                return;
            }

            if (body.Contains("\"errors\":[{\"status\":"))
            {
                add(RegistryProduct.Artifactory, Medium, "JSON error body {\"errors\":[{\"status\":...}]} (JFrog style)");
            }

            if (body.Contains("Microsoft.VisualStudio.Services.Feed") || body.Contains("TF400813"))
            {
                add(RegistryProduct.AzureArtifacts, Strong, "Azure DevOps feed error body");
            }

            if (body.IndexOf("Sonatype Nexus", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                add(RegistryProduct.Nexus, Strong, "Sonatype Nexus error page");
            }

            if (body.Contains("<Code>AccessDenied</Code>") || body.Contains("<Code>NoSuchKey</Code>"))
            {
                add(RegistryProduct.StaticHosting, Medium, "S3-style XML error body (" + (body.Contains("AccessDenied") ? "AccessDenied" : "NoSuchKey") + ")");
            }

            if (body.Contains("<center>nginx") || body.Contains("<address>Apache"))
            {
                add(RegistryProduct.StaticHosting, Weak, "a web server's own error page");
            }

            if (body.IndexOf("pypiserver", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                add(RegistryProduct.Pypiserver, Medium, "\"pypiserver\" in a page");
            }

            if (body.IndexOf("devpi", StringComparison.OrdinalIgnoreCase) >= 0 && body.IndexOf("indextools-probe", StringComparison.OrdinalIgnoreCase) < 0)
            {
                add(RegistryProduct.Devpi, Weak, "\"devpi\" in a page");
            }
        }
    }
}
