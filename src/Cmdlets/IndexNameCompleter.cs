using System.Collections;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Completes index names for -Name, -Index, -DefaultIndex and -CredentialIndex from the local configuration only
    /// (never the network), seen from -Path when given, else from the current location. Quote-aware.
    /// </summary>
    public sealed class IndexNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var startPath = StartPath(fakeBoundParameters);
            if (startPath is null)
            {
                return Array.Empty<CompletionResult>();
            }

            IReadOnlyList<string> names;
            try
            {
                names = ConfigurationLoader.ListIndexNames(startPath, EngineEnvironment.FromProcess(startPath));
            }
            catch (Exception)
            {
                // A completer must never throw into the user's typing.
                return Array.Empty<CompletionResult>();
            }

            return Complete(names, wordToComplete);
        }

        /// <summary>Names starting with the typed prefix (case-insensitive), quoted the way the user started quoting.</summary>
        internal static IEnumerable<CompletionResult> Complete(IEnumerable<string> names, string? wordToComplete)
        {
            var word = wordToComplete ?? "";
            var quote = word.Length > 0 && (word[0] == '\'' || word[0] == '"') ? word[0].ToString() : "";
            var prefix = word.Trim('\'', '"');
            return names
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(Quote(n, quote), n, CompletionResultType.ParameterValue, n))
                .ToList();
        }

        private static string Quote(string name, string quote)
        {
            if (quote.Length == 0 && name.IndexOfAny(new[] { ' ', '\t', '$', '`', '\'', '"', ';', '(', ')', '{', '}', '@', '#', ',' }) < 0)
            {
                return name;
            }

            if (quote == "\"")
            {
                return "\"" + name.Replace("`", "``").Replace("$", "`$").Replace("\"", "`\"") + "\"";
            }

            return "'" + name.Replace("'", "''") + "'";
        }

        /// <summary>
        /// The session's file-system location. A completer runs while the completion pipeline is running, so the
        /// runspace's SessionStateProxy refuses calls; a nested pipeline on the current runspace is allowed.
        /// </summary>
        private static string? CurrentLocation()
        {
            try
            {
                using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
                shell.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem");
                foreach (var result in shell.Invoke())
                {
                    if (result?.BaseObject is PathInfo info)
                    {
                        return info.ProviderPath;
                    }
                }
            }
            catch (Exception)
            {
                // Outside a runspace (or a restricted one): fall back to the process's folder.
            }

            return System.IO.Directory.GetCurrentDirectory();
        }

        private static string? StartPath(IDictionary fakeBoundParameters)
        {
            var location = CurrentLocation();
            if (fakeBoundParameters != null && fakeBoundParameters.Contains("Path") && fakeBoundParameters["Path"] is string path && path.Length > 0)
            {
                return location is null || System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(location, path);
            }

            return location;
        }
    }
}
