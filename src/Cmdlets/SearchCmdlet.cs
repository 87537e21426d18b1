using IndexTools.Engine.Cache;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// The parameters every searching cmdlet shares (Resolve-PyPackage, Test-PyLock, Find-ShadowedPackage,
    /// Compare-IndexStrategy): which configuration to read and how to override it, the target Python, the index
    /// -Credential is for, the cache mode and the throttle; the HTTP timeout, the credential and the proxy come from
    /// <see cref="NetworkCmdlet"/>, which Test-PyIndex shares. Declared once so that they bind,
    /// complete and validate the same way everywhere, and turned into one <see cref="SearchSessionOptions"/>.
    /// </summary>
    public abstract class SearchCmdlet : NetworkCmdlet
    {
        /// <summary>A uv.toml that replaces every discovered one (uv's --config-file).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfigFile { get; set; }

        /// <summary>Skip configuration discovery (uv's --no-config).</summary>
        [Parameter]
        public SwitchParameter NoConfig { get; set; }

        /// <summary>Indexes searched before the configured ones (uv's --index): URLs, configured names or name=url. A URL with credentials given here is kept by PowerShell in the command's InvocationInfo (Get-Error, $Error, transcripts): put credentials in UV_INDEX_<NAME>_USERNAME / UV_INDEX_<NAME>_PASSWORD, netrc or -Credential instead.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Index { get; set; }

        /// <summary>The index searched last instead of PyPI (uv's --default-index). A URL with credentials given here is kept by PowerShell in the command's InvocationInfo (Get-Error, $Error, transcripts): put credentials in UV_INDEX_<NAME>_USERNAME / UV_INDEX_<NAME>_PASSWORD, netrc or -Credential instead.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultIndex { get; set; }

        /// <summary>Overrides the configured index-strategy.</summary>
        [Parameter]
        public IndexStrategy? IndexStrategy { get; set; }

        /// <summary>Filters files by requires-python for this Python version.</summary>
        [Parameter]
        [ValidatePattern(@"^\d+(\.\d+){0,2}$")]
        public string? PythonVersion { get; set; }

        /// <summary>The target platform, as uv's --python-platform names it (linux, windows, macos, x86_64-manylinux_2_28, aarch64-apple-darwin, …).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Platform { get; set; }

        /// <summary>The index -Credential is for.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? CredentialIndex { get; set; }

        internal override string? CredentialIndexName => CredentialIndex;

        /// <summary>Revalidate every cached page with the index (uv's --refresh): conditional requests, 304s where nothing changed.</summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        /// <summary>Never touch the network (uv's --offline): answer from the cache only; a page not in the cache is "not found" and the search continues, as uv's does.</summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        /// <summary>Neither read nor write the on-disk cache (uv's --no-cache).</summary>
        [Parameter]
        public SwitchParameter NoCache { get; set; }

        /// <summary>How many index requests run at once across packages (default 50, uv's download concurrency).</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 50;

        /// <summary>Refuses combinations that contradict one another (the same errors on every searching cmdlet).</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if ((Offline.IsPresent && (Refresh.IsPresent || NoCache.IsPresent)) || (Refresh.IsPresent && NoCache.IsPresent))
            {
                ThrowTerminatingError(ErrorTable.Record(CmdletErrorKind.CacheParameterConflict, new ArgumentException("-Offline, -Refresh and -NoCache exclude one another."), null));
            }
        }

        /// <summary>
        /// The one options object the cmdlet's session is built from: settings, HTTP with proxy and timeout, -Credential for its
        /// index, cache folder and mode, throttle. The worker adds its debug and warning sinks (<see cref="OpenSession"/>).
        /// Stops the command (terminating error) when -Credential cannot be given to one index.
        /// </summary>
        internal SearchSessionOptions SessionOptions(EngineEnvironment environment, IndexSettings settings)
        {
            var options = NetworkSessionOptions(environment, settings, CredentialTarget(settings.Indexes));
            options.CacheDirectory = NoCache.IsPresent ? null : PageCacheOptions.DefaultDirectory(environment);
            options.CacheMode = Offline.IsPresent ? CacheMode.Offline : Refresh.IsPresent ? CacheMode.Refresh : CacheMode.Normal;
            options.Concurrency = ThrottleLimit;
            options.UvRules = SearchUvRulesList()[0];
            return options;
        }

        /// <summary>
        /// The uv release whose rules decide the index and the stop (0.6.0 to 0.12.5; 0.7 is 0.7.0); default 0.12.5.
        /// Compare-IndexStrategy takes two, to show what changes between them.
        /// </summary>
        [Parameter]
        [ValidateCount(1, 2)]
        [ValidateNotNullOrEmpty]
        public string[]? UvVersion { get; set; }

        /// <summary>The rules of -UvVersion's release (uv 0.12.5 without it); more than one version is a parameter error here.</summary>
        internal UvRules SearchUvRules()
        {
            var all = SearchUvRulesList();
            if (all.Count > 1)
            {
                ThrowTerminatingError(ErrorTable.Record(CmdletErrorKind.UvVersionCount, new ArgumentException("-UvVersion takes one version here; Compare-IndexStrategy compares two."), UvVersion));
            }

            return all[0];
        }

        /// <summary>Every -UvVersion, parsed; a value that is not a modelled uv release is a terminating InvalidUvVersion error.</summary>
        internal IReadOnlyList<UvRules> SearchUvRulesList()
        {
            if (UvVersion is null || UvVersion.Length == 0)
            {
                return new[] { UvRules.Latest };
            }

            var result = new List<UvRules>();
            foreach (var text in UvVersion)
            {
                try
                {
                    result.Add(UvRules.Parse(text));
                }
                catch (Exception e) when (e is FormatException || e is ArgumentException)
                {
                    ThrowTerminatingError(ErrorTable.Record(CmdletErrorKind.InvalidUvVersion, e, text));
                }
            }

            return result;
        }

        /// <summary>The configuration request for a start path (a folder or file) and this cmdlet's overrides.</summary>
        internal ConfigurationRequest SearchRequest(string? startPath)
        {
            return ConfigurationParameters.Request(this, startPath, ConfigFile, NoConfig.IsPresent, Index, DefaultIndex, IndexStrategy);
        }

        /// <summary>
        /// The target environment of this run: -PythonVersion and -Platform; without -PythonVersion, a project's
        /// requires-python bounds it (uv lock's universal view). Written to -Verbose. A bad value is a terminating
        /// InvalidTarget error naming it.
        /// </summary>
        internal TargetEnvironment SearchTarget(ProjectInput? input)
        {
            TargetEnvironment target;
            try
            {
                var requiresPython = PythonVersion is null ? input?.RequiresPython : null;
                target = TargetEnvironment.Create(PythonVersion, Platform, requiresPython, requiresPython is null ? null : input?.RequiresPythonSource);
            }
            catch (FormatException e)
            {
                ThrowTerminatingError(ErrorTable.Record(CmdletErrorKind.InvalidTarget, e, (object?)Platform ?? PythonVersion ?? input?.RequiresPython));
                throw;
            }

            WriteVerbose("Target: " + target.Description + (PythonVersion is null && Platform is null && input?.RequiresPython is null ? " (assumed: neither -PythonVersion nor -Platform was given)" : "") + ".");
            return target;
        }

        /// <summary>One -Verbose line with uv's selection settings in effect and where each came from.</summary>
        /// <summary>
        /// With no project and no index given, the search asks pypi.org only because it is uv's implicit default: say so
        /// first (a warning before any result), since a run in the wrong folder would otherwise quietly search PyPI.
        /// </summary>
        internal void WarnIfImplicitDefault(IndexTools.Engine.Indexes.IndexSettings settings, string? startPath)
        {
            if (settings.ProjectFile is null && !settings.NoIndex && settings.FindLinks.Count == 0 && settings.Indexes.Count == 1
                && settings.Indexes[0].Source.Kind == IndexTools.Engine.Indexes.ProvenanceKind.Default)
            {
                var start = string.IsNullOrEmpty(startPath) ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : startPath;
                WriteWarning("No project (pyproject.toml or uv.toml) was found from " + start + " and no index was given: the search uses "
                    + settings.Indexes[0].DisplayUrl + ", uv's implicit default. Give -Path, -Index or -DefaultIndex to search elsewhere.");
            }
        }

        internal void WriteSelectionVerbose(IndexTools.Engine.Indexes.IndexSettings settings, bool preRelease)
        {
            var selection = settings.Selection;
            var parts = new System.Collections.Generic.List<string>
            {
                "exclude-newer " + (selection.ExcludeNewer is null ? "none" : selection.ExcludeNewer.ToString()),
                "prerelease " + (preRelease ? "allow (parameter: PreRelease)" : selection.Prerelease?.ToString() ?? "if-necessary (default)"),
                "resolution " + (selection.Resolution?.ToString() ?? "highest (default)"),
            };
            foreach (var package in selection.PrereleasePackage.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                parts.Add("prerelease-package " + package.Key + " = " + package.Value);
            }

            foreach (var index in settings.Indexes)
            {
                if (index.ExcludeNewer is not null)
                {
                    parts.Add("exclude-newer on '" + index.DisplayName + "' " + index.ExcludeNewer);
                }
            }

            WriteVerbose("Selection: " + string.Join("; ", parts) + ".");
        }
    }
}
