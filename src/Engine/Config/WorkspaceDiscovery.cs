using System.Text;
using System.Text.RegularExpressions;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Config
{
    /// <summary>What discovery found: the files whose settings apply and the pyproject.toml files whose sources pin packages.</summary>
    internal sealed class Discovery
    {
        /// <summary>Files whose settings apply, project first, then user, then system (or the one --config-file).</summary>
        public List<ConfigFileSettings> Files { get; } = new List<ConfigFileSettings>();

        /// <summary>pyproject.toml files whose <c>[tool.uv.sources]</c> and indexes pin packages (member first, then workspace root).</summary>
        public List<ConfigFileSettings> SourceFiles { get; } = new List<ConfigFileSettings>();

        public ConfigFileSettings? Project { get; set; }

        public string? WorkspaceRoot { get; set; }

        public List<string> Warnings { get; } = new List<string>();

        /// <summary>The folder every file setting's provenance is shown relative to: the workspace root, else the project's folder.</summary>
        public ProvenanceBase Base { get; } = new ProvenanceBase();
    }


    /// <summary>
    /// Workspace discovery (uv-workspace/src/workspace.rs) and the choice of the files whose settings apply
    /// (uv-settings FilesystemOptions::find, user and system files from <see cref="PlatformConfigPaths"/>).
    /// </summary>
    internal static class WorkspaceDiscovery
    {
        /// <summary>The start folder: <paramref name="startPath"/> made absolute against the environment's current folder (a file's folder for a file).</summary>
        public static string StartDirectory(string startPath, EngineEnvironment environment)
        {
            var full = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, string.IsNullOrEmpty(startPath) ? "." : startPath));
            if (File.Exists(full))
            {
                full = Path.GetDirectoryName(full) ?? full;
            }

            return full;
        }

        /// <summary>The files uv reads from <see cref="ConfigurationRequest.StartPath"/>: the workspace (member and root), then
        /// <c>--config-file</c> alone, or nothing with <c>--no-config</c>, or the project's settings file, the user's and the system's.</summary>
        public static Discovery Discover(ConfigurationRequest request, EngineEnvironment environment)
        {
            var result = new Discovery();
            var start = StartDirectory(request.StartPath, environment);

            // Workspace discovery (uv-workspace/src/workspace.rs Workspace::discover / find_workspace).
            var member = FindWorkspace(start, result.Base, out var root);
            if (member != null)
            {
                result.SourceFiles.Add(member);
                if (root != null && !ReferenceEquals(root, member))
                {
                    result.SourceFiles.Add(root);
                }
            }

            result.WorkspaceRoot = root != null ? Path.GetDirectoryName(root.Path) : null;
            result.Base.Directory = result.WorkspaceRoot ?? (member != null ? Path.GetDirectoryName(member.Path) : null);

            var configFile = request.ConfigFile ?? environment.Get("UV_CONFIG_FILE");
            var noConfig = request.NoConfig || ConfigValues.ParseBoolish(environment.Get("UV_NO_CONFIG")) == true;
            if (configFile != null)
            {
                var path = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, configFile));
                if (string.Equals(Path.GetFileName(path), "pyproject.toml", StringComparison.OrdinalIgnoreCase))
                {
                    result.Warnings.Add("The config file " + path + " should be a uv.toml file, not a pyproject.toml (uv reads it as uv.toml).");
                }

                if (!File.Exists(path))
                {
                    throw new IndexConfigurationException("The configuration file " + path + " does not exist.", path) { Kind = ErrorKind.ConfigFileNotFound };
                }

                result.Files.Add(ConfigFileSettings.Read(path, false, ConfigOrigin.ConfigFile, result.Base));
                return result;
            }

            if (noConfig)
            {
                return result;
            }

            // FilesystemOptions::find starts at the workspace root when there is a workspace.
            var project = FindProjectSettings(result.WorkspaceRoot ?? start, result.Warnings, result.Base);
            if (project != null)
            {
                result.Project = project;
                result.Files.Add(project);
                result.Base.Directory ??= Path.GetDirectoryName(project.Path);
            }

            var user = PlatformConfigPaths.UserConfigPath(environment);
            if (user != null && File.Exists(user))
            {
                result.Files.Add(ConfigFileSettings.Read(user, false, ConfigOrigin.User, result.Base));
            }

            if (ConfigValues.ParseBoolish(environment.Get("UV_NO_SYSTEM_CONFIG")) != true)
            {
                var system = PlatformConfigPaths.SystemConfigPath(environment);
                if (system != null)
                {
                    result.Files.Add(ConfigFileSettings.Read(system, false, ConfigOrigin.System, result.Base));
                }
            }

            return result;
        }

        /// <summary>
        /// The nearest pyproject.toml (the project) and the workspace root's pyproject.toml (the project itself when it is
        /// the root or not in a workspace). Null when no pyproject.toml is found or the project is not a uv project.
        /// </summary>
        private static ConfigFileSettings? FindWorkspace(string start, ProvenanceBase relativeTo, out ConfigFileSettings? root)
        {
            root = null;
            string? projectDir = null;
            for (var dir = start; dir != null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "pyproject.toml")))
                {
                    projectDir = dir;
                    break;
                }
            }

            if (projectDir is null)
            {
                return null;
            }

            var project = ConfigFileSettings.Read(Path.Combine(projectDir, "pyproject.toml"), true, ConfigOrigin.Project, relativeTo);
            if (project.IsUnmanaged)
            {
                return null;
            }

            if (project.WorkspaceMembers != null)
            {
                root = project;
                return project;
            }

            if (!project.HasProjectTable)
            {
                return null;
            }

            root = project;
            for (var dir = Path.GetDirectoryName(projectDir); dir != null; dir = Path.GetDirectoryName(dir))
            {
                var candidate = Path.Combine(dir, "pyproject.toml");
                if (!File.Exists(candidate))
                {
                    continue;
                }

                var parent = ConfigFileSettings.Read(candidate, true, ConfigOrigin.Project, relativeTo);
                if (parent.WorkspaceMembers != null
                    && Matches(parent.WorkspaceMembers, dir, projectDir)
                    && !Matches(parent.WorkspaceExclude, dir, projectDir))
                {
                    root = parent;
                }

                break;
            }

            return project;
        }

        private static bool Matches(IEnumerable<string> globs, string rootDir, string projectDir)
        {
            var relative = projectDir.Substring(rootDir.Length).TrimStart(Path.DirectorySeparatorChar, '/').Replace('\\', '/');
            foreach (var glob in globs)
            {
                var pattern = glob.Replace('\\', '/');
                while (pattern.StartsWith("./", StringComparison.Ordinal))
                {
                    pattern = pattern.Substring(2);
                }

                if (Regex.IsMatch(relative, GlobToRegex(pattern.TrimEnd('/'))))
                {
                    return true;
                }
            }

            return false;
        }

        private static string GlobToRegex(string glob)
        {
            var builder = new StringBuilder("^");
            for (var i = 0; i < glob.Length; i++)
            {
                var c = glob[i];
                if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
                {
                    builder.Append(".*");
                    i++;
                }
                else if (c == '*')
                {
                    builder.Append("[^/]*");
                }
                else if (c == '?')
                {
                    builder.Append("[^/]");
                }
                else
                {
                    builder.Append(Regex.Escape(c.ToString()));
                }
            }

            return builder.Append('$').ToString();
        }

        /// <summary>uv's FilesystemOptions::find: the nearest uv.toml, or pyproject.toml with [tool.uv], walking up.</summary>
        private static ConfigFileSettings? FindProjectSettings(string start, List<string> warnings, ProvenanceBase relativeTo)
        {
            for (var dir = start; dir != null; dir = Path.GetDirectoryName(dir))
            {
                var uvToml = Path.Combine(dir, "uv.toml");
                var pyproject = Path.Combine(dir, "pyproject.toml");
                if (File.Exists(uvToml))
                {
                    var settings = ConfigFileSettings.Read(uvToml, false, ConfigOrigin.Project, relativeTo);
                    if (File.Exists(pyproject))
                    {
                        try
                        {
                            if (ConfigFileSettings.Read(pyproject, true, ConfigOrigin.Project).HasUvTable)
                            {
                                warnings.Add(uvToml + " takes precedence over the [tool.uv] table of " + pyproject + ", whose settings are ignored.");
                            }
                        }
                        catch (IndexConfigurationException)
                        {
                            // uv only reads the pyproject.toml here to warn; a broken one changes nothing.
                        }
                    }

                    return settings;
                }

                if (File.Exists(pyproject))
                {
                    var settings = ConfigFileSettings.Read(pyproject, true, ConfigOrigin.Project, relativeTo);
                    if (settings.SettingsProblem != null)
                    {
                        warnings.Add(settings.SettingsProblem);
                        continue;
                    }

                    if (settings.HasUvTable)
                    {
                        return settings;
                    }
                }
            }

            return null;
        }
    }
}
