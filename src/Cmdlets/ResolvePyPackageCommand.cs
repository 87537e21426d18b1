using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine;
using IndexTools.Engine.Cache;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Search;
using IndexTools.Engine.Session;
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

        [Parameter]
        public SwitchParameter PreRelease { get; set; }

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
                            var record = ErrorTable.Record(ErrorKind.InvalidRequirement, new FormatException(problem), requirement);
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
            var sessionOptions = SessionOptions(environment, settings);
            var options = new SearchOptions { AllowPreRelease = PreRelease.IsPresent, PythonVersion = PythonVersion, Platform = Platform, Target = SearchTarget(projectInput), UvRules = SearchUvRules() };

            try
            {
                RunOnWorker((events, token) => ResolveAsync(events, sessionOptions, options, token));
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

        private async Task ResolveAsync(PipelineEvents events, SearchSessionOptions sessionOptions, SearchOptions options, CancellationToken token)
        {
            var listener = new SearchEventListener(events, _requirements.Count);
            var session = OpenSession(sessionOptions, events);
            try
            {
                var search = session.Search(options, listener);
                var (items, sources, files) = Expand(session.Settings, options.Target?.Markers);
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
        private (List<(Requirement, SourceChoice?)> Items, List<string?> Sources, List<string?> Files) Expand(IndexSettings settings, IReadOnlyDictionary<string, string>? markers)
        {
            var items = new List<(Requirement, SourceChoice?)>();
            var sources = new List<string?>();
            var files = new List<string?>(); // the full path of the file each source names (PackageResolution.SourceFile)
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
                    files.Add(origin.File);
                    continue;
                }

                var contexts = new List<(string? Extra, string? Group, string? Location, string? File)> { (origin?.Extra, origin?.Group, _sources[i], origin?.File) };
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
                        sources.Add(_sources[i]);
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
    }
}
