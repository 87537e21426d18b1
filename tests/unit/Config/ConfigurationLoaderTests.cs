using System.IO;
using System.Linq;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Config
{
    public class ConfigurationLoaderTests
    {
        private const string Project = "[project]\nname = \"app\"\nversion = \"0.1.0\"\n";

        private static IndexSettings Load(ConfigTestFolder folder, ConfigurationRequest? request = null, params (string, string)[] env)
        {
            request ??= new ConfigurationRequest();
            request.StartPath = request.StartPath == "." ? folder.Project : request.StartPath;
            return ConfigurationLoader.Load(request, folder.Environment(env));
        }

        private static string[] Urls(IndexSettings settings) => settings.Indexes.Select(i => i.Url).ToArray();

        [Fact]
        public void NoConfigurationMeansPyPiAsImplicitDefault()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder);
            var only = Assert.Single(settings.Indexes);
            Assert.Equal("https://pypi.org/simple", only.Url);
            Assert.True(only.IsDefault);
            Assert.Equal(ProvenanceKind.Default, only.Source.Kind);
            Assert.Equal(IndexStrategy.FirstIndex, settings.Strategy);
            Assert.Equal(ProvenanceKind.Default, settings.StrategySource.Kind);
        }

        [Fact]
        public void PyprojectIndexesCarryEveryFieldAndProvenance()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/pyproject.toml", Project + @"
[tool.uv]
index-strategy = ""unsafe-best-match""

[[tool.uv.index]]
name = ""internal""
url = ""https://user:secret@pkgs.example.com/simple""
authenticate = ""always""
ignore-error-codes = [401, 403]
cache-control = { api = ""max-age=60"", files = ""max-age=3600"" }
publish-url = ""https://pkgs.example.com/upload""
hash-algorithm = ""sha256""
some-future-key = 1

[[tool.uv.index]]
name = ""pytorch""
url = ""https://download.pytorch.org/whl/cpu""
explicit = true

