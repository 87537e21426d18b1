namespace IndexTools
{
    /// <summary>
    /// One package searched with the same configuration under two uv releases (Compare-IndexStrategy -UvVersion A, B):
    /// where each would take it from, why each stopped, and which uv change explains the difference.
    /// </summary>
    public sealed class UvVersionComparison : IReportable
    {
        public string Package { get; set; } = "";

        public string Requirement { get; set; } = "";

        public IndexStrategy Strategy { get; set; }

        /// <summary>The first release given (e.g. 0.6.17).</summary>
        public string UvVersionA { get; set; } = "";

        /// <summary>The second release given (e.g. 0.12.5).</summary>
        public string UvVersionB { get; set; } = "";

        /// <summary>"version from index" or the stop reason, under A.</summary>
        public string ResultA { get; set; } = "";

        /// <summary>"version from index" or the stop reason, under B.</summary>
        public string ResultB { get; set; } = "";

        public bool IndexChanged { get; set; }

        public bool StopReasonChanged { get; set; }

        public bool VersionChanged { get; set; }

        /// <summary>True when the index, the stop reason or the version differ.</summary>
        public bool Differs => IndexChanged || StopReasonChanged || VersionChanged;

        /// <summary>One sentence per difference in the search, each naming the uv change (release and pull request) behind it.</summary>
        public string[] Why { get; set; } = Array.Empty<string>();

        /// <summary>The full search under A.</summary>
        public PackageResolution? A { get; set; }

        /// <summary>The full search under B.</summary>
        public PackageResolution? B { get; set; }

        public override string ToString() => Package + ": uv " + UvVersionA + " " + ResultA + " | uv " + UvVersionB + " " + ResultB;

        IEnumerable<ReportEntry> IReportable.GetReportEntries()
        {
            var message = "uv " + UvVersionA + ": " + ResultA + "; uv " + UvVersionB + ": " + ResultB + (Why.Length == 0 ? "" : ". " + string.Join(" ", Why));
            yield return ReportEntry.Comparison("UvVersionComparison", Package, Differs, "uv " + UvVersionA + " and uv " + UvVersionB + " disagree", "uv " + UvVersionA + " and uv " + UvVersionB + " agree", message,
                ("uv " + UvVersionA, ResultA), ("uv " + UvVersionB, ResultB));
        }
    }
}
