namespace IndexTools.Cmdlets
{
    /// <summary>
    /// The one place an engine <see cref="ErrorKind"/> becomes what PowerShell users see and script against: its ErrorId
    /// (stable: tests assert them), its ErrorCategory and its RecommendedAction. Cmdlets never compare error ids; they
    /// ask this table (through <see cref="EngineErrors"/>). Every kind has a row (ErrorTableTests checks it).
    /// </summary>
    internal static class ErrorTable
    {
        /// <summary>One row: the id, the category, and the fix (given where the error is, "file:line[:column]", or null).</summary>
        internal sealed class Row
        {
            internal Row(string id, ErrorCategory category, Func<string?, string> action)
            {
                Id = id;
                Category = category;
                Action = action;
            }

            internal string Id { get; }

            internal ErrorCategory Category { get; }

            internal Func<string?, string> Action { get; }
        }

        private static string Correct(string? where) => where is null
            ? "Correct the index configuration and run the command again."
            : "Correct " + where + " and run the command again.";

        private static readonly Dictionary<ErrorKind, Row> Rows = new Dictionary<ErrorKind, Row>
        {
            // Configuration files and settings.
            [ErrorKind.InvalidIndexConfiguration] = new Row("InvalidIndexConfiguration", ErrorCategory.InvalidData, Correct),
            [ErrorKind.ConfigFileNotFound] = new Row("ConfigFileNotFound", ErrorCategory.ObjectNotFound, w => "Check the path of the configuration file" + (w is null ? "" : " (" + w + ")") + ", or leave out -ConfigFile."),
            [ErrorKind.TomlParseError] = new Row("TomlParseError", ErrorCategory.InvalidData, Correct),
            [ErrorKind.UnknownConfigField] = new Row("UnknownConfigField", ErrorCategory.InvalidData, Correct),
            [ErrorKind.InvalidConfigValue] = new Row("InvalidConfigValue", ErrorCategory.InvalidData, Correct),
            [ErrorKind.InvalidSource] = new Row("InvalidSource", ErrorCategory.InvalidData, Correct),
            [ErrorKind.UnknownSourceIndex] = new Row("UnknownSourceIndex", ErrorCategory.InvalidData, Correct),
            [ErrorKind.DuplicateIndexName] = new Row("DuplicateIndexName", ErrorCategory.InvalidData, Correct),
            [ErrorKind.MultipleDefaultIndexes] = new Row("MultipleDefaultIndexes", ErrorCategory.InvalidData, Correct),
            [ErrorKind.InvalidIndexName] = new Row("InvalidIndexName", ErrorCategory.InvalidData, Correct),
            [ErrorKind.InvalidIndexUrl] = new Row("InvalidIndexUrl", ErrorCategory.InvalidData, Correct),
            [ErrorKind.InvalidIndexStrategy] = new Row("InvalidIndexStrategy", ErrorCategory.InvalidData, Correct),
            [ErrorKind.InvalidKeyringProvider] = new Row("InvalidKeyringProvider", ErrorCategory.InvalidData, Correct),
            [ErrorKind.InvalidEnvironmentVariable] = new Row("InvalidEnvironmentVariable", ErrorCategory.InvalidData, _ => "Correct or remove the environment variable the message names, and run the command again."),
            [ErrorKind.UserConfigNotFound] = new Row("UserConfigNotFound", ErrorCategory.ObjectNotFound, _ => "Set XDG_CONFIG_HOME or HOME (APPDATA on Windows), or give -Path."),
            [ErrorKind.ProjectNotFound] = new Row("ProjectNotFound", ErrorCategory.ObjectNotFound, _ => "Give -Path (a project folder or its pyproject.toml), or run the command inside the project."),
            [ErrorKind.LockNotFound] = new Row("LockNotFound", ErrorCategory.ObjectNotFound, _ => "Give -Path <uv.lock or project folder>, or run 'uv lock' in the project first."),

            // Configuration edits.
            [ErrorKind.IndexNotFound] = new Row("IndexNotFound", ErrorCategory.ObjectNotFound, _ => "Run Get-IndexStrategy to list the configured indexes and their files."),
            [ErrorKind.InvalidIgnoreErrorCode] = new Row("InvalidIgnoreErrorCode", ErrorCategory.InvalidData, Correct),
            [ErrorKind.UnsupportedConfigEdit] = new Row("UnsupportedConfigEdit", ErrorCategory.InvalidData, w => "Edit " + (w ?? "the file") + " by hand; the file was left unchanged."),
            [ErrorKind.IndexNameConflict] = new Row("IndexNameConflict", ErrorCategory.InvalidData, Correct),
            [ErrorKind.IndexUrlConflict] = new Row("IndexUrlConflict", ErrorCategory.InvalidData, Correct),
            [ErrorKind.SearchOrderWouldChange] = new Row("SearchOrderWouldChange", ErrorCategory.InvalidData, Correct),

            // Credential sources.
            [ErrorKind.InvalidNetrc] = new Row("InvalidNetrc", ErrorCategory.InvalidData, Correct),
            [ErrorKind.InvalidCredentialStore] = new Row("InvalidCredentialStore", ErrorCategory.InvalidData, Correct),
            [ErrorKind.CredentialsNotAllowed] = new Row("CredentialsNotAllowed", ErrorCategory.InvalidData, Correct),
            [ErrorKind.MissingCredentials] = new Row("MissingCredentials", ErrorCategory.InvalidData, Correct),

            // Project input.
            [ErrorKind.InvalidRequirement] = new Row("InvalidRequirement", ErrorCategory.InvalidArgument, w => w is null
                ? "Write the requirement as PEP 508 describes it, e.g. 'requests>=2,<3'."
                : "Correct " + w + " (a PEP 508 requirement such as 'requests>=2,<3')."),
            [ErrorKind.InvalidRequirementsOption] = new Row("InvalidRequirementsOption", ErrorCategory.InvalidData, w => "Correct " + (w ?? "the requirements file") + " (a PEP 508 requirement such as 'requests>=2,<3')."),
            [ErrorKind.UnknownRequirementsOption] = new Row("UnknownRequirementsOption", ErrorCategory.InvalidData, w => "Remove or correct the option at " + (w ?? "that line") + "."),
            [ErrorKind.RequirementsIncludeNotFound] = new Row("RequirementsIncludeNotFound", ErrorCategory.ObjectNotFound, w => "Fix the include at " + (w ?? "that line") + ": paths are relative to the including file."),
            [ErrorKind.RequirementsIncludeCycle] = new Row("RequirementsIncludeCycle", ErrorCategory.InvalidData, w => "Remove the include at " + (w ?? "that line") + " that reads a file already being read."),
            [ErrorKind.UnknownExtra] = new Row("UnknownExtra", ErrorCategory.ObjectNotFound, _ => "Name an extra defined in [project.optional-dependencies], or omit -Extra to take all of them."),
            [ErrorKind.UnknownDependencyGroup] = new Row("UnknownDependencyGroup", ErrorCategory.ObjectNotFound, _ => "Name a group defined in [dependency-groups], or omit -Group to take all of them."),
            [ErrorKind.InvalidDependencyGroup] = new Row("InvalidDependencyGroup", ErrorCategory.InvalidData, w => "Correct " + (w ?? "[dependency-groups]") + " (a PEP 508 requirement such as 'requests>=2,<3')."),
            [ErrorKind.DependencyGroupCycle] = new Row("DependencyGroupCycle", ErrorCategory.InvalidData, w => "Correct " + (w ?? "[dependency-groups]") + " (a PEP 508 requirement such as 'requests>=2,<3')."),
            [ErrorKind.InvalidLockEntry] = new Row("InvalidLockEntry", ErrorCategory.InvalidData, _ => "Regenerate the lock with 'uv lock'."),
            [ErrorKind.EditableRequirement] = new Row("EditableRequirement", ErrorCategory.NotImplemented, _ => "Editable requirements are not searched on indexes."),
            [ErrorKind.DirectReference] = new Row("DirectReference", ErrorCategory.NotImplemented, _ => "Direct references are not searched on indexes."),
            [ErrorKind.NonIndexSource] = new Row("NonIndexSource", ErrorCategory.NotImplemented, _ => "Packages from git, path or URL sources are not searched on indexes."),

            // The machine around the engine.
            [ErrorKind.ConfigurationFileError] = new Row("ConfigurationFileError", ErrorCategory.WriteError, _ => "Check that the file exists, is not being edited by another program, and run the command again."),
            [ErrorKind.FileAccessDenied] = new Row("FileAccessDenied", ErrorCategory.PermissionDenied, _ => "Check the permissions of the file and its folder."),
            [ErrorKind.ConfigFileLocked] = new Row("ConfigFileLocked", ErrorCategory.ResourceBusy, _ => "Another Set-IndexIgnoredCodes (or a prompt of one) is editing this file; let it finish, then run the command again."),
            [ErrorKind.ConfigFileLockUnsafe] = new Row("ConfigFileLockUnsafe", ErrorCategory.SecurityError, _ => "Remove the lock folder or lock file the message names (it is not IndexTools' own), or set XDG_RUNTIME_DIR to a folder only you can write, and run the command again."),
            [ErrorKind.HardLinkedFile] = new Row("HardLinkedFile", ErrorCategory.InvalidOperation, _ => "Run the command again with -Force to edit the file anyway (its other names keep the old content), or edit it by hand."),
            [ErrorKind.OperationTimedOut] = new Row("OperationTimedOut", ErrorCategory.OperationTimeout, _ => "Raise -TimeoutSec (or UV_HTTP_TIMEOUT) or check the network path to the index."),

            // Unresolved packages: the fix is the resolution's own (EngineErrors.FromResolution); these are the fallbacks.
            [ErrorKind.PackageNotFound] = new Row("PackageNotFound", ErrorCategory.ObjectNotFound, _ => "Check the spelling, or add the index that publishes it."),
            [ErrorKind.IndexAuthenticationFailed] = new Row("IndexAuthenticationFailed", ErrorCategory.AuthenticationError, _ => "Give the index credentials (UV_INDEX_<NAME>_USERNAME/PASSWORD, netrc or -Credential)."),
            [ErrorKind.IndexError] = new Row("IndexError", ErrorCategory.ConnectionError, _ => "Retry later, or check the index URL."),
            [ErrorKind.NoMatchingVersion] = new Row("NoMatchingVersion", ErrorCategory.ObjectNotFound, _ => "Widen the requirement, or check -PythonVersion and -Platform."),
        };

        /// <summary>The row of <paramref name="kind"/> (every kind has one).</summary>
        internal static Row Of(ErrorKind kind)
        {
            return Rows.TryGetValue(kind, out var row) ? row : throw new ArgumentOutOfRangeException(nameof(kind), kind, "ErrorTable has no row for this kind.");
        }

        /// <summary>Every kind with its row (for tests and docs).</summary>
        internal static IReadOnlyDictionary<ErrorKind, Row> All => Rows;

        /// <summary>
        /// The error record of <paramref name="kind"/>: its id and category, <paramref name="message"/> (default: the
        /// exception's) as the details, and the row's fix for <paramref name="where"/> unless <paramref name="action"/> is given.
        /// </summary>
        internal static ErrorRecord Record(ErrorKind kind, Exception exception, object? target, string? where = null, string? message = null, string? action = null)
        {
            var row = Of(kind);
            return new ErrorRecord(exception, row.Id, row.Category, target)
            {
                ErrorDetails = new ErrorDetails(message ?? exception.Message) { RecommendedAction = action ?? row.Action(where) },
            };
        }
    }
}
