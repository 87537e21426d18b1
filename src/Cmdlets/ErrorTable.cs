namespace IndexTools.Cmdlets
{
    /// <summary>
    /// The one place an error kind becomes what PowerShell users see and script against: its ErrorId (stable: tests
    /// assert them), its ErrorCategory and its RecommendedAction. The kinds are the engine's (<see cref="ErrorKind"/>)
    /// and the cmdlets' own (<see cref="CmdletErrorKind"/>: parameters, paths, prompts, reports). Cmdlets never spell or
    /// compare error ids; they ask this table (engine failures through <see cref="EngineErrors"/>). Every kind has exactly
    /// one row, and no other file in src/Cmdlets builds an ErrorRecord (tests/unit/Cmdlets/ErrorTableTests checks both).
    /// </summary>
    internal static class ErrorTable
    {
        /// <summary>
        /// One row: the id, the category, and the fix, given the detail the fix names (where the error is,
        /// "file:line[:column]", or for a cmdlet kind the parameter or value it names) or null. A fix of null: the error
        /// has no RecommendedAction (and, unless a message is given, no ErrorDetails).
        /// </summary>
        internal sealed class Row
        {
            internal Row(string id, ErrorCategory category, Func<string?, string?> action)
            {
                Id = id;
                Category = category;
                Action = action;
            }

            internal string Id { get; }

            internal ErrorCategory Category { get; }

            internal Func<string?, string?> Action { get; }
        }

        /// <summary>The fix of a row that has none.</summary>
        private static string? NoFix(string? detail) => null;

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

        /// <summary>The fix for a path parameter that names nothing (<paramref name="parameter"/>: the parameter's name, default Path).</summary>
        private static string PathAdvice(string? parameter)
        {
            var name = parameter ?? "Path";
            return "Check the path; give an existing project folder or configuration file (pyproject.toml, uv.toml" + (name == "Path" ? ", uv.lock" : "") + "), or omit -" + name + " to start from the current folder.";
        }

        private static readonly Dictionary<CmdletErrorKind, Row> CmdletRows = new Dictionary<CmdletErrorKind, Row>
        {
            // Paths: the detail is the parameter's name.
            [CmdletErrorKind.PathNotFound] = new Row("PathNotFound", ErrorCategory.ObjectNotFound, PathAdvice),
            [CmdletErrorKind.ConfigFilePathNotFound] = new Row("ConfigFileNotFound", ErrorCategory.ObjectNotFound, _ => "Give an existing uv.toml (uv's --config-file), or omit -ConfigFile to use the discovered configuration."),
            [CmdletErrorKind.ProjectPathNotFound] = new Row("ProjectNotFound", ErrorCategory.ObjectNotFound, _ => "Check the path; give a pyproject.toml, its folder or a uv.lock."),
            [CmdletErrorKind.RequirementsPathNotFound] = new Row("ProjectFileNotFound", ErrorCategory.ObjectNotFound, _ => "Check the path; give an existing requirements file."),
            [CmdletErrorKind.ProjectFileNotFound] = new Row("ProjectFileNotFound", ErrorCategory.ObjectNotFound, _ => "Check the path; give a pyproject.toml, its folder, a uv.lock or a requirements file."),
            [CmdletErrorKind.PathNotUnique] = new Row("PathNotUnique", ErrorCategory.InvalidArgument, _ => "Give one path, or pipe several: Get-ChildItem <pattern> | <command>."),

            // Prompts: the detail is the parameter that answers the question.
            [CmdletErrorKind.ConfirmationRequired] = new Row("ConfirmationRequired", ErrorCategory.InvalidOperation, w => "Run it again with " + (w ?? "-Force") + " once you accept that; -WhatIf shows what it would do."),

            // Parameters.
            [CmdletErrorKind.ProxyParameterConflict] = new Row("ProxyParameterConflict", ErrorCategory.InvalidArgument, NoFix),
            [CmdletErrorKind.CredentialIndexWithoutCredential] = new Row("CredentialIndexWithoutCredential", ErrorCategory.InvalidArgument, NoFix),
            [CmdletErrorKind.CredentialIndexAmbiguous] = new Row("CredentialIndexAmbiguous", ErrorCategory.InvalidArgument, _ => "Add -CredentialIndex <name> to say which index the credential is for."),
            [CmdletErrorKind.CacheParameterConflict] = new Row("CacheParameterConflict", ErrorCategory.InvalidArgument, NoFix),
            [CmdletErrorKind.InvalidUvVersion] = new Row("InvalidUvVersion", ErrorCategory.InvalidArgument, _ => "Give a uv release from " + UvRules.Oldest.Version + " to " + UvRules.Latest.Version + ", e.g. -UvVersion 0.6.17."),
            [CmdletErrorKind.UvVersionCount] = new Row("InvalidUvVersion", ErrorCategory.InvalidArgument, NoFix),
            [CmdletErrorKind.InvalidTarget] = new Row("InvalidTarget", ErrorCategory.InvalidArgument, _ => "Give -PythonVersion like 3.12 and -Platform as uv's --python-platform names it (linux, windows, macos, x86_64-manylinux_2_28, aarch64-apple-darwin, ...)."),
            [CmdletErrorKind.IndexNameRequired] = new Row("IndexNameRequired", ErrorCategory.InvalidArgument, _ => "Define the index with a name in pyproject.toml or uv.toml ([[tool.uv.index]] name = \"...\"), then run the command with -Name."),
            [CmdletErrorKind.PathAndScopeConflict] = new Row("PathAndScopeConflict", ErrorCategory.InvalidArgument, NoFix),
            [CmdletErrorKind.IndexUrlNotAbsolute] = new Row("InvalidIndexUrl", ErrorCategory.InvalidArgument, NoFix),
            [CmdletErrorKind.PackageNotInLock] = new Row("PackageNotInLock", ErrorCategory.ObjectNotFound, _ => "Check the name, or run 'uv lock' to add it."),

            // Reports: IndexReportFailed's detail is the lower level -FailOn also fails on (Warning), or null.
            [CmdletErrorKind.NotReportable] = new Row("NotReportable", ErrorCategory.InvalidType, _ => "Pipe the output of Resolve-PyPackage, Test-PyLock, Find-ShadowedPackage, Compare-IndexStrategy or Test-PyIndex."),
            [CmdletErrorKind.ReportWriteFailed] = new Row("ReportWriteFailed", ErrorCategory.WriteError, _ => "Check the folder exists and is writable."),
            [CmdletErrorKind.IndexReportFailed] = new Row("IndexReportFailed", ErrorCategory.InvalidResult, w => "Fix the entries marked Error" + (w is null ? "" : " or " + w) + ", or pass -FailOn Never to only report."),
        };

        /// <summary>The row of <paramref name="kind"/> (every kind has one).</summary>
        internal static Row Of(ErrorKind kind)
        {
            return Rows.TryGetValue(kind, out var row) ? row : throw new ArgumentOutOfRangeException(nameof(kind), kind, "ErrorTable has no row for this kind.");
        }

        /// <summary>The row of the cmdlet kind <paramref name="kind"/> (every kind has one).</summary>
        internal static Row Of(CmdletErrorKind kind)
        {
            return CmdletRows.TryGetValue(kind, out var row) ? row : throw new ArgumentOutOfRangeException(nameof(kind), kind, "ErrorTable has no row for this kind.");
        }

        /// <summary>Every kind with its row (for tests and docs).</summary>
        internal static IReadOnlyDictionary<ErrorKind, Row> All => Rows;

        /// <summary>Every cmdlet kind with its row (for tests and docs).</summary>
        internal static IReadOnlyDictionary<CmdletErrorKind, Row> AllCmdlet => CmdletRows;

        /// <summary>
        /// The error record of <paramref name="kind"/>: its id and category, <paramref name="message"/> (default: the
        /// exception's) as the details, and the row's fix for <paramref name="where"/> unless <paramref name="action"/> is given.
        /// </summary>
        internal static ErrorRecord Record(ErrorKind kind, Exception exception, object? target, string? where = null, string? message = null, string? action = null)
        {
            return Record(Of(kind), exception, target, where, message, action);
        }

        /// <summary>
        /// The error record of the cmdlet kind <paramref name="kind"/>: its id and category, and, when the row has a fix for
        /// <paramref name="detail"/> (or <paramref name="message"/> is given), <paramref name="message"/> (default: the
        /// exception's) as the details with that fix.
        /// </summary>
        internal static ErrorRecord Record(CmdletErrorKind kind, Exception exception, object? target, string? detail = null, string? message = null)
        {
            return Record(Of(kind), exception, target, detail, message, null);
        }

        private static ErrorRecord Record(Row row, Exception exception, object? target, string? detail, string? message, string? action)
        {
            var record = new ErrorRecord(exception, row.Id, row.Category, target);
            var fix = action ?? row.Action(detail);
            if (fix != null || message != null)
            {
                record.ErrorDetails = new ErrorDetails(message ?? exception.Message) { RecommendedAction = fix };
            }

            return record;
        }
    }
}
