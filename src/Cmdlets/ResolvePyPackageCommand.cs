using System.Net;
using IndexTools.Engine.Cache;
using IndexTools.Engine.SimpleApi;

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

        /// <summary>The names given directly or piped, searched together at the end.</summary>
        private readonly Batch _names = new Batch();

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

        [Parameter]
        public SwitchParameter PreRelease { get; set; }

        /// <summary>
        /// The piped object itself: a FileInfo or DirectoryInfo (Get-ChildItem pyproject.toml | Resolve-PyPackage) is read as
        /// the project it names (a pyproject.toml, its folder or a uv.lock, as -ProjectPath; any other file as
        /// -RequirementsPath), not as a package named after the file.
        /// </summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = DefaultSet, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != DefaultSet)
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

            foreach (var requirement in RequirementLine.Requirements(this, Name))
            {
                var problem = RequirementCheck.Problem(requirement);
                if (problem is null)
                {
                    _names.Add(requirement, null, null);
                }
                else
                {
                    // One bad line does not stop the others (non-terminating), as a user piping a file expects.
                    var record = ErrorTable.Record(ErrorKind.InvalidRequirement, new FormatException(problem), requirement);
                    WriteError(record);
                }
            }
        }

        protected override void EndProcessing()
        {
            var environment = ConfigurationParameters.Environment(this);
            if (ParameterSetName != DefaultSet)
            {
                RunProject(environment, ParameterSetName == ProjectSet, ProjectPath, RequirementsPath);
                return;
            }

            Run(environment, Path, null, _names);
        }

        /// <summary>Reads one project input (-Project, -ProjectPath, -RequirementsPath or a piped file) and searches its requirements.</summary>
        private void RunProject(EngineEnvironment environment, bool project, string? projectPath, string? requirementsPath)
        {
            var input = ProjectInputReader.Read(this, environment, project, projectPath, requirementsPath, Lock.IsPresent, Extra, Group);
            if (input is null)
            {
                return;
            }

            var batch = new Batch();
            foreach (var requirement in input.Requirements)
            {
                batch.Add(requirement.Requirement.Original, requirement.Location, requirement);
            }

            // The project's own folder decides the configuration unless -Path says otherwise.
            var configStart = Path;
            if (string.IsNullOrEmpty(configStart) && requirementsPath is null)
            {
                configStart = System.IO.Path.GetDirectoryName(input.Path);
            }

            Run(environment, configStart, input, batch);
        }

        private void Run(EngineEnvironment environment, string? configStart, ProjectInput? projectInput, Batch batch)
        {
            if (batch.Requirements.Count == 0)
            {
                return;
            }

            var request = SearchRequest(configStart);
            var settings = ConfigurationParameters.Load(this, request, environment);
            WarnIfImplicitDefault(settings, configStart);
            WriteSelectionVerbose(settings, PreRelease.IsPresent);
            var sessionOptions = SessionOptions(environment, settings);
            var options = new SearchOptions { AllowPreRelease = PreRelease.IsPresent, PythonVersion = PythonVersion, Platform = Platform, Target = SearchTarget(projectInput), UvRules = SearchUvRules() };
            var requirements = batch.Requirements;

            try
            {
                RunOnWorker((events, token) => ResolveAsync(events, sessionOptions, options, batch, token));
            }
            catch (Exception e) when (IsStopRequested(e))
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e)
            {
                var record = EngineErrors.FromException(e, requirements.Count == 1 ? requirements[0] : (object)requirements.ToArray());
                if (record is null)
                {
                    throw;
                }

                ThrowTerminatingError(record);
            }
        }

        private async Task ResolveAsync(PipelineEvents events, SearchSessionOptions sessionOptions, SearchOptions options, Batch batch, CancellationToken token)
        {
            var listener = new SearchEventListener(events, batch.Requirements.Count);
            var session = OpenSession(sessionOptions, events);
            try
            {
                var search = session.Search(options, listener);
                var (items, sources, files) = Expand(batch, session.Settings, options.Target?.Markers);
                var position = 0;
                await foreach (var resolution in search.ResolveManyAsync(items, token).ConfigureAwait(false))
                {
                    resolution.SourceFile = files[position];
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
                session.Dispose(); // writes what is still pending to disk (its debug lines still reach the pipeline)
                listener.Complete();
            }
        }

        /// <summary>
        /// One search per requirement, or one per alternative when conditional [tool.uv.sources] entries apply (an
        /// extra, a group, a marker the target leaves open); each with its Source text saying which entry applied.
        /// </summary>
        private static (List<(Requirement, SourceChoice?)> Items, List<string?> Sources, List<string?> Files) Expand(Batch batch, IndexSettings settings, IReadOnlyDictionary<string, string>? markers)
        {
            var items = new List<(Requirement, SourceChoice?)>();
            var sources = new List<string?>();
            var files = new List<string?>(); // the full path of the file each source names (PackageResolution.SourceFile)
            var registries = batch.Origins.Where(o => o?.Registry != null).GroupBy(o => o!.Requirement.NormalizedName + "==" + o.Requirement.Original)
                .Where(g => g.Select(o => o!.Registry).Distinct().Count() > 1).SelectMany(g => g).ToList();
            for (var i = 0; i < batch.Requirements.Count; i++)
            {
                var requirement = Requirement.Parse(batch.Requirements[i]);
                var origin = batch.Origins[i];
                if (origin != null && registries.Contains(origin))
                {
                    var choice = SourceSelector.ForLockRegistry(settings, origin);
                    items.Add((requirement, choice));
                    sources.Add(batch.Sources[i] + "; " + choice.Reason);
                    files.Add(origin.File);
                    continue;
                }

                var contexts = new List<(string? Extra, string? Group, string? Location, string? File)> { (origin?.Extra, origin?.Group, batch.Sources[i], origin?.File) };
                if (origin != null)
                {
                    contexts.AddRange(origin.AlsoRequiredBy.Select(a => (a.Extra, a.Group, (string?)a.Location, (string?)a.File)));
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (extra, group, location, file) in contexts)
                {
                    var choices = SourceSelector.Choices(settings, requirement, extra, group, markers);
                    if (choices is null)
                    {
                        items.Add((requirement, null));
                        sources.Add(batch.Sources[i]);
                        files.Add(origin?.File);
                        break;
                    }

                    foreach (var choice in choices)
                    {
                        if (seen.Add((choice.Index ?? "") + "|" + choice.Marker))
                        {
                            items.Add((requirement, choice));
                            sources.Add(location is null ? choice.Reason : location + "; " + choice.Reason);
                            files.Add(file);
                        }
                    }
                }
            }

            return (items, sources, files);
        }

        /// <summary>The requirements of one run: the text, where each came from (null for names given directly) and the project requirement behind it.</summary>
        private sealed class Batch
        {
            public List<string> Requirements { get; } = new List<string>();

            public List<string?> Sources { get; } = new List<string?>();

            public List<ProjectRequirement?> Origins { get; } = new List<ProjectRequirement?>();

            public void Add(string requirement, string? source, ProjectRequirement? origin)
            {
                Requirements.Add(requirement);
                Sources.Add(source);
                Origins.Add(origin);
            }
        }
    }
}
