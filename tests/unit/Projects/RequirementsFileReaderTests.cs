using IndexTools.Engine;
using System.IO;
using System.Linq;
using IndexTools.Engine.Projects;
using Xunit;

namespace IndexTools.Tests.Projects
{
    public sealed class RequirementsFileReaderTests
    {
        [Fact]
        public void ReadsIncludesRelativeToTheIncludingFile_CommentsContinuationsMarkersHashes()
        {
            using var files = new ProjectFiles();
            var top = files.Write("reqs/prod.txt", "# top\nrequests>=2 \\\n  ,<3  # inline\n-r common/base.txt\n--requirement=common/extra.txt\nattrs==23.1 --hash=sha256:abc \\\n    --hash=sha256:def\n");
            files.Write("reqs/common/base.txt", "colorama ; sys_platform == \"win32\"\n-c ../constraints.txt\n");
            files.Write("reqs/common/extra.txt", "Flask[async]>=3\n");
            files.Write("reqs/constraints.txt", "urllib3<2\n");

            var input = RequirementsFileReader.Read(top);
            Assert.Empty(input.Problems);
            Assert.Equal(new[] { "requests", "colorama", "flask", "attrs" }, input.Requirements.Select(r => r.Requirement.NormalizedName));
            Assert.Equal("requests>=2   ,<3", input.Requirements[0].Requirement.Original);
            Assert.Equal(2, input.Requirements[0].Line);
            Assert.Equal("sys_platform == \"win32\"", input.Requirements[1].Requirement.Marker);
            Assert.Equal("base.txt:1", input.Requirements[1].Location);
            Assert.Equal("attrs==23.1", input.Requirements[3].Requirement.Original);
            Assert.Equal(6, input.Requirements[3].Line);
        }

        [Fact]
        public void IndexOptionsAreCollectedWithLinesAndRedacted_NeverTurnedIntoRequirements()
        {
            using var files = new ProjectFiles();
            var path = files.Write("r.txt", "-i https://alice:s3cret@private.example/simple\n--extra-index-url=https://pypi.org/simple\n--find-links ./wheels\n--no-index\n-ihttps://other.example/simple\nsix\n");
            var input = RequirementsFileReader.Read(path);
            Assert.Empty(input.Problems);
            Assert.Equal(new[] { "--index-url", "--extra-index-url", "--find-links", "--no-index", "--index-url" }, input.IndexOptions.Select(o => o.Option));
            Assert.Equal(new[] { 1, 2, 3, 4, 5 }, input.IndexOptions.Select(o => o.Line));
            Assert.Equal("https://****@private.example/simple", input.IndexOptions[0].Value);
            Assert.Null(input.IndexOptions[3].Value);
            Assert.DoesNotContain(input.IndexOptions, o => (o.Value ?? "").Contains("s3cret"));
            Assert.Equal("six", Assert.Single(input.Requirements).Requirement.Original);
        }

        [Fact]
        public void AnIncludeCycleIsDetectedAndNamed()
        {
            using var files = new ProjectFiles();
            var a = files.Write("a.txt", "one\n-r b.txt\n");
            files.Write("b.txt", "two\n-r a.txt\n");
            var input = RequirementsFileReader.Read(a);
            var cycle = Assert.Single(input.Problems);
            Assert.Equal(ErrorKind.RequirementsIncludeCycle, cycle.ErrorKind);
            Assert.Equal(Path.Combine(files.Root, "b.txt"), cycle.File);
            Assert.Equal(2, cycle.Line);
            Assert.Contains("a.txt -> b.txt -> a.txt", cycle.Message);
            Assert.Equal(new[] { "one", "two" }, input.Requirements.Select(r => r.Requirement.Original));
        }

        [Fact]
        public void ASelfIncludeIsACycle()
        {
            using var files = new ProjectFiles();
            var a = files.Write("a.txt", "-r ./a.txt\n");
            Assert.Equal(ErrorKind.RequirementsIncludeCycle, Assert.Single(RequirementsFileReader.Read(a).Problems).ErrorKind);
        }

        [Fact]
        public void BadLinesArePerLineErrorsNamingFileAndLine()
        {
            using var files = new ProjectFiles();
            var path = files.Write("r.txt", "good\nbad ==\n--frobnicate yes\n-r missing.txt\nnumpy --nope\n-r\n");
            var input = RequirementsFileReader.Read(path);
            Assert.Equal(
                new[] { ("InvalidRequirement", 2), ("UnknownRequirementsOption", 3), ("RequirementsIncludeNotFound", 4), ("UnknownRequirementsOption", 5), ("InvalidRequirementsOption", 6) },
                input.Problems.Select(p => (IndexTools.Cmdlets.ErrorTable.Of(p.ErrorKind).Id, p.Line!.Value)));
            Assert.All(input.Problems, p => Assert.StartsWith(path + ":" + p.Line + ": ", p.Message));
            Assert.Equal("good", Assert.Single(input.Requirements).Requirement.Original);
        }

        [Fact]
        public void EditablesPathsAndUrlsAreSkippedNotErrors()
        {
            using var files = new ProjectFiles();
            var path = files.Write("r.txt", "-e ./src/pkg\n./local/pkg.whl\nhttps://example.invalid/pkg-1.0.tar.gz\npkg @ https://example.invalid/pkg.whl\nok\n");
            var input = RequirementsFileReader.Read(path);
            Assert.All(input.Problems, p => Assert.Equal(ProjectProblemKind.Skipped, p.Kind));
            Assert.Equal(4, input.Problems.Count);
            Assert.Equal("ok", Assert.Single(input.Requirements).Requirement.Original);
        }

        [Theory]
        [InlineData("pkg#not-a-comment", "pkg#not-a-comment")]
        [InlineData("pkg # comment", "pkg ")]
        [InlineData("# all comment", "")]
        public void CommentsStartAtTheLineStartOrAfterWhitespace(string line, string expected)
        {
            Assert.Equal(expected, RequirementsFileReader.StripComment(line));
        }

        [Fact]
        public void ContinuationLinesKeepTheFirstLineNumber()
        {
            var lines = RequirementsFileReader.LogicalLines("a \\\nb\nc\\\n").ToList();
            Assert.Equal(new[] { ("a b", 1), ("c", 3) }, lines);
        }
    }
}
