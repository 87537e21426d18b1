using System.Text.RegularExpressions;

namespace IndexTools.Engine.Reporting
{
    /// <summary>
    /// A last line of defence before CI output: report entries come from already-redacted objects, but any
    /// <c>scheme://user:password@</c> that still slipped into a field is replaced by <c>scheme://****@</c>.
    /// </summary>
    public static class ReportRedaction
    {
        private static readonly Regex Userinfo = new Regex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?!\*\*\*\*@)[^/@\s?#]+@", RegexOptions.CultureInvariant);

        public static string Redact(string? text) => text is null ? "" : Security.SecretScrubber.Scrub(Userinfo.Replace(text, "${scheme}****@"));

        /// <summary>A copy of <paramref name="entry"/> with every text field redacted.</summary>
        public static ReportEntry Clean(ReportEntry entry)
        {
            var clean = new ReportEntry(entry.Section, entry.Severity, Redact(entry.Subject), entry.Index is null ? null : Redact(entry.Index), Redact(entry.Title), Redact(entry.Message))
            {
                File = entry.File is null ? null : Redact(entry.File),
                Line = entry.Line,
            };
            foreach (var column in entry.Columns)
            {
                clean.Columns.Add(new KeyValuePair<string, string>(column.Key, Redact(column.Value)));
            }

            return clean;
        }
    }
}
