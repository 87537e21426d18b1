using System;
using System.IO;
using System.Management.Automation;
using IndexTools.Engine;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Projects;

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

        /// <summary>The non-terminating error written beside an unresolved <see cref="PackageResolution"/>.</summary>
        internal static ErrorRecord FromResolution(PackageResolution resolution)
        {
            ErrorKind kind;
            string message;
            switch (resolution.StopReason)
            {
                case StopReason.AuthenticationFailed:
                    kind = ErrorKind.IndexAuthenticationFailed;
                    message = "The search for '" + resolution.Package + "' stopped at an index that refused the request (authentication failed).";
                    break;
                case StopReason.IndexError:
                    kind = ErrorKind.IndexError;
                    message = "The search for '" + resolution.Package + "' ended with an index error.";
                    break;
                case StopReason.NoMatchingVersion:
                    kind = ErrorKind.NoMatchingVersion;
                    message = "'" + resolution.Package + "' was found, but no version matches '" + resolution.Requirement + "'.";
                    break;
                default:
                    kind = ErrorKind.PackageNotFound;
                    message = "'" + resolution.Package + "' was not found on any index.";
                    break;
            }

            var detail = LastDecisiveReason(resolution);
            if (detail != null)
            {
                message += " " + detail;
            }

            return ErrorTable.Record(kind, new PackageResolutionException(message), resolution.Package, action: resolution.Hint ?? "");
        }

        private static string? LastDecisiveReason(PackageResolution resolution)
        {
            for (var i = resolution.Attempts.Length - 1; i >= 0; i--)
            {
                var attempt = resolution.Attempts[i];
                if (attempt.Outcome != AttemptOutcome.Skipped && !string.IsNullOrEmpty(attempt.Reason))
                {
                    return attempt.Reason;
                }
            }

            return null;
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
