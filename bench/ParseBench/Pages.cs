using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.ParseBench
{
    /// <summary>The generated pages, built once per process and shape.</summary>
    internal static class Pages
    {
        internal const string HtmlContentType = "text/html; charset=utf-8";
        internal static readonly Uri PageUrl = new Uri("https://pypi.org/simple/fastnum/");

        private static readonly ConcurrentDictionary<string, (byte[] Html, byte[] Json, int Files)> Cache =
            new ConcurrentDictionary<string, (byte[], byte[], int)>();

        internal static byte[] Get(string shape, string format)
        {
            var pages = Cache.GetOrAdd(shape, Build);
            return format == "json" ? pages.Json : pages.Html;
        }

        internal static int FileCount(string shape) => Cache.GetOrAdd(shape, Build).Files;

        internal static string ContentType(string format) => format == "json" ? ProjectPageParser.JsonMediaType : HtmlContentType;

        private static (byte[], byte[], int) Build(string shape)
        {
            var files = PageGenerator.Files(shape);
            return (Encoding.UTF8.GetBytes(PageGenerator.Html(files)), Encoding.UTF8.GetBytes(PageGenerator.Json(files)), files.Count);
        }

        /// <summary>
        /// Parses both pages of a shape and checks that they describe the same files as the generator made them;
        /// returns a line of figures, throws when the twins disagree (a benchmark of a wrong parse is worthless).
        /// </summary>
        internal static string Check(string shape)
        {
            var expected = PageGenerator.Files(shape).OrderBy(f => f.Filename, StringComparer.Ordinal).ToList();
            var html = ProjectPageParser.Parse(Get(shape, "html"), ContentType("html"), PageUrl, PageGenerator.ProjectName);
            var json = ProjectPageParser.Parse(Get(shape, "json"), ContentType("json"), PageUrl, PageGenerator.ProjectName);
            if (html.Files.Count != expected.Count || json.Files.Count != expected.Count)
            {
                throw new InvalidOperationException($"{shape}: expected {expected.Count} files, HTML gave {html.Files.Count}, JSON {json.Files.Count}");
            }

            var jsonByName = json.Files.ToDictionary(f => f.Filename, StringComparer.Ordinal);
            for (var i = 0; i < expected.Count; i++)
            {
                var want = expected[i];
                var fromHtml = html.Files[i];
                var fromJson = jsonByName[want.Filename];
                foreach (var (format, got) in new[] { ("html", fromHtml), ("json", fromJson) })
                {
                    var same = got.Filename == want.Filename && got.Url == want.Url
                        && got.Hashes.Count == 1 && got.Hashes["sha256"] == want.Sha256
                        && got.RequiresPython == want.RequiresPython && got.Yanked == want.Yanked && (got.YankedReason ?? string.Empty) == (want.YankedReason ?? string.Empty);
                    if (!same)
                    {
                        throw new InvalidOperationException($"{shape}/{format}: file {want.Filename} was read as {got.Filename} {got.Url} {got.RequiresPython} {got.Yanked} '{got.YankedReason}'");
                    }
                }

                if (fromJson.Size != want.Size || fromJson.UploadTime != want.UploadTime)
                {
                    throw new InvalidOperationException($"{shape}/json: file {want.Filename} has the wrong size or upload-time");
                }
            }

            return $"{shape}: {expected.Count} files; HTML {Get(shape, "html").Length:N0} bytes, JSON {Get(shape, "json").Length:N0} bytes; both parse to the same files";
        }
    }
}
