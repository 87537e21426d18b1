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

    /// <summary>Provenance of one value: kind plus a human description such as <c>/p/pyproject.toml [[tool.uv.index]] 'internal'</c>.</summary>
    public sealed class Provenance
    {
        public Provenance(ProvenanceKind kind, string description, string? filePath = null, int? line = null)
        {
            Kind = kind;
            Description = description;
            FilePath = filePath;
            Line = line;
        }

        public ProvenanceKind Kind { get; }

        /// <summary>Shown to users as-is (IndexPolicy.Source, PolicySource, StrategySource).</summary>
        public string Description { get; }

        /// <summary>The configuration file, when <see cref="Kind"/> is File.</summary>
        public string? FilePath { get; }

        /// <summary>1-based line in <see cref="FilePath"/> where the value is written, when known.</summary>
        public int? Line { get; }

        public static Provenance Default { get; } = new Provenance(ProvenanceKind.Default, "default");

        public static Provenance FromEnvironment(string variable) => new Provenance(ProvenanceKind.Environment, "env: " + variable);

        public static Provenance FromParameter(string parameter) => new Provenance(ProvenanceKind.Parameter, "parameter: " + parameter);

        public override string ToString() => Description;
    }
}
