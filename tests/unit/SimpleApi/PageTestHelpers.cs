using System;
using System.IO;
using System.Linq;
using System.Text;
using IndexTools.Engine.SimpleApi;
using Xunit;

namespace IndexTools.Tests.SimpleApi
{
    internal static class PageTestHelpers
    {
        internal const string JsonType = "application/vnd.pypi.simple.v1+json";
        internal const string HtmlType = "text/html; charset=utf-8";
        internal const string Sha = "6088930bfe239f0e6710546ab9c19c9ef35e29792895fed6e6e31a023a182a61";

        internal static ProjectPage ParseText(string body, string? contentType, string pageUrl = "https://pypi.org/simple/pkg/", string name = "pkg") =>
            ProjectPageParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(body)), contentType, new Uri(pageUrl), name);

        internal static ProjectPage Html(string body, string pageUrl = "https://pypi.org/simple/pkg/") => ParseText(body, HtmlType, pageUrl);

        internal static ProjectPage JsonPage(string body, string pageUrl = "https://pypi.org/simple/pkg/") => ParseText(body, JsonType, pageUrl);

        internal static DistributionFile Single(ProjectPage page) => Assert.Single(page.Files);

        internal static DistributionFile File(ProjectPage page, string filename) => page.Files.Single(f => f.Filename == filename);

        /// <summary>Single anchor in a minimal page.</summary>
        internal static DistributionFile Anchor(string attributes, string text = "x", string pageUrl = "https://pypi.org/simple/pkg/") =>
            Single(Html($"<html><body><a {attributes}>{text}</a></body></html>", pageUrl));

        /// <summary>A stream that cannot seek and hands out a few bytes per read, like a network body.</summary>
        internal sealed class TrickleStream : Stream
        {
            private readonly byte[] _data;
            private int _position;

            internal TrickleStream(byte[] data)
            {
                _data = data;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                var n = Math.Min(Math.Min(count, 7919), _data.Length - _position);
                Array.Copy(_data, _position, buffer, offset, n);
                _position += n;
                return n;
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
