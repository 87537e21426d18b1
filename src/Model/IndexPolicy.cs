namespace IndexTools
{
    /// <summary>One index in search order, with the policy the search applies to it and where each part came from.</summary>
    public sealed class IndexPolicy
    {
        /// <summary>1-based position in the search order; 0 for a find-links location (merged into every package's candidates, not searched in order).</summary>
        public int Order { get; set; }

        /// <summary>Index name, or null for an unnamed index (URL from the command line or environment).</summary>
        public string? Name { get; set; }

        /// <summary>Redacted URL.</summary>
        public string Url { get; set; } = "";

        /// <summary>The effective index strategy for the search.</summary>
        public IndexStrategy Strategy { get; set; }

        /// <summary>Where the strategy came from: default, a file path and key, an environment variable, a parameter.</summary>
        public string StrategySource { get; set; } = "default";

        /// <summary>uv's <c>default = true</c>: searched last.</summary>
        public bool Default { get; set; }

        /// <summary>uv's <c>explicit = true</c>: used only for packages pinned to it in [tool.uv.sources].</summary>
        public bool Explicit { get; set; }

        /// <summary>simple, flat (a <c>format = "flat"</c> index) or find-links.</summary>
        public string Format { get; set; } = "simple";

        /// <summary>False for a flat index or find-links location: uv has no status-code policy for them (anything but a readable page ends the operation with an error).</summary>
        public bool HasStatusCodePolicy { get; set; } = true;

        /// <summary>auto, always or never.</summary>
        public string Authenticate { get; set; } = "auto";

        /// <summary>Codes this index ignores beyond 404 (404 always continues).</summary>
        public int[] IgnoredStatusCodes { get; set; } = Array.Empty<int>();

        /// <summary><c>default</c>, <c>inferred: download.pytorch.org</c>, or the file that set ignore-error-codes.</summary>
        public string PolicySource { get; set; } = "default";

        /// <summary>The file whose ignore-error-codes are in effect for this index (null when none are: default, inferred, or an unsafe strategy).</summary>
        public string? PolicyFile { get; set; }

        /// <summary>The 1-based line of those ignore-error-codes in <see cref="PolicyFile"/>.</summary>
        public int? PolicyLine { get; set; }

        /// <summary>
        /// When the URL is defined more than once (in several layers, or as [[index]] and extra-index-url): the entry whose
        /// ignore-error-codes govern it, as <c>file:line table 'name'</c> (uv takes the first configured index whose URL
        /// matches). Null when this index's own, only definition governs.
        /// </summary>
        public string? GoverningEntry { get; set; }

        /// <summary>The other definitions of the same URL, in uv's definition order (their ignore-error-codes do not apply).</summary>
        public string[] OtherDefinitions { get; set; } = Array.Empty<string>();

        /// <summary>Codes that stop the search on this index under the effective strategy.</summary>
        public int[] StopsOn { get; set; } = Array.Empty<int>();

        /// <summary>The file (and table), environment variable or parameter that defined the index.</summary>
        public string Source { get; set; } = "";

        /// <summary>The configuration file that holds this index's definition, when it came from a file (for editing).</summary>
        public string? ConfigFile { get; set; }

        /// <summary>Indexes pip's settings (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, pip.conf) define and uv ignores; the same list on every policy of one call.</summary>
        public PipIndexSetting[] IgnoredPipIndexes { get; set; } = Array.Empty<PipIndexSetting>();

        public override string ToString()
        {
            return (Name ?? Url) + " (" + Order + ")";
        }
    }
}
