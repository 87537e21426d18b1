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
        /// <summary>
        /// The full file-system path <paramref name="value"/> names, which exists (a file or a folder). Throws a
        /// terminating error of kind <paramref name="notFound"/> (PathNotFound unless the parameter has its own) when
        /// nothing exists there, and PathNotUnique when a wildcard matches more than one item.
        /// </summary>
        internal static string Existing(PSCmdlet cmdlet, string value, string parameterName, CmdletErrorKind notFound = CmdletErrorKind.PathNotFound)
        {
            var problem = Find(cmdlet, value, parameterName, notFound, allowNew: false, out var path);
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
        internal static ErrorRecord? Find(PSCmdlet cmdlet, string value, string parameterName, CmdletErrorKind notFound, bool allowNew, out string? path)
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
            return ErrorTable.Record(notFound, new ItemNotFoundException(message), literal, detail: parameterName, message: message);
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
                ambiguous = ErrorTable.Record(CmdletErrorKind.PathNotUnique, new ArgumentException(message), value, message: message);
            }

            return null;
        }
    }
}
