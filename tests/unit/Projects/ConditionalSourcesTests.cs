using IndexTools.Engine;
using System.Collections.Generic;
using System.Linq;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Versions;
using IndexTools.Tests.Config;
using Xunit;

namespace IndexTools.Tests.Projects
{
    public class MarkerTests
    {
        private static Dictionary<string, string> Env(params (string, string)[] values) => values.ToDictionary(v => v.Item1, v => v.Item2);

        [Theory]
        [InlineData("sys_platform == 'linux'", "linux", true)]
        [InlineData("sys_platform == 'linux'", "win32", false)]
        [InlineData("sys_platform != 'linux'", "darwin", true)]
        [InlineData("'linux' == sys_platform", "linux", true)]
        [InlineData("'lin' in sys_platform", "linux", true)]
        [InlineData("sys_platform not in 'win32 cygwin'", "linux", true)]
        [InlineData("sys_platform not in 'win32 cygwin'", "win32", false)]
        [InlineData("sys.platform == \"linux\"", "linux", true)]
        public void StringMarkersCompareAsStrings(string text, string platform, bool expected)
        {
            Assert.Equal(expected, Marker.Parse(text).Evaluate(Env(("sys_platform", platform))));
        }

        [Theory]
        [InlineData("python_version >= '3.10'", "3.9", false)]
        [InlineData("python_version >= '3.10'", "3.10", true)]
        [InlineData("python_version >= '3.10'", "3.12", true)] // a string comparison would say '3.12' < '3.9'... and '3.10' < '3.9'
        [InlineData("python_version < '3.10'", "3.9", true)]
        [InlineData("'3.10' <= python_version", "3.11", true)]
        [InlineData("python_version == '3.12.*'", "3.12", true)]
        public void VersionMarkersCompareAsVersions(string text, string python, bool expected)
        {
            Assert.Equal(expected, Marker.Parse(text).Evaluate(Env(("python_version", python))));
        }

        [Fact]
        public void AndOrAndParenthesesWithUnknownVariables()
        {
            var marker = Marker.Parse("sys_platform == 'linux' and (platform_machine == 'x86_64' or platform_machine == 'aarch64')");
            Assert.True(marker.Evaluate(Env(("sys_platform", "linux"), ("platform_machine", "aarch64"))));
            Assert.False(marker.Evaluate(Env(("sys_platform", "darwin"))));
            Assert.Null(marker.Evaluate(Env(("sys_platform", "linux"))));
            Assert.Null(marker.Evaluate(Env()));
            Assert.Equal("sys_platform != 'linux' or (platform_machine != 'x86_64' and platform_machine != 'aarch64')", marker.Negate().ToString());
        }

        [Theory]
        [InlineData("sys_platform == 'linux'", "sys_platform != 'linux'", true)]
        [InlineData("sys_platform == 'linux'", "sys_platform == 'darwin'", true)]
        [InlineData("sys_platform == 'linux'", "platform_machine == 'x86_64'", false)]
        [InlineData("python_version < '3.10'", "python_version >= '3.10'", true)]
        [InlineData("python_version < '3.11'", "python_version >= '3.10'", false)]
        [InlineData("sys_platform == 'linux' and python_version >= '3.12'", "sys_platform == 'linux' and python_version < '3.12'", true)]
        public void DisjointMarkers(string left, string right, bool disjoint)
        {
            Assert.Equal(disjoint, Marker.Parse(left).IsDisjoint(Marker.Parse(right)));
        }

        [Theory]
        [InlineData("sys_platform = 'linux'", "expected a comparison operator")]
        [InlineData("sys_platform == 'linux", "the string is not closed")]
        [InlineData("platform == 'linux'", "'platform' is not a marker variable")]
        [InlineData("sys_platform == 'linux' and", "expected a marker variable")]
        [InlineData("(sys_platform == 'linux'", "expected ')'")]
        public void BadMarkersSayWhatIsWrong(string text, string problem)
        {
            Assert.False(Marker.TryParse(text, out _, out var error));
            Assert.Contains(problem, error);
            Assert.Contains(text, error);
        }
    }

    public class ConditionalSourcesTests
    {
        private const string Indexes = "[[tool.uv.index]]\nname = \"pytorch-cpu\"\nurl = \"https://download.pytorch.org/whl/cpu\"\nexplicit = true\n[[tool.uv.index]]\nname = \"pytorch-cu128\"\nurl = \"https://download.pytorch.org/whl/cu128\"\nexplicit = true\n";

        private static IndexSettings Load(ConfigTestFolder folder, string pyproject)
        {
            folder.Write("work/project/pyproject.toml", "[project]\nname = \"app\"\nversion = \"1\"\n" + Indexes + pyproject);
            return ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
        }

        private static IndexConfigurationException Refused(string sources)
        {
            using var folder = new ConfigTestFolder();
            return Assert.Throws<IndexConfigurationException>(() => Load(folder, "[tool.uv.sources]\n" + sources));
        }

