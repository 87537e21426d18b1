namespace IndexTools.Engine.Config
{
    /// <summary>What the caller adds to discovery: uv's command-line flags, our cmdlet parameters.</summary>
    public sealed class ConfigurationRequest
    {
        /// <summary>A project folder, or a pyproject.toml / uv.toml file. Discovery walks up from here.</summary>
        public string StartPath { get; set; } = ".";

        /// <summary>uv's --config-file: replaces every discovered uv.toml (the project's pyproject.toml still applies).</summary>
        public string? ConfigFile { get; set; }

        /// <summary>uv's --no-config: skip discovery entirely.</summary>
        public bool NoConfig { get; set; }

        /// <summary>uv's --index: each a URL, a name defined in configuration, or name=url. Searched before configured indexes.</summary>
        public IReadOnlyList<string> Indexes { get; set; } = Array.Empty<string>();

        /// <summary>uv's --default-index: a URL, name or name=url.</summary>
        public string? DefaultIndex { get; set; }

        /// <summary>uv's --index-strategy.</summary>
        public IndexStrategy? Strategy { get; set; }

        /// <summary>uv's --find-links: flat indexes (folders or URLs).</summary>
        public IReadOnlyList<string> FindLinks { get; set; } = Array.Empty<string>();

        /// <summary>uv's --no-index.</summary>
        public bool? NoIndex { get; set; }
    }
}
