namespace IndexTools
{
    /// <summary>
    /// An index option found in a requirements file (<c>--index-url</c>, <c>--extra-index-url</c>, <c>-i</c>,
    /// <c>--find-links</c>, <c>--no-index</c>). <c>uv pip install -r</c> applies such lines; uv's project configuration
    /// does not read them, and neither does the search of <c>Resolve-PyPackage</c>. Written beside the resolutions so
    /// the line is reported, never silently dropped.
    /// </summary>
    public sealed class RequirementsFileOption : IReportable
    {
        /// <summary>The requirements file (full path).</summary>
        public string File { get; set; } = "";

        /// <summary>1-based line.</summary>
        public int Line { get; set; }

        /// <summary>The option's long name: --index-url, --extra-index-url, --find-links or --no-index.</summary>
        public string Option { get; set; } = "";

        /// <summary>The option's value, credentials redacted; null for --no-index.</summary>
        public string? Value { get; set; }

        /// <summary>What the line would do, and that the search did not apply it.</summary>
        public string Message { get; set; } = "";

        public override string ToString() => System.IO.Path.GetFileName(File) + ":" + Line + " " + Option + (Value is null ? "" : " " + Value);

        IEnumerable<ReportEntry> IReportable.GetReportEntries()
        {
            var entry = new ReportEntry("Configuration", ReportSeverity.Warning, System.IO.Path.GetFileName(File) + ":" + Line, Value, Option + " in a requirements file is not applied", Message);
            entry.Columns.Add(new KeyValuePair<string, string>("File", File));
            entry.File = File;
            entry.Line = Line > 0 ? Line : (int?)null;
            yield return entry;
        }
    }
}
