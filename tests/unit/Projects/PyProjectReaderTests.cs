using IndexTools.Engine;
using System.Linq;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Projects;
using Xunit;

namespace IndexTools.Tests.Projects
{
    public sealed class PyProjectReaderTests
    {
        private const string Project = @"[project]
name = ""app""
version = ""1.0""
dependencies = [
  ""requests>=2,<3"",
  ""colorama; sys_platform == 'win32'"",
  ""local-lib"",
  ""gitdep"",
]

[project.optional-dependencies]
gpu = [""torch==2.4.0""]
Docs = [""sphinx""]

[dependency-groups]
test = [""pytest>=8"", {include-group = ""lint""}]
lint = [""ruff""]
dev = [{include-group = ""test""}, ""requests>=2,<3""]

[tool.uv.sources]
local-lib = { path = ""../local-lib"" }
gitdep = [{ git = ""https://example.invalid/x.git"", marker = ""sys_platform == 'linux'"" }]
torch = { index = ""pytorch"" }
";

        [Fact]
        public void ReadsDependenciesExtrasAndGroupsInFileOrderWithoutDuplicates()
        {
            using var files = new ProjectFiles();
            var path = files.Write("pyproject.toml", Project);
            var input = PyProjectReader.Read(path);
            Assert.Equal(
                new[] { "requests>=2,<3", "colorama; sys_platform == 'win32'", "torch==2.4.0", "sphinx", "pytest>=8", "ruff" },
                input.Requirements.Select(r => r.Requirement.Original));
            Assert.Equal("[project].dependencies", input.Requirements[0].Origin);
            Assert.Equal(5, input.Requirements[0].Line);
            Assert.Equal("pyproject.toml:5 [project].dependencies", input.Requirements[0].Location);
            Assert.Equal("[project.optional-dependencies].gpu", input.Requirements[2].Origin);
            Assert.Equal("[dependency-groups].lint", input.Requirements[5].Origin);
            Assert.Equal("sys_platform == 'win32'", input.Requirements[1].Requirement.Marker);
            Assert.DoesNotContain(input.Problems, p => p.Kind == ProjectProblemKind.Error);
        }

        [Fact]
        public void SkipsPackagesThatSourcesTakeFromPathOrGitButNotFromAnIndex()
        {
            using var files = new ProjectFiles();
            var input = PyProjectReader.Read(files.Write("pyproject.toml", Project));
            var skipped = input.Problems.Where(p => p.Kind == ProjectProblemKind.Skipped).ToList();
            Assert.Equal(2, skipped.Count);
            Assert.Contains(skipped, p => p.Message.Contains("'local-lib' comes from a path source"));
            Assert.Contains(skipped, p => p.Message.Contains("'gitdep' comes from a git source"));
            Assert.Contains(input.Requirements, r => r.Requirement.NormalizedName == "torch");
        }

        [Fact]
        public void SelectsExtrasAndGroupsByNormalizedName_EmptyMeansNone()
        {
            using var files = new ProjectFiles();
            var path = files.Write("pyproject.toml", Project);
            var input = PyProjectReader.Read(path, new[] { "docs" }, new[] { "DEV" });
            Assert.Equal(
                new[] { "requests>=2,<3", "colorama; sys_platform == 'win32'", "sphinx", "pytest>=8", "ruff" },
                input.Requirements.Select(r => r.Requirement.Original));

            var none = PyProjectReader.Read(path, new string[0], new string[0]);
            Assert.Equal(2, none.Requirements.Count);
        }

        [Fact]
        public void AnUnknownExtraOrGroupIsAnErrorNamingTheDefinedOnes()
        {
            using var files = new ProjectFiles();
            var path = files.Write("pyproject.toml", Project);
            var input = PyProjectReader.Read(path, new[] { "cuda" }, new[] { "nope" });
            var extra = Assert.Single(input.Problems, p => p.ErrorKind == ErrorKind.UnknownExtra);
            Assert.Contains("'cuda'", extra.Message);
            Assert.Contains("gpu, Docs", extra.Message);
            Assert.Single(input.Problems, p => p.ErrorKind == ErrorKind.UnknownDependencyGroup);
        }

        [Fact]
        public void IncludeGroupCyclesAndUnknownIncludesAreErrorsWithLines()
        {
            using var files = new ProjectFiles();
            var path = files.Write("pyproject.toml", "[dependency-groups]\na = [\"x\", {include-group = \"b\"}]\nb = [{include-group = \"a\"}, \"y\", {include-group = \"missing\"}]\n");
            var input = PyProjectReader.Read(path);
            var cycle = input.Problems.First(p => p.ErrorKind == ErrorKind.DependencyGroupCycle);
            Assert.Equal(3, cycle.Line);
            Assert.Contains("a -> b -> a", cycle.Message);
            Assert.Contains(input.Problems, p => p.ErrorKind == ErrorKind.UnknownDependencyGroup && p.Message.Contains("'missing'"));
            Assert.Equal(new[] { "x", "y" }, input.Requirements.Select(r => r.Requirement.Original));
        }

        [Fact]
        public void ABadRequirementIsAnErrorNamingFileAndLine_TheOthersAreKept()
        {
            using var files = new ProjectFiles();
            var path = files.Write("pyproject.toml", "[project]\nname = \"a\"\ndependencies = [\n  \"ok>=1\",\n  \"not valid ==\",\n  \"direct @ https://example.invalid/d.whl\",\n]\n");
            var input = PyProjectReader.Read(path);
            var bad = Assert.Single(input.Problems, p => p.Kind == ProjectProblemKind.Error);
            Assert.Equal(ErrorKind.InvalidRequirement, bad.ErrorKind);
            Assert.Equal(5, bad.Line);
            Assert.StartsWith(path + ":5:", bad.Message);
            Assert.Contains(input.Problems, p => p.ErrorKind == ErrorKind.DirectReference && p.Kind == ProjectProblemKind.Skipped);
            Assert.Equal("ok>=1", Assert.Single(input.Requirements).Requirement.Original);
        }

        [Fact]
        public void InvalidTomlThrowsAConfigurationErrorWithThePosition()
        {
            using var files = new ProjectFiles();
            var path = files.Write("pyproject.toml", "[project\nname = 1\n");
            var error = Assert.Throws<IndexConfigurationException>(() => PyProjectReader.Read(path));
            Assert.Equal(path, error.FilePath);
            Assert.NotNull(error.Line);
        }
    }
}
