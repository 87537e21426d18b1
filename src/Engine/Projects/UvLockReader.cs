using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Projects
{
    /// <summary>One <c>[[package]]</c> of a uv.lock.</summary>
    /// <param name="Name">The name as the lock writes it.</param>
    /// <param name="Version">The locked version ("" when the entry has none).</param>
    /// <param name="SourceKind">The key of the package's <c>source</c> table: registry, editable, virtual, directory, path, git or url ("" when absent).</param>
    /// <param name="Registry">For a registry source: the index URL (or a path relative to the lock's folder) as the lock records it.</param>
    /// <param name="Line">1-based line of the package's <c>[[package]]</c> header.</param>
    public sealed record LockedPackage(string Name, string Version, string SourceKind, string? Registry, int Line)
    {
        /// <summary>The PEP 503 normalized <see cref="Name"/> (computed once, when the entry is read).</summary>
        public string NormalizedName { get; } = PackageName.Normalize(Name);

        public bool IsRegistry => SourceKind == "registry" && Registry != null;

        /// <summary>The package's <c>resolution-markers</c>: the forks of the universal resolution it was locked in (empty: every fork).</summary>
        public IReadOnlyList<string> ResolutionMarkers { get; internal set; } = Array.Empty<string>();
    }

    /// <summary>Reads the packages of a uv.lock (the registry each one was locked from, its version).</summary>
    public static class UvLockReader
    {
        /// <summary>Every [[package]] in file order. Throws IndexConfigurationException for invalid TOML, FileNotFoundException when missing.</summary>
        public static IReadOnlyList<LockedPackage> Read(string path, List<ProjectProblem>? problems = null)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException("The lock file " + full + " does not exist.", full);
            }

            var file = TomlFile.Read(full);
            var result = new List<LockedPackage>();
            if (!(file.Root.Get("package") is TomlArrayNode packages))
            {
                return result;
            }

            foreach (var node in packages.Items)
            {
                if (!(node is TomlTableNode package))
                {
                    continue;
                }

                var name = (package.Get("name") as TomlScalar)?.Value as string;
                var version = (package.Get("version") as TomlScalar)?.Value as string;
                if (name is null)
                {
                    problems?.Add(new ProjectProblem(ProjectProblemKind.Error, ErrorKind.InvalidLockEntry, full, package.Line, full + ":" + package.Line + ": a [[package]] without a name."));
                    continue;
                }

                var kind = "";
                string? registry = null;
                if (package.Get("source") is TomlTableNode source && source.Entries.Count > 0)
                {
                    kind = source.Entries[0].Key;
                    if (source.Get("registry") is TomlScalar { Value: string url })
                    {
                        kind = "registry";
                        registry = url;
                    }
                }

                var locked = new LockedPackage(name, version ?? "", kind, registry, package.Line);
                if (package.Get("resolution-markers") is TomlArrayNode markers)
                {
                    locked.ResolutionMarkers = markers.Items.OfType<TomlScalar>().Select(m => m.Value as string).Where(m => m != null).Select(m => m!).ToArray();
                }

                result.Add(locked);
            }

            return result;
        }

        /// <summary>
        /// The lock's top-level <c>requires-python</c> (the range uv resolved the lock for) and its place (<c>uv.lock:2</c>),
        /// or (null, null) when the lock has none. Throws as <see cref="Read"/> does.
        /// </summary>
        public static (string? RequiresPython, string? Source) ReadRequiresPython(string path)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException("The lock file " + full + " does not exist.", full);
            }

            var file = TomlFile.Read(full);
            return file.Root.Get("requires-python") is TomlScalar { Value: string text } node
                ? (text, Path.GetFileName(full) + ":" + node.Line)
                : ((string?)null, (string?)null);
        }

        /// <summary>
        /// The requirements that re-resolve a lock: <c>name==version</c> for each registry package. Other sources
        /// (the project itself, editables, git, paths, URLs) come back as Skipped problems.
        /// </summary>
        public static ProjectInput ReadRequirements(string path)
        {
            var full = Path.GetFullPath(path);
            var input = new ProjectInput(full);
            (input.RequiresPython, input.RequiresPythonSource) = ReadRequiresPython(full);
            foreach (var package in Read(full, input.Problems))
            {
                if (!package.IsRegistry)
                {
                    input.Problems.Add(new ProjectProblem(ProjectProblemKind.Skipped, ErrorKind.NonIndexSource, full, package.Line,
                        full + ":" + package.Line + ": '" + package.Name + "' is locked from a " + (package.SourceKind.Length == 0 ? "missing" : package.SourceKind) + " source, not a registry; it is not searched."));
                    continue;
                }

                var text = package.Version.Length == 0 ? package.Name : package.Name + "==" + package.Version;
                if (!Requirement.TryParse(text, out var requirement, out var error) || requirement is null)
                {
                    input.Problems.Add(new ProjectProblem(ProjectProblemKind.Error, ErrorKind.InvalidLockEntry, full, package.Line, full + ":" + package.Line + ": " + error));
                    continue;
                }

                // The registry is kept: the same name and version locked from two registries (torch from PyTorch's index on
                // Linux, from PyPI elsewhere) are two entries, each resolved against its own registry.
                input.Add(new ProjectRequirement(requirement, full, package.Line, "uv.lock") { Registry = package.Registry });
            }

            return input;
        }
    }
}
