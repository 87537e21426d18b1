using IndexTools.Engine.Config;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Projects
{
    /// <summary>Finds a project's pyproject.toml and uv.lock the way the configuration loader finds the project.</summary>
    public static class ProjectLocator
    {
        /// <summary>
        /// The project seen from <paramref name="startPath"/>: the workspace member the configuration loader finds
        /// (uv's workspace discovery), else the nearest pyproject.toml walking up. Throws
        /// <see cref="IndexConfigurationException"/> (Kind ProjectNotFound) when there is none.
        /// </summary>
        public static string FindPyProject(string startPath, EngineEnvironment environment)
        {
            var start = WorkspaceDiscovery.StartDirectory(startPath, environment);
            var discovery = WorkspaceDiscovery.Discover(new ConfigurationRequest { StartPath = start, NoConfig = true }, environment);
            if (discovery.SourceFiles.Count > 0)
            {
                return discovery.SourceFiles[0].Path;
            }

            for (var dir = start; dir != null; dir = Path.GetDirectoryName(dir))
            {
                var candidate = Path.Combine(dir, "pyproject.toml");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new IndexConfigurationException("No pyproject.toml was found in " + start + " or any folder above it.", start) { Kind = ErrorKind.ProjectNotFound };
        }

        /// <summary>
        /// The uv.lock of the project seen from <paramref name="startPath"/>: uv writes it at the workspace root, so the
        /// workspace root's folder first, then the project's folder. Throws IndexConfigurationException (LockNotFound).
        /// </summary>
        public static string FindLock(string startPath, EngineEnvironment environment)
        {
            var start = WorkspaceDiscovery.StartDirectory(startPath, environment);
            var discovery = WorkspaceDiscovery.Discover(new ConfigurationRequest { StartPath = start, NoConfig = true }, environment);
            foreach (var dir in new[] { discovery.WorkspaceRoot, discovery.SourceFiles.Count > 0 ? Path.GetDirectoryName(discovery.SourceFiles[0].Path) : null })
            {
                if (dir != null && File.Exists(Path.Combine(dir, "uv.lock")))
                {
                    return Path.Combine(dir, "uv.lock");
                }
            }

            for (var dir = start; dir != null; dir = Path.GetDirectoryName(dir))
            {
                var candidate = Path.Combine(dir, "uv.lock");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new IndexConfigurationException("No uv.lock was found for the project in " + start + " (run 'uv lock' first).", start) { Kind = ErrorKind.LockNotFound };
        }

        /// <summary>
        /// A path given as a project: a pyproject.toml, a uv.lock, or a folder holding a pyproject.toml.
        /// Returns the full path of the file. Throws IndexConfigurationException (ProjectNotFound).
        /// </summary>
        public static string ResolveProjectPath(string path, EngineEnvironment environment)
        {
            var full = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, path));
            if (Directory.Exists(full))
            {
                var candidate = Path.Combine(full, "pyproject.toml");
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                throw new IndexConfigurationException("The folder " + full + " has no pyproject.toml.", full) { Kind = ErrorKind.ProjectNotFound };
            }

            if (!File.Exists(full))
            {
                throw new IndexConfigurationException("The project file " + full + " does not exist.", full) { Kind = ErrorKind.ProjectNotFound };
            }

            return full;
        }

        /// <summary>True when <paramref name="path"/> names a uv.lock (by file name).</summary>
        public static bool IsLockFile(string path) => string.Equals(Path.GetFileName(path), "uv.lock", StringComparison.OrdinalIgnoreCase);
    }
}
