using IndexTools.Engine;
using System;
using System.IO;
using System.Linq;
using System.Text;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Config
{
    public class ConfigEditorTests
    {
        private static string Edit(ConfigTestFolder folder, string name, string content, string index, int[]? codes, bool bom = false)
        {
            var path = Path.Combine(folder.Project, name);
            var bytes = Encoding.UTF8.GetBytes(content);
            File.WriteAllBytes(path, bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray() : bytes);
            var plan = ConfigEditor.PlanIgnoreErrorCodes(path, index, codes);
            ConfigEditor.Apply(plan);
            var result = File.ReadAllBytes(path);
            if (bom)
            {
                Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, result.Take(3).ToArray());
                result = result.Skip(3).ToArray();
            }

            return Encoding.UTF8.GetString(result);
        }

        [Fact]
        public void ReplacesOnlyTheValueKeepingCommentsAndCrlf()
        {
            using var folder = new ConfigTestFolder();
            var before = "# top\r\n[project]\r\nname = 'x'\r\n\r\n[[tool.uv.index]]   # first\r\nname = \"a\"\r\nurl = 'https://a/simple'\r\nignore-error-codes = [ 401 ]  # keep me\r\n\r\n[tool.uv.sources]\r\nfoo = { index = \"a\" }\r\n";
            var after = Edit(folder, "pyproject.toml", before, "a", new[] { 403, 418 });
            Assert.Equal(before.Replace("[ 401 ]", "[403, 418]"), after);
        }

        [Fact]
        public void InsertsAfterTheLastKeyOfTheRightTableWithTheFilesLineEnding()
        {
            using var folder = new ConfigTestFolder();
            var before = "[[index]]\r\nname = \"a\"\r\nurl = \"https://a/simple\"\r\n\r\n# between\r\n[pip]\r\nx = 1\r\n\r\n[[index]]\r\n  name = \"b\"\r\n  url = \"https://b/simple\" # c\r\n[other]\r\n";
            var after = Edit(folder, "uv.toml", before, "b", Array.Empty<int>());
            Assert.Equal(before.Replace("# c\r\n", "# c\r\n  ignore-error-codes = []\r\n"), after);
        }

        [Fact]
        public void InsertsAtEndOfFileWithoutTrailingNewline()
        {
            using var folder = new ConfigTestFolder();
            var before = "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"";
            Assert.Equal(before + "\nignore-error-codes = [401]", Edit(folder, "uv.toml", before, "a", new[] { 401 }));
        }

        [Fact]
        public void RemovesTheWholeLine()
        {
            using var folder = new ConfigTestFolder();
            var before = "[[index]]\nname = \"a\"\n    ignore-error-codes = [\n  401,\n  403,\n] # multi\nurl = \"https://a/simple\"\n";
            Assert.Equal("[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n", Edit(folder, "uv.toml", before, "a", null));
        }

        [Fact]
        public void EditsInlineTablesAndKeepsTheBom()
        {
            using var folder = new ConfigTestFolder();
            var before = "[tool.uv]\nindex = [{ name = \"a\", url = \"https://a/simple\" }, { name = \"b\", ignore-error-codes = [403], url = \"https://b/simple\" }]\n";
            Assert.Equal(before.Replace("\"https://a/simple\" }", "\"https://a/simple\", ignore-error-codes = [401] }"), Edit(folder, "pyproject.toml", before, "a", new[] { 401 }, bom: true));
            Assert.Equal(before.Replace("ignore-error-codes = [403], ", ""), Edit(folder, "pyproject.toml", before, "b", null, bom: true));
        }

        [Fact]
        public void EditedFileLoadsWithTheNewCodes()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"torch\"\nurl = \"https://download.pytorch.org/whl/cpu\"\n");
            ConfigEditor.Apply(ConfigEditor.PlanIgnoreErrorCodes(path, "torch", Array.Empty<int>()));
            var index = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment()).Indexes[0];
            Assert.Empty(index.IgnoreErrorCodes!);
            Assert.Equal(4, index.IgnoreErrorCodesSource!.Line);
        }

        [Fact]
        public void PlanDescribesTheChangeAndNoOpLeavesTheFile()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\nignore-error-codes = [401]\n");
            var plan = ConfigEditor.PlanIgnoreErrorCodes(path, "a", new[] { 401, 403 });
            Assert.Equal("[401]", plan.OldValue);
            Assert.Equal("[401, 403]", plan.NewValue);
            Assert.False(plan.IsNoOp);
            Assert.Contains("[401, 403]", File.ReadAllText(path) + plan.ToString());
            Assert.DoesNotContain("403", File.ReadAllText(path));
            Assert.True(ConfigEditor.PlanIgnoreErrorCodes(path, "a", new[] { 401 }).IsNoOp);
        }

        [Fact]
        public void RefusesAFileThatChangedSinceItWasRead()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n");
            var plan = ConfigEditor.PlanIgnoreErrorCodes(path, "a", new[] { 401 });
            File.AppendAllText(path, "# someone else\n");
            var changed = File.ReadAllBytes(path);
            var error = Assert.Throws<IOException>(() => ConfigEditor.Apply(plan));
            Assert.Contains(path, error.Message);
            Assert.Equal(changed, File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(folder.Project));
        }

        [Fact]
        public void RefusesToEditAFileItCannotParse()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = = \"x\"\n");
            var error = Assert.Throws<IndexConfigurationException>(() => ConfigEditor.PlanIgnoreErrorCodes(path, "a", new[] { 401 }));
            Assert.Equal(ErrorKind.TomlParseError, error.Kind);
            Assert.Equal(3, error.Line);
            Assert.NotNull(error.Column);
        }

        [Fact]
        public void UnknownIndexAndInvalidCodesAreRefused()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n");
            Assert.Equal(ErrorKind.IndexNotFound, Assert.Throws<IndexConfigurationException>(() => ConfigEditor.PlanIgnoreErrorCodes(path, "zzz", new[] { 401 })).Kind);
            Assert.Equal(ErrorKind.InvalidIgnoreErrorCode, Assert.Throws<IndexConfigurationException>(() => ConfigEditor.PlanIgnoreErrorCodes(path, "a", new[] { 1000 })).Kind);
            Assert.Equal(ErrorKind.InvalidIgnoreErrorCode, Assert.Throws<IndexConfigurationException>(() => ConfigEditor.PlanIgnoreErrorCodes(path, "a", new[] { 99 })).Kind);
            Assert.Equal("[999]", ConfigEditor.PlanIgnoreErrorCodes(path, "a", new[] { 999 }).NewValue);
        }

        [Fact]
        public void ReadOnlyFileIsAClearErrorAndStaysUnchanged()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n");
            var before = File.ReadAllBytes(path);
            var plan = ConfigEditor.PlanIgnoreErrorCodes(path, "a", new[] { 401 });
            File.SetAttributes(path, FileAttributes.ReadOnly);
            var error = Assert.Throws<UnauthorizedAccessException>(() => ConfigEditor.Apply(plan));
            Assert.Contains(path, error.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void FindTargetFileUsesTheProjectFileOrTheUserFile()
        {
            using var folder = new ConfigTestFolder();
            var pyproject = folder.Write("work/project/pyproject.toml", "[project]\nname = \"x\"\n[[tool.uv.index]]\nname = \"a\"\nurl = \"https://a/simple\"\n");
            var env = folder.Environment();
            Assert.Equal(pyproject, ConfigEditor.FindTargetFile(folder.Project, ConfigScope.Project, "a", env));
            Assert.Equal(folder.UserFile, ConfigEditor.FindTargetFile(folder.Project, ConfigScope.User, "a", env));
            Assert.Equal(ErrorKind.IndexNotFound, Assert.Throws<IndexConfigurationException>(() => ConfigEditor.FindTargetFile(folder.Project, ConfigScope.Project, "b", env)).Kind);
        }
    }
}
