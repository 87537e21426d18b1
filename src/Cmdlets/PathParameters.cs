namespace IndexTools.Cmdlets
{
    /// <summary>
    /// The one reading of every path a cmdlet reads from (-Path, -ProjectPath, -RequirementsPath, -ConfigFile): relative
    /// to PowerShell's current location, a literal name first (so 'a[1]' works), else PowerShell wildcards, which must
    /// match exactly one item. A path that does not exist, or a pattern that matches nothing, stops the command with an
    /// error naming the parameter and the path: never a silent fall-back to discovery from somewhere else (which, with
    /// no configuration found, means pypi.org).
    /// </summary>
    internal static class PathParameters
    {
        internal const string PathNotFound = "PathNotFound";
        internal const string PathNotUnique = "PathNotUnique";

        /// <summary>
        /// The full file-system path <paramref name="value"/> names, which exists (a file or a folder). Throws a
        /// terminating error with <paramref name="notFoundErrorId"/> (PathNotFound unless the parameter has its own) when
        /// nothing exists there, and PathNotUnique when a wildcard matches more than one item.
        /// </summary>
        internal static string Existing(PSCmdlet cmdlet, string value, string parameterName, string notFoundErrorId = PathNotFound)
        {
            var problem = Find(cmdlet, value, parameterName, notFoundErrorId, allowNew: false, out var path);
            if (problem != null)
            {
                cmdlet.ThrowTerminatingError(problem);
            }

            return path!;
        }

        /// <summary>
        /// The path <paramref name="value"/> names, or the error to write (non-terminating, for a per-record parameter) when
        /// nothing exists there. With <paramref name="allowNew"/>, a literal path that does not exist yet is returned as it
        /// is when its folder exists (a file the command creates); a wildcard must still match exactly one existing item.
        /// </summary>
        internal static ErrorRecord? Find(PSCmdlet cmdlet, string value, string parameterName, string notFoundErrorId, bool allowNew, out string? path)
        {
            path = Resolve(cmdlet, value, parameterName, out var literal, out var ambiguous);
            if (ambiguous != null)
            {
                return ambiguous;
            }

            var wildcard = WildcardPattern.ContainsWildcardCharacters(value);
            if (path is null && allowNew && !wildcard && Directory.Exists(Path.GetDirectoryName(literal)))
            {
                path = literal;
            }

            if (path != null)
            {
                return null;
            }

            var message = wildcard
                ? "-" + parameterName + " '" + value + "' matches no file or folder (" + literal + ")."
                : "-" + parameterName + " " + literal + " does not exist.";
            var record = new ErrorRecord(new ItemNotFoundException(message), notFoundErrorId, ErrorCategory.ObjectNotFound, literal);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = Advice(parameterName) };
            return record;
        }

        /// <summary>Null when nothing exists; the literal full path (never expanded) in <paramref name="literal"/>.</summary>
        private static string? Resolve(PSCmdlet cmdlet, string value, string parameterName, out string literal, out ErrorRecord? ambiguous)
        {
            ambiguous = null;
            literal = cmdlet.GetUnresolvedProviderPathFromPSPath(value);
            if (File.Exists(literal) || Directory.Exists(literal))
            {
                return literal;
            }

            if (!WildcardPattern.ContainsWildcardCharacters(value))
            {
                return null;
            }

            var matches = new List<string>();
            try
            {
                matches.AddRange(cmdlet.GetResolvedProviderPathFromPSPath(value, out var provider)
                    .Where(p => File.Exists(p) || Directory.Exists(p)));
            }
            catch (ItemNotFoundException)
            {
                // Nothing matches: the caller says so.
            }

            if (matches.Count == 1)
            {
                return matches[0];
            }

            if (matches.Count > 1)
            {
                var shown = string.Join(", ", matches.Take(5).ToArray()) + (matches.Count > 5 ? ", ..." : "");
                var message = "-" + parameterName + " '" + value + "' matches " + matches.Count + " items (" + shown + "); it takes one.";
                ambiguous = new ErrorRecord(new ArgumentException(message), PathNotUnique, ErrorCategory.InvalidArgument, value);
                ambiguous.ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Give one path, or pipe several: Get-ChildItem <pattern> | <command>." };
            }

            return null;
        }

        private static string Advice(string parameterName)
        {
            switch (parameterName)
            {
                case "ConfigFile":
                    return "Give an existing uv.toml (uv's --config-file), or omit -ConfigFile to use the discovered configuration.";
                case "RequirementsPath":
                    return "Check the path; give an existing requirements file.";
                case "ProjectPath":
                    return "Check the path; give a pyproject.toml, its folder or a uv.lock.";
                default:
                    return "Check the path; give an existing project folder or configuration file (pyproject.toml, uv.toml" + (parameterName == "Path" ? ", uv.lock" : "") + "), or omit -" + parameterName + " to start from the current folder.";
            }
        }
    }
}
