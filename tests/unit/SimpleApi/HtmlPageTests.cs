using System;
using System.IO;
using System.Linq;
using System.Text;
using IndexTools.Engine.SimpleApi;
using Xunit;
using static IndexTools.Tests.SimpleApi.PageTestHelpers;

namespace IndexTools.Tests.SimpleApi
{
    public class HtmlPageTests
    {
        [Fact]
        public void PypiHtmlPage()
        {
            // Shaped like https://pypi.org/simple/pepy/ served as HTML.
            var page = Html(@"<!DOCTYPE html>
<html lang=""en"">
  <head>
    <meta name=""pypi:repository-version"" content=""1.4"">
<meta name=""pypi:project-status"" content=""archived"">    <title>Links for pepy</title>
  </head>
  <body>
    <h1>Links for pepy</h1>
<a href=""https://files.pythonhosted.org/packages/78/7e/123d/pepy-2.1.1.tar.gz#sha256=cec463c444b71d1664229121897b22df753dc91fabb2113d1c89992638c90829"" data-requires-python=""&gt;=3.7"" data-dist-info-metadata=""sha256=abc"" data-core-metadata=""sha256=abc"">pepy-2.1.1.tar.gz</a><br />
<a href=""https://files.pythonhosted.org/packages/aa/bb/pepy-2.1.0-py3-none-any.whl#sha256=" + Sha + @""" data-requires-python=""&gt;=3.7,&lt;4"" data-yanked=""broken metadata"">pepy-2.1.0-py3-none-any.whl</a><br />
</body>
</html>
<!--SERIAL 15765070-->", "https://pypi.org/simple/pepy/");

            Assert.Equal("html", page.Format);
            Assert.Equal("pkg", page.Name);
            Assert.Equal("1.4", page.ApiVersion);
            Assert.Equal(new[] { "pepy-2.1.0-py3-none-any.whl", "pepy-2.1.1.tar.gz" }, page.Files.Select(f => f.Filename));
            var sdist = File(page, "pepy-2.1.1.tar.gz");
            Assert.Equal("https://files.pythonhosted.org/packages/78/7e/123d/pepy-2.1.1.tar.gz", sdist.Url);
            Assert.Equal("cec463c444b71d1664229121897b22df753dc91fabb2113d1c89992638c90829", sdist.Hashes["sha256"]);
            Assert.Equal(">=3.7", sdist.RequiresPython);
            Assert.False(sdist.Yanked);
            Assert.Null(sdist.Version);
            Assert.Null(sdist.Kind);
            var wheel = File(page, "pepy-2.1.0-py3-none-any.whl");
            Assert.Equal(">=3.7,<4", wheel.RequiresPython);
            Assert.True(wheel.Yanked);
            Assert.Equal("broken metadata", wheel.YankedReason);
            Assert.Empty(page.Tracks);
            Assert.Null(page.Versions);
        }

        [Fact]
        public void PytorchIndexWithLocalVersionsAndRootRelativeLinks()
        {
            var page = Html(@"<!DOCTYPE html>
<html>
  <body>
    <h1>Links for torch</h1>
    <a href=""/whl/cu121/torch-2.1.0%2Bcu121-cp311-cp311-linux_x86_64.whl#sha256=" + Sha + @""" data-requires-python=""&gt;=3.8.0"">cu121/torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl</a><br/>
    <a href=""/whl/cpu/torch-2.1.0%2Bcpu-cp311-cp311-win_amd64.whl"" data-requires-python=""&gt;=3.8.0"">cpu/torch-2.1.0+cpu-cp311-cp311-win_amd64.whl</a><br/>
  </body>
</html>
<!--TIMESTAMP 1703347410-->", "https://download.pytorch.org/whl/torch/");

            var cuda = File(page, "torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl");
            Assert.Equal("https://download.pytorch.org/whl/cu121/torch-2.1.0%2Bcu121-cp311-cp311-linux_x86_64.whl", cuda.Url);
            Assert.Equal(">=3.8.0", cuda.RequiresPython);
            Assert.Equal(Sha, cuda.Hashes["sha256"]);
            var cpu = File(page, "torch-2.1.0+cpu-cp311-cp311-win_amd64.whl");
            Assert.Empty(cpu.Hashes);
            Assert.Null(page.ApiVersion);
        }

        [Fact]
        public void ArtifactoryDevpiPypiserverAndCodeArtifactStyles()
        {
            // Artifactory: links relative to the page, climbing out of /simple/<name>/.
            var artifactory = Html(@"<html><head><meta name=""pypi:repository-version"" content=""1.0""><title>Links for requests</title></head><body><h1>Links for requests</h1>
<a data-requires-python=""&gt;=3.7"" href=""../../packages/packages/70/8e/0e2d/requests-2.31.0-py3-none-any.whl#sha256=" + Sha + @""" rel=""internal"">requests-2.31.0-py3-none-any.whl</a><br/>
</body></html>", "https://acme.jfrog.io/artifactory/api/pypi/pypi-remote/simple/requests/");
            var file = Single(artifactory);
            Assert.Equal("https://acme.jfrog.io/artifactory/api/pypi/pypi-remote/packages/packages/70/8e/0e2d/requests-2.31.0-py3-none-any.whl", file.Url);
            Assert.Equal("1.0", artifactory.ApiVersion);

            // devpi: "+f" paths two levels up, md5 fragments on old uploads.
            var devpi = Html(@"<html><body><a href=""../../+f/3a2/b1c/mypkg-1.0.tar.gz#md5=0123456789abcdef0123456789abcdef"">mypkg-1.0.tar.gz</a>
<a href=""../../+f/4b3/c2d/mypkg-1.1-py3-none-any.whl#sha256=" + Sha + @""" data-requires-python="">=3.8"">mypkg-1.1-py3-none-any.whl</a></body></html>",
                "https://devpi.example.com/root/dev/+simple/mypkg/");
            Assert.Equal("https://devpi.example.com/root/dev/+f/3a2/b1c/mypkg-1.0.tar.gz", File(devpi, "mypkg-1.0.tar.gz").Url);
            Assert.Equal("0123456789abcdef0123456789abcdef", File(devpi, "mypkg-1.0.tar.gz").Hashes["md5"]);
            Assert.Equal(">=3.8", File(devpi, "mypkg-1.1-py3-none-any.whl").RequiresPython);

            // pypiserver: root-relative /packages/ links.
            var pypiserver = Html(@"<html><head><title>Links for mypkg</title></head><body><h1>Links for mypkg</h1>
     <a href=""/packages/mypkg-1.0.tar.gz#sha256=" + Sha + @""">mypkg-1.0.tar.gz</a><br>
</body></html>", "http://localhost:8080/simple/mypkg/");
            Assert.Equal("http://localhost:8080/packages/mypkg-1.0.tar.gz", Single(pypiserver).Url);

            // CodeArtifact: version folders relative to the page, extra attributes.
            var codeArtifact = Html(@"<!DOCTYPE html><html><head><title>Links for flask</title></head><body><h1>Links for flask</h1>
<a href=""3.0.1/flask-3.0.1.tar.gz#sha256=" + Sha + @""" data-requires-python=""&gt;=3.8"" data-gpg-sig=""false"" >flask-3.0.1.tar.gz</a><br/>
</body></html>", "https://acct.d.codeartifact.us-west-2.amazonaws.com/pypi/shared/simple/flask/");
            Assert.Equal("https://acct.d.codeartifact.us-west-2.amazonaws.com/pypi/shared/simple/flask/3.0.1/flask-3.0.1.tar.gz", Single(codeArtifact).Url);
        }

        [Fact]
        public void BaseHrefBeforeTheFirstLinkChangesTheBase()
        {
            var page = Html(@"<html><head><base href=""https://mirror.example.com/files/""></head><body>
<a href=""pkg-1.0.tar.gz"">pkg-1.0.tar.gz</a><a href=""/root/pkg-2.0.tar.gz"">pkg-2.0.tar.gz</a></body></html>");
            Assert.Equal("https://mirror.example.com/files/pkg-1.0.tar.gz", File(page, "pkg-1.0.tar.gz").Url);
            Assert.Equal("https://mirror.example.com/root/pkg-2.0.tar.gz", File(page, "pkg-2.0.tar.gz").Url);
        }

        [Fact]
        public void BaseAfterALinkOrLinkTagIsIgnoredAndOnlyTheFirstBaseCounts()
        {
            var afterAnchor = Html(@"<a href=""a-1.0.tar.gz"">a</a><base href=""https://other.example/""><a href=""b-1.0.tar.gz"">b</a>");
            Assert.All(afterAnchor.Files, f => Assert.StartsWith("https://pypi.org/simple/pkg/", f.Url));

            var afterLink = Html(@"<link rel=""stylesheet"" href=""x.css""><base href=""https://other.example/""><a href=""b-1.0.tar.gz"">b</a>");
            Assert.Equal("https://pypi.org/simple/pkg/b-1.0.tar.gz", Single(afterLink).Url);

            var twoBases = Html(@"<BASE HREF=""https://first.example/x/""><base href=""https://second.example/""><a href=""b-1.0.tar.gz"">b</a>");
            Assert.Equal("https://first.example/x/b-1.0.tar.gz", Single(twoBases).Url);

            // A first <base> without href keeps the page URL (uv does not look further).
            var noHref = Html(@"<base target=""_blank""><base href=""https://second.example/""><a href=""b-1.0.tar.gz"">b</a>");
            Assert.Equal("https://pypi.org/simple/pkg/b-1.0.tar.gz", Single(noHref).Url);
        }

        [Theory]
        [InlineData("/relative/")]
        [InlineData("files/")]
        [InlineData("")]
        [InlineData("http://[broken/")]
        public void BaseHrefThatIsNotAnAbsoluteUrlFailsThePage(string href)
        {
            var ex = Assert.Throws<ProjectPageFormatException>(() => Html($"<base href=\"{href}\"><a href=\"a-1.0.tar.gz\">a</a>"));
            Assert.Contains("base", ex.Message);
        }

        [Fact]
        public void FilenameComesFromTheUrlPathNotTheLinkText()
        {
            var file = Anchor("href=\"https://h.example/p/dir/Real_Name-1.0%2Blocal.tar.gz?token=abc/def#sha256=" + Sha + "\"", "something-else-9.9.tar.gz");
            // The '/' inside the query is a path separator for uv's split, so the segment after it is the name.
            Assert.Equal("def", file.Filename);

            var plain = Anchor("href=\"https://h.example/p/Real_Name-1.0%2Blocal.tar.gz?token=abc\"", "other.tar.gz");
            Assert.Equal("Real_Name-1.0+local.tar.gz", plain.Filename);
            Assert.Equal("https://h.example/p/Real_Name-1.0%2Blocal.tar.gz?token=abc", plain.Url);
        }

        [Fact]
        public void AttributeQuotingAndCase()
        {
            var page = Html(@"<A HREF='single-1.0.tar.gz' DATA-REQUIRES-PYTHON='&gt;=3.9'>x</A>
<a href=unquoted-1.0.tar.gz data-yanked>y</a>
<a   href = ""spaced-1.0.tar.gz""   Data-Yanked = """" >z</a>
<a data-yanked=""reason &amp; more"" href=""quoted-1.0.tar.gz"" data-requires-python=""&#62;=3.10"">w</a>");
            Assert.Equal(">=3.9", File(page, "single-1.0.tar.gz").RequiresPython);
            var unquoted = File(page, "unquoted-1.0.tar.gz");
            Assert.True(unquoted.Yanked);
            Assert.Null(unquoted.YankedReason);
            var spaced = File(page, "spaced-1.0.tar.gz");
            Assert.True(spaced.Yanked);
            Assert.Equal(string.Empty, spaced.YankedReason);
            var quoted = File(page, "quoted-1.0.tar.gz");
            Assert.Equal("reason & more", quoted.YankedReason);
            Assert.Equal(">=3.10", quoted.RequiresPython);
        }

        [Fact]
        public void EntitiesInHrefAreDecoded()
        {
            var page = Html(@"<a href=""/whl/Jinja2-3.1.2&#43;233fca715f49-py3-none-any.whl#sha256=" + Sha + @""">a</a>
<a href=""/dl?name=b-1.0.tar.gz&amp;x=1"">b</a>
<a href=""/whl/c-1.0&#x2B;loc.tar.gz"">c</a>
<a href=""/whl/d-1.0&plus;e&unknown;.tar.gz"">d</a>");
            Assert.Equal("https://pypi.org/whl/Jinja2-3.1.2+233fca715f49-py3-none-any.whl", File(page, "Jinja2-3.1.2+233fca715f49-py3-none-any.whl").Url);
            Assert.Equal("https://pypi.org/dl?name=b-1.0.tar.gz&x=1", File(page, "dl").Url);
            Assert.Contains(page.Files, f => f.Filename == "c-1.0+loc.tar.gz");
            Assert.Contains(page.Files, f => f.Filename == "d-1.0+e&unknown;.tar.gz");
        }

        [Fact]
        public void HashFragments()
        {
            Assert.Equal(Sha, Anchor($"href=\"a-1.0.tar.gz#sha256%3D{Sha}\"").Hashes["sha256"]);
            Assert.Equal("abc", Anchor("href=\"a-1.0.tar.gz#sha512=abc\"").Hashes["sha512"]);
            Assert.Equal("abc", Anchor("href=\"a-1.0.tar.gz#blake2b=abc\"").Hashes["blake2b"]);
            Assert.Equal("abc", Anchor("href=\"a-1.0.tar.gz#sha384=abc\"").Hashes["sha384"]);
            Assert.Empty(Anchor("href=\"a-1.0.tar.gz#\"").Hashes);
            Assert.Empty(Anchor("href=\"a-1.0.tar.gz#main\"").Hashes);
            Assert.Empty(Anchor("href=\"a-1.0.tar.gz#sha256=a=b\"").Hashes);
            var file = Anchor($"href=\"a-1.0.tar.gz#sha256={Sha}\"");
            Assert.Equal("https://pypi.org/simple/pkg/a-1.0.tar.gz", file.Url);
            Assert.Single(file.Hashes);
        }

        [Theory]
        [InlineData("blake2=abc")]
        [InlineData("SHA256=abc")]
        [InlineData("egg=public-hello-0.1")]
        [InlineData("subdirectory=src")]
        public void AnUnsupportedHashAlgorithmFailsThePageAsInUv(string fragment)
        {
            var ex = Assert.Throws<ProjectPageFormatException>(() => Anchor($"href=\"a-1.0.tar.gz#{fragment}\""));
            Assert.Contains("unsupported hash algorithm", ex.Message);
        }

        [Fact]
        public void AnchorsWithoutHrefOrWithEmptyHrefAreNotFiles()
        {
            var page = Html(@"<a name=""top"">top</a><a href="""">empty</a><a href>bare</a><a href=""ok-1.0.tar.gz"">ok</a>");
            Assert.Equal("ok-1.0.tar.gz", Single(page).Filename);
        }

        [Fact]
        public void CommentsScriptsAndStylesHideTheirLinks()
        {
            var page = Html(@"<!-- <a href=""commented-1.0.tar.gz"">x</a> -->
<script>var s = '<a href=""scripted-1.0.tar.gz"">'; if (a < b) {}</script>
<STYLE>a[href=""<a href='styled-1.0.tar.gz'>""] {}</STYLE>
<!----><!--><!--->
<a href=""real-1.0.tar.gz"">real</a>
<script src=""x.js""></script >
<a href=""after-script-1.0.tar.gz"">after</a>");
            Assert.Equal(new[] { "after-script-1.0.tar.gz", "real-1.0.tar.gz" }, page.Files.Select(f => f.Filename));
        }

        [Fact]
        public void MalformedHtmlIsTolerated()
        {
            var page = Html(@"<html><body <<>> <p unclosed> <a href=""one-1.0.tar.gz"" title=""a > b"">1</a>
< a href=""not-a-tag.tar.gz""> <a/href=""two-1.0.tar.gz""> </b =x> <a href=""three-1.0.tar.gz"" data-x= >3
<!DOCTYPE html><?xml version=""1.0""?></ a href=""x""><a href=""four-1.0.tar.gz"" <a href=""ignored.tar.gz"">");
            Assert.Equal(new[] { "four-1.0.tar.gz", "one-1.0.tar.gz", "three-1.0.tar.gz", "two-1.0.tar.gz" }, page.Files.Select(f => f.Filename));

            // As in a browser, an unclosed start tag swallows the next tag as attributes.
            Assert.Empty(Html(@"<p class=x <a href=""swallowed-1.0.tar.gz"">x</a>").Files);
        }

        [Theory]
        [InlineData("<a href=\"unclosed-1.0.tar.gz")]
        [InlineData("<a href='unclosed-1.0.tar.gz' data-x=\"")]
        [InlineData("<!-- <a href=\"x-1.0.tar.gz\">")]
        [InlineData("<script><a href=\"x-1.0.tar.gz\">")]
        [InlineData("<a href=x-1.0.tar.gz")]
        public void ATagOrCommentStillOpenAtTheEndIsDropped(string body)
        {
            Assert.Empty(Html("<html><body>" + body).Files);
        }

        [Fact]
        public void Pep708MetaTagsAndRepositoryVersion()
        {
            var page = Html(@"<html><head>
<meta name=""pypi:repository-version"" content=""1.1"">
<meta name=""pypi:tracks"" content=""https://pypi.org/simple/holygrail/"">
<meta name=""pypi:tracks"" content=""https://test.pypi.org/simple/holygrail/"">
<meta name=""pypi:alternate-locations"" content=""https://a.example/simple/holygrail/"">
<meta name=""pypi:alternate-locations"">
<meta content=""ignored"">
</head><body><a href=""holygrail-1.0.tar.gz"">x</a></body></html>");
            Assert.Equal("1.1", page.ApiVersion);
            Assert.Equal(new[] { "https://pypi.org/simple/holygrail/", "https://test.pypi.org/simple/holygrail/" }, page.Tracks);
            Assert.Equal(new[] { "https://a.example/simple/holygrail/" }, page.AlternateLocations);
        }

        [Fact]
        public void SizeAndUploadTimeAttributesAreReadWhenTheyParse()
        {
            var page = Html(@"<a href=""a-1.0.tar.gz"" data-size=""15399"" data-upload-time=""2022-11-14T17:14:53.935145Z"">a</a>
<a href=""b-1.0.tar.gz"" data-size=""-1"" data-upload-time=""yesterday"">b</a>");
            var a = File(page, "a-1.0.tar.gz");
            Assert.Equal(15399, a.Size);
            Assert.Equal(new DateTimeOffset(2022, 11, 14, 17, 14, 53, TimeSpan.Zero).AddTicks(9351450), a.UploadTime);
            var b = File(page, "b-1.0.tar.gz");
            Assert.Null(b.Size);
            Assert.Null(b.UploadTime);
        }

        [Fact]
        public void FilesAreSortedByFilenameAsUvSortsThem()
        {
            var page = Html(@"<a href=""c-1.tar.gz"">c</a><a href=""B-1.tar.gz"">b</a><a href=""a-1.tar.gz"">a</a>");
            Assert.Equal(new[] { "B-1.tar.gz", "a-1.tar.gz", "c-1.tar.gz" }, page.Files.Select(f => f.Filename));
        }

        [Fact]
        public void AFilenameThatIsNotUtf8FailsThePage()
        {
            Assert.Throws<ProjectPageFormatException>(() => Anchor("href=\"a-%FF%FE.tar.gz\""));
            Assert.Throws<ProjectPageFormatException>(() => Anchor("href=\"a.tar.gz#sha256=%FF\""));
        }

        [Fact]
        public void CharsetFromTheContentTypeAndInvalidUtf8AreDecodedLikeUv()
        {
            var latin1 = Encoding.Latin1.GetBytes("<a href=\"caf\u00e9-1.0.tar.gz\">x</a>");
            var page = ProjectPageParser.Parse(new MemoryStream(latin1), "text/html; charset=ISO-8859-1", new Uri("https://h.example/simple/cafe/"), "cafe");
            Assert.Equal("caf\u00e9-1.0.tar.gz", Single(page).Filename);

            // Without a charset, bytes that are not UTF-8 become U+FFFD instead of failing (reqwest's text()).
            var lossy = ProjectPageParser.Parse(new MemoryStream(latin1), "text/html", new Uri("https://h.example/simple/cafe/"), "cafe");
            Assert.Equal("caf\uFFFD-1.0.tar.gz", Single(lossy).Filename);
        }

        [Fact]
        public void TheVendorHtmlMediaTypeIsHtml()
        {
            var page = ParseText("<a href=\"a-1.0.tar.gz\">a</a>", "Application/Vnd.PyPI.Simple.V1+HTML ; charset=utf-8");
            Assert.Equal("html", page.Format);
            Assert.Single(page.Files);
        }

        [Fact]
        public void ALoginPageOrNonHtmlTextIsAPageWithoutFiles()
        {
            // uv's HTML parser accepts any document; a sign-in page parses to zero files (uv: found, no versions).
            var login = Html("<html><body><form action=\"/login\"><input name=\"user\"></form></body></html>");
            Assert.Empty(login.Files);
            Assert.Empty(Html("{\"files\": []}").Files);
            Assert.Empty(Html(string.Empty).Files);
        }

        [Theory]
        [InlineData("<a href=\"")]
        [InlineData("<!--")]
        [InlineData("<a ")]
        [InlineData("<a href=x ")]
        [InlineData("<script>")]
        [InlineData("</")]
        [InlineData("<")]
        [InlineData("&#")]
        public void PathologicalRepetitionStaysLinear(string unit)
        {
            var body = string.Concat(Enumerable.Repeat(unit, 400_000));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var page = Html(body);
            watch.Stop();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
            Assert.NotNull(page);
        }
    }
}
