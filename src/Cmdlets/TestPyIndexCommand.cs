using IndexTools.Engine.Probe;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Probes Python package indexes: reachability, TLS, formats, answers for missing names with and without credentials, falling through to PyPI, product.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "PyIndex", DefaultParameterSetName = ConfiguredSet)]
    [OutputType(typeof(IndexProbeResult))]
    public sealed class TestPyIndexCommand : NetworkCmdlet
    {
        private const string ConfiguredSet = "Configured";
        private const string UrlSet = "Url";

        private IndexSettings? _settings;
        private EngineEnvironment? _environment;
        private bool _sawName;

        /// <summary>Names of configured indexes (from Get-IndexStrategy on the pipeline, or typed); all configured indexes when absent.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ConfiguredSet)]
        [Alias("IndexName")]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Index URLs to probe instead of configured indexes. A URL with credentials given here is kept by PowerShell in the command's InvocationInfo (Get-Error, $Error, transcripts): put credentials in UV_INDEX_<NAME>_USERNAME / UV_INDEX_<NAME>_PASSWORD, netrc or -Credential instead.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UrlSet)]
        [ValidateNotNullOrEmpty]
        public Uri[] Url { get; set; } = Array.Empty<Uri>();

        /// <summary>A project folder or pyproject.toml / uv.toml; discovery walks up from here.</summary>
        [Parameter(ParameterSetName = ConfiguredSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        [Parameter(ParameterSetName = ConfiguredSet)]
        [ValidateNotNullOrEmpty]
        public string? ConfigFile { get; set; }

        [Parameter(ParameterSetName = ConfiguredSet)]
        public SwitchParameter NoConfig { get; set; }

        /// <summary>A package expected on the index (e.g. an internal one), asked with and without credentials.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Package { get; set; }

        /// <summary>The public package asked for to see whether the index serves public packages; default pip.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string PublicPackage { get; set; } = "pip";

        [Parameter(ParameterSetName = ConfiguredSet)]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? CredentialIndex { get; set; }

        internal override string? CredentialIndexName => CredentialIndex;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _environment = ConfigurationParameters.Environment(this);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == UrlSet)
            {
                var targets = new List<(IndexDefinition, IReadOnlyList<int>)>();
                foreach (var url in Url)
                {
                    if (!url.IsAbsoluteUri)
                    {
                        WriteError(ErrorTable.Record(CmdletErrorKind.IndexUrlNotAbsolute, new ArgumentException("'" + url.OriginalString + "' is not an absolute URL."), url));
                        continue;
                    }

                    var definition = new IndexDefinition(null, url.OriginalString, Provenance.FromParameter("-Url"));
                    targets.Add((definition, StatusCodePolicy.For(definition, new[] { definition }, IndexStrategy.FirstIndex).IgnoredStatusCodes));
                }

                Probe(targets, Credential is null ? null : targets.Select(t => t.Item1).FirstOrDefault());
                return;
            }

            var settings = LoadSettings();
            IEnumerable<IndexDefinition> chosen;
            if (Name is null || Name.Length == 0)
            {
                if (_sawName)
                {
                    return;
                }

                chosen = settings.Indexes;
            }
            else
            {
                _sawName = true;
                var list = new List<IndexDefinition>();
                foreach (var name in Name)
                {
                    var index = settings.Indexes.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));
                    if (index is null)
                    {
                        var known = settings.Indexes.Where(i => i.Name != null).Select(i => i.Name!).ToArray();
                        WriteError(ErrorTable.Record(
                            ErrorKind.IndexNotFound,
                            new ItemNotFoundException("No configured index is named '" + name + "' (configured: " + (known.Length == 0 ? "none" : string.Join(", ", known)) + ")."),
                            name,
                            action: "Run Get-IndexStrategy to list the configured indexes, or probe a URL with -Url."));
                        continue;
                    }

                    list.Add(index);
                }

                chosen = list;
            }

            var probes = chosen.Select(i => (i, settings.PolicyOf(i).IgnoredStatusCodes)).ToList();
            IndexDefinition? credentialTarget = null;
            if (Credential != null && CredentialIndex is null && probes.Count == 1 && Name != null && Name.Length == 1)
            {
                // One index named on the command line: -Credential is for it.
                credentialTarget = probes[0].Item1;
            }
            else
            {
                credentialTarget = CredentialTarget(settings.Indexes);
            }

            Probe(probes, credentialTarget);
        }

        private IndexSettings LoadSettings()
        {
            if (_settings is null)
            {
                var request = ConfigurationParameters.Request(this, Path, ConfigFile, NoConfig.IsPresent, null, null, null);
                _settings = ConfigurationParameters.Load(this, request, _environment!);
            }

            return _settings;
        }

        private void Probe(IReadOnlyList<(IndexDefinition Index, IReadOnlyList<int> Ignored)> targets, IndexDefinition? credentialTarget)
        {
            if (targets.Count == 0)
            {
                return;
            }

            // The session every network cmdlet uses: the configuration's indexes (for -Url, the URLs themselves) seed its
            // credential sources, keyring-provider comes from the configuration (UV_KEYRING_PROVIDER over the files; for -Url
            // only the variable), -Credential goes to its index only. No page cache: a probe always asks the index.
            var settings = _settings ?? UrlSettings(targets);
            var sessionOptions = NetworkSessionOptions(_environment!, settings, credentialTarget);
            try
            {
                RunOnWorker((events, token) => ProbeAllAsync(events, targets, sessionOptions, token));
            }
            catch (Exception e) when (IsStopRequested(e))
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>The settings a -Url probe runs on: the URLs as indexes, keyring-provider from UV_KEYRING_PROVIDER alone.</summary>
        private IndexSettings UrlSettings(IReadOnlyList<(IndexDefinition Index, IReadOnlyList<int> Ignored)> targets)
        {
            var keyring = string.Equals(_environment!.Get("UV_KEYRING_PROVIDER")?.Trim(), "subprocess", StringComparison.OrdinalIgnoreCase);
            return new IndexSettings(targets.Select(t => t.Index).ToArray(), IndexStrategy.FirstIndex, Provenance.FromParameter("-Url"))
            {
                KeyringProvider = keyring ? "subprocess" : "disabled",
            };
        }

        private async Task ProbeAllAsync(PipelineEvents events, IReadOnlyList<(IndexDefinition Index, IReadOnlyList<int> Ignored)> targets, SearchSessionOptions sessionOptions, CancellationToken token)
        {
            using (var session = OpenSession(sessionOptions, events))
            using (var prober = session.Prober())
            {
                var done = 0;
                foreach (var (index, ignored) in targets)
                {
                    if (targets.Count > 1)
                    {
                        events.Progress(new ProgressRecord(1, "Test-PyIndex", "Probing " + index.DisplayName) { PercentComplete = done * 100 / targets.Count });
                    }

                    events.Verbose("Probing index '" + index.DisplayName + "' (" + index.DisplayUrl + ").");
                    try
                    {
                        var options = new ProbeOptions
                        {
                            Package = Package,
                            PublicPackage = PublicPackage,
                            IgnoredStatusCodes = ignored,
                            ConfigFile = index.Source.FilePath,
                        };
                        var result = await prober.ProbeAsync(index, options, token).ConfigureAwait(false);
                        events.Output(result);
                        if (result.Findings.Any(f => f.Severity == ReportSeverity.Error))
                        {
                            var worst = result.Findings.First(f => f.Severity == ReportSeverity.Error);
                            events.Verbose("Index '" + index.DisplayName + "': " + worst.Kind + ": " + worst.Message);
                        }
                    }
                    catch (IndexConfigurationException e)
                    {
                        var record = EngineErrors.FromException(e, index.DisplayName);
                        if (record != null)
                        {
                            events.Error(record);
                        }
                    }

                    done++;
                }

                if (targets.Count > 1)
                {
                    events.Progress(new ProgressRecord(1, "Test-PyIndex", "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
        }
    }
}
