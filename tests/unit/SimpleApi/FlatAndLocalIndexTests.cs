using System;
using System.IO;
using System.Linq;
using System.Text;
using IndexTools.Engine.SimpleApi;
using Xunit;

namespace IndexTools.Tests.SimpleApi
{
    public sealed class FlatAndLocalIndexTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "indextools-simpleapi-" + Guid.NewGuid().ToString("N"));

        public FlatAndLocalIndexTests()
        {
            Directory.CreateDirectory(_root);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        [Fact]
        public void FlatHtmlPageListsEveryLinkOfEveryProject()
        {
            // Shaped like https://storage.googleapis.com/jax-releases/jax_cuda_releases.html.
            const string html = @"<html><body>
<a href=""https://storage.googleapis.com/jax-releases/cuda100/jaxlib-0.1.52+cuda100-cp37-none-manylinux2010_x86_64.whl"">cuda100/jaxlib-0.1.52+cuda100-cp37-none-manylinux2010_x86_64.whl</a><br>
<a href=""nocuda/jax-0.4.1.tar.gz#sha256=abc"">jax-0.4.1.tar.gz</a><br>
<a href=""/docs/README.html"">readme</a>
</body></html>";
            var files = FlatIndexReader.ParseHtml(new MemoryStream(Encoding.UTF8.GetBytes(html)), new Uri("https://storage.googleapis.com/jax-releases/jax_cuda_releases.html"));
            Assert.Equal(new[] { "README.html", "jax-0.4.1.tar.gz", "jaxlib-0.1.52+cuda100-cp37-none-manylinux2010_x86_64.whl" }, files.Select(f => f.Filename));
            Assert.Equal("https://storage.googleapis.com/jax-releases/nocuda/jax-0.4.1.tar.gz", files[1].Url);
            Assert.Equal("abc", files[1].Hashes["sha256"]);
            Assert.Equal("https://storage.googleapis.com/docs/README.html", files[0].Url);
        }

        [Fact]
        public void FlatHtmlRefusesWhatUvRefuses()
        {
            Assert.Throws<ProjectPageFormatException>(() =>
                FlatIndexReader.ParseHtml(new MemoryStream(Encoding.UTF8.GetBytes("<a href=\"a-1.0.tar.gz#egg=a\">a</a>")), new Uri("https://h.example/links/")));
            Assert.Throws<ProjectPageFormatException>(() =>
                FlatIndexReader.ParseHtml(new MemoryStream(new byte[100]), new Uri("https://h.example/links/"), "text/html", 10));
        }

        [Fact]
        public void FolderListingKeepsDistributionFilesOnly()
        {
            var folder = Path.Combine(_root, "wheels dir");
            Directory.CreateDirectory(folder);
            foreach (var name in new[]
            {
                "pkg-1.0-py3-none-any.whl", "pkg-1.0.tar.gz", "legacy-0.1.zip", "old-0.1.tar.bz2", "up-0.1.TAR.gz", "tool-2.0+local.tar.zst",
                "README.txt", "pkg-1.0.WHL", "archive.gz", "notes.tar", "index.html",
            })
            {
                File.WriteAllText(Path.Combine(folder, name), "x");
            }

            Directory.CreateDirectory(Path.Combine(folder, "folder-1.0-py3-none-any.whl"));
            Directory.CreateDirectory(Path.Combine(folder, "sub"));
            File.WriteAllText(Path.Combine(folder, "sub", "nested-1.0.tar.gz"), "x");

            var files = FlatIndexReader.ListDirectory(folder);
            Assert.Equal(
                new[] { "legacy-0.1.zip", "notes.tar", "old-0.1.tar.bz2", "pkg-1.0-py3-none-any.whl", "pkg-1.0.tar.gz", "tool-2.0+local.tar.zst", "up-0.1.TAR.gz" },
                files.Select(f => f.Filename));
            var wheel = files.Single(f => f.Filename == "pkg-1.0-py3-none-any.whl");
            Assert.Equal(new Uri(Path.Combine(folder, "pkg-1.0-py3-none-any.whl")).AbsoluteUri, wheel.Url);
            Assert.StartsWith("file:///", wheel.Url);
            Assert.Contains("wheels%20dir", wheel.Url);
            Assert.Empty(wheel.Hashes);
            Assert.Null(wheel.RequiresPython);
            Assert.Null(wheel.Version);
        }

        [Fact]
        public void FolderListingSkipsLinksToFolders()
        {
            var folder = Path.Combine(_root, "links");
            var target = Path.Combine(_root, "target");
            Directory.CreateDirectory(folder);
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "real-1.0.tar.gz"), "x");
            try
            {
                Directory.CreateSymbolicLink(Path.Combine(folder, "dirlink-1.0.tar.gz"), target);
                File.CreateSymbolicLink(Path.Combine(folder, "filelink-1.0.tar.gz"), Path.Combine(target, "real-1.0.tar.gz"));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is PlatformNotSupportedException)
            {
                // Symbolic links need a privilege on some Windows machines; nothing to check there.
                return;
            }

            Assert.Equal(new[] { "filelink-1.0.tar.gz" }, FlatIndexReader.ListDirectory(folder).Select(f => f.Filename));
        }

        [Fact]
        public void AMissingFolderIsAnIOError()
        {
            Assert.Throws<DirectoryNotFoundException>(() => FlatIndexReader.ListDirectory(Path.Combine(_root, "absent")));
        }

        [Fact]
        public void ReadLocalReadsAFolderOrAnHtmlFile()
        {
            var folder = Path.Combine(_root, "flat");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "a-1.0.tar.gz"), "x");
            Assert.Equal("a-1.0.tar.gz", Assert.Single(FlatIndexReader.ReadLocal(folder)).Filename);

            var htmlFile = Path.Combine(_root, "links.html");
            File.WriteAllText(htmlFile, "<a href=\"flat/a-1.0.tar.gz#sha256=abc\">a</a><a href=\"https://h.example/b-2.0.tar.gz\">b</a>");
            var files = FlatIndexReader.ReadLocal(htmlFile);
            Assert.Equal(new Uri(Path.Combine(folder, "a-1.0.tar.gz")).AbsoluteUri, files.Single(f => f.Filename == "a-1.0.tar.gz").Url);
            Assert.Equal("https://h.example/b-2.0.tar.gz", files.Single(f => f.Filename == "b-2.0.tar.gz").Url);

            File.WriteAllBytes(htmlFile, new byte[] { (byte)'<', 0xFF, (byte)'>' });
            Assert.Throws<ProjectPageFormatException>(() => FlatIndexReader.ReadLocal(htmlFile));
        }

        [Fact]
        public void LocalSimpleIndexReadsIndexHtml()
        {
            var project = Path.Combine(_root, "simple", "my-pkg");
            Directory.CreateDirectory(project);
            File.WriteAllText(Path.Combine(project, "index.html"), @"<!DOCTYPE html><html><head><meta name=""pypi:repository-version"" content=""1.0""></head><body>
<a href=""my_pkg-1.0-py3-none-any.whl#sha256=abc"" data-requires-python=""&gt;=3.9"">my_pkg-1.0-py3-none-any.whl</a>
<a href=""../../dist/my_pkg-0.9.tar.gz"" data-yanked=""bad"">my_pkg-0.9.tar.gz</a>
<a href=""https://files.example/my_pkg-0.8.tar.gz"">my_pkg-0.8.tar.gz</a>
</body></html>");

            var page = LocalIndexReader.ReadProject(Path.Combine(_root, "simple"), "my-pkg");
            Assert.NotNull(page);
            Assert.Equal("my-pkg", page!.Name);
            Assert.Equal("html", page.Format);
            Assert.Equal("1.0", page.ApiVersion);
            var wheel = page.Files.Single(f => f.Filename == "my_pkg-1.0-py3-none-any.whl");
            Assert.Equal(new Uri(Path.Combine(project, "my_pkg-1.0-py3-none-any.whl")).AbsoluteUri, wheel.Url);
            Assert.Equal(">=3.9", wheel.RequiresPython);
            Assert.Equal("abc", wheel.Hashes["sha256"]);
            var old = page.Files.Single(f => f.Filename == "my_pkg-0.9.tar.gz");
            Assert.Equal(new Uri(Path.Combine(_root, "dist", "my_pkg-0.9.tar.gz")).AbsoluteUri, old.Url);
            Assert.True(old.Yanked);
            Assert.Equal("https://files.example/my_pkg-0.8.tar.gz", page.Files.Single(f => f.Filename == "my_pkg-0.8.tar.gz").Url);
        }

        [Fact]
        public void LocalSimpleIndexWithoutTheProjectIsNull()
        {
            var root = Path.Combine(_root, "simple2");
            Directory.CreateDirectory(Path.Combine(root, "files-only"));
            File.WriteAllText(Path.Combine(root, "files-only", "files_only-1.0.tar.gz"), "x");
            File.WriteAllText(Path.Combine(root, "files-only", "notes.txt"), "x");

            Assert.Null(LocalIndexReader.ReadProject(root, "absent"));
            Assert.Null(LocalIndexReader.ReadProject(Path.Combine(_root, "no-root"), "absent"));

            // uv reads only index.html: a folder of plain files is "not found" unless the caller asks for a listing.
            Assert.Null(LocalIndexReader.ReadProject(root, "files-only"));
            var listed = LocalIndexReader.ReadProject(root, "files-only", listFilesWithoutIndexHtml: true);
            Assert.NotNull(listed);
            Assert.Equal("flat", listed!.Format);
            Assert.Equal("files_only-1.0.tar.gz", Assert.Single(listed.Files).Filename);
            Assert.Null(LocalIndexReader.ReadProject(root, "absent", listFilesWithoutIndexHtml: true));
        }

        [Fact]
        public void LocalSimpleIndexRefusesBadPagesAndNames()
        {
            var project = Path.Combine(_root, "simple3", "bad");
            Directory.CreateDirectory(project);
            File.WriteAllBytes(Path.Combine(project, "index.html"), new byte[] { (byte)'<', (byte)'a', 0xC3, 0x28 });
            var ex = Assert.Throws<ProjectPageFormatException>(() => LocalIndexReader.ReadProject(Path.Combine(_root, "simple3"), "bad"));
            Assert.Contains("UTF-8", ex.Message);

            Assert.Throws<ArgumentException>(() => LocalIndexReader.ReadProject(_root, "../etc"));
            Assert.Throws<ArgumentException>(() => LocalIndexReader.ReadProject(_root, ""));
        }
    }
}
