using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.IndexServer
{
    public sealed class RecordingAndFixtureTests : ServerTestBase
    {
        private const string Password = "never-record-this-pw";

        [Fact]
        public async Task Requests_are_recorded_without_the_password()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { Username = "bob", Password = Password }));
            using var anonymous = await GetAsync(new Uri(host.BaseUrl, "main/simple/Requests/"));
            using var authenticated = await GetAsync(host.ProjectUrl("main", "requests"), authorization: Basic("bob", Password), configure: r => r.Headers.TryAddWithoutValidation("Cookie", "session=" + Password));

            var requests = host.Requests;
            Assert.Equal(2, requests.Count);
            var first = requests[0];
            Assert.Equal("GET", first.Method);
            Assert.Equal("/main/simple/Requests/", first.Path);
            Assert.Equal("main", first.Index);
            Assert.Equal("requests", first.Project);
            Assert.Equal("Requests", first.RawProject);
            Assert.Equal(RequestKind.Project, first.Kind);
            Assert.Equal(UvAccept, first.Accept);
            Assert.False(first.AuthorizationPresent);
            Assert.Null(first.Username);
            Assert.Equal(401, first.ResponseStatus);

            var second = requests[1];
            Assert.True(second.AuthorizationPresent);
            Assert.Equal("Basic", second.AuthorizationScheme);
            Assert.Equal("bob", second.Username);
            Assert.Equal(200, second.ResponseStatus);
            Assert.Equal(RecordedRequest.Redacted, second.Headers["Authorization"]);
            Assert.Equal(RecordedRequest.Redacted, second.Headers["Cookie"]);
            Assert.Contains("127.0.0.1", second.Headers["Host"]);
            Assert.True(first.Sequence < second.Sequence);
            Assert.True(second.EndedAt >= second.StartedAt);

            var everything = string.Join("\n", requests.Select(r => r + "|" + r.Path + "|" + r.Accept + "|" + r.Username + "|" + string.Join(";", r.Headers.Select(h => h.Key + "=" + h.Value))));
            Assert.DoesNotContain(Password, everything);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("bob:" + Password)), everything);
        }

        [Fact]
        public async Task Count_and_clear()
        {
            var index = Requests();
            index.Add("six", "six-1.16.0-py2.py3-none-any.whl");
            await using var host = await StartAsync(index, Requests("other"));
            await GetAsync(host.ProjectUrl("main", "requests"));
            await GetAsync(host.ProjectUrl("main", "six"));
            await GetAsync(host.ProjectUrl("other", "requests"));
            Assert.Equal(3, host.CountRequests());
            Assert.Equal(2, host.CountRequests("main"));
            Assert.Equal(2, host.CountRequests(project: "Requests"));
            Assert.Equal(1, host.CountRequests("main", "SIX"));
            host.ClearRequests();
            Assert.Equal(0, host.CountRequests());
        }

        [Fact]
        public async Task Concurrent_requests_overlap_in_the_record()
        {
            await using var host = await StartAsync(Requests("main", new IndexBehavior { LatencyMs = 400 }), Requests("other", new IndexBehavior { LatencyMs = 400 }));
            using var client = new HttpClient();
            await Task.WhenAll(
                client.GetAsync(host.ProjectUrl("main", "requests")),
                client.GetAsync(host.ProjectUrl("other", "requests")));
            var requests = host.Requests;
            Assert.Equal(2, requests.Count);
            Assert.True(requests[1].StartedAt < requests[0].EndedAt, "the second request started before the first ended");
        }

        [Fact]
        public void Fixture_json_round_trips_files_and_behaviour()
        {
            const string json = """
            {
              "indexes": [
                {
                  "name": "torch",
                  "behavior": { "missingStatus": 404, "profile": "pytorch", "latencyMs": 5, "headers": { "X-Test": "1" } },
                  "packages": {
                    "Torch": [
                      "torch-2.3.1+cpu-cp312-cp312-linux_x86_64.whl",
                      { "filename": "torch-2.3.1.tar.gz", "requires-python": ">=3.8", "yanked": "bad", "upload-time": "2024-06-05T12:00:00Z", "size": 10, "hashes": { "sha256": "abc" } }
                    ]
                  }
                }
              ],
              "peerIndexes": [ { "name": "mirror", "packages": {} } ]
            }
            """;
            var fixture = ServerFixture.FromJson(json);
            var again = ServerFixture.FromJson(fixture.ToJson());
            foreach (var f in new[] { fixture, again })
            {
                var index = Assert.Single(f.Indexes);
                Assert.Equal("torch", index.Name);
                Assert.Equal(2, index.Packages["Torch"].Count);
                var file = index.Files["torch-2.3.1.tar.gz"];
                Assert.Equal(">=3.8", file.RequiresPython);
                Assert.True(file.Yanked);
                Assert.Equal("bad", file.YankedReason);
                Assert.Equal(10, file.Size);
                Assert.Equal("abc", file.Hashes["sha256"]);
                Assert.Equal(new DateTimeOffset(2024, 6, 5, 12, 0, 0, TimeSpan.Zero), file.UploadTime);
                Assert.Equal("pytorch", index.Behavior.Profile);
                Assert.Equal(404, index.Behavior.MissingStatus);
                Assert.Equal("html", index.Behavior.Formats);
                Assert.Equal(5, index.Behavior.LatencyMs);
                Assert.Equal("1", index.Behavior.Headers["x-test"]);
                Assert.False(index.Behavior.IsExplicit(nameof(IndexBehavior.Formats)));
                Assert.Equal("mirror", Assert.Single(f.PeerIndexes).Name);
            }
        }

        [Theory]
        [InlineData("{\"indexes\":[{\"name\":\"a\",\"behavior\":{\"profile\":\"nope\"}}]}")]
        [InlineData("{\"indexes\":[{\"name\":\"a\",\"behavior\":{\"missingStatuss\":403}}]}")]
        [InlineData("{\"indexes\":[{\"name\":\"a\"},{\"name\":\"a\"}]}")]
        [InlineData("{\"indexes\":[{\"name\":\"a/b\"}]}")]
        [InlineData("{\"indexes\":[{\"name\":\"a\",\"behavior\":{\"username\":\"u\",\"anonymousPassThrough\":true,\"passThroughIndex\":\"b\"}}]}")]
        [InlineData("{\"indexs\":[]}")]
        public void Bad_fixtures_are_rejected(string json)
        {
            Assert.ThrowsAny<Exception>(() => ServerFixture.FromJson(json));
        }

        [Fact]
        public void Load_reads_a_file()
        {
            var path = Path.Combine(Path.GetTempPath(), "indexserver-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                File.WriteAllText(path, new ServerFixture().Add(Requests()).ToJson());
                Assert.Equal(3, ServerFixture.Load(path).Indexes[0].Packages["requests"].Count);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task Running_server_is_isolated_from_later_fixture_changes()
        {
            var index = Requests();
            await using var host = await StartAsync(index);
            index.Behavior.MissingStatus = 500;
            index.Add("six", "six-1.16.0-py2.py3-none-any.whl");
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(host.ProjectUrl("main", "six"))).StatusCode);
        }

        [Fact]
        public async Task Demo_fixture_has_the_dependency_confusion_shape()
        {
            var demo = ServerFixture.Demo();
            Assert.Equal(new[] { "internal", "pytorch", "pypi" }, demo.Indexes.Select(i => i.Name).ToArray());
            await using var host = await IndexServerHost.StartAsync(demo);

            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(host.ProjectUrl("internal", "acme-utils"))).StatusCode);
            var internalPage = await (await GetAsync(host.ProjectUrl("internal", "acme-utils"), authorization: Basic("demo", "demo-secret-not-real"))).Content.ReadAsStringAsync();
            Assert.Contains("1.4.1", internalPage);

            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(host.ProjectUrl("pytorch", "acme-utils"))).StatusCode);
            var torch = await (await GetAsync(host.ProjectUrl("pytorch", "torch"))).Content.ReadAsStringAsync();
            Assert.Contains("%2Bcu121", torch);
            Assert.Contains("%2Bcpu", torch);

            var pypi = await (await GetAsync(host.ProjectUrl("pypi", "acme-utils"))).Content.ReadAsStringAsync();
            Assert.Contains("99.0.0", pypi);
            Assert.Contains("2025-01-15", pypi);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.ProjectUrl("pypi", "numpy"))).StatusCode);
        }

        [Fact]
        public async Task Program_prints_index_lines_then_ready_and_stops_when_stdin_closes()
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "IndexTools.IndexServer.dll");
            var portFile = Path.Combine(Path.GetTempPath(), "indexserver-port-" + Guid.NewGuid().ToString("N"));
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--demo");
            start.ArgumentList.Add("--port-file");
            start.ArgumentList.Add(portFile);
            using var process = Process.Start(start)!;
            try
            {
                var lines = new System.Collections.Generic.List<string>();
                string? line;
                while ((line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) != null)
                {
                    lines.Add(line);
                    if (line.StartsWith("READY ", StringComparison.Ordinal))
                    {
                        break;
                    }
                }

                Assert.Equal(new[] { "INDEX internal", "INDEX pytorch", "INDEX pypi" }, lines.Take(3).Select(l => string.Join(" ", l.Split(' ').Take(2))).ToArray());
                var baseUrl = new Uri(lines.Last().Substring("READY ".Length));
                Assert.Equal(baseUrl.AbsoluteUri, File.ReadAllText(portFile).Trim());
                Assert.Equal(new Uri(baseUrl, "pypi/simple/").AbsoluteUri, lines[2].Split(' ')[2]);
                Assert.Equal(HttpStatusCode.OK, (await GetAsync(new Uri(baseUrl, "pypi/simple/requests/"))).StatusCode);
                Assert.DoesNotContain("demo-secret-not-real", string.Join("\n", lines));

                process.StandardInput.Close();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(0, process.ExitCode);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                File.Delete(portFile);
            }
        }
    }
}
