using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace IndexTools
{
    /// <summary>How serious a finding is, for CI annotations and for failing a pipeline step.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum ReportSeverity
    {
        /// <summary>Nothing to act on (a package resolved as expected, an index that answered correctly).</summary>
        Info,
        /// <summary>Worth knowing (advisory: PEP 708 data, a cache header missing).</summary>
        Notice,
        /// <summary>A risk or a degraded answer (medium risk, a lock that drifted, a pip-only index).</summary>
        Warning,
        /// <summary>Fails the step by default (high risk, a package that cannot be resolved, an unreachable index).</summary>
        Error,
    }

    /// <summary>
    /// One line of a CI report. Every output type that <c>Write-IndexReport</c> accepts implements
    /// <see cref="IReportable"/> explicitly, so the entries never appear in the objects' own properties or JSON.
    /// </summary>
    public sealed class ReportEntry
    {
        public ReportEntry(string section, ReportSeverity severity, string subject, string? index, string title, string message)
        {
            Section = section;
            Severity = severity;
            Subject = subject;
            Index = index;
            Title = title;
            Message = message;
        }

        /// <summary>The report section (one Markdown table each): Resolution, Shadowing, StrategyComparison, IndexProbe, LockDrift, Configuration.</summary>
        public string Section { get; }

        public ReportSeverity Severity { get; }

        /// <summary>The package (normalized name) or index name the entry is about.</summary>
        public string Subject { get; }

        /// <summary>The index involved (name, or a redacted URL), when there is one.</summary>
        public string? Index { get; }

        /// <summary>A short title for an annotation (one line, no secrets).</summary>
        public string Title { get; }

        /// <summary>The explanation (may span lines; no secrets).</summary>
        public string Message { get; }

        /// <summary>
        /// The file the entry points at (the requirement, the uv.lock package, the requirements-file line, the index's
        /// declaration), a full path when known; null when the object knows none. CI annotations show it relative to the
        /// workspace.
        /// </summary>
        public string? File { get; set; }

        /// <summary>The 1-based line in <see cref="File"/>; null when not known.</summary>
        public int? Line { get; set; }

        /// <summary>Extra columns for the Markdown/JUnit output, in order (e.g. Version, Strategy). Optional.</summary>
        public IList<KeyValuePair<string, string>> Columns { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>
        /// The entry of a side-by-side comparison (Compare-IndexStrategy's strategies, or its two -UvVersion releases): a
        /// Warning when the sides differ, else Info; about the package, no single index; titled <paramref name="differ"/>
        /// or <paramref name="agree"/>; <paramref name="columns"/> (each side's pick) in order.
        /// </summary>
        internal static ReportEntry Comparison(string section, string package, bool differs, string differ, string agree, string message, params (string Name, string Value)[] columns)
        {
            var entry = new ReportEntry(section, differs ? ReportSeverity.Warning : ReportSeverity.Info, package, null, package + ": " + (differs ? differ : agree), message);
            foreach (var (name, value) in columns)
            {
                entry.Columns.Add(new KeyValuePair<string, string>(name, value));
            }

            return entry;
        }

        public override string ToString() => $"{Severity} {Section} {Subject}: {Title}";
    }

    /// <summary>An output object that can describe itself as CI report entries.</summary>
    public interface IReportable
    {
        IEnumerable<ReportEntry> GetReportEntries();
    }
}
