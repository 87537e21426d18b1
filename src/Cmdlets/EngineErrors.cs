namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Turns engine exceptions and unresolved packages into ErrorRecords with stable PascalCase error IDs, a real
    /// category, the package / index / file as target object and a recommended action. Tests assert the IDs.
    /// </summary>
    internal static class EngineErrors
    {
        /// <summary>
        /// The kind of an engine exception, or null for exceptions that are not the engine's to report (they propagate
        /// unchanged). The one place exception types are told apart; what each kind shows is in <see cref="ErrorTable"/>.
        /// </summary>
        internal static ErrorKind? KindOf(Exception exception)
        {
            switch (exception)
            {
                case IndexConfigurationException config:
                    return config.Kind;
                case FormatException _:
                    return ErrorKind.InvalidRequirement;
                case UnauthorizedAccessException _:
                    return ErrorKind.FileAccessDenied;
                case ConfigFileLockedException _:
                    return ErrorKind.ConfigFileLocked;
                case ConfigFileLockUnsafeException _:
                    return ErrorKind.ConfigFileLockUnsafe;
                case HardLinkedFileException _:
                    return ErrorKind.HardLinkedFile;
                case IOException _:
                    return ErrorKind.ConfigurationFileError;
                case OperationCanceledException _:
                    // Reached only when the cancellation did not come from StopProcessing: an HTTP timeout.
                    return ErrorKind.OperationTimedOut;
                default:
                    return null;
            }
        }

        /// <summary>
        /// Maps an engine exception. <paramref name="target"/> is what the cmdlet was working on (a package, an index
        /// name, a file); a more precise target carried by the exception (the file of a configuration error) wins.
        /// Returns null for exceptions that are not the engine's to report (they propagate unchanged).
        /// </summary>
        internal static ErrorRecord? FromException(Exception exception, object? target)
        {
            var kind = KindOf(exception);
            if (kind is null)
            {
                return null;
            }

            if (exception is IndexConfigurationException config)
            {
                return ErrorTable.Record(kind.Value, config, (object?)config.FilePath ?? (object?)config.IndexName ?? target, config.FilePath is null ? null : Location(config));
            }

            return ErrorTable.Record(kind.Value, exception, target);
        }

        /// <summary>The error written for a problem found while reading project input (a requirements line, an extra, a lock entry).</summary>
        internal static ErrorRecord FromProblem(ProjectProblem problem)
        {
            return ErrorTable.Record(problem.ErrorKind, new FormatException(problem.Message), problem.Location, problem.Location);
        }

        /// <summary>The longest message: "Resolve-PyPackage: " and the message fill one line of a 120-column console.</summary>
        internal const int MessageWidth = 100;

        /// <summary>
        /// The non-terminating error written beside an unresolved <see cref="PackageResolution"/>: one line saying what
        /// happened, and the fix once, in one line (<see cref="PackageResolution.Fix"/>) as the RecommendedAction. With the
        /// table row that is three lines in a 120-column console; the resolution's Hint and Attempts say the rest.
        /// </summary>
        internal static ErrorRecord FromResolution(PackageResolution resolution)
        {
            var kind = resolution.StopReason switch
            {
                StopReason.AuthenticationFailed => ErrorKind.IndexAuthenticationFailed,
                StopReason.IndexError => ErrorKind.IndexError,
                StopReason.NoMatchingVersion => ErrorKind.NoMatchingVersion,
                _ => ErrorKind.PackageNotFound,
            };
            var message = Summary(resolution);
            return ErrorTable.Record(kind, new PackageResolutionException(message), resolution.Package, action: resolution.Fix ?? ErrorTable.Of(kind).Action(null));
        }

        /// <summary>What happened to the package, in one line of at most <see cref="MessageWidth"/> characters.</summary>
        internal static string Summary(PackageResolution resolution)
        {
            var name = "'" + resolution.Package + "'";
            var decisive = DecisiveAttempt(resolution);
            string text;
            switch (resolution.StopReason)
            {
                case StopReason.AuthenticationFailed when decisive != null:
                    text = name + ": " + Who(decisive) + " answered " + (decisive.StatusCode?.ToString() ?? "an authentication error")
                        + " and the search stopped there ("
                        + (string.Equals(decisive.CredentialSource, "none", StringComparison.Ordinal) ? "no credentials were sent" : "credentials from " + decisive.CredentialSource + " were rejected") + ").";
                    break;
                case StopReason.IndexError when decisive != null:
                    text = decisive.StatusCode is int status && status >= 400
                        ? name + ": " + Who(decisive) + " answered HTTP " + status + " and the search ended with an error."
                        : name + ": " + Brief(decisive) + ".";
                    break;
                case StopReason.NoMatchingVersion:
                    var on = resolution.Attempts.Where(a => a.Outcome == AttemptOutcome.Found).Select(Who).ToList();
                    text = name + " was found" + (on.Count == 0 ? "" : " on " + string.Join(", ", on)) + ", but no version matches '" + resolution.Requirement + "'.";
                    break;
                default:
                    var asked = resolution.Attempts.Where(a => a.Outcome != AttemptOutcome.Skipped).ToList();
                    text = asked.Count == 0
                        ? name + " was not searched: no index was queried."
                        : name + " was not found on any index asked (" + string.Join(", ", asked.Take(3).Select(a => Who(a) + " " + (a.StatusCode?.ToString() ?? a.Outcome.ToString())))
                            + (asked.Count > 3 ? ", +" + (asked.Count - 3) : "") + ").";
                    break;
            }

            return TextLayout.Fit(text, MessageWidth);
        }

        private static string Who(IndexAttempt attempt) => TextLayout.ShortName(attempt);

        /// <summary>
        /// The attempt's reason for the one-line message: the index by its short name instead of its whole URL (the URL is on
        /// the attempt), without the closing "the search ends with an error" the message already says, so the cause
        /// ("JSON page is malformed", "timed out") fits in the line.
        /// </summary>
        private static string Brief(IndexAttempt attempt)
        {
            var reason = attempt.Reason ?? "";
            if (attempt.Index is null)
            {
                // An unnamed index is quoted by its whole URL in the reason: the message names it by host, as Who does.
                reason = System.Text.RegularExpressions.Regex.Replace(reason, "'[a-zA-Z][a-zA-Z0-9+.-]*://[^']*'", Who(attempt));
            }

            const string ending = "; the search ends with an error";
            return reason.EndsWith(ending, StringComparison.Ordinal) ? reason.Substring(0, reason.Length - ending.Length) : reason;
        }

        /// <summary>The attempt that decided the outcome: the last one that was not skipped.</summary>
        private static IndexAttempt? DecisiveAttempt(PackageResolution resolution)
        {
            for (var i = resolution.Attempts.Length - 1; i >= 0; i--)
            {
                var attempt = resolution.Attempts[i];
                if (attempt.Outcome != AttemptOutcome.Skipped && attempt.Decision == SearchDecision.Stop)
                {
                    return attempt;
                }
            }

            return resolution.Attempts.LastOrDefault(a => a.Outcome != AttemptOutcome.Skipped);
        }

        private static string Location(IndexConfigurationException config)
        {
            var text = config.FilePath ?? "";
            if (config.Line.HasValue)
            {
                text += ":" + config.Line.Value;
                if (config.Column.HasValue)
                {
                    text += ":" + config.Column.Value;
                }
            }

            return text;
        }
    }

    /// <summary>The exception inside a resolution's ErrorRecord: the package could not be resolved (no engine failure).</summary>
    public sealed class PackageResolutionException : Exception
    {
        public PackageResolutionException(string message)
            : base(message)
        {
        }
    }
}
