using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Cache;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Search;
using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Finds which index each Python package would come from, as uv searches, and why the search stopped there.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "PyPackage", DefaultParameterSetName = DefaultSet)]
    [OutputType(typeof(PackageResolution))]
    public sealed class ResolvePyPackageCommand : SearchCmdlet
    {
        private const string DefaultSet = "Default";
        private const string ProjectSet = "Project";
        private const string ProjectPathSet = "ProjectPath";
        private const string RequirementsSet = "RequirementsPath";

        private readonly List<string> _requirements = new List<string>();

        /// <summary>Where each requirement came from (null for names given directly), parallel to _requirements.</summary>
        private readonly List<string?> _sources = new List<string?>();

        /// <summary>The project requirement behind each entry (its extra, group and other origins), null for names given directly.</summary>
        private readonly List<ProjectRequirement?> _origins = new List<ProjectRequirement?>();

        /// <summary>Package names or requirements (requests>=2,&lt;3); lines of a requirements file are accepted as they are.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DefaultSet)]
        [Alias("Package", "Requirement")]
        [AllowEmptyString]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Resolve the dependencies of the project found from the current folder (or -Path), as the configuration loader finds it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ProjectSet)]
        public SwitchParameter Project { get; set; }

        /// <summary>A pyproject.toml, the folder that holds it, or a uv.lock.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ProjectPathSet)]
        [ValidateNotNullOrEmpty]
        public string? ProjectPath { get; set; }

        /// <summary>Optional-dependency groups to include (default: all of them).</summary>
        [Parameter(ParameterSetName = ProjectSet)]
        [Parameter(ParameterSetName = ProjectPathSet)]
        [ValidateNotNull]
        public string[]? Extra { get; set; }

        /// <summary>Dependency groups (PEP 735) to include (default: all of them).</summary>
        [Parameter(ParameterSetName = ProjectSet)]
        [Parameter(ParameterSetName = ProjectPathSet)]
        [ValidateNotNull]
        public string[]? Group { get; set; }

        /// <summary>Resolve the packages of the project's uv.lock (name==version) instead of its declared dependencies.</summary>
        [Parameter(ParameterSetName = ProjectSet)]
        [Parameter(ParameterSetName = ProjectPathSet)]
        public SwitchParameter Lock { get; set; }

        /// <summary>A pip requirements file (with -r/-c includes).</summary>
        [Parameter(Mandatory = true, ParameterSetName = RequirementsSet)]
        [Alias("RequirementsFile")]
        [ValidateNotNullOrEmpty]
        public string? RequirementsPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Credentials for one index: the one named by -CredentialIndex, else the only index that needs them (see CredentialScope).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? CredentialIndex { get; set; }

        [Parameter]
        public SwitchParameter PreRelease { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        /// <summary>Revalidate every cached page with the index (uv's --refresh): conditional requests, 304s where nothing changed.</summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        /// <summary>Never touch the network (uv's --offline): answer from the cache only; a page not in the cache is an index error.</summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        /// <summary>Neither read nor write the on-disk cache (uv's --no-cache).</summary>
        [Parameter]
        public SwitchParameter NoCache { get; set; }

        /// <summary>How many index requests run at once across packages (default 50, uv's download concurrency).</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 50;

        protected override void BeginProcessing()
        {
            if (NoProxy.IsPresent && (Proxy != null || ProxyCredential != null))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-NoProxy cannot be combined with -Proxy or -ProxyCredential."),
                    "ProxyParameterConflict",
                    ErrorCategory.InvalidArgument,
                    Proxy));
            }

            if ((Offline.IsPresent && (Refresh.IsPresent || NoCache.IsPresent)) || (Refresh.IsPresent && NoCache.IsPresent))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-Offline, -Refresh and -NoCache exclude one another."),
                    "CacheParameterConflict",
                    ErrorCategory.InvalidArgument,
                    null));
            }

            if (CredentialIndex != null && Credential is null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-CredentialIndex names the index -Credential is for; give -Credential too."),
                    "CredentialIndexWithoutCredential",
                    ErrorCategory.InvalidArgument,
                    CredentialIndex));
            }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != DefaultSet)
            {
                return;
            }

            foreach (var line in Name)
            {
                switch (RequirementLine.Classify(line, out var requirement))
                {
                    case RequirementLineKind.Blank:
                        WriteVerbose("Skipping a blank line.");
                        break;
                    case RequirementLineKind.Comment:
                        WriteVerbose("Skipping a comment line.");
                        break;
                    case RequirementLineKind.Option:
                        WriteVerbose("Skipping the option line '" + requirement + " ...': pip options do not apply here (use -Index, -DefaultIndex, -ConfigFile).");
                        break;
                    default:
                        var problem = RequirementCheck.Problem(requirement);
                        if (problem is null)
                        {
                            _requirements.Add(requirement);
                            _sources.Add(null);
                            _origins.Add(null);
                        }
                        else
                        {
                            // One bad line does not stop the others (non-terminating), as a user piping a file expects.
                            var record = new ErrorRecord(new FormatException(problem), "InvalidRequirement", ErrorCategory.InvalidArgument, requirement);
                            record.ErrorDetails = new ErrorDetails(problem) { RecommendedAction = "Write the requirement as PEP 508 describes it, e.g. 'requests>=2,<3'." };
                            WriteError(record);
                        }

                        break;
                }
            }
        }

        protected override void EndProcessing()
        {
            var environment = ConfigurationParameters.Environment(this);
            var configStart = Path;
            ProjectInput? projectInput = null;
            if (ParameterSetName != DefaultSet)
            {
                var input = ProjectInputReader.Read(this, environment, ParameterSetName == ProjectSet, ProjectPath, RequirementsPath, Lock.IsPresent, Extra, Group);
                if (input is null)
                {
                    return;
                }

                projectInput = input;

                foreach (var requirement in input.Requirements)
                {
                    _requirements.Add(requirement.Requirement.Original);
                    _sources.Add(requirement.Location);
                    _origins.Add(requirement);
                }

                // The project's own folder decides the configuration unless -Path says otherwise.
                if (string.IsNullOrEmpty(configStart) && RequirementsPath is null)
                {
                    configStart = System.IO.Path.GetDirectoryName(input.Path);
                }
            }

            if (_requirements.Count == 0)
            {
                return;
            }

            var request = SearchRequest(configStart);
            var settings = ConfigurationParameters.Load(this, request, environment);
            WriteSelectionVerbose(settings, PreRelease.IsPresent);
            var http = HttpSettingsFor(environment);
            var credentials = CredentialsFor(environment, settings);
            var options = new SearchOptions { AllowPreRelease = PreRelease.IsPresent, PythonVersion = PythonVersion, Platform = Platform, Target = SearchTarget(projectInput), Concurrency = ThrottleLimit };
            var cacheMode = Offline.IsPresent ? CacheMode.Offline : Refresh.IsPresent ? CacheMode.Refresh : CacheMode.Normal;
            var cacheDirectory = NoCache.IsPresent ? null : PageCacheOptions.DefaultDirectory(environment);

            try
            {
                RunOnWorker((events, token) => ResolveAsync(events, settings, http, credentials, options, cacheDirectory, cacheMode, token));
            }
            catch (Exception e) when (IsStopRequested(e))
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e)
            {
                var record = EngineErrors.FromException(e, _requirements.Count == 1 ? _requirements[0] : (object)_requirements.ToArray());
                if (record is null)
                {
                    throw;
                }

                ThrowTerminatingError(record);
            }
        }

        private async Task ResolveAsync(PipelineEvents events, IndexSettings settings, HttpSettings http, CredentialProvider credentials, SearchOptions options, string? cacheDirectory, CacheMode cacheMode, CancellationToken token)
        {
            var listener = new SearchEventListener(events, _requirements.Count);
            var client = new SimpleApiClient(http, credentials, events.DebugWriter);
            var cache = cacheDirectory is null ? null : new CachingPageSource(client, new PageCacheOptions(cacheDirectory) { Mode = cacheMode }, events.DebugWriter);
            try
            {
                var search = new IndexSearch(settings, (IProjectPageSource?)cache ?? client, options, listener);
                var (items, sources) = Expand(settings, options.Target?.Markers);
                var position = 0;
                await foreach (var resolution in search.ResolveManyAsync(items, token).ConfigureAwait(false))
                {
                    resolution.Source = sources[position++];
                    events.Output(resolution);
                    if (!resolution.Resolved)
                    {
                        events.Error(EngineErrors.FromResolution(resolution));
                    }
                }
            }
            finally
            {
                cache?.Dispose(); // writes what is still pending to disk (its debug lines still reach the pipeline)
                listener.Complete();
                (client as IDisposable)?.Dispose();
            }
        }

        /// <summary>
        /// One search per requirement, or one per alternative when conditional [tool.uv.sources] entries apply (an
        /// extra, a group, a marker the target leaves open); each with its Source text saying which entry applied.
        /// </summary>
        private (List<(Requirement, SourceChoice?)> Items, List<string?> Sources) Expand(IndexSettings settings, IReadOnlyDictionary<string, string>? markers)
        {
            var items = new List<(Requirement, SourceChoice?)>();
            var sources = new List<string?>();
            var registries = _origins.Where(o => o?.Registry != null).GroupBy(o => o!.Requirement.NormalizedName + "==" + o.Requirement.Original)
                .Where(g => g.Select(o => o!.Registry).Distinct().Count() > 1).SelectMany(g => g).ToList();
            for (var i = 0; i < _requirements.Count; i++)
            {
                var requirement = Requirement.Parse(_requirements[i]);
                var origin = _origins[i];
                if (origin != null && registries.Contains(origin))
                {
                    var choice = SourceSelector.ForLockRegistry(settings, origin);
                    items.Add((requirement, choice));
                    sources.Add(_sources[i] + "; " + choice.Reason);
                    continue;
                }

                var contexts = new List<(string? Extra, string? Group, string? Location)> { (origin?.Extra, origin?.Group, _sources[i]) };
                if (origin != null)
                {
                    contexts.AddRange(origin.AlsoRequiredBy.Select(a => (a.Extra, a.Group, (string?)a.Location)));
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (extra, group, location) in contexts)
                {
                    var choices = SourceSelector.Choices(settings, requirement, extra, group, markers);
                    if (choices is null)
                    {
                        items.Add((requirement, null));
                        sources.Add(_sources[i]);
                        break;
                    }

                    foreach (var choice in choices)
                    {
                        if (seen.Add((choice.Index ?? "") + "|" + choice.Marker))
                        {
                            items.Add((requirement, choice));
                            sources.Add(location is null ? choice.Reason : location + "; " + choice.Reason);
                        }
                    }
                }
            }

            return (items, sources);
        }

        private HttpSettings HttpSettingsFor(EngineEnvironment environment)
        {
            return ConfigurationParameters.ApplyProxy(SearchHttpSettings(environment), Proxy, NoProxy.IsPresent, ProxyCredential);
        }

        private CredentialProvider CredentialsFor(EngineEnvironment environment, IndexSettings settings)
        {
            var indexCredentials = new Dictionary<string, IndexCredential>(StringComparer.Ordinal);
            if (Credential != null)
            {
                var index = CredentialScope.Select(settings.Indexes, CredentialIndex, out var problem);
                if (index is null)
                {
                    var record = new ErrorRecord(new ArgumentException(problem), "CredentialIndexAmbiguous", ErrorCategory.InvalidArgument, CredentialIndex);
                    record.ErrorDetails = new ErrorDetails(problem) { RecommendedAction = "Add -CredentialIndex <name> to say which index the credential is for." };
                    ThrowTerminatingError(record);
                }

                WriteVerbose("-Credential applies to index '" + index!.DisplayName + "' only.");
                var network = Credential.GetNetworkCredential();
                indexCredentials[index.Name ?? index.Url] = new IndexCredential(network.UserName, network.Password);
            }

            return new CredentialProvider(environment, indexCredentials);
        }
    }
}
