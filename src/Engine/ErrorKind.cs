namespace IndexTools.Engine
{
    /// <summary>
    /// What went wrong, as one closed set (uv keeps one <c>ErrorKind</c> enum the same way). The engine says only which
    /// kind an error is; the cmdlets turn a kind into its PowerShell ErrorId, ErrorCategory and RecommendedAction through
    /// one table (src/Cmdlets/ErrorTable.cs), so a new kind is one member here and one row there. The member names are
    /// the ErrorIds users script against; the table spells them out so that renaming a member cannot change an id.
    /// </summary>
    public enum ErrorKind
    {
        // Configuration files and settings (IndexConfigurationException).

        /// <summary>A configuration value is invalid and no more precise kind applies.</summary>
        InvalidIndexConfiguration,
        /// <summary>A configuration file named by -ConfigFile, -Path or UV_CONFIG_FILE does not exist.</summary>
        ConfigFileNotFound,
        /// <summary>A TOML file is not valid UTF-8 or not valid TOML.</summary>
        TomlParseError,
        /// <summary>A field uv does not know (uv rejects it too).</summary>
        UnknownConfigField,
        /// <summary>A setting has a value of the wrong type or outside its range.</summary>
        InvalidConfigValue,
        /// <summary>A [tool.uv.sources] entry is malformed.</summary>
        InvalidSource,
        /// <summary>A [tool.uv.sources] entry names an index that is not defined.</summary>
        UnknownSourceIndex,
        /// <summary>Two indexes of one file share a name.</summary>
        DuplicateIndexName,
        /// <summary>More than one index of one file says default = true.</summary>
        MultipleDefaultIndexes,
        /// <summary>An index name uv would refuse.</summary>
        InvalidIndexName,
        /// <summary>An index URL that is empty or has control characters.</summary>
        InvalidIndexUrl,
        /// <summary>An index strategy that is not first-index, unsafe-first-match or unsafe-best-match.</summary>
        InvalidIndexStrategy,
        /// <summary>A keyring provider that is not disabled or subprocess.</summary>
        InvalidKeyringProvider,
        /// <summary>An environment variable with a value uv would refuse (UV_HTTP_TIMEOUT, SSL_CERT_FILE, ...).</summary>
        InvalidEnvironmentVariable,
        /// <summary>No user configuration folder is known (no XDG_CONFIG_HOME, HOME or APPDATA).</summary>
        UserConfigNotFound,
        /// <summary>No project (pyproject.toml) where one was asked for.</summary>
        ProjectNotFound,
        /// <summary>No uv.lock for the project.</summary>
        LockNotFound,

        // Configuration edits (Set-IndexIgnoredCodes, New-/Set- index entries).

        /// <summary>No index of that name is defined where the edit looks.</summary>
        IndexNotFound,
        /// <summary>A status code outside 100-999.</summary>
        InvalidIgnoreErrorCode,
        /// <summary>The file is written in a form the byte-exact editor cannot change safely.</summary>
        UnsupportedConfigEdit,
        /// <summary>Another index already has that name.</summary>
        IndexNameConflict,
        /// <summary>Another index already has that URL.</summary>
        IndexUrlConflict,
        /// <summary>The edit would change which index the search asks first.</summary>
        SearchOrderWouldChange,

        // Credential sources.

        /// <summary>A netrc file that cannot be parsed.</summary>
        InvalidNetrc,
        /// <summary>uv's credential store file that cannot be read.</summary>
        InvalidCredentialStore,
        /// <summary>Credentials given where they may not be sent (a -Credential for an index that says authenticate = never).</summary>
        CredentialsNotAllowed,
        /// <summary>authenticate = always and no source has credentials for the index.</summary>
        MissingCredentials,

        // Project input: requirements files, pyproject.toml dependencies, uv.lock entries (ProjectProblem).

        /// <summary>A requirement that is not PEP 508.</summary>
        InvalidRequirement,
        /// <summary>A requirements-file option without its value.</summary>
        InvalidRequirementsOption,
        /// <summary>A requirements-file option pip does not know.</summary>
        UnknownRequirementsOption,
        /// <summary>A -r / -c include that does not exist.</summary>
        RequirementsIncludeNotFound,
        /// <summary>A -r / -c include of a file already being read.</summary>
        RequirementsIncludeCycle,
        /// <summary>-Extra names an extra the project does not define.</summary>
        UnknownExtra,
        /// <summary>-Group (or an include-group) names a dependency group the project does not define.</summary>
        UnknownDependencyGroup,
        /// <summary>A [dependency-groups] entry that is not a requirement or an include-group table.</summary>
        InvalidDependencyGroup,
        /// <summary>Dependency groups that include each other.</summary>
        DependencyGroupCycle,
        /// <summary>A [[package]] of uv.lock that cannot be read.</summary>
        InvalidLockEntry,
        /// <summary>An editable requirement (-e): not searched on indexes.</summary>
        EditableRequirement,
        /// <summary>A direct URL or path reference: not searched on indexes.</summary>
        DirectReference,
        /// <summary>A dependency with a git, path or URL source: not searched on indexes.</summary>
        NonIndexSource,

        // Failures of the machine around the engine (mapped from .NET exceptions).

        /// <summary>A file could not be read or written (IOException).</summary>
        ConfigurationFileError,
        /// <summary>The file system refused access (UnauthorizedAccessException).</summary>
        FileAccessDenied,
        /// <summary>Another edit holds the file's edit lock (ConfigFileLockedException).</summary>
        ConfigFileLocked,
        /// <summary>The lock folder or lock file is not safely the user's own: another user's folder, or a link (ConfigFileLockUnsafeException).</summary>
        ConfigFileLockUnsafe,
        /// <summary>The file to edit has hard links, which the edit would break; allowed with -Force (HardLinkedFileException).</summary>
        HardLinkedFile,
        /// <summary>A request timed out outside any package's search.</summary>
        OperationTimedOut,

        // Packages the search could not resolve (PackageResolution.StopReason).

        /// <summary>No index that was asked has the package.</summary>
        PackageNotFound,
        /// <summary>The search stopped at an index that refused the request (401/403 not ignored).</summary>
        IndexAuthenticationFailed,
        /// <summary>The search ended with an index error (network, 5xx, an unreadable page, 407/511).</summary>
        IndexError,
        /// <summary>The package was found, but no version matches the requirement and the target.</summary>
        NoMatchingVersion,
    }
}
