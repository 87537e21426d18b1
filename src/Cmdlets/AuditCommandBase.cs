using IndexTools.Engine.Audit;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Find-ShadowedPackage and Compare-IndexStrategy: both ask EVERY configured index about each package — what
    /// first-index avoids — so both ask for confirmation (ShouldContinue; -Force for scripts) when a public index would
    /// hear an internal name. The engine (<see cref="ShadowAudit"/>) does the asking and the judging.
    /// </summary>
    public abstract class AuditCommandBase : SearchCmdlet
    {
        /// <summary>The names given directly or piped, audited together at the end.</summary>
        private readonly AuditBatch _names = new AuditBatch();
        private bool _yesToAll;
        private bool _noToAll;

        internal const string NameSet = "Name";
        private const string ProjectSet = "Project";
        private const string ProjectPathSet = "ProjectPath";
        private const string RequirementsPathSet = "RequirementsPath";

        /// <summary>Package names or requirements; lines of a requirements file are accepted as Resolve-PyPackage takes them (blank lines and comments skipped, option lines skipped with a warning).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [Alias("Package", "Requirement")]
        [AllowEmptyString]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>The piped object itself: a FileInfo / DirectoryInfo is read as the project (or requirements file) it names, as Resolve-PyPackage does.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = NameSet, DontShow = true)]
        public PSObject? InputObject { get; set; }

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

        /// <summary>Ask the public indexes without the confirmation prompt (for scripts and CI); -Confirm:$false does the same.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != NameSet)
            {
                return;
            }

            if (InputObject?.BaseObject is System.IO.FileSystemInfo item)
            {
                // Each piped file is its own run, with the configuration its project sees (as -ProjectPath / -RequirementsPath).
                var (projectPath, requirementsPath) = ProjectInputReader.PipedFile(item);
                RunProject(ConfigurationParameters.Environment(this), false, projectPath, requirementsPath);
                return;
            }

            foreach (var text in RequirementLine.Requirements(this, Name))
            {
                if (Requirement.TryParse(text, out var requirement, out var error) && requirement != null && requirement.Url is null)
                {
                    _names.Add(requirement, null);
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
            if (ParameterSetName != NameSet)
            {
                RunProject(environment, ParameterSetName == ProjectSet, ProjectPath, RequirementsPath);
                return;
            }

            Run(environment, Path, null, _names);
        }

        /// <summary>Reads one project input (-Project, -ProjectPath, -RequirementsPath or a piped file) and audits its requirements.</summary>
        private void RunProject(Engine.Environment.EngineEnvironment environment, bool project, string? projectPath, string? requirementsPath)
        {
            var input = ProjectInputReader.Read(this, environment, project, projectPath, requirementsPath, lockFile: false, extras: null, groups: null);
            if (input is null)
            {
                return;
            }

            var batch = new AuditBatch();
            foreach (var read in input.Requirements.Where(r => r.Requirement.Url is null))
            {
                batch.Add(read.Requirement, read);
            }

            Run(environment, Path ?? System.IO.Path.GetDirectoryName(input.Path), input, batch);
        }

        private void Run(Engine.Environment.EngineEnvironment environment, string? configPath, ProjectInput? projectInput, AuditBatch batch)
        {
            var requirements = batch.Requirements;
            if (requirements.Count == 0)
            {
                return;
            }

            var request = SearchRequest(configPath);
            var settings = ConfigurationParameters.Load(this, request, environment);
            WarnIfImplicitDefault(settings, configPath);
            WriteSelectionVerbose(settings, PreRelease.IsPresent);
            var versions = SearchUvRulesList();
            if (versions.Count == 2)
            {
                if (!Confirmed(Target(requirements), "Search the configured indexes as uv " + versions[0].Version + " and uv " + versions[1].Version + " would", out _))
                {
                    return;
                }

                RunUvComparison(settings, environment, versions[0], versions[1], projectInput, batch);
                return;
            }

            var sessionOptions = SessionOptions(environment, settings);
            var options = new ShadowAuditOptions { PublicIndexes = PublicIndex ?? Array.Empty<string>(), AllowPreRelease = PreRelease.IsPresent, PythonVersion = PythonVersion, Platform = Platform, Target = SearchTarget(projectInput), UvRules = SearchUvRules() };
            var publics = ShadowAudit.PublicIndexesOf(settings, options);
            var publicNames = string.Join(", ", publics.Select(p => "'" + p.DisplayName + "'").ToArray());

            // -WhatIf: this line and nothing asked of any index; -Confirm: this is the question (its yes covers the public one).
            var action = publics.Count > 0 ? "Ask every index, including the public " + publicNames : "Ask every index";
            if (!Confirmed(Target(requirements), action, out var askedByConfirm))
            {
                return;
            }

            if (publics.Count > 0 && !Force.IsPresent && !askedByConfirm && !Prompts.ConfirmDeclined(this))
            {
                var query = "This asks every index, including the public " + publicNames
                    + ", about " + requirements.Count + " package name(s). First-index never asks a later index about a name an earlier index has: "
                    + "internal names become visible to the public index's operator. Continue?";
                var answer = Prompts.Confirm(this, query, "Ask public indexes about these names", defaultYes: true, ref _yesToAll, ref _noToAll, "-Force (or -Confirm:$false)", out var cannotAsk);
                if (answer is null)
                {
                    ThrowTerminatingError(cannotAsk!);
                }

                if (answer != true)
                {
                    return;
                }
            }

            RunAudit((events, token) => RunAsync(events, sessionOptions, options, batch, token), requirements);
        }

        /// <summary>The ShouldProcess target: how many names, and the first few.</summary>
        private static string Target(List<Requirement> requirements)
        {
            var shown = string.Join(", ", requirements.Take(3).Select(r => r.Original).ToArray()) + (requirements.Count > 3 ? ", ..." : "");
            return requirements.Count + " package name(s): " + shown;
        }

        /// <summary>
        /// ShouldProcess for one run: false under -WhatIf (the What if line written, nothing asked of any index) or when the
        /// user says no to -Confirm; a host that cannot ask -Confirm's question stops the command with ConfirmationRequired.
        /// <paramref name="askedByConfirm"/>: -Confirm asked and the user said yes.
        /// </summary>
        private bool Confirmed(string target, string action, out bool askedByConfirm)
        {
            askedByConfirm = false;
            var answer = Prompts.ShouldProcess(this, target, action, out var cannotAsk);
            if (answer is null)
            {
                ThrowTerminatingError(cannotAsk!);
            }

            askedByConfirm = answer == true && Prompts.ConfirmRequested(this);
            return answer == true;
        }

        private async Task RunAsync(PipelineEvents events, SearchSessionOptions sessionOptions, ShadowAuditOptions options, AuditBatch batch, CancellationToken token)
        {
            using (var session = OpenSession(sessionOptions, events))
            {
                await RunAsync(events, session.Audit(options), batch, token).ConfigureAwait(false);
            }
        }

        /// <summary>Runs the audit on the worker: Ctrl+C stops the pipeline, an engine failure is one terminating error for these requirements.</summary>
        private void RunAudit(Func<PipelineEvents, CancellationToken, Task> work, IReadOnlyList<Requirement> requirements)
        {
            try
            {
                RunOnWorker(work);
            }
            catch (Exception e) when (IsStopRequested(e))
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e)
            {
                var record = EngineErrors.FromException(e, requirements.Count == 1 ? requirements[0].Original : (object)requirements.Select(r => r.Original).ToArray());
                if (record is null)
                {
                    throw;
                }

                ThrowTerminatingError(record);
            }
        }

        /// <summary>
        /// -UvVersion A, B: the configured search (its own strategy, no extra indexes asked) under each release, side by
        /// side, through the command's search session (its credentials, proxy, cache and throttle, as every other search).
        /// Only Compare-IndexStrategy takes two versions.
        /// </summary>
        private void RunUvComparison(IndexSettings settings, Engine.Environment.EngineEnvironment environment, UvRules a, UvRules b, ProjectInput? projectInput, AuditBatch batch)
        {
            var requirements = batch.Requirements;
            if (!(this is CompareIndexStrategyCommand compare))
            {
                SearchUvRules();
                return;
            }

            var sessionOptions = SessionOptions(environment, settings);
            var options = new SearchOptions { AllowPreRelease = PreRelease.IsPresent, PythonVersion = PythonVersion, Platform = Platform, Target = SearchTarget(projectInput) };
            // One session per release (credentials, proxy, cache and throttle as every searching cmdlet has them): the
            // credential rules of a release live in its session's sources, as two uv releases would be two processes.
            var sessionA = SessionOptions(environment, settings).ForUvRules(a);
            var sessionB = sessionA.ForUvRules(b);
            RunAudit(async (events, token) =>
            {
                // The same credential sources warn the same way in both sessions: each warning once.
                var seen = new HashSet<string>(StringComparer.Ordinal);
                Action<string> once = w =>
                {
                    lock (seen)
                    {
                        if (!seen.Add(w))
                        {
                            return;
                        }
                    }

                    events.Warning(w);
                };
                using var first = OpenSession(sessionA, events, once);
                using var second = OpenSession(sessionB, events, once);
                var comparer = new UvVersionComparer(settings, first.Pages, second.Pages, options, a, b);
                await foreach (var comparison in comparer.CompareManyAsync(requirements.Zip(batch.Origins, (r, o) => (r, o)), token).ConfigureAwait(false))
                {
                    if (!compare.DifferentOnly.IsPresent || comparison.Differs)
                    {
                        events.Output(comparison);
                    }
                }
            }, requirements);
        }

        private async Task RunAsync(PipelineEvents events, ShadowAudit audit, AuditBatch batch, CancellationToken token)
        {
            var done = 0;
            var progress = new PercentProgress();
            await foreach (var audited in audit.AuditManyAsync(batch.Requirements.Zip(batch.Origins, (r, o) => (r, o)), token).ConfigureAwait(false))
            {
                // Results come in input order.
                audited.Source = batch.Origins[done]?.Location;
                audited.SourceFile = batch.Origins[done]?.File;
                done++;
                if (batch.Requirements.Count > 1 && events.ShowsProgress && progress.Next(done, batch.Requirements.Count, out var percent))
                {
                    // One record per percent, as the search's progress (a record per package was a thousand host updates).
                    events.Progress(new ProgressRecord(1, ActivityName, done + " of " + batch.Requirements.Count + ": " + audited.Package) { PercentComplete = percent });
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

            if (batch.Requirements.Count > 1)
            {
                events.Progress(new ProgressRecord(1, ActivityName, "done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>The activity shown in the progress bar.</summary>
        protected abstract string ActivityName { get; }

        /// <summary>Writes what this cmdlet outputs for one audited package.</summary>
        internal abstract void Emit(PipelineEvents events, ShadowedPackage audited);
    }

    /// <summary>The requirements of one audit run and the project requirement behind each (null for names given directly).</summary>
    internal sealed class AuditBatch
    {
        public List<Requirement> Requirements { get; } = new List<Requirement>();

        public List<ProjectRequirement?> Origins { get; } = new List<ProjectRequirement?>();

        public void Add(Requirement requirement, ProjectRequirement? origin)
        {
            Requirements.Add(requirement);
            Origins.Add(origin);
        }
    }

    /// <summary>Find-ShadowedPackage: names offered by more than one index, the versions on each, the picks, the risk and its reasons.</summary>
    [Cmdlet(VerbsCommon.Find, "ShadowedPackage", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
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
    [Cmdlet(VerbsData.Compare, "IndexStrategy", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
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
