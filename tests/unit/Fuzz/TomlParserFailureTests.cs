using IndexTools.Engine;
using System.IO;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Tests.Config;
using Xunit;

namespace IndexTools.Tests.Fuzz
{
    /// <summary>
    /// Regression tests for the fuzzer's toml-edit finding: Tomlyn 2.10.2 throws ArgumentOutOfRangeException (from
    /// char.ConvertFromUtf32 while formatting its own error message) for a basic string that ends in a backslash at the
    /// end of the file. The config code must turn that into an IndexConfigurationException like any other invalid TOML.
    /// </summary>
    public sealed class TomlParserFailureTests
    {
        // The crashing afl input (tests/fuzz target toml-edit, selector byte absent: index "x" prepended), and reductions.
        public static TheoryData<string> Inputs => new TheoryData<string>
        {
            "[[tool.uv.index]]\nname = \"x\"\nurl = \"https://example.com/simple\"\n,url=\"wh\\\\\\\\\\\\\\\\\\",
            "[[tool.uv.index]]\nname = \"x\"\nurl = \"https://example.com/simple\\",
            "a = \"\\",
            "[tool.uv]\nindex-url = \"https://example.com/\\",
        };

        [Theory]
        [MemberData(nameof(Inputs))]
        public void Planning_an_edit_of_such_a_file_is_a_toml_parse_error(string content)
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/pyproject.toml", content);

            var ex = Assert.Throws<IndexConfigurationException>(() => ConfigEditor.PlanIgnoreErrorCodes(path, "x", new[] { 401, 403 }));

            Assert.Equal(ErrorKind.TomlParseError, ex.Kind);
            Assert.Equal(path, ex.FilePath);
            Assert.Contains("invalid TOML", ex.Message);
        }

        [Theory]
        [MemberData(nameof(Inputs))]
        public void Loading_such_a_file_is_a_toml_parse_error(string content)
        {
            foreach (var name in new[] { "pyproject.toml", "uv.toml" })
            {
                using var folder = new ConfigTestFolder();
                var path = folder.Write("work/project/" + name, content);

                var ex = Assert.Throws<IndexConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment()));

                Assert.Equal(ErrorKind.TomlParseError, ex.Kind);
                Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(ex.FilePath!));
            }
        }

        [Theory]
        [MemberData(nameof(Inputs))]
        public void Tab_completion_over_such_a_file_offers_nothing_and_does_not_throw(string content)
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", content);

            Assert.Empty(ConfigurationLoader.ListIndexNames(folder.Project, folder.Environment()));
        }
    }
}
