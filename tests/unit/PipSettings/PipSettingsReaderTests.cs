using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IndexTools.Engine.Config;
using IndexTools.Engine.Environment;
using Xunit;

namespace IndexTools.Tests.PipSettings
{
    public sealed class PipSettingsReaderTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "indextools-pip-" + Guid.NewGuid().ToString("n"));

        public PipSettingsReaderTests()
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

        private string Home => Path.Combine(_root, "home");

        private string Write(string relative, string text)
        {
            var path = Path.Combine(_root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }

        private EngineEnvironment Env(params (string Name, string Value)[] variables)
        {
            var map = variables.ToDictionary(v => v.Name, v => v.Value);
            map["XDG_CONFIG_DIRS"] = Path.Combine(_root, "xdg");   // never the machine's /etc/xdg
            return new EngineEnvironment(map, Home, Home, isWindows: false);
        }

        // Only what this test wrote: the machine's own /etc/pip.conf may exist.
        private List<PipIndexSetting> Read(EngineEnvironment env) =>
            PipSettingsReader.Read(env).Where(s => s.Source.StartsWith(_root, StringComparison.Ordinal) || s.Source.StartsWith("env:", StringComparison.Ordinal)).ToList();

        [Fact]
        public void Environment_variables_are_read_and_redacted()
        {
            var found = Read(Env(("PIP_INDEX_URL", "https://user:s3cret@pkgs.example.test/simple"), ("PIP_EXTRA_INDEX_URL", "https://a.test/simple https://b.test/simple")));
            Assert.Equal(3, found.Count);
            Assert.Equal("https://****@pkgs.example.test/simple", found[0].Url);
            Assert.Equal("env: PIP_INDEX_URL", found[0].Source);
            Assert.Equal(new[] { "https://a.test/simple", "https://b.test/simple" }, found.Skip(1).Select(f => f.Url));
            Assert.All(found.Skip(1), f => Assert.Equal("extra-index-url", f.Setting));
            Assert.DoesNotContain("s3cret", PipSettingsReader.Warning(found));
        }

        [Fact]
        public void User_files_global_and_install_sections_and_multi_line_values()
        {
            Write("home/.config/pip/pip.conf", "[global]\nindex-url = https://corp.test/simple\nextra-index-url =\n    https://one.test/simple\n    https://two.test/simple\n\n[install]\nextra_index_url: https://three.test/simple\n[freeze]\nindex-url = https://ignored.test/simple\n");
            Write("home/.pip/pip.conf", "# legacy\n[GLOBAL]\n; comment\nIndex-URL=https://legacy.test/simple\n");
            var found = Read(Env());
            Assert.Equal(
                new[] { "https://legacy.test/simple", "https://corp.test/simple", "https://one.test/simple", "https://two.test/simple", "https://three.test/simple" },
                found.Select(f => f.Url));
            Assert.EndsWith(Path.Combine(".config", "pip", "pip.conf") + " [install]", found[4].Source);
            Assert.Equal("extra-index-url", found[4].Setting);
            Assert.DoesNotContain(found, f => f.Url.Contains("ignored"));
        }

        [Fact]
        public void Xdg_config_home_virtualenv_and_pip_config_file()
        {
            Write("xdghome/pip/pip.conf", "[global]\nindex-url = https://xdg-home.test/simple\n");
            Write("venv/pip.conf", "[global]\nextra-index-url = https://venv.test/simple\n");
            var custom = Write("custom.ini", "[install]\nindex-url = https://custom.test/simple\n");
            Write("xdg/pip/pip.conf", "[global]\nindex-url = https://site-wide.test/simple\n");
            var found = Read(Env(("XDG_CONFIG_HOME", Path.Combine(_root, "xdghome")), ("VIRTUAL_ENV", Path.Combine(_root, "venv")), ("PIP_CONFIG_FILE", custom)));
            Assert.Equal(new[] { "https://site-wide.test/simple", "https://xdg-home.test/simple", "https://venv.test/simple", "https://custom.test/simple" }, found.Select(f => f.Url));
        }

        [Fact]
        public void Pip_config_file_dev_null_turns_files_off()
        {
            Write("home/.config/pip/pip.conf", "[global]\nindex-url = https://corp.test/simple\n");
            Assert.Empty(PipSettingsReader.ConfigFiles(Env(("PIP_CONFIG_FILE", "/dev/null"))));
            Assert.Empty(Read(Env(("PIP_CONFIG_FILE", "/dev/null"))));
        }

        [Fact]
        public void Windows_locations_use_appdata_and_pip_ini()
        {
            var env = new EngineEnvironment(new Dictionary<string, string> { ["APPDATA"] = @"C:\Users\u\AppData\Roaming", ["VIRTUAL_ENV"] = @"C:\venv" }, @"C:\Users\u", @"C:\Users\u", isWindows: true);
            var files = PipSettingsReader.ConfigFiles(env);
            Assert.Contains(files, f => f.EndsWith("pip.ini", StringComparison.Ordinal) && f.Contains("Roaming"));
            Assert.Contains(files, f => f.Contains("venv") && f.EndsWith("pip.ini", StringComparison.Ordinal));
            Assert.DoesNotContain(files, f => f.EndsWith("pip.conf", StringComparison.Ordinal));
        }

        [Fact]
        public void No_settings_no_warning()
        {
            Assert.Null(PipSettingsReader.Warning(Array.Empty<PipIndexSetting>()));
            var warning = PipSettingsReader.Warning(new[] { new PipIndexSetting { Setting = "index-url", Url = "https://x.test/simple", Source = "env: PIP_INDEX_URL" } });
            Assert.Contains("uv ignores", warning);
            Assert.Contains("[[tool.uv.index]]", warning);
        }
    }
}