[[tool.uv.index]]
name = ""flat""
url = ""./wheels""
format = ""flat""
");
            var settings = Load(folder);
            Assert.Equal(new[] { "internal", "pytorch", "flat", null }, settings.Indexes.Select(i => i.Name).ToArray());
            var internalIndex = settings.Indexes[0];
            Assert.Equal(AuthenticatePolicy.Always, internalIndex.Authenticate);
            Assert.Equal(new[] { 401, 403 }, internalIndex.IgnoreErrorCodes);
            Assert.Equal("pyproject.toml:12", internalIndex.IgnoreErrorCodesSource!.Description);
            Assert.Equal("[[tool.uv.index]] 'internal' ignore-error-codes", internalIndex.IgnoreErrorCodesSource.Setting);
            Assert.Equal(path, internalIndex.IgnoreErrorCodesSource.FilePath);
            Assert.Equal(12, internalIndex.IgnoreErrorCodesSource.Line);
            Assert.Equal("max-age=60", internalIndex.CacheControlApi);
            Assert.Equal("max-age=3600", internalIndex.CacheControlFiles);
            Assert.Equal("https://pkgs.example.com/upload", internalIndex.PublishUrl);
            Assert.Equal("pyproject.toml:8", internalIndex.Source.Description);
            Assert.Equal("pyproject.toml:8 [[tool.uv.index]] 'internal'", internalIndex.Source.Detail);
            Assert.Equal(ProvenanceKind.File, internalIndex.Source.Kind);
            Assert.Equal(8, internalIndex.Source.Line);
            Assert.DoesNotContain("secret", internalIndex.Source.Description);
            Assert.True(settings.Indexes[1].IsExplicit);
            Assert.Null(settings.Indexes[1].IgnoreErrorCodes);
            Assert.Equal(IndexFormat.Flat, settings.Indexes[2].Format);
            Assert.Equal(Path.Combine(folder.Project, "wheels"), settings.Indexes[2].Url);
            Assert.Equal("https://pypi.org/simple", settings.Indexes[3].Url);
            Assert.Equal(IndexStrategy.UnsafeBestMatch, settings.Strategy);
            Assert.Equal("pyproject.toml:" + settings.StrategySource.Line, settings.StrategySource.Description);
            Assert.Equal("[tool.uv] index-strategy", settings.StrategySource.Setting);
            Assert.Equal(18, settings.StrategySource.Column); // the value, after "index-strategy = "
            Assert.Equal(path, settings.ProjectFile);
        }

        [Fact]
        public void EmptyIgnoreErrorCodesIsAnEmptyListNotNull()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "[[index]]\nname = \"torch\"\nurl = \"https://download.pytorch.org/whl/cpu\"\nignore-error-codes = []\n");
            var index = Load(folder).Indexes[0];
            Assert.NotNull(index.IgnoreErrorCodes);
            Assert.Empty(index.IgnoreErrorCodes!);
        }

        [Fact]
        public void DefaultIndexIsLastAndReplacesPyPi()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + "[[tool.uv.index]]\nname = \"mirror\"\nurl = \"https://mirror.example/simple\"\ndefault = true\n[[tool.uv.index]]\nname = \"extra\"\nurl = \"https://extra.example/simple\"\n");
            var settings = Load(folder);
            Assert.Equal(new[] { "https://extra.example/simple", "https://mirror.example/simple" }, Urls(settings));
            Assert.True(settings.Indexes[1].IsDefault);
        }

        [Fact]
        public void DefaultAndExplicitStillRemovesPyPi()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "[[index]]\nname = \"only\"\nurl = \"https://only.example/simple\"\ndefault = true\nexplicit = true\n");
            var settings = Load(folder);
            var only = Assert.Single(settings.Indexes);
            Assert.True(only.IsDefault && only.IsExplicit);
        }

        [Fact]
        public void ProjectUserSystemConcatenateProjectFirstAndScalarsComeFromProject()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "index-strategy = \"unsafe-first-match\"\n[[index]]\nname = \"p\"\nurl = \"https://p.example/simple\"\n");
            folder.Write(folder.UserFile, "index-strategy = \"unsafe-best-match\"\nindex-url = \"https://user-default.example/simple\"\n[[index]]\nname = \"u\"\nurl = \"https://u.example/simple\"\n");
            folder.Write(folder.SystemFile, "index-url = \"https://system-default.example/simple\"\nextra-index-url = [\"https://s-extra.example/simple\"]\n[[index]]\nname = \"s\"\nurl = \"https://s.example/simple\"\n");
            var settings = Load(folder);
            Assert.Equal(new[] { "https://p.example/simple", "https://u.example/simple", "https://s.example/simple", "https://s-extra.example/simple", "https://user-default.example/simple" }, Urls(settings));
            Assert.Equal(IndexStrategy.UnsafeFirstMatch, settings.Strategy);
            Assert.Equal(new[] { Path.Combine(folder.Project, "uv.toml"), folder.UserFile, folder.SystemFile }, settings.ConfigFiles);
            Assert.Equal(folder.UserFile + ":2", settings.Indexes[4].Source.Description);
            Assert.Equal("index-url", settings.Indexes[4].Source.Setting);
            Assert.Equal("uv.toml:2", settings.Indexes[0].Source.Description);
        }

        [Theory]
        [InlineData(false, false, "unsafe-best-match", IndexStrategy.UnsafeBestMatch, ProvenanceKind.File)]
        [InlineData(true, false, "unsafe-best-match", IndexStrategy.UnsafeFirstMatch, ProvenanceKind.Environment)]
        [InlineData(true, true, "unsafe-best-match", IndexStrategy.FirstIndex, ProvenanceKind.Parameter)]
        [InlineData(false, false, null, IndexStrategy.FirstIndex, ProvenanceKind.Default)]
        public void StrategyPrecedenceParameterOverEnvironmentOverFile(bool env, bool parameter, string? file, IndexStrategy expected, ProvenanceKind kind)
        {
            using var folder = new ConfigTestFolder();
            if (file != null)
            {
                folder.Write(folder.UserFile, "index-strategy = \"" + file + "\"\n");
            }

            var request = new ConfigurationRequest { Strategy = parameter ? IndexStrategy.FirstIndex : null };
            var settings = env ? Load(folder, request, ("UV_INDEX_STRATEGY", "unsafe-first-match")) : Load(folder, request);
            Assert.Equal(expected, settings.Strategy);
            Assert.Equal(kind, settings.StrategySource.Kind);
        }

        [Fact]
        public void EnvironmentIndexesComeFirstAndParametersReplaceThem()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "[[index]]\nname = \"cfg\"\nurl = \"https://cfg.example/simple\"\nignore-error-codes = [418]\n");
            var env = new[] { ("UV_INDEX", "https://e1.example/simple  named=https://e2.example/simple"), ("UV_EXTRA_INDEX_URL", "https://x1.example/simple https://x2.example/simple"), ("UV_INDEX_URL", "https://iu.example/simple") };
            var settings = Load(folder, null, env);
            Assert.Equal(new[] { "https://e1.example/simple", "https://e2.example/simple", "https://cfg.example/simple", "https://x1.example/simple", "https://x2.example/simple", "https://iu.example/simple" }, Urls(settings));
            Assert.Equal("named", settings.Indexes[1].Name);
            Assert.Equal("env: UV_INDEX", settings.Indexes[0].Source.Description);
            Assert.Equal("env: UV_INDEX_URL", settings.Indexes[5].Source.Description);
            Assert.True(settings.Indexes[5].IsDefault);

            var withParameters = Load(folder, new ConfigurationRequest { Indexes = new[] { "cfg" }, DefaultIndex = "https://d.example/simple" }, env);
            Assert.Equal(new[] { "https://cfg.example/simple", "https://x1.example/simple", "https://x2.example/simple", "https://d.example/simple" }, Urls(withParameters));
            Assert.Equal(ProvenanceKind.Parameter, withParameters.Indexes[0].Source.Kind);
            Assert.Equal(new[] { 418 }, withParameters.Indexes[0].IgnoreErrorCodes);
            Assert.Contains(withParameters.Warnings, w => w.Contains("shadowed"));
        }

        [Fact]
        public void ConfiguredDefaultIndexBeatsIndexUrlAndCliDefaultBeatsBoth()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "index-url = \"https://iu.example/simple\"\n[[index]]\nname = \"d\"\nurl = \"https://d.example/simple\"\ndefault = true\n");
            var settings = Load(folder);
            Assert.Equal(new[] { "https://d.example/simple" }, Urls(settings));
            Assert.Contains(settings.Warnings, w => w.Contains("marked default"));
            var cli = Load(folder, null, ("UV_DEFAULT_INDEX", "https://env-default.example/simple"));
            Assert.Equal("https://env-default.example/simple", cli.Indexes.Last().Url);
            Assert.Equal("env: UV_DEFAULT_INDEX", cli.Indexes.Last().Source.Description);
        }

        [Fact]
        public void FindLinksAreFlatLocationsKeptApartFromTheIndexOrder()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "find-links = [\"./wheels\"]\n");
            var settings = Load(folder, null, ("UV_FIND_LINKS", "https://a.example/links,https://b.example/links"));
            Assert.Equal(new[] { "https://pypi.org/simple" }, Urls(settings));
            Assert.Equal(new[] { "https://a.example/links", "https://b.example/links", Path.Combine(folder.Project, "wheels") }, settings.FindLinks.Select(f => f.Url).ToArray());
            Assert.All(settings.FindLinks, i => Assert.Equal(IndexFormat.Flat, i.Format));
            Assert.Equal("env: UV_FIND_LINKS", settings.FindLinks[0].Source.Description);
        }

        [Fact]
        public void NoIndexFromFileEnvironmentAndParameter()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "no-index = true\n");
            Assert.True(Load(folder).NoIndex);
            Assert.False(Load(folder, null, ("UV_NO_INDEX", "0")).NoIndex);
            Assert.False(Load(folder, new ConfigurationRequest { NoIndex = false }).NoIndex);
        }

        [Fact]
        public void UvTomlBesidePyprojectWinsAndWarns()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + "[[tool.uv.index]]\nname = \"py\"\nurl = \"https://py.example/simple\"\n");
            var uvToml = folder.Write("work/project/uv.toml", "[[index]]\nname = \"uv\"\nurl = \"https://uv.example/simple\"\n");
            var settings = Load(folder);
            Assert.Equal(new[] { "https://uv.example/simple", "https://pypi.org/simple" }, Urls(settings));
            Assert.Equal(uvToml, settings.ProjectFile);
            Assert.Contains(settings.Warnings, w => w.Contains("takes precedence"));
        }

        [Fact]
        public void PyprojectWithoutToolUvDoesNotStopTheWalk()
        {
            using var folder = new ConfigTestFolder();
            var outer = folder.Write("work/uv.toml", "[[index]]\nname = \"outer\"\nurl = \"https://outer.example/simple\"\n");
            folder.Write("work/project/pyproject.toml", Project);
            var settings = Load(folder);
            Assert.Equal("outer", settings.Indexes[0].Name);
            Assert.Equal(outer, settings.ProjectFile);
        }

        [Fact]
        public void WorkspaceMemberUsesTheRootsConfiguration()
        {
            using var folder = new ConfigTestFolder();
            var root = folder.Write("work/pyproject.toml", "[project]\nname = \"root\"\nversion = \"1\"\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n[[tool.uv.index]]\nname = \"rootidx\"\nurl = \"https://root.example/simple\"\n[tool.uv.sources]\nShared_Lib = { index = \"rootidx\" }\n");
            var memberDir = folder.Dir("work/packages/member");
            folder.Write("work/packages/member/pyproject.toml", "[project]\nname = \"member\"\nversion = \"1\"\n[[tool.uv.index]]\nname = \"memberidx\"\nurl = \"https://member.example/simple\"\nexplicit = true\n[tool.uv.sources]\ntorch = { index = \"memberidx\" }\n");
            var settings = Load(folder, new ConfigurationRequest { StartPath = memberDir });
            Assert.Equal(root, settings.ProjectFile);
            Assert.Equal(new[] { "rootidx", "memberidx", null }, settings.Indexes.Select(i => i.Name).ToArray());
            Assert.True(settings.Indexes[1].IsExplicit);
            Assert.Equal("memberidx", settings.PinnedIndexes["torch"]);
            Assert.Equal("rootidx", settings.PinnedIndexes["shared-lib"]);
            Assert.Equal("pyproject.toml:6", settings.Indexes[0].Source.Description);
            Assert.Equal(Path.Combine("packages", "member", "pyproject.toml") + ":4", settings.Indexes[1].Source.Description);
        }

        [Fact]
        public void ProjectOutsideTheWorkspaceMembersUsesItsOwnConfiguration()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/pyproject.toml", "[project]\nname = \"root\"\nversion = \"1\"\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n[[tool.uv.index]]\nname = \"rootidx\"\nurl = \"https://root.example/simple\"\n");
            var own = folder.Write("work/project/pyproject.toml", Project + "[[tool.uv.index]]\nname = \"own\"\nurl = \"https://own.example/simple\"\n");
            var settings = Load(folder);
            Assert.Equal(own, settings.ProjectFile);
            Assert.Equal("own", settings.Indexes[0].Name);
        }

        [Fact]
        public void ConfigFileReplacesDiscoveredFilesButSourcesStillPin()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + "[[tool.uv.index]]\nname = \"pytorch\"\nurl = \"https://download.pytorch.org/whl/cpu\"\nexplicit = true\n[tool.uv.sources]\ntorch = { index = \"pytorch\" }\n");
            folder.Write(folder.UserFile, "[[index]]\nname = \"user\"\nurl = \"https://user.example/simple\"\n");
            var given = folder.Write("elsewhere/custom.toml", "[[index]]\nname = \"given\"\nurl = \"https://given.example/simple\"\n");
            var settings = Load(folder, null, ("UV_CONFIG_FILE", given));
            Assert.Equal(new[] { "given", "pytorch", null }, settings.Indexes.Select(i => i.Name).ToArray());
            Assert.True(settings.Indexes[1].IsExplicit);
            Assert.Equal("pytorch", settings.PinnedIndexes["torch"]);
            Assert.Contains(given, settings.ConfigFiles);
            Assert.DoesNotContain(folder.UserFile, settings.ConfigFiles);
        }

        [Fact]
        public void NoConfigSkipsDiscovery()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "[[index]]\nname = \"p\"\nurl = \"https://p.example/simple\"\n");
            folder.Write(folder.UserFile, "[[index]]\nname = \"u\"\nurl = \"https://u.example/simple\"\n");
            Assert.Single(Load(folder, new ConfigurationRequest { NoConfig = true }).Indexes);
            Assert.Single(Load(folder, null, ("UV_NO_CONFIG", "1")).Indexes);
        }

        [Fact]
        public void MarkerListSourcesAreKeptWholeNotPinnedToTheFirst()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + "[[tool.uv.index]]\nname = \"cpu\"\nurl = \"https://download.pytorch.org/whl/cpu\"\nexplicit = true\n[[tool.uv.index]]\nname = \"cu124\"\nurl = \"https://download.pytorch.org/whl/cu124\"\nexplicit = true\n[tool.uv.sources]\ntorch = [\n  { index = \"cpu\", marker = \"sys_platform != 'linux'\" },\n  { index = \"cu124\", marker = \"sys_platform == 'linux'\" },\n]\n");
            var settings = Load(folder);
            Assert.False(settings.PinnedIndexes.ContainsKey("torch"));
            var sources = settings.ConditionalSources["torch"];
            Assert.Equal(new[] { "cpu", "cu124" }, sources.Entries.Select(e => e.Index).ToArray());
            Assert.Equal("sys_platform == 'linux'", sources.Entries[1].Marker!.ToString());
            Assert.Equal("pyproject.toml:15", sources.Entries[1].Source.Description);
            Assert.DoesNotContain(settings.Warnings, w => w.Contains("marker"));
        }

        [Fact]
        public void DuplicateNamesAcrossFilesFirstWins()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "[[index]]\nname = \"same\"\nurl = \"https://project.example/simple\"\n");
            folder.Write(folder.UserFile, "[[index]]\nname = \"same\"\nurl = \"https://user.example/simple\"\n");
            var settings = Load(folder);
            Assert.Equal(new[] { "https://project.example/simple", "https://pypi.org/simple" }, Urls(settings));
            Assert.Contains(settings.Warnings, w => w.Contains("shadowed"));
        }

        [Fact]
        public void UserFileComesFromXdgOrHomeAndAppDataOnWindows()
        {
            using var folder = new ConfigTestFolder();
            var env = folder.Environment();
            Assert.Equal(folder.UserFile, PlatformConfigPaths.UserConfigPath(env));
            var noXdg = env.With(new[] { new System.Collections.Generic.KeyValuePair<string, string?>("XDG_CONFIG_HOME", null) });
            Assert.Equal(Path.Combine(folder.Home, ".config", "uv", "uv.toml"), PlatformConfigPaths.UserConfigPath(noXdg));
            var windows = new IndexTools.Engine.Environment.EngineEnvironment(new System.Collections.Generic.Dictionary<string, string> { ["APPDATA"] = Path.Combine(folder.Root, "appdata") }, folder.Home, folder.Project, true);
            Assert.Equal(Path.Combine(folder.Root, "appdata", "uv", "uv.toml"), PlatformConfigPaths.UserConfigPath(windows));
        }

        [Fact]
        public void ListIndexNamesNeverThrows()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a.example/simple\"\n");
            folder.Write(folder.UserFile, "[[index]]\nname = \"b\"\nurl = \"https://b.example/simple\"\n");
            Assert.Equal(new[] { "a", "b" }, ConfigurationLoader.ListIndexNames(folder.Project, folder.Environment()));
            folder.Write("work/project/uv.toml", "[[index]\nbroken");
            Assert.Empty(ConfigurationLoader.ListIndexNames(folder.Project, folder.Environment()));
        }
    }
}
