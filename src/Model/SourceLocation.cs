using System.Text.RegularExpressions;

namespace IndexTools
{
    /// <summary>
    /// The one reader of <c>Source</c> values (<c>pyproject.toml:12 [project].dependencies</c>, <c>requirements.txt:3</c>,
    /// <c>/home/me/.config/uv/uv.toml:4</c>, <c>C:\p\uv.toml:4:9</c>): the file and the line they name. Values that name no
    /// file (<c>env: UV_INDEX</c>, <c>parameter: Index</c>, <c>default</c>) have no location.
    /// </summary>
    internal static class SourceLocation
    {
        // The shortest path followed by ":<line>" (and an optional ":<column>") that ends the value or a word: a drive
        // letter's colon is not followed by digits, and what follows the line (the origin) starts with a blank.
        private static readonly Regex FileLine = new Regex(@"^(?<path>.+?):(?<line>[0-9]{1,9})(?::[0-9]{1,9})?(?=\s|$)", RegexOptions.CultureInvariant);

        /// <summary>
        /// The file and 1-based line <paramref name="source"/> names; false when it names none. <paramref name="fullPath"/>,
        /// when given, is the full path of that file (Source values show it relative to the project, or by name only):
        /// it is used when its file name is the one <paramref name="source"/> shows.
        /// </summary>
        public static bool TryParse(string? source, string? fullPath, out string file, out int line)
        {
            file = "";
            line = 0;
            if (string.IsNullOrEmpty(source))
            {
                return false;
            }

            var match = FileLine.Match(source!.Trim());
            if (!match.Success || !int.TryParse(match.Groups["line"].Value, out line) || line < 1)
            {
                line = 0;
                return false;
            }

            file = match.Groups["path"].Value;
            if (!string.IsNullOrEmpty(fullPath) && string.Equals(FileName(fullPath!), FileName(file), StringComparison.Ordinal))
            {
                file = fullPath!;
            }

            return true;
        }

        /// <summary>Sets <see cref="ReportEntry.File"/> and <see cref="ReportEntry.Line"/> from a Source value, when it names a file.</summary>
        public static ReportEntry At(this ReportEntry entry, string? source, string? fullPath)
        {
            if (TryParse(source, fullPath, out var file, out var line))
            {
                entry.File = file;
                entry.Line = line;
            }

            return entry;
        }

        private static string FileName(string path)
        {
            var cut = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
            return cut < 0 ? path : path.Substring(cut + 1);
        }
    }
}
