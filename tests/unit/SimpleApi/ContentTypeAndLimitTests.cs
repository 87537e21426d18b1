using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.SimpleApi;
using Xunit;
using static IndexTools.Tests.SimpleApi.PageTestHelpers;

namespace IndexTools.Tests.SimpleApi
{
    public class ContentTypeAndLimitTests
    {
        private const string MinimalJson = "{\"meta\":{\"api-version\":\"1.0\"},\"name\":\"pkg\",\"files\":[{\"filename\":\"pkg-1.0.tar.gz\",\"url\":\"pkg-1.0.tar.gz\",\"hashes\":{}}]}";

        [Theory]
        [InlineData("application/vnd.pypi.simple.v1+json", "json")]
        [InlineData("APPLICATION/VND.PYPI.SIMPLE.V1+JSON", "json")]
        [InlineData("application/vnd.pypi.simple.v1+json; charset=utf-8", "json")]
        [InlineData(" application/vnd.pypi.simple.v1+json ;q=1", "json")]
        [InlineData("application/vnd.pypi.simple.v1+html", "html")]
        [InlineData("text/html", "html")]
        [InlineData("Text/HTML;charset=UTF-8", "html")]
        public void MediaTypeChoosesTheFormat(string contentType, string format)
        {
            var body = format == "json" ? MinimalJson : "<a href=\"pkg-1.0.tar.gz\">pkg-1.0.tar.gz</a>";
            var page = ParseText(body, contentType);
            Assert.Equal(format, page.Format);
            Assert.Equal("https://pypi.org/simple/pkg/pkg-1.0.tar.gz", Single(page).Url);
            Assert.True(ProjectPageParser.IsSupportedContentType(contentType));
        }

        [Theory]
        [InlineData("application/json")]
        [InlineData("application/vnd.pypi.simple.latest+json")]
        [InlineData("application/vnd.pypi.simple.v1+xml")]
        [InlineData("text/plain")]
        [InlineData("application/octet-stream")]
        public void AnotherMediaTypeIsRefused(string contentType)
        {
            var ex = Assert.Throws<ProjectPageFormatException>(() => ParseText(MinimalJson, contentType));
            Assert.StartsWith("unsupported media type", ex.Message);
            Assert.False(ProjectPageParser.IsSupportedContentType(contentType));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData(" ; charset=utf-8")]
        public void AMissingContentTypeIsRefused(string? contentType)
        {
            var ex = Assert.Throws<ProjectPageFormatException>(() => ParseText(MinimalJson, contentType));
            Assert.Contains("no content type", ex.Message);
        }

        [Fact]
        public void APageOverTheLimitIsRefusedForSeekableAndStreamingBodies()
        {
            var bytes = Encoding.UTF8.GetBytes(MinimalJson);
            var url = new Uri("https://pypi.org/simple/pkg/");
            Assert.Single(ProjectPageParser.Parse(new MemoryStream(bytes), JsonType, url, "pkg", bytes.Length).Files);
            Assert.Single(ProjectPageParser.Parse(new TrickleStream(bytes), JsonType, url, "pkg", bytes.Length).Files);

            var seekable = Assert.Throws<ProjectPageFormatException>(() => ProjectPageParser.Parse(new MemoryStream(bytes), JsonType, url, "pkg", bytes.Length - 1));
            Assert.Contains("larger than the limit", seekable.Message);
            var streaming = Assert.Throws<ProjectPageFormatException>(() => ProjectPageParser.Parse(new TrickleStream(bytes), HtmlType, url, "pkg", bytes.Length - 1));
            Assert.Contains("larger than the limit", streaming.Message);
            Assert.Throws<ProjectPageFormatException>(() => ProjectPageParser.Parse(new TrickleStream(bytes), JsonType, url, "pkg", 0));
        }

        [Fact]
        public async Task ParseAsyncReadsStreamingBodiesAndHonoursTheLimit()
        {
            var big = new StringBuilder("{\"files\":[");
            for (var i = 0; i < 5000; i++)
            {
                big.Append(i == 0 ? string.Empty : ",").Append("{\"filename\":\"pkg-").Append(i).Append(".0.tar.gz\",\"url\":\"pkg-").Append(i).Append(".0.tar.gz\",\"hashes\":{\"sha256\":\"").Append(Sha).Append("\"}}");
            }

            var bytes = Encoding.UTF8.GetBytes(big.Append("]}").ToString());
            var url = new Uri("https://pypi.org/simple/pkg/");
            var page = await ProjectPageParser.ParseAsync(new TrickleStream(bytes), JsonType, url, "pkg", bytes.Length, CancellationToken.None);
            Assert.Equal(5000, page.Files.Count);
            Assert.Equal("pkg-4999.0.tar.gz", page.Files[4999].Filename);

            await Assert.ThrowsAsync<ProjectPageFormatException>(() => ProjectPageParser.ParseAsync(new TrickleStream(bytes), JsonType, url, "pkg", 100_000, CancellationToken.None));
            await Assert.ThrowsAsync<ProjectPageFormatException>(() => ProjectPageParser.ParseAsync(new MemoryStream(bytes), "application/json", url, "pkg", ProjectPageParser.DefaultMaxBytes, CancellationToken.None));
        }

        [Fact]
        public async Task ParseAsyncIsCancellable()
        {
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                ProjectPageParser.ParseAsync(new NeverEndingStream(), JsonType, new Uri("https://pypi.org/simple/pkg/"), "pkg", ProjectPageParser.DefaultMaxBytes, cts.Token));
        }

        [Fact]
        public void StreamErrorsAreNotDisguisedAsFormatErrors()
        {
            Assert.Throws<IOException>(() => ProjectPageParser.Parse(new FailingStream(), JsonType, new Uri("https://pypi.org/simple/pkg/"), "pkg"));
        }

        [Fact]
        public void BytesOverloadParsesACachedBody()
        {
            var page = ProjectPageParser.Parse(Encoding.UTF8.GetBytes(MinimalJson), JsonType, new Uri("https://pypi.org/simple/pkg/"), "pkg");
            Assert.Single(page.Files);
        }

        private sealed class NeverEndingStream : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        private sealed class FailingStream : Stream
        {
            private int _reads;
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_reads++ > 0)
                {
                    throw new IOException("connection reset");
                }

                buffer[offset] = (byte)'{';
                return 1;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
