using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using IndexTools.Engine.Environment;

namespace IndexTools.Tests.Config
{
    /// <summary>A temp folder with home, user config and system config folders of its own; never the real ones.</summary>
    internal sealed class ConfigTestFolder : IDisposable
    {
        public ConfigTestFolder()
        {
            Root = Path.Combine(Path.GetTempPath(), "it-config-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Root);
            Home = Dir("home");
            XdgConfigHome = Dir("xdg-config");
            XdgConfigDirs = Dir("xdg-dirs");
            Project = Dir("work/project");
        }

        public string Root { get; }

        public string Home { get; }

        public string XdgConfigHome { get; }

        public string XdgConfigDirs { get; }

        public string Project { get; }

        public string UserFile => Path.Combine(XdgConfigHome, "uv", "uv.toml");

        public string SystemFile => Path.Combine(XdgConfigDirs, "uv", "uv.toml");

        public string Dir(string relative)
        {
            var path = Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(path);
            return path;
        }

        public string Write(string relativeOrAbsolute, string content)
        {
            var path = Path.IsPathRooted(relativeOrAbsolute) ? relativeOrAbsolute : Path.Combine(Root, relativeOrAbsolute.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content, new UTF8Encoding(false));
            return path;
        }

        public EngineEnvironment Environment(params (string Name, string Value)[] variables)
        {
            var map = new Dictionary<string, string>
            {
                ["XDG_CONFIG_HOME"] = XdgConfigHome,
                ["XDG_CONFIG_DIRS"] = XdgConfigDirs,
            };
            if (!File.Exists(SystemFile))
            {
                // Keep the real /etc/uv/uv.toml out of every test.
                map["UV_NO_SYSTEM_CONFIG"] = "1";
            }

            foreach (var (name, value) in variables)
            {
                map[name] = value;
            }

            return new EngineEnvironment(map, Home, Project, isWindows: false);
        }

        public void Dispose()
        {
            try
            {
                foreach (var file in Directory.GetFiles(Root, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(Root, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
