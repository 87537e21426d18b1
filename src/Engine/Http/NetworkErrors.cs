using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;

namespace IndexTools.Engine.Http
{
    /// <summary>Our read timeout fired (not a caller cancellation).</summary>
    internal sealed class ReadTimeoutException : TimeoutException
    {
        public ReadTimeoutException(TimeSpan timeout, bool connecting = false)
            : base((connecting ? "connect timed out after " : "timed out after ") + FormatSeconds(timeout))
        {
        }

        internal static string FormatSeconds(TimeSpan span)
        {
            var seconds = span.TotalSeconds;
            return (seconds >= 10 || Math.Abs(seconds - Math.Round(seconds)) < 1e-9
                ? Math.Round(seconds).ToString(CultureInfo.InvariantCulture)
                : seconds.ToString("0.###", CultureInfo.InvariantCulture)) + " s";
        }
    }

    /// <summary>A redirect chain that cannot end in a page (a non-HTTP scheme, no Location, too many hops). Becomes Kind = RedirectFailed.</summary>
    internal sealed class RedirectRefusedException : Exception
    {
        public RedirectRefusedException(int statusCode, string message)
            : base(message)
        {
            StatusCode = statusCode;
        }

        public int StatusCode { get; }
    }

    /// <summary>Short, redacted descriptions of network failures, and uv's transient/fatal split (crates/uv-client/src/retry.rs).</summary>
    internal static class NetworkErrors
    {
        /// <summary>
        /// uv retries connection errors, timeouts, resets, broken pipes, unexpected EOF and every reqwest request error
        /// it deems transient; TLS certificate errors are fatal. Everything HttpClient reports as
        /// <see cref="HttpRequestException"/> is a request error here, certificate failures excepted.
        /// </summary>
        public static bool IsTransient(Exception exception)
        {
            if (exception is ReadTimeoutException)
            {
                return true;
            }

            if (IsCertificateError(exception))
            {
                return false;
            }

            return exception is HttpRequestException || exception is IOException;
        }

        /// <summary>A plain sentence without URLs or secrets: "connection refused", "timed out after 30 s", ...</summary>
        public static string Describe(Exception exception)
        {
            if (exception is ReadTimeoutException timeout)
            {
                return timeout.Message;
            }

            if (IsCertificateError(exception))
            {
                return "TLS certificate not trusted";
            }

            for (var current = exception; current != null; current = current.InnerException)
            {
                if (current is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                            return "connection refused";
                        case SocketError.HostNotFound:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.NoRecovery:
                            return "name resolution failed";
                        case SocketError.ConnectionReset:
                            return "connection reset";
                        case SocketError.ConnectionAborted:
                            return "connection aborted";
                        case SocketError.TimedOut:
                            return "connect timed out";
                        case SocketError.NetworkUnreachable:
                        case SocketError.HostUnreachable:
                            return "host unreachable";
                        default:
                            return "socket error (" + socket.SocketErrorCode + ")";
                    }
                }

                if (current is AuthenticationException)
                {
                    return "TLS handshake failed";
                }

                if (current is TimeoutException || current is OperationCanceledException)
                {
                    return "connect timed out";
                }
            }

            if (exception is IOException || exception.InnerException is IOException)
            {
                return "connection closed before the response was complete";
            }

            return "request failed (" + exception.GetType().Name + ")";
        }

        private static bool IsCertificateError(Exception exception)
        {
            for (var current = exception; current != null; current = current.InnerException)
            {
                if (current is AuthenticationException auth
                    && auth.Message.IndexOf("certificate", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
