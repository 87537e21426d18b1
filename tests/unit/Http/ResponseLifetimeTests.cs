using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Http;
using IndexTools.Engine.Search;
using IndexTools.Engine.SimpleApi;
using IndexTools.IndexServer;
using IndexTools.Tests.Search;
using Xunit;

namespace IndexTools.Tests.Http
{
    /// <summary>
    /// Response bodies live in pooled arrays (BufferingHandler → BufferedBody → parsed in place), and connections live in
    /// the client's handlers until it is disposed. An array handed back to the pool while its page is still being read,
    /// or handed back twice, would give one package another's page: these tests resolve many packages at once whose pages
    /// differ in size and content, and count the sockets left open once the client is disposed.
    /// </summary>
    public class ResponseLifetimeTests
    {
        [Fact]
        public async Task ManyConcurrentPagesOfDifferentSizesEachParseToTheirOwnFiles()
        {
            var index = new IndexFixture { Name = "pypi" };
            var expected = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < 300; i++)
            {
                // From one file (a few hundred bytes) to 400 files (~50 KB): arrays of many pool sizes, reused across pages.
                var releases = 1 + ((i * 37) % 400);
                var name = "pkg" + i;
                index.Packages[name] = Enumerable.Range(0, releases).Select(k => name + "-" + i + "." + k + ".0-py3-none-any.whl").ToList();
                expected[name] = i + "." + (releases - 1) + ".0";
            }

            await using var h = await SearchHarness.StartAsync(index);
            var search = h.Search(SearchHarness.Settings(IndexTools.IndexStrategy.FirstIndex, h.Index("pypi")), options: new SearchOptions { Concurrency = 50 });

            for (var round = 0; round < 2; round++)
            {
                var seen = 0;
                await foreach (var r in search.ResolveManyAsync(expected.Keys.ToList(), CancellationToken.None))
                {
                    Assert.True(r.Resolved, r.Package + ": " + r.StopReason + " " + r.Hint);
                    Assert.Equal(expected[r.Package], r.Version);
                    seen++;
                }

                Assert.Equal(300, seen);
            }
        }

        [Fact]
        public async Task DisposingTheClientClosesItsConnections()
        {
            if (!OperatingSystem.IsLinux())
            {
                return; // counts the process's sockets in /proc/self/fd
            }

            var index = new IndexFixture { Name = "pypi" };
            for (var i = 0; i < 60; i++)
            {
                index.Packages["pkg" + i] = new List<string> { "pkg" + i + "-1.0.0-py3-none-any.whl" };
            }

            index.Behavior.LatencyMs = 20; // so that many requests are in flight at once: many connections
            await using var h = await SearchHarness.StartAsync(index);
            var port = h.Server.IndexUrl("pypi").Port;
            var baseline = OpenSockets(port);
            var client = new SimpleApiClient(SearchHarness.FastHttp(), new IndexTools.Engine.Credentials.CredentialProvider(SearchHarness.Environment()));
            var search = new IndexSearch(SearchHarness.Settings(IndexTools.IndexStrategy.FirstIndex, h.Index("pypi")), client, new SearchOptions { Concurrency = 20 });
            await foreach (var r in search.ResolveManyAsync(index.Packages.Keys.ToList(), CancellationToken.None))
            {
                Assert.True(r.Resolved);
            }

            var during = OpenSockets(port);
            Assert.True(during >= baseline + 20, $"expected the client's connections to be open: {baseline} before, {during} after");

            client.Dispose();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            var after = OpenSockets(port);
            while (after > baseline && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
                after = OpenSockets(port);
            }

            // Both ends of every connection live in this process (the server is in-process): all of them are gone.
            // Only this test's server's connections are counted: other tests running at the same time (the pip oracle's
            // server, for one) open and close sockets of their own.
            Assert.True(after <= baseline, $"{after - baseline} sockets still open after Dispose ({baseline} before, {during} while in use)");
        }

        /// <summary>The sockets this process holds open (a descriptor in /proc/self/fd) whose TCP connection has the given
        /// port at either end: the server's listener and accepted connections, and the client's connections to it.</summary>
        private static int OpenSockets(int port)
        {
            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var f in new DirectoryInfo("/proc/self/fd").GetFileSystemInfos())
            {
                try
                {
                    var target = f.LinkTarget;
                    if (target != null && target.StartsWith("socket:[", StringComparison.Ordinal))
                    {
                        held.Add(target.Substring(8).TrimEnd(']'));
                    }
                }
                catch (IOException)
                {
                    // closed while being listed
                }
            }

            var count = 0;
            foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            {
                if (!File.Exists(table))
                {
                    continue;
                }

                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 9 && held.Contains(fields[9]) && (PortOf(fields[1]) == port || PortOf(fields[2]) == port))
                    {
                        count++;
                    }
                }
            }

            return count;
        }

        private static int PortOf(string address) =>
            int.Parse(address.Substring(address.LastIndexOf(':') + 1), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

        [Fact]
        public async Task TheBodyReadsAsAMemoryStreamOverItsArrayAndIsGoneOnceDisposed()
        {
            var bytes = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
            var buffer = await PageBuffer.ReadAsync(new MemoryStream(bytes), 10_000, bytes.Length, null, CancellationToken.None);
            var content = new BufferedBody(buffer);

            Assert.Equal(1000, content.Headers.ContentLength);
            using (var stream = await content.ReadAsStreamAsync())
            {
                var memory = Assert.IsType<MemoryStream>(stream);
                Assert.True(memory.TryGetBuffer(out var segment));
                Assert.Equal(0, segment.Offset);
                Assert.Equal(bytes, segment.ToArray());
            }

            content.Dispose();
            content.Dispose();
            Assert.Throws<ObjectDisposedException>(() => buffer.Array);
        }

        [Fact]
        public async Task ADeclaredLengthOverTheLimitIsRefusedBeforeReading()
        {
            var read = new CountingStream(new MemoryStream(new byte[100]));
            await Assert.ThrowsAsync<ProjectPageFormatException>(() => PageBuffer.ReadAsync(read, 50, 100, null, CancellationToken.None));
            Assert.Equal(0, read.Reads);
        }

        [Fact]
        public async Task ABodyLongerThanTheLimitIsRefusedWhileReading()
        {
            var calls = 0;
            await Assert.ThrowsAsync<ProjectPageFormatException>(() => PageBuffer.ReadAsync(new CountingStream(new MemoryStream(new byte[5000])), 1000, null, () => calls++, CancellationToken.None));
            Assert.True(calls >= 1);
        }

        private sealed class CountingStream : Stream
        {
            private readonly Stream _inner;

            public CountingStream(Stream inner) => _inner = inner;

            public int Reads { get; private set; }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush()
            {
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                Reads++;
                return _inner.Read(buffer, offset, count);
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
