using IndexTools.Engine.Cache;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Checks that every registry package of a uv.lock would still come from the registry the lock records.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "PyLock", DefaultParameterSetName = DefaultSet)]
    [OutputType(typeof(LockDrift))]
    public sealed class TestPyLockCommand : SearchCmdlet
    {
        private const string DefaultSet = "Default";

        /// <summary>The uv.lock, or a folder in the project (default: the current folder); the lock is found as uv writes it, at the workspace root.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("LockFile", "FullName")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Check only these packages (names as in the lock; wildcards allowed).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Package { get; set; }

        /// <summary>Also write the packages that match the lock (Reason Unchanged).</summary>
        [Parameter]
        public SwitchParameter IncludeUnchanged { get; set; }

        protected override void ProcessRecord()
        {
            var environment = ConfigurationParameters.Environment(this);
            var lockFile = FindLock(environment);
            if (lockFile is null)
            {
                return;
            }

            IReadOnlyList<LockedPackage> packages;
            var problems = new List<ProjectProblem>();
            var lockInput = new ProjectInput(lockFile);
            try
            {
                packages = UvLockReader.Read(lockFile, problems);
                // The target is the lock's: uv resolved it for its requires-python (universal, bounded by that range).
                (lockInput.RequiresPython, lockInput.RequiresPythonSource) = UvLockReader.ReadRequiresPython(lockFile);
            }
            catch (Exception e)
            {
                var record = EngineErrors.FromException(e, lockFile);
                if (record is null)
                {
                    throw;
                }

                ThrowTerminatingError(record);
                return;
            }

            foreach (var problem in problems)
            {
                WriteError(EngineErrors.FromProblem(problem));
            }

            var selected = Select(packages);
            foreach (var other in selected.Where(p => !p.IsRegistry))
            {
                WriteVerbose("Skipping " + other.Name + ": locked from a " + (other.SourceKind.Length == 0 ? "missing" : other.SourceKind) + " source, not a registry.");
            }

            var registry = selected.Where(p => p.IsRegistry).ToList();
            if (registry.Count == 0)
            {
                WriteVerbose("No registry package to check in " + lockFile + ".");
                return;
            }

            var request = SearchRequest(System.IO.Path.GetDirectoryName(lockFile));
            var settings = ConfigurationParameters.Load(this, request, environment);
            WriteSelectionVerbose(settings, false);
            var sessionOptions = SessionOptions(environment, settings);
            var options = new SearchOptions { PythonVersion = PythonVersion, Platform = Platform, Target = SearchTarget(lockInput), UvRules = SearchUvRules() };
            WriteVerbose("Checking " + registry.Count + " registry package(s) of " + lockFile + " against " + settings.Indexes.Count + " index(es) (" + settings.Strategy + ").");

            try
            {
                RunOnWorker((events, token) => CheckAsync(events, lockFile, registry, sessionOptions, options, token));
            }
            catch (Exception e) when (IsStopRequested(e))
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e)
            {
                var record = EngineErrors.FromException(e, lockFile);
                if (record is null)
                {
                    throw;
                }

                ThrowTerminatingError(record);
            }
        }

        private async Task CheckAsync(PipelineEvents events, string lockFile, IReadOnlyList<LockedPackage> packages, SearchSessionOptions sessionOptions, SearchOptions options, CancellationToken token)
        {
            var listener = new SearchEventListener(events, packages.Count);
            var session = OpenSession(sessionOptions, events);
            try
            {
                var check = session.LockCheck(options, listener);
                await foreach (var drift in check.CheckAsync(lockFile, packages, token).ConfigureAwait(false))
                {
                    if (drift.Drifted || IncludeUnchanged.IsPresent)
                    {
                        events.Output(drift);
                    }
                    else
                    {
                        events.Verbose(drift.Package + " " + drift.Version + ": unchanged (" + drift.Index + ").");
                    }
                }
            }
            finally
            {
                session.Dispose(); // writes what is still pending to disk (its debug lines still reach the pipeline)
                listener.Complete();
            }
        }

        private List<LockedPackage> Select(IReadOnlyList<LockedPackage> packages)
        {
            if (Package is null || Package.Length == 0)
            {
                return packages.ToList();
            }

            var patterns = Package.Select(p => new WildcardPattern(PackageName.Normalize(p.Replace("*", "\u0001").Replace("?", "\u0002")).Replace("\u0001", "*").Replace("\u0002", "?"), WildcardOptions.IgnoreCase)).ToList();
            var result = packages.Where(p => patterns.Any(w => w.IsMatch(p.NormalizedName))).ToList();
            foreach (var name in Package.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                if (!packages.Any(p => p.NormalizedName == PackageName.Normalize(name)))
                {
                    WriteError(ErrorTable.Record(CmdletErrorKind.PackageNotInLock, new ItemNotFoundException("'" + name + "' is not in the lock."), name));
                }
            }

            return result;
        }

        private string? FindLock(EngineEnvironment environment)
        {
            var start = string.IsNullOrEmpty(Path) ? environment.CurrentDirectory : PathParameters.Existing(this, Path!, "Path");
            try
            {
                if (File.Exists(start))
                {
                    if (ProjectLocator.IsLockFile(start))
                    {
                        return start;
                    }

                    start = System.IO.Path.GetDirectoryName(start)!;
                }

                return ProjectLocator.FindLock(start, environment);
            }
            catch (IndexConfigurationException e)
            {
                // ProjectNotFound or LockNotFound: the lock's own advice either way (what Test-PyLock needs is a lock).
                WriteError(ErrorTable.Record(e.Kind, e, (object?)e.FilePath ?? start, action: ErrorTable.Of(ErrorKind.LockNotFound).Action(null)));
                return null;
            }
        }
    }
}
