using System.Net;
using System.Net.Sockets;

namespace IndexTools.Tests.Search
{
    internal static class TestPorts
    {
        /// <summary>A loopback URL on a port that was free a moment ago and has nothing listening (connection refused).</summary>
        public static string ClosedLoopbackUrl()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return "http://127.0.0.1:" + port + "/simple/";
        }
    }
}
