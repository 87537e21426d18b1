using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Http;
using IndexTools.Engine.SimpleApi;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace IndexTools.Tests.Http
{
    /// <summary>Issue 20.1, 20.9, 20.10: bodies that lie about their encoding, trickle, or grow without a length.</summary>
    public sealed class HostileBodyTests
    {
        private static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            new Random(20).NextBytes(bytes);
            return bytes;
        }

        [Theory]
        [InlineData("gzip")]
        [InlineData("deflate")]
        [InlineData("br")]
        [InlineData("gzip, br")]
        public async Task RandomBytesUnderAnyContentEncodingAreUnreadableNotAThrow(string encoding)
        {
            await using var server = await RecordingServer.StartAsync(async (c, n) =>
            {
                c.Response.ContentType = "application/vnd.pypi.simple.v1+json";
                c.Response.Headers["Content-Encoding"] = encoding;
                await c.Response.Body.WriteAsync(RandomBytes(4096));
            });
            using var t = new TestClient(configure: s => s.Retries = 0);
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);

            Assert.Equal(PageResponseKind.Unreadable, response.Kind);
            Assert.Equal(200, response.StatusCode);
            Assert.Contains("Content-Encoding", response.Error);
            Assert.Null(response.Page);
        }

        [Fact]
        public async Task ARealGzipPageIsStillRead()
        {
            var json = RecordingServer.PageJson("demo", "demo-1.0-py3-none-any.whl");
            await using var server = await RecordingServer.StartAsync(async (c, n) =>
            {
                c.Response.ContentType = "application/vnd.pypi.simple.v1+json";
                c.Response.Headers["Content-Encoding"] = "gzip";
                using var memory = new MemoryStream();
                using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
                {
                    gzip.Write(System.Text.Encoding.UTF8.GetBytes(json));
                }

                await c.Response.Body.WriteAsync(memory.ToArray());
            });
            using var t = new TestClient();
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);
            Assert.Equal(PageResponseKind.Page, response.Kind);
            Assert.Single(response.Page!.Files);
        }

        [Fact]
        public async Task AChunkedGzipBombStopsAtThePageLimit()
        {
            // 64 MiB of spaces compress to a few hundred KiB; sent chunked (no Content-Length), limit 1 MiB.
            byte[] bomb;
            using (var memory = new MemoryStream())
            {
                using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
                {
                    var spaces = new byte[1024 * 1024];
                    spaces.AsSpan().Fill((byte)' ');
                    for (var i = 0; i < 64; i++)
                    {
                        gzip.Write(spaces);
                    }
                }

                bomb = memory.ToArray();
            }

            await using var server = await RecordingServer.StartAsync(async (c, n) =>
            {
                c.Response.ContentType = "text/html";
                c.Response.Headers["Content-Encoding"] = "gzip";
                for (var offset = 0; offset < bomb.Length; offset += 8192)
                {
                    await c.Response.Body.WriteAsync(bomb.AsMemory(offset, Math.Min(8192, bomb.Length - offset)));
                }
            });
            using var t = new TestClient(configure: s => s.MaxPageBytes = 1024 * 1024);
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", CancellationToken.None);
            Assert.Equal(PageResponseKind.Unreadable, response.Kind);
            Assert.Contains("larger than 1048576 bytes", response.Error);
        }

        [Fact]
        public async Task ABodyTrickledAtOneBytePerSecondEndsAtTheDeadlineAndSaysSo()
        {
            // Each byte arrives well within the 2 s read timeout, so only the overall deadline can end it:
            // 2 s × (0 retries + 2) = 4 s, instead of the 2,000 s the page would take.
            await using var server = await RecordingServer.StartAsync(async (c, n) =>
            {
                c.Response.ContentType = "application/vnd.pypi.simple.v1+json";
                c.Response.ContentLength = 2000;
                for (var i = 0; i < 2000 && !c.RequestAborted.IsCancellationRequested; i++)
                {
                    await c.Response.Body.WriteAsync(new[] { (byte)' ' }, c.RequestAborted);
                    await c.Response.Body.FlushAsync(c.RequestAborted);
                    await Task.Delay(1000, c.RequestAborted);
                }
            });
            using var t = new TestClient(configure: s =>
            {
                s.Retries = 0;
                s.Timeout = TimeSpan.FromSeconds(2);
            });
            Assert.Equal(TimeSpan.FromSeconds(4), t.Settings.EffectiveRequestDeadline);
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var response = await t.Client.GetProjectPageAsync(TestClient.Index(server.Url("simple").AbsoluteUri), "demo", guard.Token);

            Assert.False(guard.IsCancellationRequested);
            Assert.Equal(PageResponseKind.NetworkError, response.Kind);
            Assert.Contains("request deadline of 4 s", response.Error);
        }

        [Fact]
        public void TheDefaultDeadlineIsTheTimeoutTimesRetriesPlusTwo()
        {
            var settings = new HttpSettings();
            Assert.Equal(TimeSpan.FromSeconds(150), settings.EffectiveRequestDeadline);
            settings.RequestDeadline = TimeSpan.FromSeconds(7);
            Assert.Equal(TimeSpan.FromSeconds(7), settings.EffectiveRequestDeadline);
            settings.RequestDeadline = null;
            settings.Timeout = Timeout.InfiniteTimeSpan;
            Assert.Equal(Timeout.InfiniteTimeSpan, settings.EffectiveRequestDeadline);
        }

        [Fact]
        public async Task LargeBodiesTakeTheGateOneAtATimeAndFreeItWhenDisposed()
        {
            var gate = new LargeBodyGate(smallBodyBytes: 1024, slots: 1);
            using var first = await PageBuffer.ReadAsync(new MemoryStream(new byte[10_000]), 1_000_000, null, null, CancellationToken.None, gate, null);
            Assert.Equal(10_000, first.Length);
            Assert.Equal(0, gate.Available);

            // A small body never waits; a second large one waits until the first is disposed.
            using (var small = await PageBuffer.ReadAsync(new MemoryStream(new byte[500]), 1_000_000, 500, null, CancellationToken.None, gate, null))
            {
                Assert.Equal(500, small.Length);
            }

            var waited = 0;
            var second = PageBuffer.ReadAsync(new MemoryStream(new byte[20_000]), 1_000_000, 20_000, null, CancellationToken.None, gate, () => waited++);
            await Task.Delay(200);
            Assert.False(second.IsCompleted);
            Assert.Equal(1, waited);
            first.Dispose();
            using var secondBuffer = await second;
            Assert.Equal(20_000, secondBuffer.Length);
            secondBuffer.Dispose();
            Assert.Equal(1, gate.Available);

            // Over the limit inside the gate: refused, and the slot is freed.
            await Assert.ThrowsAsync<ProjectPageFormatException>(() => PageBuffer.ReadAsync(new MemoryStream(new byte[5000]), 3000, null, null, CancellationToken.None, gate, null));
            Assert.Equal(1, gate.Available);
        }
    }
}
