using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Http
{
    /// <summary>
    /// uv's <c>SSL_CERT_FILE</c> / <c>SSL_CERT_DIR</c>: PEM CA certificates that REPLACE the default roots — a server
    /// certificate is trusted only when its chain ends at one of them (and the host name matches). Corporate TLS
    /// inspection proxies and private CAs need this. Built on netstandard2.0 APIs: the chain is rebuilt with the
    /// bundle as extra store and "unknown authority" allowed, then the root must be one of the bundle's certificates.
    /// </summary>
    public sealed class CustomTrust
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<X509Certificate2Collection>> Loaded =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<X509Certificate2Collection>>(StringComparer.Ordinal);

        private readonly Lazy<X509Certificate2Collection> _roots;
        private readonly Lazy<HashSet<string>> _thumbprints;

        public CustomTrust(IEnumerable<X509Certificate2> roots, string source)
            : this(new Lazy<X509Certificate2Collection>(() => new X509Certificate2Collection(roots.ToArray())), source)
        {
        }

        private CustomTrust(Lazy<X509Certificate2Collection> roots, string source)
        {
            _roots = roots;
            Source = source;
            _thumbprints = new Lazy<HashSet<string>>(() => new HashSet<string>(Roots.Cast<X509Certificate2>().Select(c => c.Thumbprint), StringComparer.OrdinalIgnoreCase));
        }

        /// <summary>
        /// The trusted CA certificates, read on first use (the first TLS handshake), once per process for the same
        /// files: a system bundle plus a folder of a few hundred files takes ~150 ms to decode, which a command that
        /// only talks to http:// indexes (or answers from the cache) should never pay.
        /// </summary>
        public X509Certificate2Collection Roots => _roots.Value;

        /// <summary>Where they came from, e.g. <c>SSL_CERT_FILE=/etc/corp-ca.pem</c>.</summary>
        public string Source { get; }

        /// <summary>Reads SSL_CERT_FILE and SSL_CERT_DIR; null when neither is set. A set but unusable value is an error naming it.</summary>
        public static CustomTrust? FromEnvironment(Environment.EngineEnvironment env)
        {
            var file = env.Get("SSL_CERT_FILE");
            var dirs = env.Get("SSL_CERT_DIR");
            if (string.IsNullOrEmpty(file) && string.IsNullOrEmpty(dirs))
            {
                return null;
            }

            var sources = new List<string>();
            var folders = new List<string>();
            if (!string.IsNullOrEmpty(file))
            {
                if (!File.Exists(file))
                {
                    throw Invalid("SSL_CERT_FILE", file!, "the file does not exist");
                }

                // A cheap check now (no decoding): a bundle without a single certificate block is a mistake to report.
                if (File.ReadAllText(file).IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) < 0)
                {
                    throw Invalid("SSL_CERT_FILE", file!, "the file holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
                }

                sources.Add("SSL_CERT_FILE=" + file);
            }

            if (!string.IsNullOrEmpty(dirs))
            {
                var separator = env.IsWindows ? ';' : ':';
                foreach (var dir in dirs!.Split(new[] { separator }, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!Directory.Exists(dir))
                    {
                        throw Invalid("SSL_CERT_DIR", dir, "the folder does not exist");
                    }

                    folders.Add(dir);
                    sources.Add("SSL_CERT_DIR=" + dir);
                }
            }

            var key = (file ?? "") + "\n" + string.Join("\n", folders) + "\n" + (string.IsNullOrEmpty(file) ? "" : File.GetLastWriteTimeUtc(file).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var roots = Loaded.GetOrAdd(key, _ => new Lazy<X509Certificate2Collection>(() => Load(file, folders)));
            return new CustomTrust(roots, string.Join(", ", sources));
        }

        private static X509Certificate2Collection Load(string? file, List<string> folders)
        {
            var roots = new X509Certificate2Collection();
            if (!string.IsNullOrEmpty(file))
            {
                roots.AddRange(ReadPem(File.ReadAllText(file)).ToArray());
            }

            foreach (var dir in folders)
            {
                foreach (var path in Directory.GetFiles(dir))
                {
                    try
                    {
                        // uv reads any regular file and ignores the ones that are not PEM certificates.
                        roots.AddRange(ReadPem(File.ReadAllText(path)).ToArray());
                    }
                    catch (IOException)
                    {
                    }
                    catch (UnauthorizedAccessException)
                    {
                    }
                }
            }

            return roots;
        }

        /// <summary>The certificates of a PEM text; blocks that do not decode are skipped.</summary>
        public static List<X509Certificate2> ReadPem(string text)
        {
            const string begin = "-----BEGIN CERTIFICATE-----";
            const string end = "-----END CERTIFICATE-----";
            var result = new List<X509Certificate2>();
            var at = 0;
            while (true)
            {
                var start = text.IndexOf(begin, at, StringComparison.Ordinal);
                if (start < 0)
                {
                    break;
                }

                var stop = text.IndexOf(end, start + begin.Length, StringComparison.Ordinal);
                if (stop < 0)
                {
                    break;
                }

                var body = new StringBuilder(stop - start);
                foreach (var c in text.Substring(start + begin.Length, stop - start - begin.Length))
                {
                    if (!char.IsWhiteSpace(c))
                    {
                        body.Append(c);
                    }
                }

                try
                {
                    result.Add(new X509Certificate2(Convert.FromBase64String(body.ToString())));
                }
                catch (FormatException)
                {
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                }

                at = stop + end.Length;
            }

            return result;
        }

        /// <summary>The TLS validation callback: the host name must match and the chain must end at one of <see cref="Roots"/>.</summary>
        public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
            {
                return false;
            }

            var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.ChainPolicy.ExtraStore.AddRange(Roots);
                chain.Build(leaf);
                if (chain.ChainElements.Count == 0)
                {
                    return false;
                }

                foreach (X509ChainElement element in chain.ChainElements)
                {
                    foreach (var status in element.ChainElementStatus)
                    {
                        if (status.Status != X509ChainStatusFlags.NoError && status.Status != X509ChainStatusFlags.UntrustedRoot)
                        {
                            return false;
                        }
                    }
                }

                var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
                return _thumbprints.Value.Contains(root.Thumbprint);
            }
        }

        private static IndexConfigurationException Invalid(string name, string value, string why)
        {
            return new IndexConfigurationException($"Invalid environment variable {name}='{value}': {why}.")
            {
                Kind = ErrorKind.InvalidEnvironmentVariable,
            };
        }
    }
}
