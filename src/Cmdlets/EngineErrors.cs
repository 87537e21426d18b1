using System;
using System.IO;
using System.Management.Automation;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Turns engine exceptions and unresolved packages into ErrorRecords with stable PascalCase error IDs, a real
    /// category, the package / index / file as target object and a recommended action. Tests assert the IDs.
    /// </summary>
    internal static class EngineErrors
    {
        internal const string InvalidRequirement = "InvalidRequirement";
        internal const string ConfigurationFileError = "ConfigurationFileError";
        internal const string FileAccessDenied = "FileAccessDenied";
        internal const string ConfigFileLocked = "ConfigFileLocked";
        internal const string OperationTimedOut = "OperationTimedOut";
        internal const string PackageNotFound = "PackageNotFound";
        internal const string IndexAuthenticationFailed = "IndexAuthenticationFailed";
        internal const string IndexError = "IndexError";
        internal const string NoMatchingVersion = "NoMatchingVersion";

        /// <summary>
        /// Maps an engine exception. <paramref name="target"/> is what the cmdlet was working on (a package, an index
        /// name, a file); a more precise target carried by the exception (the file of a configuration error) wins.
        /// Returns null for exceptions that are not the engine's to report (they propagate unchanged).
        /// </summary>
        internal static ErrorRecord? FromException(Exception exception, object? target)
        {
            switch (exception)
            {
                case IndexConfigurationException config:
                {
                    var record = new ErrorRecord(config, string.IsNullOrEmpty(config.ErrorId) ? "InvalidIndexConfiguration" : config.ErrorId, ErrorCategory.InvalidData, (object?)config.FilePath ?? (object?)config.IndexName ?? target);
                    record.ErrorDetails = new ErrorDetails(config.Message)
                    {
                        RecommendedAction = config.FilePath is null
                            ? "Correct the index configuration and run the command again."
                            : "Correct " + Location(config) + " and run the command again.",
                    };
                    return record;
                }

                case FormatException format:
                {
                    var record = new ErrorRecord(format, InvalidRequirement, ErrorCategory.InvalidArgument, target);
                    record.ErrorDetails = new ErrorDetails(format.Message)
                    {
                        RecommendedAction = "Give a package name or a PEP 508 requirement such as 'requests>=2,<3'.",
                    };
                    return record;
                }

                case UnauthorizedAccessException denied:
                {
                    var record = new ErrorRecord(denied, FileAccessDenied, ErrorCategory.PermissionDenied, target);
                    record.ErrorDetails = new ErrorDetails(denied.Message) { RecommendedAction = "Check the permissions of the file and its folder." };
                    return record;
                }

                case ConfigFileLockedException locked:
                {
                    var record = new ErrorRecord(locked, ConfigFileLocked, ErrorCategory.ResourceBusy, target);
                    record.ErrorDetails = new ErrorDetails(locked.Message) { RecommendedAction = "Another Set-IndexIgnoredCodes (or a prompt of one) is editing this file; let it finish, then run the command again." };
                    return record;
                }

                case IOException io:
                {
                    var record = new ErrorRecord(io, ConfigurationFileError, ErrorCategory.WriteError, target);
                    record.ErrorDetails = new ErrorDetails(io.Message) { RecommendedAction = "Check that the file exists, is not being edited by another program, and run the command again." };
                    return record;
                }

                case OperationCanceledException canceled:
                {
                    // Reached only when the cancellation did not come from StopProcessing: an HTTP timeout.
                    var record = new ErrorRecord(canceled, OperationTimedOut, ErrorCategory.OperationTimeout, target);
                    record.ErrorDetails = new ErrorDetails(canceled.Message) { RecommendedAction = "Raise -TimeoutSec (or UV_HTTP_TIMEOUT) or check the network path to the index." };
                    return record;
                }

                default:
                    return null;
            }
        }

        /// <summary>The non-terminating error written beside an unresolved <see cref="PackageResolution"/>.</summary>
        internal static ErrorRecord FromResolution(PackageResolution resolution)
        {
            string id;
            ErrorCategory category;
            string message;
            switch (resolution.StopReason)
            {
                case StopReason.AuthenticationFailed:
                    id = IndexAuthenticationFailed;
                    category = ErrorCategory.AuthenticationError;
                    message = "The search for '" + resolution.Package + "' stopped at an index that refused the request (authentication failed).";
                    break;
                case StopReason.IndexError:
                    id = IndexError;
                    category = ErrorCategory.ConnectionError;
                    message = "The search for '" + resolution.Package + "' ended with an index error.";
                    break;
                case StopReason.NoMatchingVersion:
                    id = NoMatchingVersion;
                    category = ErrorCategory.ObjectNotFound;
                    message = "'" + resolution.Package + "' was found, but no version matches '" + resolution.Requirement + "'.";
                    break;
                default:
                    id = PackageNotFound;
                    category = ErrorCategory.ObjectNotFound;
                    message = "'" + resolution.Package + "' was not found on any index.";
                    break;
            }

            var detail = LastDecisiveReason(resolution);
            if (detail != null)
            {
                message += " " + detail;
            }

            var record = new ErrorRecord(new PackageResolutionException(message), id, category, resolution.Package);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = resolution.Hint ?? "" };
            return record;
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
