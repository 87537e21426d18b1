using System.IO;
using BenchmarkDotNet.Attributes;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.ParseBench
{
    /// <summary>
    /// <see cref="ProjectPageParser"/> on a ~5 MB PEP 503 page and its PEP 691 JSON twin, from a byte array (a cached
    /// body) and from a stream (a response body; a MemoryStream here, so the figure is the parser's, not the network's).
    /// </summary>
    [MemoryDiagnoser]
    public class ParseBenchmarks
    {
        private byte[] _page = System.Array.Empty<byte>();
        private string _contentType = string.Empty;

        [Params("pypi", "lean")]
        public string Shape { get; set; } = "pypi";

        [Params("html", "json")]
        public string Format { get; set; } = "html";

        [GlobalSetup]
        public void Setup()
        {
            _page = Pages.Get(Shape, Format);
            _contentType = Pages.ContentType(Format);
        }

        [Benchmark(Baseline = true)]
        public ProjectPage Bytes() => ProjectPageParser.Parse(_page, _contentType, Pages.PageUrl, PageGenerator.ProjectName);

        [Benchmark]
        public ProjectPage Stream()
        {
            using var stream = new MemoryStream(_page, false);
            return ProjectPageParser.Parse(stream, _contentType, Pages.PageUrl, PageGenerator.ProjectName);
        }
    }
}
