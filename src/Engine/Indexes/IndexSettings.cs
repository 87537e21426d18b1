using System.Collections.Concurrent;

namespace IndexTools.Engine.Indexes
{
    /// <summary>
    /// The effective configuration the search runs on: the indexes in search order (the default index last),
    /// the strategy, the packages pinned to an index, each with its provenance. Configuration produces it;
    /// the search consumes it.
    /// </summary>
    public sealed class IndexSettings
    {
        public IndexSettings(
            IReadOnlyList<IndexDefinition> indexes,
            IndexStrategy strategy,
            Provenance strategySource)
        {
            Indexes = indexes ?? throw new ArgumentNullException(nameof(indexes));
            Strategy = strategy;
            StrategySource = strategySource ?? throw new ArgumentNullException(nameof(strategySource));
        }

        /// <summary>Every index in search order: caller-given first, then project, user, system; the default index last.
        /// Explicit indexes are included (they are searched only for packages pinned to them).</summary>
        public IReadOnlyList<IndexDefinition> Indexes { get; }

        public IndexStrategy Strategy { get; private set; }

        public Provenance StrategySource { get; private set; }

        /// <summary>
        /// These settings under another strategy: every other setting carried as it is (pins, conditional sources, find-links,
        /// the selection policy, keyring provider, files, warnings, and any setting added later), each index's policy resolved
        /// anew for <paramref name="strategy"/>. The audit replays uv's strategies on these.
        /// </summary>
        public IndexSettings WithStrategy(IndexStrategy strategy, Provenance strategySource)
        {
            var copy = (IndexSettings)MemberwiseClone();
            copy.Strategy = strategy;
            copy.StrategySource = strategySource ?? throw new ArgumentNullException(nameof(strategySource));
            copy._policies = new ConcurrentDictionary<UvRules, ConcurrentDictionary<IndexDefinition, StatusCodePolicy>>();
            return copy;
        }

        /// <summary>Normalized package name → index name, from <c>[tool.uv.sources]</c> (<c>torch = { index = "pytorch" }</c>).</summary>
        public IReadOnlyDictionary<string, string> PinnedIndexes { get; set; } = new Dictionary<string, string>();

        /// <summary>
        /// Normalized package name → its <c>[tool.uv.sources]</c> list when the entries depend on an extra, a group or a
        /// marker (<c>torch = [{ index = "pytorch-cpu", extra = "cpu" }, { index = "pytorch-cu128", extra = "gpu" }]</c>).
        /// Such a package is in neither <see cref="PinnedIndexes"/> nor unpinned: <see cref="Projects.SourceSelector"/> says
        /// which entry applies to a requirement and a target environment.
        /// </summary>
        public IReadOnlyDictionary<string, Projects.PackageSources> ConditionalSources { get; set; } = new Dictionary<string, Projects.PackageSources>();

        /// <summary>uv's <c>find-links</c> / <c>--find-links</c> / <c>UV_FIND_LINKS</c>: flat locations whose files are merged with
        /// whatever the index search finds (and used alone when it finds nothing), as uv merges them. Not part of <see cref="Indexes"/>.</summary>
        public IReadOnlyList<IndexDefinition> FindLinks { get; set; } = Array.Empty<IndexDefinition>();

        /// <summary>uv's <c>no-index</c> / <c>UV_NO_INDEX</c>: ignore every Simple index (flat indexes still apply).</summary>
        public bool NoIndex { get; set; }

        /// <summary>exclude-newer, prerelease and resolution, with where each came from.</summary>
        public Versions.SelectionPolicy Selection { get; set; } = new Versions.SelectionPolicy();

        /// <summary>uv's keyring-provider: "disabled" (the default) or "subprocess" (runs `keyring get`).</summary>
        public string KeyringProvider { get; set; } = "disabled";

        public Provenance KeyringProviderSource { get; set; } = Provenance.Default;

        /// <summary>The project file (pyproject.toml or uv.toml) the settings came from, when any.</summary>
        public string? ProjectFile { get; set; }

        /// <summary>Every configuration file that contributed, project first.</summary>
        public IReadOnlyList<string> ConfigFiles { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Every index definition in uv's definition order, before names are deduplicated and the default is moved last:
        /// caller-given, then every file's <c>[[index]]</c> entries (project, user, system), then extra-index-url, then the
        /// index-url that wins (uv-settings settings.rs From&lt;IndexOptions&gt; for IndexLocations). uv takes an index's
        /// ignore-error-codes (and cache-control) from the first of these whose URL matches (index_url.rs index_for_url).
        /// Null when the settings were built by hand: <see cref="Indexes"/> stands in.
        /// </summary>
        public IReadOnlyList<IndexDefinition>? Definitions { get; set; }

        /// <summary>The list uv looks an index's URL up in for its policy: <see cref="Definitions"/>, else <see cref="Indexes"/>.</summary>
        public IReadOnlyList<IndexDefinition> PolicyDefinitions => Definitions ?? Indexes;

        /// <summary>
        /// The status-code policy of <paramref name="index"/> (an index of <see cref="Indexes"/>, a find-links location of
        /// <see cref="FindLinks"/>, or another definition looked up among <see cref="PolicyDefinitions"/>) under
        /// <see cref="Strategy"/> and <paramref name="rules"/> (default: uv 0.12.5). Resolved once per index and uv release:
        /// the search, Get-IndexStrategy, the audit and Test-PyIndex all read this one object.
        /// </summary>
        public StatusCodePolicy PolicyOf(IndexDefinition index, UvRules? rules = null)
        {
            if (index is null)
            {
                throw new ArgumentNullException(nameof(index));
            }

            var uv = rules ?? UvRules.Latest;
            var resolved = _policies.GetOrAdd(uv, _ => new ConcurrentDictionary<IndexDefinition, StatusCodePolicy>(ReferenceComparer.Instance));
            return resolved.GetOrAdd(index, i => IsFindLinks(i)
                ? StatusCodePolicy.ForFindLinks(i, Strategy, uv)
                : StatusCodePolicy.For(i, PolicyDefinitions, Strategy, uv));
        }

        private bool IsFindLinks(IndexDefinition index)
        {
            foreach (var location in FindLinks)
            {
                if (ReferenceEquals(location, index))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Policies depend on the strategy: a copy under another one (<see cref="WithStrategy"/>) starts with none.</summary>
        private ConcurrentDictionary<UvRules, ConcurrentDictionary<IndexDefinition, StatusCodePolicy>> _policies =
            new ConcurrentDictionary<UvRules, ConcurrentDictionary<IndexDefinition, StatusCodePolicy>>();

        /// <summary>Definitions by identity: two equal-looking definitions (the same URL given twice) are two indexes.</summary>
        private sealed class ReferenceComparer : IEqualityComparer<IndexDefinition>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public bool Equals(IndexDefinition? x, IndexDefinition? y) => ReferenceEquals(x, y);

            public int GetHashCode(IndexDefinition obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }

        /// <summary>Configuration file → its layer: project, user, system or config-file.</summary>
        public IReadOnlyDictionary<string, string> FileLayers { get; set; } = new Dictionary<string, string>();

        /// <summary>Things the user should know that are not errors (a pip setting uv ignores, a duplicate index name, ...).</summary>
        public IReadOnlyList<string> Warnings { get; set; } = Array.Empty<string>();
    }
}
