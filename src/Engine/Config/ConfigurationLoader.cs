using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Config
{
    /// <summary>
    /// Discovers uv's configuration and merges it with uv's precedence into the settings the search runs on. The entry
    /// point; the jobs live apart: <see cref="WorkspaceDiscovery"/> (which files apply), <see cref="PlatformConfigPaths"/>
    /// (user and system uv.toml), <see cref="IndexArguments"/> (indexes from parameters and the environment),
    /// <see cref="LayeredMerge"/> (the merge) and <see cref="LayeredSetting"/> (parameter, then environment, then the first file).
    /// </summary>
    public static class ConfigurationLoader
    {
        /// <summary>PyPI, the implicit default index.</summary>
        public const string PyPiUrl = "https://pypi.org/simple";

        /// <summary>Throws <see cref="IndexConfigurationException"/> (naming file, line, column, value) for invalid configuration.</summary>
        public static IndexSettings Load(ConfigurationRequest request, EngineEnvironment environment)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            var discovery = WorkspaceDiscovery.Discover(request, environment);
            return LayeredMerge.Merge(request, environment, discovery);
        }

        /// <summary>Index names defined in the configuration seen from <paramref name="startPath"/> (for tab completion; never throws, never touches the network).</summary>
        public static IReadOnlyList<string> ListIndexNames(string startPath, EngineEnvironment environment)
        {
            var names = new List<string>();
            try
            {
                var discovery = WorkspaceDiscovery.Discover(new ConfigurationRequest { StartPath = startPath }, environment);
                foreach (var file in discovery.Files.Concat(discovery.SourceFiles))
                {
                    foreach (var index in file.Indexes)
                    {
                        if (index.Name != null && !names.Contains(index.Name, StringComparer.Ordinal))
                        {
                            names.Add(index.Name);
                        }
                    }
                }
            }
            catch (Exception)
            {
                // Completion must never fail: a broken file simply offers no names.
            }

            return names;
        }

        /// <summary>
        /// The settings uv would see if <paramref name="path"/> held <paramref name="content"/> instead of what is on disk
        /// (a planned edit, checked before it is written). A file discovery does not see (a user uv.toml not yet created, a
        /// file given by path) takes its place in its layer: the user file after the project, another file alone.
        /// </summary>
        internal static IndexSettings LoadWith(ConfigurationRequest request, EngineEnvironment environment, string path, byte[]? content)
        {
            var full = Path.GetFullPath(path);
            var discovery = WorkspaceDiscovery.Discover(request, environment);
            var isPyProject = string.Equals(Path.GetFileName(full), "pyproject.toml", StringComparison.OrdinalIgnoreCase);
            var user = PlatformConfigPaths.UserConfigPath(environment);
            var isUser = user != null && string.Equals(Path.GetFullPath(user), full, StringComparison.Ordinal);
            var known = discovery.Files.Concat(discovery.SourceFiles).Any(f => string.Equals(f.Path, full, StringComparison.Ordinal));
            if (!known && !isUser)
            {
                discovery = new Discovery();
            }

            ConfigFileSettings? replacement = null;
            if (content != null)
            {
                var origin = isUser ? ConfigOrigin.User : discovery.Files.FirstOrDefault(f => string.Equals(f.Path, full, StringComparison.Ordinal))?.Origin ?? ConfigOrigin.ConfigFile;
                replacement = ConfigFileSettings.From(TomlFile.Parse(full, content), isPyProject, origin);
            }

            void Replace(List<ConfigFileSettings> list)
            {
                var at = list.FindIndex(f => string.Equals(f.Path, full, StringComparison.Ordinal));
                if (at >= 0)
                {
                    if (replacement is null)
                    {
                        list.RemoveAt(at);
                    }
                    else
                    {
                        list[at] = replacement;
                    }
                }
            }

            var wasInFiles = discovery.Files.Any(f => string.Equals(f.Path, full, StringComparison.Ordinal));
            Replace(discovery.Files);
            Replace(discovery.SourceFiles);
            if (!wasInFiles && replacement != null && (isUser ? request.ConfigFile is null && !request.NoConfig : !known))
            {
                var position = isUser ? discovery.Files.Count(f => f.Origin == ConfigOrigin.Project) : discovery.Files.Count;
                discovery.Files.Insert(position, replacement);
            }

            if (discovery.Project != null && string.Equals(discovery.Project.Path, full, StringComparison.Ordinal))
            {
                discovery.Project = replacement;
            }

            return LayeredMerge.Merge(request, environment, discovery);
        }
    }
}
