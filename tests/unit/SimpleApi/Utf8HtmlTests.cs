using System;
using System.IO;
using System.Linq;
using System.Text;
using IndexTools.Engine.SimpleApi;
using Xunit;
using static IndexTools.Tests.SimpleApi.PageTestHelpers;

namespace IndexTools.Tests.SimpleApi
{
    /// <summary>The HTML reader works on the UTF-8 bytes; these pin what decoding the whole page first would give.</summary>
    public class Utf8HtmlTests
    {
        private static readonly Uri PageUrl = new Uri("https://h.example/simple/pkg/");

        private static ProjectPage ParseBytes(byte[] body, string contentType = "text/html") =>
            ProjectPageParser.Parse(body, contentType, PageUrl, "pkg");

        private static byte[] Concat(params object[] parts) =>
            parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p).ToArray();

        [Fact]
        public void InvalidUtf8InsideAnHrefBecomesReplacementCharactersAsInTheDecodedText()
        {
            // A lone continuation byte, a truncated 3-byte sequence before '/', and one at the end of the path.
            var body = Concat("<a href=\"https://f.example/d", new byte[] { 0x80 }, "x", new byte[] { 0xE2, 0x82 }, "/pkg-1.0", new byte[] { 0xC3 }, ".tar.gz#sha256=", Sha, "\">x</a>");
            var file = Single(ParseBytes(body));
            Assert.Equal("pkg-1.0\uFFFD.tar.gz", file.Filename);
            Assert.Equal("https://f.example/d\uFFFDx\uFFFD/pkg-1.0\uFFFD.tar.gz", file.Url);
            Assert.Equal(Sha, file.Hashes["sha256"]);

            // The same bytes decoded up front (a non-UTF-8 path through text) give the same file.
            var expected = Encoding.UTF8.GetString(body);
            Assert.Equal(file.Url, Single(ParseBytes(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(expected)).ToArray())).Url);
        }

        [Fact]
        public void InvalidUtf8NextToPercentEscapesIsLossyButEscapedInvalidUtf8FailsThePage()
        {
            var lossy = Single(ParseBytes(Concat("<a href=\"/p/caf", new byte[] { 0xE9 }, "%2Bx-1.0.tar.gz\">x</a>")));
            Assert.Equal("caf\uFFFD+x-1.0.tar.gz", lossy.Filename);
            Assert.Throws<ProjectPageFormatException>(() => ParseBytes(Concat("<a href=\"/p/caf%E9-1.0.tar.gz\">x</a>")));
        }

        [Fact]
        public void NonAsciiTextAroundTheMarkupDoesNotMoveTheTags()
        {
            var page = Html("<p>Liens pour « pkg » — 日本語 😀</p><a href=\"https://f.example/p/na\u00efve-1.0.tar.gz#sha256=" + Sha + "\" data-yanked=\"cassé &amp; remplacé\">naïve</a>");
            var file = Single(page);
            Assert.Equal("na\u00efve-1.0.tar.gz", file.Filename);
            Assert.Equal("https://f.example/p/na\u00efve-1.0.tar.gz", file.Url);
            Assert.Equal("cassé & remplacé", file.YankedReason);
        }

        [Fact]
        public void ByteOrderMarksAndCharsetsChooseTheDecoding()
        {
            const string Text = "<a href=\"/p/caf\u00e9-1.0.tar.gz\" data-requires-python=\"&gt;=3.8\">x</a>";
            var utf8Bom = Concat(new byte[] { 0xEF, 0xBB, 0xBF }, Text);
            Assert.Equal("caf\u00e9-1.0.tar.gz", Single(ParseBytes(utf8Bom, "text/html; charset=iso-8859-1")).Filename);

            var utf16Le = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Text)).ToArray();
            var utf16Be = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(Text)).ToArray();
            foreach (var body in new[] { utf16Le, utf16Be })
            {
                var file = Single(ParseBytes(body));
                Assert.Equal("caf\u00e9-1.0.tar.gz", file.Filename);
                Assert.Equal(">=3.8", file.RequiresPython);
            }

            // An unknown charset is read as UTF-8.
            Assert.Equal("caf\u00e9-1.0.tar.gz", Single(ParseBytes(Encoding.UTF8.GetBytes(Text), "text/html; charset=x-no-such")).Filename);
        }

        [Fact]
        public void FragmentsThatAreNotPlainAsciiTakeTheTextPath()
        {
            Assert.Empty(Anchor("href=\"a-1.0.tar.gz#\u00a0\"").Hashes);
            Assert.Empty(Anchor("href=\"a-1.0.tar.gz#r\u00e9sum\u00e9\"").Hashes);
            var ex = Assert.Throws<ProjectPageFormatException>(() => Anchor("href=\"a-1.0.tar.gz#sh\u00e4256=abc\""));
            Assert.Contains("sh\u00e4256", ex.Message);
            Assert.Equal("abc", Anchor("href=\"a-1.0.tar.gz#sha256=%61bc\"").Hashes["sha256"]);
            Assert.Equal("abc", Anchor("href=\"a-1.0.tar.gz&#35;sha256=abc\"").Hashes["sha256"]);
        }

        [Fact]
        public void OnlyAsciiLettersFoldInTagAndAttributeNames()
        {
            // U+017F (long s) upper-cases to 'S' in .NET, but HTML lowercases ASCII only: <ſcript> is not a script.
            var page = Html("<\u017Fcript><a href=\"seen-1.0.tar.gz\" DATA-REQUIRES-PYTHON=\"&gt;=3.9\" data-requireſ-python=\"no\">x</a>");
            var file = Single(page);
            Assert.Equal("seen-1.0.tar.gz", file.Filename);
            Assert.Equal(">=3.9", file.RequiresPython);
        }

        [Fact]
        public void RepeatedValuesAreSharedAndTheFirstAttributeOfANameCounts()
        {
            var page = Html("<a href=\"a-1.0.tar.gz\" data-requires-python=\"&gt;=3.8\" data-yanked=\"bad\">a</a>"
                + "<a href=\"b-1.0.tar.gz\" data-requires-python=\"&gt;=3.8\" data-yanked=\"bad\" data-size=\"1\" data-size=\"2\">b</a>"
                + "<a href=\"c-1.0.tar.gz\" href=\"d-1.0.tar.gz\" data-size=\"&#49;2\" data-upload-time=\"2024-01-02T03:04:05&#90;\">c</a>");
            var a = File(page, "a-1.0.tar.gz");
            var b = File(page, "b-1.0.tar.gz");
            Assert.Same(a.RequiresPython, b.RequiresPython);
            Assert.Same(a.YankedReason, b.YankedReason);
            Assert.Equal(1, b.Size);
            var c = File(page, "c-1.0.tar.gz");
            Assert.Equal(12, c.Size);
            Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), c.UploadTime);
        }

        [Theory]
        [InlineData("9223372036854775807", 9223372036854775807L)]
        [InlineData("0012", 12L)]
        [InlineData("9223372036854775808", null)]
        [InlineData("18446744073709551616", null)]
        [InlineData("+1", null)]
        [InlineData(" 1", null)]
        [InlineData("", null)]
        public void SizeIsDigitsUpToLongMaxValue(string raw, long? expected)
        {
            Assert.Equal(expected, Anchor($"href=\"a-1.0.tar.gz\" data-size=\"{raw}\"").Size);
        }

        [Fact]
        public void AStableSortKeepsPageOrderForEqualFilenames()
        {
            // Enough links for the merge path, in reverse order, each name twice with different URLs.
            var sb = new StringBuilder();
            for (var i = 99; i >= 0; i--)
            {
                sb.Append($"<a href=\"/one/p-{i:D3}.tar.gz\">x</a><a href=\"/two/p-{i:D3}.tar.gz\">x</a>");
            }

            var files = Html(sb.ToString()).Files;
            Assert.Equal(200, files.Count);
            for (var i = 0; i < 100; i++)
            {
                Assert.Equal($"p-{i:D3}.tar.gz", files[2 * i].Filename);
                Assert.Equal($"https://pypi.org/one/p-{i:D3}.tar.gz", files[2 * i].Url);
                Assert.Equal($"https://pypi.org/two/p-{i:D3}.tar.gz", files[(2 * i) + 1].Url);
            }
        }

        [Theory]
        [InlineData(17)]
        [InlineData(1000)]
        [InlineData(4099)]
        public void TheSortMatchesAStableOrdinalSortOfThePage(int count)
        {
            var random = new Random(count);
            var sb = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                // Few distinct names, so many ties whose page order must survive.
                sb.Append($"<a href=\"/n{i}/p-{random.Next(count / 4 + 1)}.tar.gz\">x</a>\n");
            }

            var files = Html(sb.ToString()).Files;
            var expected = Enumerable.Range(0, count)
                .Select(i => files.Single(f => f.Url.Contains($"/n{i}/", StringComparison.Ordinal)))
                .OrderBy(f => f.Filename, StringComparer.Ordinal)
                .Select(f => f.Url);
            Assert.Equal(expected, files.Select(f => f.Url));
        }

        [Fact]
        public void ALocalHtmlFileMustBeStrictUtf8()
        {
            var folder = Directory.CreateTempSubdirectory("indextools-utf8-");
            try
            {
                var good = Path.Combine(folder.FullName, "good.html");
                System.IO.File.WriteAllBytes(good, Concat(new byte[] { 0xEF, 0xBB, 0xBF }, "<a href=\"caf\u00e9-1.0.tar.gz\">x</a>"));
                Assert.Equal("caf\u00e9-1.0.tar.gz", Assert.Single(FlatIndexReader.ReadLocal(good)).Filename);

                var bad = Path.Combine(folder.FullName, "bad.html");
                System.IO.File.WriteAllBytes(bad, Concat("<a href=\"caf", new byte[] { 0xE9 }, "-1.0.tar.gz\">x</a>"));
                Assert.Throws<ProjectPageFormatException>(() => FlatIndexReader.ReadLocal(bad));
            }
            finally
            {
                folder.Delete(true);
            }
        }
    }
}
