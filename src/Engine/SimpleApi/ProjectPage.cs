using IndexTools.Engine.Security;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>Wheel or source distribution.</summary>
    public enum DistributionKind
    {
        Wheel,
        Sdist,
    }

    /// <summary>One file listed on a project page; only what the search and the objects use is kept.</summary>
    public sealed class DistributionFile
    {
        private string? _requiresPython;
        private string? _yankedReason;

        public DistributionFile(string filename, string url)
        {
            // Kept as the index wrote them: uv orders and matches files by these exact strings.
            Filename = filename;
            Url = url;
        }

        /// <summary>
        /// The file name: for HTML the last path segment of the link URL, query removed, percent-decoded (as uv reads it,
        /// not the link text); for JSON the <c>filename</c> field; for a folder the file name.
        /// </summary>
        public string Filename { get; }

        /// <summary>Absolute URL of the file, resolved against the page's final URL (fragment removed).</summary>
        public string Url { get; }

        /// <summary>The version read from the filename as uv reads it; null when the filename is not a distribution of this project.</summary>
        public string? Version { get; set; }

        public DistributionKind? Kind { get; set; }

        /// <summary>PEP 503 <c>data-requires-python</c> / PEP 691 <c>requires-python</c>, unescaped.</summary>
        public string? RequiresPython { get => _requiresPython; set => _requiresPython = NetworkText.EscapeControls(value); }

        /// <summary>PEP 592: the file is yanked (HTML <c>data-yanked</c> present; JSON <c>yanked</c> true or a string).</summary>
        public bool Yanked { get; set; }

        /// <summary>The yank reason as given (may be empty); null when none was given.</summary>
        public string? YankedReason { get => _yankedReason; set => _yankedReason = NetworkText.Clean(value); }

        /// <summary>An HTML <c>data-yanked</c> attribute without a value: uv reads it as yanked, pip 23.2.1 as not yanked.</summary>
        public bool YankedBare { get; set; }

        /// <summary>Hashes from the URL fragment or the JSON <c>hashes</c> map (algorithm → hex digest).</summary>
        public IReadOnlyDictionary<string, string> Hashes { get; set; } = HashMap.Empty;

        /// <summary>PEP 700 <c>upload-time</c>, when the index gives it.</summary>
        public DateTimeOffset? UploadTime { get; set; }

        /// <summary>PEP 700 <c>size</c>, when the index gives it.</summary>
        public long? Size { get; set; }

        public override string ToString() => Filename;
    }

    /// <summary>A parsed project page (PEP 503 HTML, PEP 691 JSON, or the files a flat index lists for a project).</summary>
    public sealed class ProjectPage
    {
        private string? _apiVersion;
        private IReadOnlyList<string> _tracks = Array.Empty<string>();
        private IReadOnlyList<string> _alternateLocations = Array.Empty<string>();

        public ProjectPage(string name, IReadOnlyList<DistributionFile> files)
        {
            Name = name;
            Files = files;
        }

        /// <summary>The normalized project name the page is for.</summary>
        public string Name { get; }

        public IReadOnlyList<DistributionFile> Files { get; }

        /// <summary>PEP 629/691 <c>meta.api-version</c> (or the HTML <c>pypi:repository-version</c> meta), when present.</summary>
        public string? ApiVersion { get => _apiVersion; set => _apiVersion = NetworkText.Clean(value); }

        /// <summary>PEP 700 <c>versions</c>, when present (JSON only).</summary>
        public IReadOnlyList<string>? Versions { get; set; }

        /// <summary>PEP 708 <c>tracks</c> URLs, when present.</summary>
        public IReadOnlyList<string> Tracks { get => _tracks; set => _tracks = CleanAll(value); }

        /// <summary>PEP 708 <c>alternate-locations</c> URLs, when present.</summary>
        public IReadOnlyList<string> AlternateLocations { get => _alternateLocations; set => _alternateLocations = CleanAll(value); }

        /// <summary>"json", "html" or "flat": which form the page came in.</summary>
        public string Format { get; set; } = "html";

        /// <summary>PEP 708 URLs as network text: control characters escaped, user info and signatures redacted.</summary>
        private static IReadOnlyList<string> CleanAll(IReadOnlyList<string>? values)
        {
            if (values is null || values.Count == 0)
            {
                return Array.Empty<string>();
            }

            var clean = new string[values.Count];
            for (var i = 0; i < clean.Length; i++)
            {
                clean[i] = NetworkText.Clean(values[i]) ?? "";
            }

            return clean;
        }
    }
}
