using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.IndexServer
{
    /// <summary>What benchmarks need from the server as a process: request counts over HTTP, and wheels pip can read.</summary>
    public sealed class ControlAndWheelTests
    {
        [Fact]
        public async Task The_control_route_counts_requests_by_status_and_clears_them()
        {
            var fixture = new ServerFixture().Add(new IndexFixture("pypi").Add("requests", "requests-2.31.0-py3-none-any.whl"));
            await using var host = await IndexServerHost.StartAsync(fixture);
            using var client = new HttpClient();

            await client.GetAsync(host.ProjectUrl("pypi", "requests"));
            await client.GetAsync(host.ProjectUrl("pypi", "missing"));
            var counts = JsonDocument.Parse(await client.GetStringAsync(new System.Uri(host.BaseUrl, "_control/requests"))).RootElement;

            Assert.Equal(2, counts.GetProperty("total").GetInt32());
            Assert.Equal(1, counts.GetProperty("byStatus").GetProperty("200").GetInt32());
            Assert.Equal(1, counts.GetProperty("byStatus").GetProperty("404").GetInt32());

            var cleared = await client.DeleteAsync(new System.Uri(host.BaseUrl, "_control/requests"));
            Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
            Assert.Equal(0, host.CountRequests());
        }

        [Fact]
        public void A_wheel_body_is_a_real_wheel_with_metadata_matching_its_name_and_hash()
        {
            var body = PackageFile.FakeBody("acme_utils-1.2.0-py3-none-any.whl");
            using var zip = new ZipArchive(new MemoryStream(body));
            var metadata = zip.GetEntry("acme_utils-1.2.0.dist-info/METADATA");

            Assert.NotNull(metadata);
            using var reader = new StreamReader(metadata!.Open());
            var text = reader.ReadToEnd();
            Assert.Contains("Name: acme-utils", text);
            Assert.Contains("Version: 1.2.0", text);
            Assert.Contains("acme_utils-1.2.0.dist-info/WHEEL", zip.Entries.Select(e => e.FullName));
            Assert.Equal(body, PackageFile.FakeBody("acme_utils-1.2.0-py3-none-any.whl"));
            using var sha = System.Security.Cryptography.SHA256.Create();
            Assert.Equal(System.Convert.ToHexString(sha.ComputeHash(body)).ToLowerInvariant(), PackageFile.DefaultSha256("acme_utils-1.2.0-py3-none-any.whl"));
        }
    }
}
