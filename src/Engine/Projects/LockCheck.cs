using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Projects
{
    /// <summary>
    /// Checks a uv.lock against the current configuration: for every registry package, runs the real search for
    /// <c>name==version</c> (many packages at once, through <see cref="IndexSearch.ResolveManyAsync(IEnumerable{Requirement}, CancellationToken)"/>)
    /// and compares the index it chooses with the registry the lock records.
    /// </summary>
    public sealed class LockCheck
    {
        private readonly IndexSettings _settings;
        private readonly IProjectPageSource _source;
        private readonly SearchOptions _options;
        private readonly ISearchListener? _listener;

        public LockCheck(IndexSettings settings, IProjectPageSource source, SearchOptions? options = null, ISearchListener? listener = null)
        {
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _source = source ?? throw new ArgumentNullException(nameof(source));
            _options = options ?? new SearchOptions();
            _listener = listener;
        }

        /// <summary>One <see cref="LockDrift"/> per registry package of <paramref name="packages"/>, in lock order.</summary>
        public async IAsyncEnumerable<LockDrift> CheckAsync(string lockFile, IReadOnlyList<LockedPackage> packages, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var lockDirectory = Path.GetDirectoryName(Path.GetFullPath(lockFile)) ?? ".";
            var checkedPackages = new List<LockedPackage>();
            var requirements = new List<(Requirement, TargetEnvironment?)>();
            // The search's pages are kept until the package's comparison has read them: the yanked check reads the chosen
            // index's page from there instead of asking the index again. (It asked again, one package after another, in the
            // loop below: a page that is not cached — -NoCache, a credentialed index, no-cache from the server — cost a
            // second, sequential round trip per package.)
            var pages = new SearchPages(_source);
            var search = new IndexSearch(_settings, pages, _options, _listener);
            var forks = new Dictionary<string, TargetEnvironment>(StringComparer.Ordinal);
            foreach (var package in packages.Where(p => p.IsRegistry))
            {
                var text = package.Version.Length == 0 ? package.Name : package.Name + "==" + package.Version;
                if (Requirement.TryParse(text, out var requirement, out _) && requirement is not null)
                {
                    checkedPackages.Add(package);
                    pages.Expect(package.NormalizedName);
                    requirements.Add((requirement, ForkTarget(search.Target, package, forks)));
                }
            }

            var i = 0;
            await foreach (var resolution in search.ResolveManyAsync(requirements, cancellationToken).ConfigureAwait(false))
            {
                var package = checkedPackages[i++];
                var drift = await CompareAsync(lockFile, lockDirectory, package, resolution, pages, cancellationToken).ConfigureAwait(false);
                pages.Done(package.NormalizedName, _settings);
                yield return drift;
            }
        }

        private async Task<LockDrift> CompareAsync(string lockFile, string lockDirectory, LockedPackage package, PackageResolution resolution, IProjectPageSource pages, CancellationToken cancellationToken)
        {
            var drift = new LockDrift
            {
                Package = package.NormalizedName,
                Version = PackageVersion.Parse(package.Version),
                LockedRegistry = UrlRedactor.Redact(package.Registry),
                Strategy = resolution.Strategy,
                LockFile = lockFile,
                Line = package.Line,
                Resolution = resolution,
            };

            // The index that has the package now: the one chosen, else (first-index, no matching version) the one the search stopped at.
            var chosenAttempt = resolution.Resolved
                ? resolution.Attempts.FirstOrDefault(a => a.Outcome == AttemptOutcome.Found && string.Equals(a.Index ?? a.Url, resolution.Index, StringComparison.Ordinal))
                    ?? resolution.Attempts.FirstOrDefault(a => a.Outcome == AttemptOutcome.Found)
                : resolution.Attempts.FirstOrDefault(a => a.Outcome == AttemptOutcome.Found);
            var chosen = chosenAttempt is null ? null : IndexAt(chosenAttempt.Order);
            if (chosen != null)
            {
                drift.Index = chosen.DisplayName;
                drift.IndexUrl = chosen.DisplayUrl;
            }

            var locked = IndexUrl.Parse(package.Registry!, lockDirectory);
            if (chosen != null && IndexUrl.Parse(chosen.Url, lockDirectory) != locked)
            {
                drift.Reason = LockDriftReason.DifferentIndex;
                drift.Message = "The lock records " + drift.LockedRegistry + ", but the configuration (" + resolution.Strategy + ") now chooses '"
                    + chosen.DisplayName + "' (" + chosen.DisplayUrl + ")" + (resolution.Resolved ? "." : ", which does not offer " + package.Version + ".");
                return drift;
            }

            if (resolution.Resolved)
            {
                if (chosen != null && await AllFilesYankedAsync(pages, chosen, package, cancellationToken).ConfigureAwait(false))
                {
                    drift.Reason = LockDriftReason.VersionYanked;
                    drift.Message = "'" + chosen.DisplayName + "' still lists " + package.Version + ", but every file of it is yanked (uv installs it only because the lock pins it).";
                    return drift;
                }

                drift.Reason = LockDriftReason.Unchanged;
                drift.Message = "'" + drift.Index + "' is the registry the lock records, and it offers " + package.Version + ".";
                return drift;
            }

            var decisive = resolution.Attempts.LastOrDefault(a => a.Outcome != AttemptOutcome.Skipped && a.Decision == SearchDecision.Stop)
                ?? resolution.Attempts.LastOrDefault(a => a.Outcome != AttemptOutcome.Skipped);
            var why = decisive is null || string.IsNullOrEmpty(decisive.Reason) ? "" : " (" + (decisive.Index ?? decisive.Url) + ": " + decisive.Reason + ")";
            switch (resolution.StopReason)
            {
                case StopReason.AuthenticationFailed:
                    drift.Reason = LockDriftReason.AuthenticationFailed;
                    drift.Index = decisive?.Index ?? decisive?.Url;
                    drift.Message = "The search stopped at an index that refused the request" + why + ", so it cannot say where " + package.Name + " comes from now.";
                    break;
                case StopReason.IndexError:
                    drift.Reason = LockDriftReason.IndexError;
                    drift.Index = decisive?.Index ?? decisive?.Url;
                    drift.Message = "The search ended with an index error" + why + ".";
                    break;
                case StopReason.NoMatchingVersion:
                    drift.Reason = LockDriftReason.VersionMissing;
                    drift.Message = (chosen is null ? "No index" : "'" + chosen.DisplayName + "'") + " no longer offers " + package.Version + " (removed, yanked, or only files this environment cannot use)" + why + ".";
                    break;
                default:
                    drift.Reason = LockDriftReason.NotFound;
                    drift.Message = "No configured index has " + package.Name + " now; the lock took it from " + drift.LockedRegistry + ".";
                    break;
            }

            return drift;
        }

        private static readonly System.Text.RegularExpressions.Regex PythonLowerBound = new System.Text.RegularExpressions.Regex(
            @"\bpython(?:_full)?_version\s*(?:>=|>|==|~=|===)\s*['""]([0-9]+(?:\.[0-9]+)*)",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// The target of a package locked in forks (its <c>resolution-markers</c>) whose Python lower bound is above the lock's:
        /// uv resolved it for those forks only, so its files are judged against the lowest Python of them (a numpy locked for
        /// <c>python_full_version &gt;= '3.10'</c> in a lock for <c>&gt;=3.9</c> is not "missing" because it needs 3.10). Null
        /// (the search's target) when the markers do not narrow it, when the target has a Python version, or when a fork
        /// has no lower bound of its own. Only conjunctions are read; a marker with <c>or</c> counts as no bound.
        /// </summary>
        internal static TargetEnvironment? ForkTarget(TargetEnvironment target, LockedPackage package, Dictionary<string, TargetEnvironment> cache)
        {
            if (package.ResolutionMarkers.Count == 0 || target.Python is not null || target.RequiresPython is null)
            {
                return null;
            }

            Pep440Version? lowest = null;
            foreach (var marker in package.ResolutionMarkers)
            {
                Pep440Version? bound = null;
                if (marker.IndexOf(" or ", StringComparison.Ordinal) < 0)
                {
                    foreach (System.Text.RegularExpressions.Match match in PythonLowerBound.Matches(marker))
                    {
                        if (Pep440Version.TryParse(match.Groups[1].Value, out var version) && version is not null && (bound is null || version.CompareTo(bound) > 0))
                        {
                            bound = version;
                        }
                    }
                }

                if (bound is null)
                {
                    return null;
                }

                if (lowest is null || bound.CompareTo(lowest) < 0)
                {
                    lowest = bound;
                }
            }

            // Narrower only when above the lock's own lower bound.
            var lockLower = TargetEnvironment.LowerBoundOf(target.RequiresPython).Lower;
            if (lowest is null || (lockLower is not null && lowest.CompareTo(lockLower) <= 0))
            {
                return null;
            }

            var range = target.RequiresPythonText + ", >=" + lowest;
            if (!cache.TryGetValue(range, out var narrowed))
            {
                narrowed = TargetEnvironment.Create(null, target.Platform, range, "uv.lock, narrowed by the package's resolution-markers");
                cache[range] = narrowed;
            }

            return narrowed;
        }

        private IndexDefinition? IndexAt(int order)
        {
            var i = order - 1;
            if (i >= 0 && i < _settings.Indexes.Count)
            {
                return _settings.Indexes[i];
            }

            i -= _settings.Indexes.Count;
            return i >= 0 && i < _settings.FindLinks.Count ? _settings.FindLinks[i] : null;
        }

        private static async Task<bool> AllFilesYankedAsync(IProjectPageSource pages, IndexDefinition index, LockedPackage package, CancellationToken cancellationToken)
        {
            if (!Pep440Version.TryParse(package.Version, out var version) || version is null)
            {
                return false;
            }

            var response = await pages.GetProjectPageAsync(index, package.NormalizedName, cancellationToken).ConfigureAwait(false);
            if (response.Page is null)
            {
                return false;
            }

            var files = response.Page.Files
                .Where(f => DistributionFilename.TryParse(f.Filename, package.NormalizedName, out var parsed) && parsed is not null && parsed.Version.CompareTo(version) == 0)
                .ToList();
            return files.Count > 0 && files.All(f => f.Yanked);
        }

        /// <summary>
        /// The pages one check's search fetched, each (index, name) asked once and kept until every locked package of that name
        /// has been compared (at most the search's window of packages at a time).
        /// </summary>
        private sealed class SearchPages : IProjectPageSource
        {
            private readonly IProjectPageSource _inner;
            private readonly ConcurrentDictionary<string, Lazy<Task<PageResponse>>> _pages = new ConcurrentDictionary<string, Lazy<Task<PageResponse>>>(StringComparer.Ordinal);
            private readonly ConcurrentDictionary<string, int> _remaining = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

            public SearchPages(IProjectPageSource inner)
            {
                _inner = inner;
            }

            /// <summary>One more locked package of <paramref name="name"/> will be compared: its pages are kept until then.</summary>
            public void Expect(string name)
            {
                _remaining[name] = _remaining.TryGetValue(name, out var n) ? n + 1 : 1;
            }

            public Task<PageResponse> GetProjectPageAsync(IndexDefinition index, string normalizedName, CancellationToken cancellationToken)
            {
                if (!_remaining.ContainsKey(normalizedName))
                {
                    return _inner.GetProjectPageAsync(index, normalizedName, cancellationToken);
                }

                return _pages.GetOrAdd(Key(index, normalizedName), _ => new Lazy<Task<PageResponse>>(() => _inner.GetProjectPageAsync(index, normalizedName, cancellationToken))).Value;
            }

            /// <summary>One package of <paramref name="normalizedName"/> compared (called by the check's one consumer): after the last, its pages go.</summary>
            public void Done(string normalizedName, IndexSettings settings)
            {
                if (!_remaining.TryGetValue(normalizedName, out var n) || n <= 0)
                {
                    return;
                }

                _remaining[normalizedName] = --n;
                if (n > 0)
                {
                    return;
                }

                foreach (var index in settings.Indexes.Concat(settings.FindLinks))
                {
                    _pages.TryRemove(Key(index, normalizedName), out _);
                }
            }

            private static string Key(IndexDefinition index, string normalizedName) => index.Url + "\n" + index.Name + "\n" + normalizedName;
        }
    }
}
