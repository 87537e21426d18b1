namespace IndexTools.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Shows the indexes uv would search, in order, with the policy applied to each.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IndexStrategy", DefaultParameterSetName = DefaultSet)]
    [OutputType(typeof(IndexPolicy))]
    public sealed class GetIndexStrategyCommand : IndexToolsCmdlet
    {
        private const string DefaultSet = "Default";

        private bool _warnedPip;

        /// <summary>A project folder, or a pyproject.toml / uv.toml file; discovery walks up from here. Default: the current location.</summary>
        [Parameter(Position = 0, ParameterSetName = DefaultSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>uv's --config-file: replaces every discovered uv.toml.</summary>
        [Parameter(ParameterSetName = DefaultSet)]
        [ValidateNotNullOrEmpty]
        public string? ConfigFile { get; set; }

        /// <summary>uv's --no-config.</summary>
        [Parameter(ParameterSetName = DefaultSet)]
        public SwitchParameter NoConfig { get; set; }

        /// <summary>uv's --index: searched before the configured indexes. A URL with credentials given here is kept by PowerShell in the command's InvocationInfo (Get-Error, $Error, transcripts): put credentials in UV_INDEX_<NAME>_USERNAME / UV_INDEX_<NAME>_PASSWORD, netrc or -Credential instead.</summary>
        [Parameter(ParameterSetName = DefaultSet)]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Index { get; set; }

        /// <summary>uv's --default-index. A URL with credentials given here is kept by PowerShell in the command's InvocationInfo (Get-Error, $Error, transcripts): put credentials in UV_INDEX_<NAME>_USERNAME / UV_INDEX_<NAME>_PASSWORD, netrc or -Credential instead.</summary>
        [Parameter(ParameterSetName = DefaultSet)]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultIndex { get; set; }

        /// <summary>uv's --index-strategy.</summary>
        [Parameter(ParameterSetName = DefaultSet)]
        public IndexStrategy? IndexStrategy { get; set; }

        protected override void ProcessRecord()
        {
            var environment = ConfigurationParameters.Environment(this);
            var request = ConfigurationParameters.Request(this, Path, ConfigFile, NoConfig.IsPresent, Index, DefaultIndex, IndexStrategy);
            var settings = ConfigurationParameters.Load(this, request, environment);
            var pip = PipSettingsReader.Read(environment).ToArray();
            if (!_warnedPip && PipSettingsReader.Warning(pip) is string warning)
            {
                _warnedPip = true;
                WriteWarning(SecretScrubber.Scrub(warning));
            }

            // A user-level ignore-error-codes that a project entry for the same URL overrides is the surprise to name.
            foreach (var shadow in IndexPolicies.ShadowWarnings(settings))
            {
                WriteWarning(shadow);
            }

            foreach (var collision in IndexPolicies.CredentialNameCollisions(settings))
            {
                WriteWarning(collision);
            }

            foreach (var policy in IndexPolicies.Describe(settings))
            {
                policy.IgnoredPipIndexes = pip;
                WriteObject(policy);
            }
        }
    }
}
