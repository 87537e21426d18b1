using System;
using System.IO;
using IndexTools.Engine.SimpleApi;
using Xunit;

namespace IndexTools.Tests.Fuzz
{
    /// <summary>
    /// The html target's one afl "crash" (5-minute run): the fork server's child died once on this input, 191 s into
    /// the run. It does not reproduce — not in a fresh process, not under afl with the instrumented engine, not after
    /// replaying the whole queue in one process — so it is kept as a regression input: the page must keep parsing,
    /// through both overloads and with every content type the harness uses.
    /// </summary>
    public sealed class HtmlPageFuzzFindingTests
    {
        // afl's id:000000, without its first byte (the harness's content-type selector 0x03: "text/html; charset=iso-8859-1").
        private static readonly byte[] Input =
        {
            0x5a, 0x61, 0x20, 0x38, 0xff, 0x3c, 0x61, 0x20, 0x29, 0xff, 0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3e, 0x03,
            0xff, 0xff, 0x7f, 0xff, 0x69, 0x70, 0x74, 0x3e, 0x03, 0x3c, 0x62, 0x61, 0x73, 0x65,
        };

        private static readonly Uri PageUrl = new Uri("https://example.com/simple/example-pkg/");

        [Theory]
        [InlineData("text/html; charset=iso-8859-1")]
        [InlineData("text/html")]
        [InlineData("text/html; charset=utf-16")]
        [InlineData(ProjectPageParser.HtmlMediaType)]
        public void The_page_parses_to_no_files(string contentType)
        {
            var fromBytes = ProjectPageParser.Parse(Input, contentType, PageUrl, "example-pkg");
            var fromStream = ProjectPageParser.Parse(new MemoryStream(Input), contentType, PageUrl, "example-pkg");

            // "<a )" has no href and the rest is an unclosed <script>: no links at all.
            Assert.Empty(fromBytes.Files);
            Assert.Empty(fromStream.Files);
            Assert.Equal("html", fromBytes.Format);
        }

        [Fact]
        public void The_flat_reader_reads_no_files_from_it()
        {
            Assert.Empty(FlatIndexReader.ParseHtml(new MemoryStream(Input), PageUrl));
        }
    }
}
