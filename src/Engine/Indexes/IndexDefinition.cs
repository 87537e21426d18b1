namespace IndexTools.Engine.Indexes
{
    /// <summary>uv's <c>format</c> of an index.</summary>
    public enum IndexFormat
    {
        /// <summary>PEP 503 / PEP 691 Simple Repository API.</summary>
        Simple,
        /// <summary>A flat list of distribution files (find-links): a local folder or an HTML page of links.</summary>
        Flat,
    }

    /// <summary>uv's <c>authenticate</c> setting of an index.</summary>
    public enum AuthenticatePolicy
    {
        Auto,
        Always,
        Never,
    }

    /// <summary>
    /// One index as configuration defines it, with every field uv accepts. The URL may carry embedded
    /// credentials: it is internal to the engine; anything shown to users goes through <see cref="UrlRedactor"/>.
    /// </summary>
    /// <remarks>
    /// Immutable: a definition is built once (the constructor and an object initializer) and derived with <c>with</c>
    /// (<see cref="AsCallerIndex"/>, <see cref="AsPinnedTarget"/>), which copies every field, so adding a field is one
    /// property here plus its parser line (ConfigFileSettings.ParseIndex). <c>IndexDefinitionDerivationTests</c> fails
    /// when a derivation drops one. Two definitions are the same index only when they are the same object (the search
    /// and the hints ask "is this that find-links entry"); compare URLs through their own key, not through Equals.
    /// </remarks>
    public sealed record IndexDefinition
    {
        private readonly Provenance _source;

        public IndexDefinition(string? name, string url, Provenance source)
        {
            Name = name;
            Url = url ?? throw new ArgumentNullException(nameof(url));
            _source = source ?? throw new ArgumentNullException(nameof(source));

            // A password embedded in the URL is a secret the engine now holds, even before it is used.
            Security.SecretScrubber.RegisterUrl(url);
        }

        /// <summary>Index name (ASCII letters, digits, '-', '_', '.'), or null for an unnamed index.</summary>
        public string? Name { get; }

        /// <summary>The index URL as configured (may embed credentials; may be a local path for flat indexes). Set only by
        /// the constructor, which registers its secret: a derivation keeps the URL.</summary>
        public string Url { get; }

        /// <summary>The URL as a value: what every comparison of indexes uses (uv's canonical URL; <see cref="IndexUrl.ToString"/> redacts).
        /// Derived from <see cref="Url"/> and never stale: a copy whose Url differs parses its own.</summary>
        public IndexUrl IndexUrl
        {
            get
            {
                var parsed = _indexUrl;
                if (parsed is null || !ReferenceEquals(parsed.Text, Url))
                {
                    parsed = IndexUrl.Parse(Url);
                    _indexUrl = parsed;
                }

                return parsed;
            }
        }

        private IndexUrl? _indexUrl;

        /// <summary>Where the index was defined (for a caller-given name, the parameter or variable that named it).</summary>
        public Provenance Source
        {
            get => _source;
            init => _source = value ?? throw new ArgumentNullException(nameof(value));
        }

        public bool IsDefault { get; init; }

        public bool IsExplicit { get; init; }

        public IndexFormat Format { get; init; } = IndexFormat.Simple;

        public AuthenticatePolicy Authenticate { get; init; } = AuthenticatePolicy.Auto;

        /// <summary>The configured <c>ignore-error-codes</c>; null when the key is absent (inference applies), empty for <c>[]</c>.</summary>
        public IReadOnlyList<int>? IgnoreErrorCodes { get; init; }

        /// <summary>Where <see cref="IgnoreErrorCodes"/> was set; null when absent.</summary>
        public Provenance? IgnoreErrorCodesSource { get; init; }

        /// <summary><c>cache-control.api</c>: a Cache-Control header value that overrides the server's for Simple API pages.</summary>
        public string? CacheControlApi { get; init; }

        /// <summary><c>cache-control.files</c>.</summary>
        public string? CacheControlFiles { get; init; }

        /// <summary><c>publish-url</c> (parsed and shown; not used by the search).</summary>
        public string? PublishUrl { get; init; }

        /// <summary>The index's own exclude-newer (uv: [[tool.uv.index]] exclude-newer, a preview feature); a null Value: false (disabled for this index).</summary>
        public Versions.SettingValue<DateTimeOffset?>? ExcludeNewer { get; init; }

        /// <summary>The URL with credentials replaced by <c>****</c>.</summary>
        public string DisplayUrl => IndexUrl.Display;

        /// <summary>How users see this index: its name, or its redacted URL.</summary>
        public string DisplayName => Name ?? DisplayUrl;

        /// <summary>
        /// A configured index that a caller named (<c>--index name</c>, <c>--default-index name</c>, <c>UV_INDEX</c>,
        /// <c>UV_DEFAULT_INDEX</c>): every field of the configured one, the caller's provenance, and the caller's role
        /// (default or not; never explicit, as uv's IndexArg gives it).
        /// </summary>
        public IndexDefinition AsCallerIndex(Provenance source, bool isDefault) => this with { Source = source, IsDefault = isDefault, IsExplicit = false };

        /// <summary>An index that the search list lacks but that <c>[tool.uv.sources]</c> pins packages to: every field,
        /// searched only for the packages pinned to it (explicit, never the default).</summary>
        public IndexDefinition AsPinnedTarget() => this with { IsDefault = false, IsExplicit = true };

        /// <summary>Identity, not field equality: the same object is the same entry of an index list.</summary>
        public bool Equals(IndexDefinition? other) => ReferenceEquals(this, other);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

        public override string ToString() => DisplayName;
    }
}
