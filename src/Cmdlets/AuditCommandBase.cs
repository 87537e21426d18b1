using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine;
using IndexTools.Engine.Audit;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Session;
using IndexTools.Engine.Search;
using IndexTools.Engine.Versions;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Find-ShadowedPackage and Compare-IndexStrategy: both ask EVERY configured index about each package — what
    /// first-index avoids — so both ask for confirmation (ShouldContinue; -Force for scripts) when a public index would
    /// hear an internal name. The engine (<see cref="ShadowAudit"/>) does the asking and the judging.
    /// </summary>
    public abstract class AuditCommandBase : SearchCmdlet
    {
        private readonly List<Requirement> _requirements = new List<Requirement>();

        /// <summary>Where each requirement was read from (null for names given directly), parallel to _requirements.</summary>
        private readonly List<ProjectRequirement?> _origins = new List<ProjectRequirement?>();
        private bool _yesToAll;
        private bool _noToAll;

        internal const string NameSet = "Name";
        private const string ProjectSet = "Project";
        private const string ProjectPathSet = "ProjectPath";
        private const string RequirementsPathSet = "RequirementsPath";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [Alias("Package", "Requirement")]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>The dependencies of the project found from the current folder ([project].dependencies, optional dependencies, dependency groups).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ProjectSet)]
        public SwitchParameter Project { get; set; }

        /// <summary>The dependencies of this pyproject.toml (or its folder), or the registry packages of this uv.lock.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ProjectPathSet)]
        [ValidateNotNullOrEmpty]
        public string? ProjectPath { get; set; }

        /// <summary>The requirements of this requirements file (with its -r/-c includes).</summary>
        [Parameter(Mandatory = true, ParameterSetName = RequirementsPathSet)]
        [ValidateNotNullOrEmpty]
        public string? RequirementsPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Index names (or URLs) to treat as public besides PyPI and download.pytorch.org.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? PublicIndex { get; set; }

        [Parameter]
        public SwitchParameter PreRelease { get; set; }

        /// <summary>Ask the public indexes without the confirmation prompt (for scripts and CI).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var text in Name)
            {
                if (Requirement.TryParse(text, out var requirement, out var error) && requirement != null && requirement.Url is null)
                {
                    _requirements.Add(requirement);
                    _origins.Add(null);
                }
                else
                {
                    var problem = error ?? "'" + text + "' is a direct URL reference; no index is asked for it.";
                    var record = ErrorTable.Record(ErrorKind.InvalidRequirement, new FormatException(problem), text);
                    WriteError(record);
                }
            }
        }

        protected override void EndProcessing()
        {
            var environment = ConfigurationParameters.Environment(this);
            var configPath = Path;
            ProjectInput? projectInput = null;
            if (ParameterSetName != NameSet)
            {
                var input = ProjectInputReader.Read(this, environment, ParameterSetName == ProjectSet, ProjectPath, RequirementsPath, lockFile: false, extras: null, groups: null);
                if (input is null)
                {
                    return;
                }

                projectInput = input;

                foreach (var read in input.Requirements.Where(r => r.Requirement.Url is null))
                {
                    _requirements.Add(read.Requirement);
                    _origins.Add(read);
                }
                configPath ??= System.IO.Path.GetDirectoryName(input.Path);
            }

            if (_requirements.Count == 0)
            {
                return;
            }

            var request = SearchRequest(configPath);
            var settings = ConfigurationParameters.Load(this, request, environment);
            WriteSelectionVerbose(settings, PreRelease.IsPresent);
            var versions = SearchUvRulesList();
            if (versions.Count == 2)
            {
                RunUvComparison(settings, SearchHttpSettings(environment), environment, versions[0], versions[1], projectInput);
                return;
            }

            var sessionOptions = SessionOptions(environment, settings);
            var options = new ShadowAuditOptions { PublicIndexes = PublicIndex ?? Array.Empty<string>(), AllowPreRelease = PreRelease.IsPresent, PythonVersion = PythonVersion, Platform = Platform, Target = SearchTarget(projectInput), UvRules = SearchUvRules() };
            var publics = ShadowAudit.PublicIndexesOf(settings, options);
            if (publics.Count > 0 && !Force.IsPresent)
            {
                var query = "This asks every index, including the public " + string.Join(", ", publics.Select(p => "'" + p.DisplayName + "'").ToArray())
                    + ", about " + _requirements.Count + " package name(s). First-index never asks a later index about a name an earlier index has: "
                    + "internal names become visible to the public index's operator. Continue?";
                if (!ShouldContinue(query, "Ask public indexes about these names", ref _yesToAll, ref _noToAll))
                {
                    return;
                }
            }

            try
            {
                RunOnWorker((events, token) => RunAsync(events, sessionOptions, options, token));
            }
            catch (Exception e) when (IsStopRequested(e))
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e)
            {
                var record = EngineErrors.FromException(e, _requirements.Count == 1 ? _requirements[0].Original : (object)_requirements.Select(r => r.Original).ToArray());
                if (record is null)
                {
                    throw;
                }

                ThrowTerminatingError(record);
            }
        }

        private async Task RunAsync(PipelineEvents events, SearchSessionOptions sessionOptions, ShadowAuditOptions options, CancellationToken token)
        {
            using (var session = OpenSession(sessionOptions, events))
            {
                await RunAsync(events, session.Audit(options), token).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// -UvVersion A, B: the configured search (its own strategy, no extra indexes asked) under each release, side by
        /// side. Only Compare-IndexStrategy takes two versions.
        /// </summary>
        private void RunUvComparison(IndexSettings settings, HttpSettings http, Engine.Environment.EngineEnvironment environment, UvRules a, UvRules b, ProjectInput? projectInput)
        {
            if (!(this is CompareIndexStrategyCommand compare))
            {
                SearchUvRules();
                return;
            }

            var options = new SearchOptions { AllowPreRelease = PreRelease.IsPresent, PythonVersion = PythonVersion, Platform = Platform, Target = SearchTarget(projectInput) };
            using (var client = new SimpleApiClient(http, new CredentialProvider(environment, null)))
            {
                var comparer = new UvVersionComparer(settings, client, options, a, b);
                try
                {
                    RunOnWorker(async (events, token) =>
                    {
                        await foreach (var comparison in comparer.CompareManyAsync(_requirements, token).ConfigureAwait(false))
                        {
                            if (!compare.DifferentOnly.IsPresent || comparison.Differs)
                            {
                                events.Output(comparison);
                            }
                        }
                    });
                }
                catch (Exception e) when (IsStopRequested(e))
                {
                    throw new PipelineStoppedException();
                }
                catch (Exception e)
                {
                    var record = EngineErrors.FromException(e, _requirements.Count == 1 ? _requirements[0].Original : (object)_requirements.Select(r => r.Original).ToArray());
                    if (record is null)
                    {
                        throw;
                    }

                    ThrowTerminatingError(record);
                }
            }
        }

        private async Task RunAsync(PipelineEvents events, ShadowAudit audit, CancellationToken token)
        {
            var done = 0;
            await foreach (var audited in audit.AuditManyAsync(_requirements, token).ConfigureAwait(false))
            {
                // Results come in input order.
                audited.Source = _origins[done]?.Location;
                audited.SourceFile = _origins[done]?.File;
                done++;
                if (_requirements.Count > 1)
                {
                    events.Progress(new ProgressRecord(1, ActivityName, audited.Package) { PercentComplete = 100 * done / _requirements.Count });
                }

                if (events.ShowsVerbose)
                {
                    foreach (var set in audited.Indexes)
                    {
                        events.Verbose(audited.Package + ": [" + set.Order + "] " + (set.Index ?? set.Url) + (set.Public ? " (public)" : "") + ": "
                            + (set.Found ? string.Join(", ", set.Versions) : set.Problem ?? "not found"));
                    }
                }

                Emit(events, audited);
            }

            if (_requirements.Count > 1)
            {
                events.Progress(new ProgressRecord(1, ActivityName, "done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>The activity shown in the progress bar.</summary>
        protected abstract string ActivityName { get; }

        /// <summary>Writes what this cmdlet outputs for one audited package.</summary>
        internal abstract void Emit(PipelineEvents events, ShadowedPackage audited);
    }

    /// <summary>Find-ShadowedPackage: names offered by more than one index, the versions on each, the picks, the risk and its reasons.</summary>
    [Cmdlet(VerbsCommon.Find, "ShadowedPackage", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(ShadowedPackage))]
    public sealed class FindShadowedPackageCommand : AuditCommandBase
    {
        /// <summary>Also write packages found on one index or none (Risk None).</summary>
        [Parameter]
        public SwitchParameter IncludeUnshadowed { get; set; }

        protected override string ActivityName => "Find-ShadowedPackage: asking every index";

        internal override void Emit(PipelineEvents events, ShadowedPackage audited)
        {
            if (audited.FoundOn >= 2 || IncludeUnshadowed.IsPresent)
            {
                events.Output(audited);
            }
        }
    }

    /// <summary>Compare-IndexStrategy: the same package under first-index, unsafe-first-match, unsafe-best-match and pip's merge-all.</summary>
    [Cmdlet(VerbsData.Compare, "IndexStrategy", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(StrategyComparison), typeof(UvVersionComparison))]
    public sealed class CompareIndexStrategyCommand : AuditCommandBase
    {
        /// <summary>Only write the packages whose chosen index or version changes with the strategy (or, with two -UvVersion, whose index, stop reason or version changes between the releases).</summary>
        [Parameter]
        public SwitchParameter DifferentOnly { get; set; }

        protected override string ActivityName => "Compare-IndexStrategy: asking every index";

        internal override void Emit(PipelineEvents events, ShadowedPackage audited)
        {
            var comparison = ShadowAudit.Compare(audited);
            comparison.Source = audited.Source;
            comparison.SourceFile = audited.SourceFile;
            if (!DifferentOnly.IsPresent || comparison.Differs)
            {
                events.Output(comparison);
            }
        }
    }
}
