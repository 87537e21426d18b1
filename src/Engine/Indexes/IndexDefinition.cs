using System;
using System.Collections.Generic;

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
    public sealed class IndexDefinition
    {
        public IndexDefinition(string? name, string url, Provenance source)
        {
            Name = name;
            Url = url ?? throw new ArgumentNullException(nameof(url));
            Source = source ?? throw new ArgumentNullException(nameof(source));

            // A password embedded in the URL is a secret the engine now holds, even before it is used.
            Security.SecretScrubber.RegisterUrl(url);
        }

        /// <summary>Index name (ASCII letters, digits, '-', '_', '.'), or null for an unnamed index.</summary>
        public string? Name { get; }

        /// <summary>The index URL as configured (may embed credentials; may be a local path for flat indexes).</summary>
        public string Url { get; }

        /// <summary>Where the index was defined.</summary>
        public Provenance Source { get; }

        public bool IsDefault { get; set; }

        public bool IsExplicit { get; set; }

        public IndexFormat Format { get; set; } = IndexFormat.Simple;

        public AuthenticatePolicy Authenticate { get; set; } = AuthenticatePolicy.Auto;

        /// <summary>The configured <c>ignore-error-codes</c>; null when the key is absent (inference applies), empty for <c>[]</c>.</summary>
        public IReadOnlyList<int>? IgnoreErrorCodes { get; set; }

        /// <summary>Where <see cref="IgnoreErrorCodes"/> was set; null when absent.</summary>
        public Provenance? IgnoreErrorCodesSource { get; set; }

        /// <summary><c>cache-control.api</c>: a Cache-Control header value that overrides the server's for Simple API pages.</summary>
        public string? CacheControlApi { get; set; }

        /// <summary><c>cache-control.files</c>.</summary>
        public string? CacheControlFiles { get; set; }

        /// <summary><c>publish-url</c> (parsed and shown; not used by the search).</summary>
        public string? PublishUrl { get; set; }

        /// <summary>The index's own exclude-newer (uv: [[tool.uv.index]] exclude-newer, a preview feature); a null Value: false (disabled for this index).</summary>
        public Versions.SettingValue<DateTimeOffset?>? ExcludeNewer { get; set; }

        /// <summary>The URL with credentials replaced by <c>****</c>.</summary>
        public string DisplayUrl => UrlRedactor.Redact(Url);

        /// <summary>How users see this index: its name, or its redacted URL.</summary>
        public string DisplayName => Name ?? DisplayUrl;

        public override string ToString() => DisplayName;
    }
}