        [Fact]
        public void ExtrasSelectTheirEntryAndOthersFallBackToTheNormalSearch()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder, "[tool.uv.sources]\ntorch = [{ index = \"pytorch-cpu\", extra = \"cpu\" }, { index = \"pytorch-cu128\", extra = \"gpu\" }]\n");
            var torch = Requirement.Parse("torch>=2.7");
            var gpu = Assert.Single(SourceSelector.Choices(settings, torch, "gpu", null, null)!);
            Assert.Equal("pytorch-cu128", gpu.Index);
            Assert.Contains("pyproject.toml:13 (extra = 'gpu') applies to extra 'gpu'", gpu.Reason);
            Assert.Contains("alternatives: cpu → pytorch-cpu, gpu → pytorch-cu128, none → pypi", gpu.Reason);
            Assert.Equal("pytorch-cpu", Assert.Single(SourceSelector.Choices(settings, torch, "CPU", null, null)!).Index);
            var none = Assert.Single(SourceSelector.Choices(settings, torch, null, null, null)!);
            Assert.Null(none.Index);
            Assert.Contains("no [tool.uv.sources] torch entry applies to the project's dependencies", none.Reason);
            Assert.Null(SourceSelector.Choices(settings, Requirement.Parse("numpy"), "gpu", null, null));
        }

        [Fact]
        public void GroupsSelectLikeExtras()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder, "[tool.uv.sources]\ntorch = [{ index = \"pytorch-cpu\", group = \"cpu\" }, { index = \"pytorch-cu128\", group = \"cuda\" }]\n");
            Assert.Equal("pytorch-cu128", Assert.Single(SourceSelector.Choices(settings, Requirement.Parse("torch"), null, "cuda", null)!).Index);
            Assert.Null(Assert.Single(SourceSelector.Choices(settings, Requirement.Parse("torch"), "cuda", null, null)!).Index);
        }

        [Fact]
        public void MarkersFollowTheTargetAndListEveryAlternativeWhenItIsOpen()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder, "[tool.uv.sources]\ntorch = [\n  { index = \"pytorch-cu128\", marker = \"sys_platform == 'linux'\" },\n  { index = \"pytorch-cpu\", marker = \"sys_platform == 'win32'\" },\n]\n");
            var torch = Requirement.Parse("torch");
            var linux = Assert.Single(SourceSelector.Choices(settings, torch, null, null, new Dictionary<string, string> { ["sys_platform"] = "linux" })!);
            Assert.Equal("pytorch-cu128", linux.Index);
            Assert.Contains("the target matches the marker", linux.Reason);
            var mac = Assert.Single(SourceSelector.Choices(settings, torch, null, null, new Dictionary<string, string> { ["sys_platform"] = "darwin" })!);
            Assert.Null(mac.Index);
            var open = SourceSelector.Choices(settings, torch, null, null, null)!;
            Assert.Equal(new[] { "pytorch-cu128", "pytorch-cpu", null }, open.Select(c => c.Index).ToArray());
            Assert.Equal("sys_platform != 'linux' and sys_platform != 'win32'", open[2].Marker!.ToString());
        }

        [Fact]
        public void MarkersCoveringEverySpaceLeaveNoFallback()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder, "[tool.uv.sources]\ntorch = [\n  { index = \"pytorch-cu128\", marker = \"sys_platform == 'linux'\" },\n  { index = \"pytorch-cpu\", marker = \"sys_platform != 'linux'\" },\n]\n");
            Assert.Equal(new[] { "pytorch-cu128", "pytorch-cpu" }, SourceSelector.Choices(settings, Requirement.Parse("torch"), null, null, null)!.Select(c => c.Index).ToArray());
        }

        [Fact]
        public void ExtraAndMarkerTogetherApplyOnlyToThatExtraOnThatPlatform()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder, "[tool.uv.sources]\ntorch = [{ index = \"pytorch-cu128\", extra = \"gpu\", marker = \"sys_platform == 'linux'\" }]\n");
            var linux = new Dictionary<string, string> { ["sys_platform"] = "linux" };
            var win = new Dictionary<string, string> { ["sys_platform"] = "win32" };
            Assert.Equal("pytorch-cu128", Assert.Single(SourceSelector.Choices(settings, Requirement.Parse("torch"), "gpu", null, linux)!).Index);
            Assert.Null(Assert.Single(SourceSelector.Choices(settings, Requirement.Parse("torch"), "gpu", null, win)!).Index);
        }

        [Theory]
        [InlineData("torch = [{ index = \"pytorch-cpu\", extra = \"cpu\", group = \"g\" }]\n", "cannot specify both `extra` and `group`")]
        [InlineData("torch = [{ index = \"pytorch-cpu\", extra = \"cpu\" }, { index = \"pytorch-cu128\", extra = \"cpu\" }]\n", "When multiple sources are provided, each source must include a platform marker (e.g., `marker = \"sys_platform == 'linux'\"`)")]
        [InlineData("torch = [{ index = \"pytorch-cpu\" }, { index = \"pytorch-cu128\", marker = \"sys_platform == 'linux'\" }]\n", "When multiple sources are provided, each source must include a platform marker")]
        [InlineData("torch = [{ index = \"pytorch-cpu\", marker = \"sys_platform == 'linux'\" }, { index = \"pytorch-cu128\", marker = \"platform_machine == 'x86_64'\" }]\n", "Source markers must be disjoint, but the following markers overlap: `sys_platform == 'linux'` and `platform_machine == 'x86_64'`.")]
        [InlineData("torch = []\n", "Must provide at least one source")]
        [InlineData("torch = [{ index = \"pytorch-cpu\", platform = \"linux\" }]\n", "unknown field `platform`, expected one of `git`, `subdirectory`")]
        [InlineData("torch = [{ index = \"pytorch-cpu\", url = \"https://x/t.whl\" }]\n", "cannot specify both `url` and `index`")]
        [InlineData("torch = [{ extra = \"cpu\" }]\n", "expected one of `git`, `url`, `path`, `index`, or `workspace`")]
        [InlineData("torch = [{ index = \"pytorch-cpu\", marker = \"sys_platform = 'linux'\" }]\n", "expected a comparison operator")]
        public void ListsUvRefusesAreRefusedWithUvsWords(string sources, string message)
        {
            var error = Refused(sources);
            Assert.Equal(13, error.Line);
            Assert.Contains(message, error.Message);
            Assert.StartsWith(error.FilePath + ":13:", error.Message);
        }

        [Fact]
        public void DifferentExtrasWithoutMarkersAreFine()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder, "[tool.uv.sources]\ntorch = [{ index = \"pytorch-cpu\", extra = \"cpu\" }, { index = \"pytorch-cu128\", extra = \"gpu\" }]\ntorchvision = { index = \"pytorch-cpu\" }\n");
            Assert.Equal("pytorch-cpu", settings.PinnedIndexes["torchvision"]);
            Assert.True(settings.ConditionalSources.ContainsKey("torch"));
        }
    }
}

