using System;
using System.Collections.Generic;
using System.Linq;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Config
{
    /// <summary>
    /// uv's precedence for every setting more than one layer can set, through the loader with real files: the parameter,
    /// then the environment variable (when it says something), then the first file (project before user). Each layer
    /// writes its own value, so the value read back names the layer that won.
    /// </summary>
    public class LayeredSettingTests
    {
        private const string Project = "[project]\nname = \"app\"\nversion = \"0.1.0\"\n";

        /// <summary>One setting: its key, what each layer writes and reads back as, and how to read it from the settings.</summary>
        public sealed class Case
        {
            public string Key = "";

            /// <summary>The TOML values the project's pyproject.toml and the user's uv.toml write, and the values read back.</summary>
            public string ProjectToml = "", ProjectValue = "", UserToml = "", UserValue = "";

            public string Variable = "", EnvironmentText = "", EnvironmentValue = "";

            /// <summary>A text of the variable that says nothing (the files decide); null when every text says something.</summary>
            public string? SilentText;

            public Action<ConfigurationRequest>? Parameter;

            public string? ParameterValue;

            public string DefaultValue = "";

            /// <summary>The value and, where the settings keep it, its provenance.</summary>
            public Func<IndexSettings, (string Value, string? Source)> Read = _ => ("", null);

            public override string ToString() => Key;
        }

        private static readonly Dictionary<string, Case> Cases = new[]
        {
            new Case
            {
                Key = "index-strategy", ProjectToml = "\"unsafe-best-match\"", ProjectValue = "UnsafeBestMatch", UserToml = "\"unsafe-first-match\"", UserValue = "UnsafeFirstMatch",
                Variable = "UV_INDEX_STRATEGY", EnvironmentText = " first-index ", EnvironmentValue = "FirstIndex",
                Parameter = r => r.Strategy = IndexStrategy.UnsafeFirstMatch, ParameterValue = "UnsafeFirstMatch", DefaultValue = "FirstIndex",
                Read = s => (s.Strategy.ToString(), s.StrategySource.Description),
            },
            new Case
            {
                Key = "no-index", ProjectToml = "false", ProjectValue = "False", UserToml = "true", UserValue = "True",
                Variable = "UV_NO_INDEX", EnvironmentText = "yes", EnvironmentValue = "True", SilentText = "maybe",
                Parameter = r => r.NoIndex = false, ParameterValue = "False", DefaultValue = "False",
                Read = s => (s.NoIndex.ToString(), null),
            },
            new Case
            {
                Key = "keyring-provider", ProjectToml = "\"subprocess\"", ProjectValue = "subprocess", UserToml = "\"disabled\"", UserValue = "disabled",
                Variable = "UV_KEYRING_PROVIDER", EnvironmentText = " Disabled ", EnvironmentValue = "disabled", DefaultValue = "disabled",
                Read = s => (s.KeyringProvider, s.KeyringProviderSource.Description),
            },
            new Case
            {
                Key = "exclude-newer", ProjectToml = "\"2024-01-01T00:00:00Z\"", ProjectValue = "2024-01-01", UserToml = "\"2023-01-01T00:00:00Z\"", UserValue = "2023-01-01",
                Variable = "UV_EXCLUDE_NEWER", EnvironmentText = "2022-01-01T00:00:00Z", EnvironmentValue = "2022-01-01", SilentText = "  ", DefaultValue = "none",
                Read = s => s.Selection.ExcludeNewer is null ? ("none", null) : (s.Selection.ExcludeNewer.Value.ToString("yyyy-MM-dd"), s.Selection.ExcludeNewer.Source),
            },
            new Case
            {
                Key = "prerelease", ProjectToml = "\"allow\"", ProjectValue = "Allow", UserToml = "\"explicit\"", UserValue = "Explicit",
                Variable = "UV_PRERELEASE", EnvironmentText = "if-necessary", EnvironmentValue = "IfNecessary", SilentText = " ", DefaultValue = "none",
                Read = s => s.Selection.Prerelease is null ? ("none", null) : (s.Selection.Prerelease.Value.ToString(), s.Selection.Prerelease.Source),
            },
            new Case
            {
                Key = "resolution", ProjectToml = "\"lowest\"", ProjectValue = "Lowest", UserToml = "\"highest\"", UserValue = "Highest",
                Variable = "UV_RESOLUTION", EnvironmentText = "lowest-direct", EnvironmentValue = "LowestDirect", SilentText = "", DefaultValue = "none",
                Read = s => s.Selection.Resolution is null ? ("none", null) : (s.Selection.Resolution.Value.ToString(), s.Selection.Resolution.Source),
            },
            new Case
            {
                Key = "index-url", ProjectToml = "\"https://project.example/simple\"", ProjectValue = "https://project.example/simple", UserToml = "\"https://user.example/simple\"", UserValue = "https://user.example/simple",
                Variable = "UV_INDEX_URL", EnvironmentText = "https://env.example/simple", EnvironmentValue = "https://env.example/simple",
                Parameter = r => r.DefaultIndex = "https://parameter.example/simple", ParameterValue = "https://parameter.example/simple", DefaultValue = ConfigurationLoader.PyPiUrl,
                Read = s => (s.Indexes.Last().Url, s.Indexes.Last().Source.Description),
            },
        }.ToDictionary(c => c.Key);

        public static IEnumerable<object[]> Keys() => Cases.Keys.Select(k => new object[] { k });

        [Theory]
        [MemberData(nameof(Keys))]
        public void Nothing_set_is_the_default(string key)
        {
            var c = Cases[key];
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + "[tool.uv]\n");
            var (value, source) = c.Read(Load(folder, new ConfigurationRequest()));
            Assert.Equal(c.DefaultValue, value);
            Assert.True(source is null || source == "default", key + ": " + source);
        }

        [Theory]
        [MemberData(nameof(Keys))]
        public void The_first_file_that_sets_it_wins_over_the_later_ones(string key)
        {
            var c = Cases[key];
            using var folder = new ConfigTestFolder();
            folder.Write(folder.UserFile, c.Key + " = " + c.UserToml + "\n");
            folder.Write("work/project/pyproject.toml", Project + "[tool.uv]\n");
            var (value, source) = c.Read(Load(folder, new ConfigurationRequest()));
            Assert.Equal(c.UserValue, value);
            Assert.True(source is null || source.Contains(folder.UserFile + ":1", StringComparison.Ordinal), key + ": " + source);

            folder.Write("work/project/pyproject.toml", Project + "[tool.uv]\n" + c.Key + " = " + c.ProjectToml + "\n");
            (value, source) = c.Read(Load(folder, new ConfigurationRequest()));
            Assert.Equal(c.ProjectValue, value);
            Assert.True(source is null || source.StartsWith("pyproject.toml:5", StringComparison.Ordinal), key + ": " + source);
        }

        [Theory]
        [MemberData(nameof(Keys))]
        public void The_environment_wins_over_the_files_unless_it_says_nothing(string key)
        {
            var c = Cases[key];
            using var folder = new ConfigTestFolder();
            folder.Write(folder.UserFile, c.Key + " = " + c.UserToml + "\n");
            folder.Write("work/project/pyproject.toml", Project + "[tool.uv]\n" + c.Key + " = " + c.ProjectToml + "\n");

            var (value, source) = c.Read(Load(folder, new ConfigurationRequest(), (c.Variable, c.EnvironmentText)));
            Assert.Equal(c.EnvironmentValue, value);
            Assert.True(source is null || source == "env: " + c.Variable, key + ": " + source);

            if (c.SilentText != null)
            {
                (value, source) = c.Read(Load(folder, new ConfigurationRequest(), (c.Variable, c.SilentText)));
                Assert.Equal(c.ProjectValue, value);
                Assert.True(source is null || source.StartsWith("pyproject.toml:5", StringComparison.Ordinal), key + ": " + source);
            }
        }

        [Theory]
        [MemberData(nameof(Keys))]
        public void The_parameter_wins_over_the_environment_and_the_files(string key)
        {
            var c = Cases[key];
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + "[tool.uv]\n" + c.Key + " = " + c.ProjectToml + "\n");
            if (c.Parameter is null)
            {
                // No parameter sets this setting: the environment is the top layer.
                Assert.Equal(c.EnvironmentValue, c.Read(Load(folder, new ConfigurationRequest(), (c.Variable, c.EnvironmentText))).Value);
                return;
            }

            var request = new ConfigurationRequest();
            c.Parameter(request);
            var (value, source) = c.Read(Load(folder, request, (c.Variable, c.EnvironmentText)));
            Assert.Equal(c.ParameterValue, value);
            Assert.True(source is null || source.StartsWith("parameter: ", StringComparison.Ordinal), key + ": " + source);
        }

        [Theory]
        [InlineData("UV_INDEX_STRATEGY", "best", "InvalidIndexStrategy")]
        [InlineData("UV_KEYRING_PROVIDER", "keyring", "InvalidKeyringProvider")]
        [InlineData("UV_PRERELEASE", "sometimes", "InvalidConfigValue")]
        [InlineData("UV_RESOLUTION", "newest", "InvalidConfigValue")]
        [InlineData("UV_EXCLUDE_NEWER", "not a date", "InvalidConfigValue")]
        public void A_value_the_variable_does_not_know_is_an_error_naming_it_even_when_a_file_sets_the_setting(string variable, string value, string errorId)
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + "[tool.uv]\nindex-strategy = \"unsafe-best-match\"\nkeyring-provider = \"subprocess\"\nprerelease = \"allow\"\nresolution = \"lowest\"\nexclude-newer = \"2024-01-01T00:00:00Z\"\n");
            var error = Assert.Throws<IndexConfigurationException>(() => Load(folder, new ConfigurationRequest(), (variable, value)));
            Assert.Equal(errorId, IndexTools.Cmdlets.ErrorTable.Of(error.Kind).Id);
            Assert.StartsWith(variable + ": ", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Indexes_and_find_links_from_the_parameter_win_over_their_variables()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder, new ConfigurationRequest { Indexes = new[] { "https://parameter.example/simple" }, FindLinks = new[] { "https://links-parameter.example/" } },
                ("UV_INDEX", "https://env.example/simple"), ("UV_FIND_LINKS", "https://links-env.example/"));
            Assert.Equal(new[] { "https://parameter.example/simple", ConfigurationLoader.PyPiUrl }, settings.Indexes.Select(i => i.Url).ToArray());
            Assert.Equal("parameter: Index", settings.Indexes[0].Source.Description);
            Assert.Equal("https://links-parameter.example/", Assert.Single(settings.FindLinks).Url);

            var fromEnvironment = Load(folder, new ConfigurationRequest(), ("UV_INDEX", " https://env.example/simple\thttps://env2.example/simple "), ("UV_FIND_LINKS", "https://links-env.example/, ,https://links-env2.example/"));
            Assert.Equal(new[] { "https://env.example/simple", "https://env2.example/simple", ConfigurationLoader.PyPiUrl }, fromEnvironment.Indexes.Select(i => i.Url).ToArray());
            Assert.Equal("env: UV_INDEX", fromEnvironment.Indexes[1].Source.Description);
            Assert.Equal(new[] { "https://links-env.example/", "https://links-env2.example/" }, fromEnvironment.FindLinks.Where(l => l.Url.StartsWith("https", StringComparison.Ordinal)).Select(l => l.Url).ToArray());
            Assert.All(fromEnvironment.FindLinks, l => Assert.Equal("env: UV_FIND_LINKS", l.Source.Description));
        }

        private static IndexSettings Load(ConfigTestFolder folder, ConfigurationRequest request, params (string, string)[] env)
        {
            request.StartPath = folder.Project;
            return ConfigurationLoader.Load(request, folder.Environment(env));
        }
    }
}
