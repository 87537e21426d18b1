using IndexTools.Engine;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Config
{
    public class ConfigurationValidationTests
    {
        private static IndexConfigurationException LoadFails(string uvToml, params (string, string)[] env)
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", uvToml);
            return Assert.Throws<IndexConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment(env)));
        }

        [Fact]
        public void IgnoreErrorCodesTakesEveryCodeUvParses_100_to_999()
        {
            // uv: SerializableStatusCode -> http::StatusCode::from_u16, which takes 100..=999 (status_code_strategy.rs).
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://x/simple\"\nignore-error-codes = [100, 600, 999]\n");
            var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
            Assert.Equal(new[] { 100, 600, 999 }, settings.Indexes[0].IgnoreErrorCodes);
        }

        [Theory]
        [InlineData("[[index]]\nname = \"bad name\"\nurl = \"https://x/simple\"\n", "InvalidIndexName", 2, 8, "bad name")]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://x/simple\"\nignore-error-codes = [403, 1000]\n", "InvalidIgnoreErrorCode", 4, 28, "1000")]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://x/simple\"\nignore-error-codes = [403, 99]\n", "InvalidIgnoreErrorCode", 4, 28, "99")]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://x/simple\"\nignore-error-codes = [99]\n", "InvalidIgnoreErrorCode", 4, 23, "99")]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://x/simple\"\nignore-error-codes = 403\n", "InvalidIgnoreErrorCode", 4, 22, "403")]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://x/simple\"\nignore-error-codes = [\"403\"]\n", "InvalidIgnoreErrorCode", 4, 23, "\"403\"")]
        [InlineData("index-strategy = \"fastest\"\n", "InvalidIndexStrategy", 1, 18, "fastest")]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://x/simple\"\nformat = \"wheelhouse\"\n", "InvalidConfigValue", 4, 10, "wheelhouse")]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://x/simple\"\nauthenticate = \"sometimes\"\n", "InvalidConfigValue", 4, 16, "sometimes")]
        [InlineData("[[index]]\nurl = \"https://x/simple\"\nexplicit = true\n", "InvalidConfigValue", 3, 12, "true")]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://x/simple\"\ndefault = \"yes\"\n", "InvalidConfigValue", 4, 11, "\"yes\"")]
        [InlineData("[[index]]\nname = \"a\"\n", "InvalidConfigValue", 1, 1, "a")]
        [InlineData("[sources]\ntorch = { index = \"a\" }\n", "InvalidConfigValue", 1, 1, "sources")]
        [InlineData("[[index]\nname = \"a\"\n", "TomlParseError", 1, 8, null)]
        public void InvalidValuesNameFileLineColumnAndValue(string toml, string errorId, int line, int column, string? value)
        {
            var error = LoadFails(toml);
            Assert.Equal(errorId, IndexTools.Cmdlets.ErrorTable.Of(error.Kind).Id);
            Assert.Equal(line, error.Line);
            Assert.Equal(column, error.Column);
            Assert.EndsWith("uv.toml", error.FilePath);
            Assert.Contains(error.FilePath + ":" + line + ":" + column, error.Message);
            if (value != null)
            {
                Assert.Contains(value, error.Message);
            }
        }

        [Fact]
        public void PyprojectDuplicateNamesAndMultipleDefaultsAreErrors()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", "[project]\nname = \"x\"\n[[tool.uv.index]]\nname = \"a\"\nurl = \"https://a/simple\"\n[[tool.uv.index]]\nname = \"a\"\nurl = \"https://b/simple\"\n");
            var error = Assert.Throws<IndexConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment()));
            Assert.Equal(ErrorKind.DuplicateIndexName, error.Kind);
            Assert.Equal(7, error.Line);

            folder.Write("work/project/pyproject.toml", "[project]\nname = \"x\"\n[[tool.uv.index]]\nname = \"a\"\nurl = \"https://a/simple\"\ndefault = true\n[[tool.uv.index]]\nname = \"b\"\nurl = \"https://b/simple\"\ndefault = true\n");
            error = Assert.Throws<IndexConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment()));
            Assert.Equal(ErrorKind.MultipleDefaultIndexes, error.Kind);
            Assert.Equal(10, error.Line);
        }

        [Fact]
        public void SourceNamingAnUndefinedIndexIsAnError()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", "[project]\nname = \"x\"\n[tool.uv.sources]\ntorch = { index = \"nowhere\" }\n");
            var error = Assert.Throws<IndexConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment()));
            Assert.Equal(ErrorKind.UnknownSourceIndex, error.Kind);
            Assert.Equal(4, error.Line);
            Assert.Equal(19, error.Column);
            Assert.Contains("nowhere", error.Message);
        }

        [Fact]
        public void InvalidEnvironmentValuesAreErrors()
        {
            Assert.Equal(ErrorKind.InvalidIndexStrategy, LoadFails("", ("UV_INDEX_STRATEGY", "random")).Kind);
            var error = LoadFails("", ("UV_INDEX", "bad!name=https://x/simple"));
            Assert.Equal(ErrorKind.InvalidIndexName, error.Kind);
            Assert.Contains("UV_INDEX", error.Message);
        }

        [Fact]
        public void ErrorsNeverShowCredentials()
        {
            var error = LoadFails("[[index]]\nurl = \"https://user:hunter2@x.example/simple\"\nexplicit = true\n");
            Assert.DoesNotContain("hunter2", error.Message);
        }
    }
}
