namespace IndexTools.Engine.Indexes
{
    /// <summary>Where an effective configuration value came from.</summary>
    public enum ProvenanceKind
    {
        /// <summary>Built-in default (PyPI as the implicit default index, first-index strategy, ...).</summary>
        Default,
        /// <summary>A configuration file (pyproject.toml or uv.toml).</summary>
        File,
        /// <summary>An environment variable (UV_INDEX, UV_INDEX_STRATEGY, ...).</summary>
        Environment,
        /// <summary>A parameter given by the caller (uv's command-line flags; our cmdlet parameters).</summary>
        Parameter,
        /// <summary>Inferred from the index URL (download.pytorch.org ignores 403).</summary>
        Inference,
    }

    /// <summary>
    /// The folder that file provenance is shown relative to (the project or workspace root). One instance is shared by
    /// every setting read in one configuration discovery and set once the project is known, before anything is shown.
    /// </summary>
    internal sealed class ProvenanceBase
    {
        public string? Directory { get; set; }
    }

    /// <summary>
    /// Provenance of one value: kind plus a human description. A file value reads <c>file:line</c>: the path relative
    /// to the project when the file is inside it (<c>pyproject.toml:43</c>), the full path otherwise
    /// (<c>/home/me/.config/uv/uv.toml:3</c>); <see cref="Setting"/> names the key written there.
    /// </summary>
    public sealed class Provenance
    {
        private readonly string _description;
        private readonly ProvenanceBase? _base;

        public Provenance(ProvenanceKind kind, string description, string? filePath = null, int? line = null)
        {
            Kind = kind;
            _description = description;
            FilePath = filePath;
            Line = line;
        }

        private Provenance(string filePath, int line, int column, string setting, ProvenanceBase? relativeTo)
        {
            Kind = ProvenanceKind.File;
            _description = filePath + ":" + line;
            FilePath = filePath;
            Line = line;
            Column = column;
            Setting = setting;
            _base = relativeTo;
        }

        public ProvenanceKind Kind { get; }

        /// <summary>Shown to users as-is (IndexPolicy.Source, PolicySource, StrategySource): <c>pyproject.toml:43</c>, <c>env: UV_INDEX</c>, <c>default</c>.</summary>
        public string Description => _base?.Directory is string dir && FilePath != null && Line.HasValue
            ? DisplayPath(FilePath, dir) + ":" + Line.Value
            : _description;

        /// <summary>The configuration file, when <see cref="Kind"/> is File.</summary>
        public string? FilePath { get; }

        /// <summary>1-based line in <see cref="FilePath"/> where the value is written, when known.</summary>
        public int? Line { get; }

        /// <summary>1-based column of the value, when known.</summary>
        public int? Column { get; }

        /// <summary>The setting written there, as the file spells it: <c>[[tool.uv.index]] 'internal'</c>, <c>[tool.uv] index-strategy</c>; null when not a file.</summary>
        public string? Setting { get; }

        /// <summary><see cref="Description"/> followed by the setting, for messages: <c>pyproject.toml:43 [[tool.uv.index]] 'internal'</c>.</summary>
        public string Detail => Setting is null ? Description : Description + " " + Setting;

        public static Provenance Default { get; } = new Provenance(ProvenanceKind.Default, "default");

        public static Provenance FromEnvironment(string variable) => new Provenance(ProvenanceKind.Environment, "env: " + variable);

        public static Provenance FromParameter(string parameter) => new Provenance(ProvenanceKind.Parameter, "parameter: " + parameter);

        /// <summary>A value written at <paramref name="line"/>:<paramref name="column"/> of <paramref name="filePath"/> (a full path).</summary>
        internal static Provenance FromFile(string filePath, int line, int column, string setting, ProvenanceBase? relativeTo = null)
            => new Provenance(filePath, line, column, setting, relativeTo);

        /// <summary><paramref name="path"/> relative to <paramref name="directory"/> when inside it (with '/' separators), else the path as given.</summary>
        internal static string DisplayPath(string path, string? directory)
        {
            if (string.IsNullOrEmpty(directory))
            {
                return path;
            }

            var dir = directory!.TrimEnd('/', '\\');
            var comparison = System.IO.Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (path.Length > dir.Length + 1 && path.StartsWith(dir, comparison) && (path[dir.Length] == '/' || path[dir.Length] == '\\'))
            {
                return path.Substring(dir.Length + 1);
            }

            return path;
        }

        public override string ToString() => Description;
    }
}
