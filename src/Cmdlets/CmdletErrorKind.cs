namespace IndexTools.Cmdlets
{
    /// <summary>
    /// What went wrong in a cmdlet itself, before or around the engine: its parameters, the paths it reads, a prompt it
    /// cannot ask, the report it writes. Like the engine's <see cref="ErrorKind"/>, each kind has one row in
    /// <see cref="ErrorTable"/> (ErrorId, ErrorCategory, RecommendedAction); no cmdlet spells an id. Where two situations
    /// have always been published under one id with different fixes (ProjectFileNotFound, InvalidUvVersion), each is its
    /// own kind and both rows spell that id.
    /// </summary>
    internal enum CmdletErrorKind
    {
        // Paths (PathParameters, ProjectInputReader).

        /// <summary>-Path (or another path parameter without its own kind) names nothing that exists.</summary>
        PathNotFound,
        /// <summary>-ConfigFile names nothing that exists.</summary>
        ConfigFilePathNotFound,
        /// <summary>-ProjectPath names nothing that exists.</summary>
        ProjectPathNotFound,
        /// <summary>-RequirementsPath names nothing that exists.</summary>
        RequirementsPathNotFound,
        /// <summary>The project, lock or requirements file to read is not there (a folder given as -RequirementsPath, a project without the file).</summary>
        ProjectFileNotFound,
        /// <summary>A wildcard path matches more than one item.</summary>
        PathNotUnique,

        // Prompts.

        /// <summary>The command needs a confirmation the host cannot ask (non-interactive, or input redirected).</summary>
        ConfirmationRequired,

        // Parameters that contradict one another or name nothing.

        /// <summary>-NoProxy with -Proxy or -ProxyCredential.</summary>
        ProxyParameterConflict,
        /// <summary>-CredentialIndex without -Credential.</summary>
        CredentialIndexWithoutCredential,
        /// <summary>-Credential and no way to tell which index it is for.</summary>
        CredentialIndexAmbiguous,
        /// <summary>Two of -Offline, -Refresh and -NoCache.</summary>
        CacheParameterConflict,
        /// <summary>-UvVersion with a value that is not a modelled uv release.</summary>
        InvalidUvVersion,
        /// <summary>Two -UvVersion values where the cmdlet takes one (only Compare-IndexStrategy compares two).</summary>
        UvVersionCount,
        /// <summary>-PythonVersion or -Platform (or the project's requires-python) that is not a valid target.</summary>
        InvalidTarget,
        /// <summary>Set-IndexIgnoredCodes for an index without a name.</summary>
        IndexNameRequired,
        /// <summary>Set-IndexIgnoredCodes with both -Path (or a piped ConfigFile) and -Scope.</summary>
        PathAndScopeConflict,
        /// <summary>Test-PyIndex -Url with a URL that is not absolute.</summary>
        IndexUrlNotAbsolute,
        /// <summary>Test-PyLock -Package names a package the lock does not have.</summary>
        PackageNotInLock,

        // Reports (Write-IndexReport).

        /// <summary>A piped object that is not an IndexTools result.</summary>
        NotReportable,
        /// <summary>The report file could not be written.</summary>
        ReportWriteFailed,
        /// <summary>The report has entries at or above the -FailOn level.</summary>
        IndexReportFailed,
    }
}
