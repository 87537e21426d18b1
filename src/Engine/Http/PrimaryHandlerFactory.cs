using System.Net.Security;
using System.Net;
using System.Reflection;

namespace IndexTools.Engine.Http
{
    /// <summary>
    /// Creates the handler that talks to the network. The engine targets netstandard2.0, which has no
    /// <c>SocketsHttpHandler</c>; on .NET Core / .NET (where PowerShell 7 runs) the type exists at run time, so it is
    /// created by reflection to get a real connect timeout (<see cref="HttpSettings.ConnectTimeout"/>, never above the
    /// read timeout). Elsewhere (Windows PowerShell 5.1 on .NET Framework) it falls back to <see cref="HttpClientHandler"/>,
    /// where the connect phase is bounded by the read timeout only. Both: no automatic redirects (we follow them), gzip
    /// and deflate decompression, no cookies, the proxy from <see cref="ProxySelector"/> or no proxy at all.
    /// </summary>
    internal static class PrimaryHandlerFactory
    {
        private static readonly Type? SocketsHandlerType = Type.GetType("System.Net.Http.SocketsHttpHandler, System.Net.Http", throwOnError: false);

        public static bool UsesSocketsHttpHandler => SocketsHandlerType != null;

        public static HttpMessageHandler Create(HttpSettings settings)
        {
            var proxy = ProxySelector.Create(settings);
            if (SocketsHandlerType != null && Activator.CreateInstance(SocketsHandlerType) is HttpMessageHandler sockets)
            {
                Set(sockets, "AllowAutoRedirect", false);
                Set(sockets, "AutomaticDecompression", DecompressionMethods.GZip | DecompressionMethods.Deflate);
                Set(sockets, "UseCookies", false);
                Set(sockets, "ConnectTimeout", RetryHandler.EffectiveConnectTimeout(settings));
                Set(sockets, "UseProxy", proxy != null);
                if (proxy != null)
                {
                    Set(sockets, "Proxy", proxy);
                }

                if (settings.Trust != null)
                {
                    var trust = settings.Trust;
                    var ssl = sockets.GetType().GetProperty("SslOptions", BindingFlags.Public | BindingFlags.Instance)?.GetValue(sockets);
                    if (ssl is null)
                    {
                        throw new PlatformNotSupportedException("This runtime's HTTP handler has no TLS options; SSL_CERT_FILE/SSL_CERT_DIR cannot be applied.");
                    }

                    Set(ssl, "RemoteCertificateValidationCallback", new RemoteCertificateValidationCallback((sender, certificate, chain, errors) => trust.Validate(certificate, errors)));
                }

                return sockets;
            }

            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                UseCookies = false,
                UseProxy = proxy != null,
            };
            if (proxy != null)
            {
                handler.Proxy = proxy;
            }

            if (settings.Trust != null)
            {
                var trust = settings.Trust;
                handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => trust.Validate(certificate, errors);
            }

            return handler;
        }

        private static void Set(object target, string property, object value)
        {
            var info = target.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance);
            if (info != null && info.CanWrite)
            {
                info.SetValue(target, value);
            }
        }
    }
}
