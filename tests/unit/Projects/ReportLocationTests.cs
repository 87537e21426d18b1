using System.IO;
using System.Linq;
using IndexTools.Engine.Reporting;
using Xunit;

namespace IndexTools.Tests.Projects
{
    /// <summary>File and line on report entries (read from Source values in one place) and on CI annotations.</summary>
    public sealed class ReportLocationTests
    {
        private static ReportEntry EntryOf(IReportable reportable) => reportable.GetReportEntries().First();

        private static ReportEntry Resolution(string? source, string? sourceFile)
        {
            return EntryOf(new PackageResolution { Package = "requests", Requirement = "requests", StopReason = StopReason.NotFound, Source = source, SourceFile = sourceFile });
        }

        [Theory]
        [InlineData("pyproject.toml:12 [project].dependencies", "/w/app/pyproject.toml", "/w/app/pyproject.toml", 12)]
        [InlineData("requirements.txt:3", "/w/app/requirements.txt", "/w/app/requirements.txt", 3)]
        [InlineData("sub/uv.toml:4", null, "sub/uv.toml", 4)]
        [InlineData("/home/me/.config/uv/uv.toml:7", null, "/home/me/.config/uv/uv.toml", 7)]
        [InlineData("/home/my user/uv.toml:7 [[index]] 'x'", null, "/home/my user/uv.toml", 7)]
        [InlineData(@"C:\p\uv.toml:4:9", null, @"C:\p\uv.toml", 4)]
        [InlineData("requirements-test.txt:2", "/w/app/requirements.txt", "requirements-test.txt", 2)]
        public void SourceValuesNameTheirFileAndLine(string source, string? fullPath, string file, int line)
        {
            var entry = Resolution(source, fullPath);
            Assert.Equal(file, entry.File);
            Assert.Equal(line, entry.Line);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("env: UV_INDEX")]
        [InlineData("parameter: Index")]
        [InlineData("default")]
        [InlineData("pyproject.toml:0")]
        [InlineData("pyproject.toml:x")]
        public void SourceValuesWithoutAFileGiveNoLocation(string? source)
        {
            var entry = Resolution(source, "/w/app/pyproject.toml");
            Assert.Null(entry.File);
            Assert.Null(entry.Line);
        }

        [Fact]
        public void LockDriftRequirementsOptionAndProbePointAtTheirLines()
        {
            var drift = EntryOf(new LockDrift { Package = "numpy", Version = PackageVersion.Parse("2.0.0"), Reason = LockDriftReason.DifferentIndex, LockFile = "/w/app/uv.lock", Line = 14 });
            Assert.Equal(("/w/app/uv.lock", (int?)14), (drift.File, drift.Line));
            var option = EntryOf(new RequirementsFileOption { File = "/w/app/req.txt", Line = 2, Option = "--index-url" });
            Assert.Equal(("/w/app/req.txt", (int?)2), (option.File, option.Line));
            var probe = EntryOf(new IndexProbeResult { Name = "internal", Url = "https://x/simple/", ConfigFile = "/w/app/pyproject.toml", Source = "pyproject.toml:9" });
            Assert.Equal(("/w/app/pyproject.toml", (int?)9), (probe.File, probe.Line));
            var fromEnvironment = EntryOf(new IndexProbeResult { Name = "extra", Url = "https://x/simple/", Source = "env: UV_INDEX" });
            Assert.Null(fromEnvironment.File);
        }

        [Theory]
        [InlineData("/w/app/pyproject.toml", "/w", "app/pyproject.toml")]
        [InlineData("/w/app/pyproject.toml", "/w/", "app/pyproject.toml")]
        [InlineData("/w/pyproject.toml", "/w", "pyproject.toml")]
        [InlineData("/home/me/.config/uv/uv.toml", "/w", null)]
        [InlineData("/wx/pyproject.toml", "/w", null)]
        [InlineData("/w", "/w", null)]
        [InlineData("app/pyproject.toml", "/w", "app/pyproject.toml")]
        [InlineData("/w/app/pyproject.toml", null, null)]
        public void WorkspacePathIsRelativeInsideTheWorkspaceOnly(string file, string? workspace, string? expected)
        {
            Assert.Equal(expected, ReportRenderer.WorkspacePath(file, workspace));
        }

        [Fact]
        public void GitHubAnnotationCarriesFileAndLineRelativeToTheWorkspace_Escaped()
        {
            var entry = new ReportEntry("Resolution", ReportSeverity.Error, "pkg", "internal", "t", "m") { File = "/w/my,app/pyproject.toml", Line = 12 };
            Assert.Equal("::error file=my%2Capp/pyproject.toml,line=12,title=IndexTools Resolution%3A pkg::t [internal]. m", ReportRenderer.GitHubAnnotations(new[] { entry }, "/w").Single());
            Assert.Equal("::error title=IndexTools Resolution%3A pkg::t [internal]. m", ReportRenderer.GitHubAnnotations(new[] { entry }, "/elsewhere").Single());
            var noLine = new ReportEntry("Resolution", ReportSeverity.Warning, "pkg", null, "t", "m") { File = "/w/a.txt" };
            Assert.Equal("::warning file=a.txt,title=IndexTools Resolution%3A pkg::t. m", ReportRenderer.GitHubAnnotations(new[] { noLine }, "/w").Single());
        }

        [Fact]
        public void AzureLogIssueCarriesSourcePathAndLineNumber_Escaped()
        {
            var entry = new ReportEntry("LockDrift", ReportSeverity.Error, "pkg", null, "t", "m") { File = "/w/a;b/uv.lock", Line = 5 };
            Assert.Equal("##vso[task.logissue type=error;sourcepath=a%3Bb/uv.lock;linenumber=5]IndexTools LockDrift: pkg: t. m", ReportRenderer.AzureLogIssues(new[] { entry }, "/w").Single());
            Assert.Equal("##vso[task.logissue type=error]IndexTools LockDrift: pkg: t. m", ReportRenderer.AzureLogIssues(new[] { entry }).Single());
        }

        [Fact]
        public void RedactionKeepsTheLocation_JsonCarriesIt()
        {
            var entry = new ReportEntry("Resolution", ReportSeverity.Error, "pkg", null, "t", "m") { File = "/w/pyproject.toml", Line = 3 };
            var clean = ReportRedaction.Clean(entry);
            Assert.Equal(("/w/pyproject.toml", (int?)3), (clean.File, clean.Line));
            var json = System.Text.Json.JsonDocument.Parse(ReportRenderer.Json(new[] { clean })).RootElement.GetProperty("entries")[0];
            Assert.Equal("/w/pyproject.toml", json.GetProperty("file").GetString());
            Assert.Equal(3, json.GetProperty("line").GetInt32());
        }
    }
}
