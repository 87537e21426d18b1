using System.Net;
using System.Net.Sockets;

namespace IndexTools.Engine.Http
{
    /// <summary>
    /// The proxy choice of <see cref="HttpSettings"/> as an <see cref="IWebProxy"/>: one proxy per scheme (an explicit
    /// <see cref="HttpSettings.Proxy"/> for both), a NO_PROXY bypass list with curl/reqwest semantics, and proxy
    /// credentials from the proxy URL's user info (sent only to that proxy). <see cref="System.Net.WebProxy"/> is not used
    /// because it holds a single proxy and matches its bypass list as regular expressions.
    /// </summary>
    internal sealed class ProxySelector : IWebProxy
    {
        private readonly Uri? _http;
        private readonly Uri? _https;
        private readonly IReadOnlyList<string> _noProxy;
        private readonly ProxyCredentials _credentials = new ProxyCredentials();

        private ProxySelector(Uri? http, Uri? https, IReadOnlyList<string> noProxy, NetworkCredential? explicitCredential)
        {
            _http = StripUserInfo(http);
            _https = StripUserInfo(https);
            _noProxy = noProxy;
            if (explicitCredential is not null)
            {
                // An explicit credential (-ProxyCredential) wins over userinfo in the proxy URL, for that proxy only.
                foreach (var proxy in new[] { _http, _https })
                {
                    if (proxy is not null)
                    {
                        _credentials.Add(proxy, explicitCredential);
                    }
                }
            }
        }

        /// <summary>The proxy for <paramref name="settings"/>, or null when no proxy applies at all.</summary>
        public static ProxySelector? Create(HttpSettings settings)
        {
            if (settings.NoProxy)
            {
                return null;
            }

            var http = settings.Proxy ?? settings.HttpProxy;
            var https = settings.Proxy ?? settings.HttpsProxy;
            if (http is null && https is null)
            {
                return null;
            }

            return new ProxySelector(http, https, settings.NoProxyList, settings.ProxyCredential);
        }

        public ICredentials? Credentials
        {
            get => _credentials;
            set { }
        }

        public Uri? GetProxy(Uri destination)
        {
            if (IsBypassed(destination))
            {
                return null;
            }

            return destination.Scheme == Uri.UriSchemeHttps ? _https : _http;
        }

        public bool IsBypassed(Uri host)
        {
            var proxy = host.Scheme == Uri.UriSchemeHttps ? _https : _http;
            return proxy is null || Matches(_noProxy, host.Host);
        }

        /// <summary>A proxy URL as reqwest accepts it: a missing scheme means http://.</summary>
        internal static Uri? ParseProxyUrl(string value)
        {
            var text = value.Trim();
            if (text.IndexOf("://", StringComparison.Ordinal) < 0)
            {
                text = "http://" + text;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                return null;
            }

            switch (uri.Scheme)
            {
                case "http":
                case "https":
                case "socks5":
                case "socks5h":
                case "socks4":
                case "socks4a":
                    return uri;
                default:
                    return null;
            }
        }

        internal static IReadOnlyList<string> ParseNoProxy(string value)
        {
            return value.Split(',')
                .Select(entry => entry.Trim())
                .Where(entry => entry.Length > 0)
                .ToArray();
        }

        /// <summary>Whether <paramref name="host"/> is in a NO_PROXY list.</summary>
        internal static bool Matches(IReadOnlyList<string> noProxy, string host)
        {
            if (noProxy.Count == 0)
            {
                return false;
            }

            var target = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
            IPAddress.TryParse(target, out var targetAddress);
            foreach (var raw in noProxy)
            {
                var entry = raw.ToLowerInvariant();
                if (entry == "*")
                {
                    return true;
                }

                var slash = entry.IndexOf('/');
                if (slash > 0)
                {
                    if (targetAddress != null && InCidr(targetAddress, entry.Substring(0, slash), entry.Substring(slash + 1)))
                    {
                        return true;
                    }

                    continue;
                }

                if (IPAddress.TryParse(entry.Trim('[', ']'), out var entryAddress))
                {
                    if (targetAddress != null && entryAddress.Equals(targetAddress))
                    {
                        return true;
                    }

                    continue;
                }

                entry = StripPort(entry).TrimEnd('.');
                if (entry.StartsWith("*.", StringComparison.Ordinal))
                {
                    entry = entry.Substring(1);
                }

                if (entry.StartsWith(".", StringComparison.Ordinal))
                {
                    if (target.EndsWith(entry, StringComparison.Ordinal) || target == entry.Substring(1))
                    {
                        return true;
                    }
                }
                else if (target == entry || target.EndsWith("." + entry, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private static string StripPort(string entry)
        {
            var colon = entry.LastIndexOf(':');
            return colon > 0 && entry.IndexOf(':') == colon ? entry.Substring(0, colon) : entry;
        }

        private static bool InCidr(IPAddress address, string network, string prefixText)
        {
            if (!IPAddress.TryParse(network, out var networkAddress) || !int.TryParse(prefixText, out var prefix))
            {
                return false;
            }

            if (address.AddressFamily != networkAddress.AddressFamily)
            {
                if (address.IsIPv4MappedToIPv6)
                {
                    address = address.MapToIPv4();
                }
                else
                {
                    return false;
                }

                if (address.AddressFamily != networkAddress.AddressFamily)
                {
                    return false;
                }
            }

            var a = address.GetAddressBytes();
            var n = networkAddress.GetAddressBytes();
            if (prefix < 0 || prefix > a.Length * 8)
            {
                return false;
            }

            for (var bit = 0; bit < prefix; bit++)
            {
                var mask = (byte)(0x80 >> (bit % 8));
                if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
                {
                    return false;
                }
            }

            return true;
        }

        private Uri? StripUserInfo(Uri? proxy)
        {
            if (proxy is null || proxy.UserInfo.Length == 0)
            {
                return proxy;
            }

            var userInfo = proxy.UserInfo;
            var colon = userInfo.IndexOf(':');
            var user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo.Substring(0, colon));
            var password = colon < 0 ? "" : Uri.UnescapeDataString(userInfo.Substring(colon + 1));
            var bare = new UriBuilder(proxy) { UserName = "", Password = "" }.Uri;
            _credentials.Add(bare, new NetworkCredential(user, password));
            return bare;
        }

        /// <summary>Credentials per proxy URI, answered only for that proxy.</summary>
        private sealed class ProxyCredentials : ICredentials
        {
            private readonly Dictionary<string, NetworkCredential> _byProxy = new Dictionary<string, NetworkCredential>(StringComparer.OrdinalIgnoreCase);

            public void Add(Uri proxy, NetworkCredential credential) => _byProxy[proxy.GetLeftPart(UriPartial.Authority)] = credential;

            public NetworkCredential? GetCredential(Uri uri, string authType)
            {
                return _byProxy.TryGetValue(uri.GetLeftPart(UriPartial.Authority), out var credential) ? credential : null;
            }
        }
    }
}
