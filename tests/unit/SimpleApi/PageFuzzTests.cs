using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
using IndexTools.Engine.SimpleApi;
using Xunit;

namespace IndexTools.Tests.SimpleApi
{
    /// <summary>Whatever the bytes, a parse returns or throws ProjectPageFormatException, and never hangs.</summary>
    public class PageFuzzTests
    {
        private static readonly string[] ContentTypes =
        {
            "application/vnd.pypi.simple.v1+json",
            "application/vnd.pypi.simple.v1+html",
            "text/html",
            "text/html; charset=iso-8859-1",
            "text/html; charset=no-such-charset",
        };

        private static readonly byte[] ValidJson = Encoding.UTF8.GetBytes(JsonPageTests.PypiJson);

        private static readonly byte[] ValidHtml = Encoding.UTF8.GetBytes(@"<!DOCTYPE html><html><head>
<meta name=""pypi:repository-version"" content=""1.1""><meta name=""pypi:tracks"" content=""https://pypi.org/simple/x/"">
<base href=""https://files.example/base/""></head><body><!-- <a href=""c-1.0.tar.gz""> --><script>if (a<b) {}</script>
<a href=""/whl/x-1.0%2Bcu121-py3-none-any.whl#sha256=abc"" data-requires-python=""&gt;=3.8"" data-yanked=""r &amp; s"">x</a><br/>
<A HREF='../y-2.0.tar.gz#md5=def' DATA-YANKED data-size=""12"" data-upload-time=""2024-01-02T03:04:05Z"">y</A>
<a href=z-3.0.zip>z</a></body></html>");

        private static readonly Uri PageUrl = new Uri("https://pypi.org/simple/x/");

        [Fact]
        public void RandomBytesNeverThrowAnythingElse()
        {
            Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[0, ContentTypes.Length - 1])
                .Sample((bytes, type) => ParseEachWay(bytes, ContentTypes[type]), iter: 3000);
        }

        [Fact]
        public void RandomTextFromHtmlAndJsonPiecesNeverThrowsAnythingElse()
        {
            var pieces = new[]
            {
                "<", ">", "<a ", "href=", "\"", "'", "=", "#", "sha256=", "egg=", "%", "%FF", "&", "&amp;", "&#", "&#x", ";", "<!--", "-->",
                "<script>", "</script>", "<base href=", "https://h/", "/", "../", "?", "{", "}", "[", "]", ",", ":", "\"files\"", "\"filename\"",
                "\"url\"", "\"hashes\"", "\"size\"", "\"yanked\"", "\"upload-time\"", "null", "true", "1", "-1", "\"2024-01-02T03:04:05Z\"", " ", "\n",
            };
            Gen.Select(Gen.Int[0, pieces.Length - 1].Array[0, 200], Gen.Int[0, ContentTypes.Length - 1])
                .Sample((indexes, type) =>
                {
                    var sb = new StringBuilder();
                    foreach (var index in indexes)
                    {
                        sb.Append(pieces[index]);
                    }

                    ParseEachWay(Encoding.UTF8.GetBytes(sb.ToString()), ContentTypes[type]);
                }, iter: 3000);
        }

        [Fact]
        public void MutationsOfValidPagesNeverThrowAnythingElse()
        {
            var mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Int[1, 64], Gen.Byte.Array[1, 16]);
            Gen.Select(Gen.Bool, mutation.Array[1, 8])
                .Sample((json, mutations) =>
                {
                    var bytes = (byte[])(json ? ValidJson : ValidHtml).Clone();
                    foreach (var (kind, position, length, insert) in mutations)
                    {
                        bytes = Mutate(bytes, kind, position, length, insert);
                    }

                    ParseEachWay(bytes, json ? ContentTypes[0] : ContentTypes[2]);
                }, iter: 3000);
        }

        [Fact]
        public void TheUnmutatedPagesParse()
        {
            Assert.Equal(3, ProjectPageParser.Parse(ValidJson, ContentTypes[0], PageUrl, "x").Files.Count);
            var html = ProjectPageParser.Parse(ValidHtml, ContentTypes[2], PageUrl, "x");
            Assert.Equal(3, html.Files.Count);
            Assert.Equal("https://files.example/whl/x-1.0%2Bcu121-py3-none-any.whl", html.Files[0].Url);
            Assert.Equal("https://files.example/y-2.0.tar.gz", html.Files[1].Url);
        }

        private static byte[] Mutate(byte[] bytes, int kind, int position, int length, byte[] insert)
        {
            var at = bytes.Length == 0 ? 0 : position % bytes.Length;
            switch (kind)
            {
                case 0: // overwrite
                    for (var i = 0; i < insert.Length && at + i < bytes.Length; i++)
                    {
                        bytes[at + i] = insert[i];
                    }

                    return bytes;
                case 1: // insert
                    var inserted = new byte[bytes.Length + insert.Length];
                    Buffer.BlockCopy(bytes, 0, inserted, 0, at);
                    Buffer.BlockCopy(insert, 0, inserted, at, insert.Length);
                    Buffer.BlockCopy(bytes, at, inserted, at + insert.Length, bytes.Length - at);
                    return inserted;
                case 2: // delete
                    var count = Math.Min(length, bytes.Length - at);
                    var deleted = new byte[bytes.Length - count];
                    Buffer.BlockCopy(bytes, 0, deleted, 0, at);
                    Buffer.BlockCopy(bytes, at + count, deleted, at, bytes.Length - at - count);
                    return deleted;
                default: // truncate
                    var truncated = new byte[at];
                    Buffer.BlockCopy(bytes, 0, truncated, 0, at);
                    return truncated;
            }
        }

        private static void ParseEachWay(byte[] bytes, string contentType)
        {
            Expect(() => ProjectPageParser.Parse(new MemoryStream(bytes), contentType, PageUrl, "x", 2048));
            Expect(() => ProjectPageParser.ParseAsync(new MemoryStream(bytes), contentType, PageUrl, "x", ProjectPageParser.DefaultMaxBytes, default).GetAwaiter().GetResult());
            Expect(() => FlatIndexReader.ParseHtml(new MemoryStream(bytes), PageUrl));
        }

        private static void Expect(Func<object> parse)
        {
            var task = Task.Run(() =>
            {
                try
                {
                    var result = parse();
                    Assert.NotNull(result);
                }
                catch (ProjectPageFormatException ex)
                {
                    Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                }
            });
            if (!task.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("a parse did not return within 10 s");
            }
        }
    }
}
