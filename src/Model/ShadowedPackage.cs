using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace IndexTools
{
    /// <summary>How likely a name on several indexes is a dependency-confusion problem.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum ShadowRisk
    {
        None,
        Low,
        Medium,
        High,
    }

    /// <summary>The kinds of reasons Find-ShadowedPackage gives (one reason object per kind found).</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum ShadowReasonKind
    {
        /// <summary>A public index offers a higher version than the internal one.</summary>
        PublicVersionHigher,
        /// <summary>The internal package is not pinned to its index through [tool.uv.sources].</summary>
        NotPinned,
        /// <summary>An index ignores 401/403 and is not PyTorch's, so a refusal falls through to later indexes.</summary>
        IgnoresAuthErrors,
        /// <summary>An unsafe strategy is in effect: every index is asked and another index's version can win.</summary>
        UnsafeStrategy,
        /// <summary>The public namesake was first uploaded after the internal package: the shape of a squat (PEP 700 upload-time).</summary>
        PublicUploadedLater,
        /// <summary>PEP 708 tracks / alternate-locations on a page: explains a collision, never silences it (uv ignores PEP 708).</summary>
        Pep708Advisory,
    }

    /// <summary>One reason behind a risk level.</summary>
    public sealed class ShadowReason
    {
        public ShadowReasonKind Kind { get; set; }

        /// <summary>The risk this reason alone carries.</summary>
        public ShadowRisk Risk { get; set; }

        public string Message { get; set; } = "";

        public override string ToString() => Kind + ": " + Message;
    }

    /// <summary>What one index offers for the package.</summary>
    public sealed class IndexVersionSet
    {
        public int Order { get; set; }

        public string? Index { get; set; }

        /// <summary>The index URL, credentials redacted.</summary>
        public string Url { get; set; } = "";

        /// <summary>True for a public index (PyPI, PyTorch, or one named with -PublicIndex); false for an internal one.</summary>
        public bool Public { get; set; }

        /// <summary>The index has a page for the package.</summary>
        public bool Found { get; set; }

        /// <summary>The HTTP status of the answer (null for a network error or a local index).</summary>
        public int? StatusCode { get; set; }

        /// <summary>Every version listed, ascending.</summary>
        public string[] Versions { get; set; } = Array.Empty<string>();

        /// <summary>The newest version listed (sorts as a PEP 440 version, prints and serializes as its string).</summary>
        public PackageVersion? LatestVersion { get; set; }

        /// <summary>The earliest PEP 700 upload-time of any file, when the index gives it.</summary>
        public DateTimeOffset? FirstUploaded { get; set; }

        /// <summary>PEP 708 tracks URLs on the page.</summary>
        public string[] Tracks { get; set; } = Array.Empty<string>();

        /// <summary>PEP 708 alternate-locations URLs on the page.</summary>
        public string[] AlternateLocations { get; set; } = Array.Empty<string>();

        /// <summary>Why the index gave no versions (status, network error), when it did not.</summary>
        public string? Problem { get; set; }

        public override string ToString() => (Index ?? Url) + ": " + (Found ? string.Join(", ", Versions) : Problem ?? "not found");
    }

    /// <summary>What one strategy (or pip) would choose.</summary>
    public sealed class StrategyPick
    {
        /// <summary>FirstIndex, UnsafeFirstMatch, UnsafeBestMatch or PipMergeAll.</summary>
        public string Strategy { get; set; } = "";

        public string? Index { get; set; }

        /// <summary>The version picked (sorts as a PEP 440 version, prints and serializes as its string); null when none.</summary>
        public PackageVersion? Version { get; set; }

        /// <summary>Why the search ended (uv's strategies); Found, NotFound or NoMatchingVersion for pip's merge.</summary>
        public string StopReason { get; set; } = "";

        /// <summary>The file the installer takes (pip's pick); null for uv's strategies and when nothing is picked.</summary>
        public string? File { get; set; }

        /// <summary>One line: why this pick (pip's rules that mattered, the target), and where pip and uv differ.</summary>
        public string? Reason { get; set; }

        /// <summary><c>1.4.1 from internal</c>, or the stop reason when nothing was chosen.</summary>
        public string ChoiceText() => Version is null ? StopReason : Version + " from " + Index;

        public override string ToString() => Strategy + ": " + ChoiceText();
    }

    /// <summary>A package name offered by more than one index: which index offers what, what each strategy picks, and the risk.</summary>
    public sealed class ShadowedPackage : IReportable
    {
        /// <summary>Normalized (PEP 503) package name.</summary>
        public string Package { get; set; } = "";

        public string Requirement { get; set; } = "";

        public ShadowRisk Risk { get; set; }

        public ShadowReason[] Reasons { get; set; } = Array.Empty<ShadowReason>();

        /// <summary>How many indexes have a page for the package.</summary>
        public int FoundOn { get; set; }

        /// <summary>Every configured index, in search order, with its versions.</summary>
        public IndexVersionSet[] Indexes { get; set; } = Array.Empty<IndexVersionSet>();

        /// <summary>First-index, unsafe-first-match, unsafe-best-match and pip's merge-all, side by side.</summary>
        public StrategyPick[] Picks { get; set; } = Array.Empty<StrategyPick>();

        /// <summary>The strategy in effect in the configuration.</summary>
        public IndexStrategy Strategy { get; set; }

        /// <summary>The index [tool.uv.sources] pins the package to, when it is pinned.</summary>
        public string? PinnedTo { get; set; }

        /// <summary>What each index that has the package offers at most: <c>internal 1.4.1, pypi 99.0.0</c> (from <see cref="Indexes"/>).</summary>
        public string Offered => string.Join(", ", Indexes.Where(i => i.Found).Select(i => (i.Index ?? i.Url) + " " + (i.LatestVersion ?? "-")).ToArray());

        /// <summary>Where the requirement was read from (<c>pyproject.toml:8 [project].dependencies</c>); null when given by name.</summary>
        public string? Source { get; set; }

        /// <summary>The full path of the file <see cref="Source"/> names; null when given by name.</summary>
        public string? SourceFile { get; set; }

        public override string ToString() => Package + " [" + Risk + "] on " + FoundOn + " indexes";

        IEnumerable<ReportEntry> IReportable.GetReportEntries()
        {
            var severity = Risk == ShadowRisk.High ? ReportSeverity.Error
                : Risk == ShadowRisk.Medium ? ReportSeverity.Warning
                : Risk == ShadowRisk.Low ? ReportSeverity.Notice
                : ReportSeverity.Info;
            var where = Offered;
            var entry = new ReportEntry(
                "Shadowing",
                severity,
                Package,
                Picks.FirstOrDefault(p => p.Strategy == "FirstIndex")?.Index,
                Package + " is on " + FoundOn + " indexes (" + Risk + " risk)",
                (Reasons.Length == 0 ? "No risk found." : string.Join("; ", Reasons.Select(r => r.Message).ToArray())) + " Offered: " + where + ".");
            entry.Columns.Add(new KeyValuePair<string, string>("Risk", Risk.ToString()));
            entry.Columns.Add(new KeyValuePair<string, string>("Offered", where));
            yield return entry.At(Source, SourceFile);
        }
    }

    /// <summary>One package under first-index, unsafe-first-match, unsafe-best-match and pip's merge-all, side by side.</summary>
    public sealed class StrategyComparison : IReportable
    {
        public string Package { get; set; } = "";

        public string Requirement { get; set; } = "";

        /// <summary>"version from index" (or the stop reason) under each strategy.</summary>
        public string FirstIndex { get; set; } = "";

        public string UnsafeFirstMatch { get; set; } = "";

        public string UnsafeBestMatch { get; set; } = "";

        public string PipMergeAll { get; set; } = "";

        /// <summary>True when the chosen index or version is not the same under every strategy.</summary>
        public bool Differs { get; set; }

        /// <summary>What uv's first-index hint suggests, checked: whether a later index really has a compatible version.</summary>
        public string? SubsequentIndexCheck { get; set; }

        public StrategyPick[] Picks { get; set; } = Array.Empty<StrategyPick>();

        /// <summary>Where the requirement was read from (<c>pyproject.toml:8 [project].dependencies</c>); null when given by name.</summary>
        public string? Source { get; set; }

        /// <summary>The full path of the file <see cref="Source"/> names; null when given by name.</summary>
        public string? SourceFile { get; set; }

        public override string ToString() => Package + ": " + FirstIndex + " | " + UnsafeFirstMatch + " | " + UnsafeBestMatch + " | " + PipMergeAll;

        IEnumerable<ReportEntry> IReportable.GetReportEntries()
        {
            var message = "first-index " + FirstIndex + "; unsafe-first-match " + UnsafeFirstMatch + "; unsafe-best-match " + UnsafeBestMatch + "; pip " + PipMergeAll
                + (SubsequentIndexCheck is null ? "" : ". " + SubsequentIndexCheck);
            yield return ReportEntry.Comparison("StrategyComparison", Package, Differs, "the strategies disagree", "every strategy agrees", message,
                ("FirstIndex", FirstIndex), ("UnsafeBestMatch", UnsafeBestMatch), ("Pip", PipMergeAll)).At(Source, SourceFile);
        }
    }
}