namespace IndexTools.Tests.Projects
{
    public class RefusedFilesTests
    {
        private static IndexConfigurationException UvTomlFails(string uvToml)
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", uvToml);
            return Assert.Throws<IndexConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment()));
        }

        [Theory]
        [InlineData("index-url = \"https://x/simple\"\n\n[tool.uv]\nindex-strategy = \"first-index\"\n", "tool", 3, 1)]
        [InlineData("[project]\nname = \"app\"\n", "project", 1, 1)]
        [InlineData("index-strategy = \"first-index\"\nindex-urls = [\"https://x/simple\"]\n", "index-urls", 2, 1)]
        public void UnknownTopLevelKeysOfUvTomlAreRefusedAsUvRefusesThem(string toml, string key, int line, int column)
        {
            var error = UvTomlFails(toml);
            Assert.Equal(ErrorKind.UnknownConfigField, error.Kind);
            Assert.Equal(line, error.Line);
            Assert.Equal(column, error.Column);
            Assert.StartsWith(error.FilePath + ":" + line + ":" + column + ": uv refuses this file: Failed to parse: `uv.toml`: unknown field `" + key + "`, expected one of `required-version`", error.Message);
            if (key != "index-urls")
            {
                Assert.Contains("is this a pyproject.toml saved as uv.toml?", error.Message);
            }
        }

        [Fact]
        public void ProjectOnlyFieldsInUvTomlUseUvsWords()
        {
            var error = UvTomlFails("[sources]\ntorch = { index = \"a\" }\n");
            Assert.Contains("Failed to parse: `uv.toml`. The `sources` field is not allowed in a `uv.toml` file. `sources` is only applicable in the context of a project, and should be placed in a `pyproject.toml` file instead.", error.Message);
        }

        [Fact]
        public void WrongTypesAreRefusedWithFileLineColumn()
        {
            var error = UvTomlFails("index-strategy = 1\n");
            Assert.Equal(1, error.Line);
            Assert.Equal(18, error.Column);
            Assert.Contains("index-strategy must be a string", error.Message);
        }

        [Fact]
        public void AnUnknownToolUvKeyInPyprojectIsAWarningAndItsSettingsAreSkippedAsUvDoes()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", "[project]\nname = \"app\"\nversion = \"1\"\n[tool.uv]\nindex-strategy = \"unsafe-best-match\"\nfuture-option = true\n");
            var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
            Assert.Equal(IndexStrategy.FirstIndex, settings.Strategy);
            var warning = Assert.Single(settings.Warnings, w => w.Contains("future-option"));
            Assert.Contains("pyproject.toml:6:1: uv warns \"Failed to parse `pyproject.toml` during settings discovery\": [tool.uv] unknown field `future-option`", warning);
        }
    }
}
