using System.Diagnostics;
using System.Runtime.CompilerServices;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Search
{
    /// <summary>
    /// uv's multi-index search. One instance serves many packages: the page source (HTTP, behind a cache) and its
    /// connections are shared, and what an index answered earlier in the run informs later hints (as uv's index
    /// capabilities do).
    /// </summary>
    public sealed class IndexSearch
    {
        private readonly IndexSettings _settings;
        private readonly IProjectPageSource _source;
        private readonly SearchOptions _options;
        private readonly ISearchListener? _listener;
        private readonly SemaphoreSlim _requestGate;
        private readonly TargetEnvironment _target;
        private readonly IReadOnlyDictionary<int, int> _duplicateOf;

        public IndexSearch(IndexSettings settings, IProjectPageSource source, SearchOptions? options = null, ISearchListener? listener = null)
        {
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _source = source ?? throw new ArgumentNullException(nameof(source));
            _options = options ?? new SearchOptions();
            _listener = listener;
            if (_options.Concurrency < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options), _options.Concurrency, "Concurrency must be at least 1.");
            }

            if (_options.IndexConcurrency < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options), _options.IndexConcurrency, "IndexConcurrency must be at least 1.");
            }

            _target = _options.ResolveTarget();

            // Every page request, across packages, passes this gate (uv's download concurrency semaphore).
            _requestGate = new SemaphoreSlim(_options.Concurrency, _options.Concurrency);
            _duplicateOf = DuplicateUrls(settings.Indexes, _options.UvRules);
        }

        /// <summary>
        /// uv's fetch_indexes (index_url.rs, uv 0.7.3 #13205): a non-explicit index whose raw URL equals an earlier one's
        /// is not fetched, and not listed among the attempts. Maps the position of each such duplicate to the first's.
        /// </summary>
        internal static IReadOnlyDictionary<int, int> DuplicateUrls(IReadOnlyList<IndexDefinition> indexes, UvRules rules)
        {
            var result = new Dictionary<int, int>();
            if (!rules.AsksDuplicateUrlOnce)
            {
                return result;
            }

            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < indexes.Count; i++)
            {
                if (indexes[i].IsExplicit)
                {
                    continue;
                }

                var key = indexes[i].IndexUrl.RawKey;
                if (seen.TryGetValue(key, out var first))
                {
                    result[i] = first;
                }
                else
                {
                    seen[key] = i;
                }
            }

            return result;
        }

        public IndexSettings Settings => _settings;

        /// <summary>The environment versions are picked for.</summary>
        public TargetEnvironment Target => _target;

        /// <summary>Resolves one requirement (<c>requests&gt;=2,&lt;3</c> or a plain name). Throws FormatException for an unparsable requirement.</summary>
        public Task<PackageResolution> ResolveAsync(string requirement, CancellationToken cancellationToken)
        {
            return ResolveAsync(Requirement.Parse(requirement), cancellationToken);
        }

        /// <summary>Resolves one parsed requirement. A direct URL reference (<c>name @ url</c>) is not searched on indexes: ArgumentException.</summary>
        public async Task<PackageResolution> ResolveAsync(Requirement requirement, CancellationToken cancellationToken)
        {
            if (requirement is null)
            {
                throw new ArgumentNullException(nameof(requirement));
            }

            if (requirement.Url is not null)
            {
                throw new ArgumentException("'" + requirement.Original + "' is a direct URL reference: uv does not search indexes for it.", nameof(requirement));
            }

            var run = new PackageRun(this, requirement, null);
            return await run.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Resolves a requirement for which a conditional <c>[tool.uv.sources]</c> entry was chosen (see
        /// <see cref="Projects.SourceSelector"/>): on <see cref="Projects.SourceChoice.Index"/> alone, or by the normal search
        /// when it is null (the package counts as not pinned).
        /// </summary>
        public async Task<PackageResolution> ResolveAsync(Requirement requirement, Projects.SourceChoice? choice, CancellationToken cancellationToken)
        {
            if (requirement is null)
            {
                throw new ArgumentNullException(nameof(requirement));
            }

            if (requirement.Url is not null)
            {
                throw new ArgumentException("'" + requirement.Original + "' is a direct URL reference: uv does not search indexes for it.", nameof(requirement));
            }

            var run = new PackageRun(this, requirement, choice);
            return await run.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task<PackageResolution> ResolveAsync(Requirement requirement, CancellationToken cancellationToken, PackageRun run)
        {
            if (requirement is null)
            {
                throw new ArgumentNullException(nameof(requirement));
            }

            if (requirement.Url is not null)
            {
                throw new ArgumentException("'" + requirement.Original + "' is a direct URL reference: uv does not search indexes for it.", nameof(requirement));
            }

            return await run.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Resolves one requirement for a target of its own instead of the search's (a uv.lock package locked in a fork whose
        /// resolution-markers narrow the Python range); null: the search's target.
        /// </summary>
        public async Task<PackageResolution> ResolveAsync(Requirement requirement, TargetEnvironment? target, CancellationToken cancellationToken)
        {
            if (requirement is null)
            {
                throw new ArgumentNullException(nameof(requirement));
            }

            if (requirement.Url is not null)
            {
                throw new ArgumentException("'" + requirement.Original + "' is a direct URL reference: uv does not search indexes for it.", nameof(requirement));
            }

            var run = new PackageRun(this, requirement, null, target);
            return await run.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>As <see cref="ResolveManyAsync(IEnumerable{Requirement}, CancellationToken)"/>, each requirement with a target of its own (null: the search's).</summary>
        public IAsyncEnumerable<PackageResolution> ResolveManyAsync(IReadOnlyList<(Requirement Requirement, TargetEnvironment? Target)> requirements, CancellationToken cancellationToken)
        {
            if (requirements is null)
            {
                throw new ArgumentNullException(nameof(requirements));
            }

            return ResolveOrderedAsync(requirements.Count, requirements.Select(r => (Func<CancellationToken, (PackageRun, Task<PackageResolution>)>)(token => Start(r.Requirement, new PackageRun(this, r.Requirement, null, r.Target), token))), cancellationToken);
        }

        /// <summary>
        /// Resolves many requirements concurrently and yields each result in input order as soon as it and every
        /// earlier one are known. Requests across packages are bounded by <see cref="SearchOptions.Concurrency"/>.
        /// </summary>
        public IAsyncEnumerable<PackageResolution> ResolveManyAsync(IEnumerable<string> requirements, CancellationToken cancellationToken)
        {
            if (requirements is null)
            {
                throw new ArgumentNullException(nameof(requirements));
            }

            return ResolveManyAsync(requirements.Select(Requirement.Parse).ToList(), cancellationToken);
        }

        /// <inheritdoc cref="ResolveManyAsync(IEnumerable{string}, CancellationToken)"/>
        public IAsyncEnumerable<PackageResolution> ResolveManyAsync(IEnumerable<Requirement> requirements, CancellationToken cancellationToken)
        {
            if (requirements is null)
            {
                throw new ArgumentNullException(nameof(requirements));
            }

            return ResolveManyAsync(requirements.Select(r => (r, (Projects.SourceChoice?)null)).ToList(), cancellationToken);
        }

        /// <summary>As <see cref="ResolveManyAsync(IEnumerable{string}, CancellationToken)"/>, each requirement with the conditional source chosen for it (null: none).</summary>
        public IAsyncEnumerable<PackageResolution> ResolveManyAsync(IEnumerable<(Requirement Requirement, Projects.SourceChoice? Choice)> requirements, CancellationToken cancellationToken)
        {
            if (requirements is null)
            {
                throw new ArgumentNullException(nameof(requirements));
            }

            var total = requirements is ICollection<(Requirement, Projects.SourceChoice?)> collection ? collection.Count : -1;
            return ResolveOrderedAsync(total, requirements.Select(r => (Func<CancellationToken, (PackageRun, Task<PackageResolution>)>)(token => Start(r.Requirement, new PackageRun(this, r.Requirement, r.Choice), token))), cancellationToken);
        }

        /// <summary>Starts each package's search (<paramref name="starts"/>, in input order) and yields the results in that order.</summary>
        private async IAsyncEnumerable<PackageResolution> ResolveOrderedAsync(int total, IEnumerable<Func<CancellationToken, (PackageRun, Task<PackageResolution>)>> starts, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // A window of started packages, written in input order. The request gate bounds the network work; the
            // window only bounds how far ahead of the slowest unfinished package we run (and memory).
            var window = Math.Max(_options.Concurrency * 4, 16);
            var completed = 0;
            var pending = new Queue<(PackageRun Run, Task<PackageResolution> Task)>();

            // Indexes that answered a page to a package already yielded: what a 403 hint may say about "another request"
            // (uv: a successful response from the same index). Only earlier packages in input order count, so the hint is
            // the same for the same inputs however the requests interleave.
            var answered = new HashSet<IndexUrl>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                foreach (var start in starts)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    pending.Enqueue(start(stop.Token));
                    while (pending.Count >= window)
                    {
                        var next = await Finish(pending.Dequeue(), answered).ConfigureAwait(false);
                        _listener?.OnProgress(next, ++completed, total);
                        yield return next;
                    }
                }

                while (pending.Count > 0)
                {
                    var next = await Finish(pending.Dequeue(), answered).ConfigureAwait(false);
                    _listener?.OnProgress(next, ++completed, total);
                    yield return next;
                }
            }
            finally
            {
                // Stopped early (an error, the caller broke off, Ctrl+C): cancel what is still running and observe it.
                if (pending.Count > 0)
                {
                    stop.Cancel();
                    foreach (var (_, task) in pending)
                    {
                        try
                        {
                            await task.ConfigureAwait(false);
                        }
                        catch (Exception)
                        {
                            // Already reported through the first failure or the caller's cancellation.
                        }
                    }
                }
            }
        }

        /// <summary>Starts one package; a requirement that cannot be searched fails its own task (reported in its turn, as before).</summary>
        private (PackageRun, Task<PackageResolution>) Start(Requirement requirement, PackageRun run, CancellationToken cancellationToken)
        {
            return (run, ResolveAsync(requirement, cancellationToken, run));
        }

        /// <summary>The resolution of a started package, its authentication hint given what earlier packages saw.</summary>
        private async Task<PackageResolution> Finish((PackageRun Run, Task<PackageResolution> Task) started, HashSet<IndexUrl> answered)
        {
            var resolution = await started.Task.ConfigureAwait(false);
            answered.UnionWith(started.Run.Answered);
            if (resolution.StopReason == StopReason.AuthenticationFailed)
            {
                Func<IndexDefinition, bool> seen = index => answered.Contains(index.IndexUrl);
                resolution.Hint = Hints.ForAuthenticationFailure(resolution.Attempts, _settings, seen);
                resolution.Fix = Hints.FixForAuthenticationFailure(resolution.Attempts, _settings, seen);
            }

            return resolution;
        }


        /// <summary>The state of one package's search.</summary>
        private sealed class PackageRun
        {
            private readonly IndexSearch _search;
            private readonly Requirement _requirement;
            private readonly string _name;
            private readonly Projects.SourceChoice? _choice;
            private readonly TargetEnvironment _target;

            public PackageRun(IndexSearch search, Requirement requirement, Projects.SourceChoice? choice, TargetEnvironment? target = null)
            {
                _search = search;
                _requirement = requirement;
                _name = requirement.NormalizedName;
                _choice = choice;
                _target = target ?? search._target;
            }

            private IndexSettings Settings => _search._settings;

            /// <summary>The indexes (by key) that answered this package with a page; written by this run only.</summary>
            public HashSet<IndexUrl> Answered { get; } = new HashSet<IndexUrl>();

            public async Task<PackageResolution> RunAsync(CancellationToken cancellationToken)
            {
                var strategy = Settings.Strategy;
                var indexes = Settings.Indexes;
                var attempts = new IndexAttempt?[indexes.Count];
                var found = new List<IndexVersions>();
                string? pinnedTo = null;
                if (_choice != null)
                {
                    pinnedTo = _choice.Index; // the conditional entry that applied; null: the normal search
                }
                else if (Settings.PinnedIndexes.TryGetValue(_name, out var pin))
                {
                    pinnedTo = pin;
                }

                // Which indexes this package may be searched on.
                var active = new List<int>();
                for (var i = 0; i < indexes.Count; i++)
                {
                    if (pinnedTo is null && _search._duplicateOf.ContainsKey(i))
                    {
                        // Asked once: the first definition of this URL stands for both (not listed again).
                        continue;
                    }

                    var skip = SkipReason(indexes[i], pinnedTo);
                    if (skip is null)
                    {
                        active.Add(i);
                    }
                    else
                    {
                        attempts[i] = Skipped(indexes[i], i + 1, skip);
                    }
                }

                if (pinnedTo is not null && !indexes.Any(ix => string.Equals(ix.Name, pinnedTo, StringComparison.Ordinal)))
                {
                    throw new IndexConfigurationException(
                        "Package '" + _name + "' is pinned to index '" + pinnedTo + "' in [tool.uv.sources], but no index has that name.",
                        indexName: pinnedTo)
                    { Kind = ErrorKind.UnknownSourceIndex };
                }

                StopReason? hardStop = null;
                if (strategy == IndexStrategy.FirstIndex)
                {
                    for (var k = 0; k < active.Count; k++)
                    {
                        var i = active[k];
                        var (attempt, versions, stopReason) = await AttemptAsync(indexes[i], i + 1, strategy, cancellationToken).ConfigureAwait(false);
                        attempts[i] = attempt;
                        _search._listener?.OnAttempt(attempt);
                        if (versions is not null)
                        {
                            found.Add(versions);
                        }

                        if (attempt.Decision == SearchDecision.Stop)
                        {
                            hardStop = stopReason;
                            var stoppedAt = indexes[i].DisplayName;
                            for (var rest = k + 1; rest < active.Count; rest++)
                            {
                                var j = active[rest];
                                attempts[j] = Skipped(indexes[j], j + 1, "not queried: the search stopped at '" + stoppedAt + "'");
                            }

                            break;
                        }
                    }
                }
                else
                {
                    // The unsafe strategies ask every index; at most IndexConcurrency at once (uv: 8).
                    using var gate = new SemaphoreSlim(_search._options.IndexConcurrency);
                    var tasks = active.Select(async i =>
                    {
                        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                        try
                        {
                            return (i, await AttemptAsync(indexes[i], i + 1, strategy, cancellationToken).ConfigureAwait(false));
                        }
                        finally
                        {
                            gate.Release();
                        }
                    }).ToList();
                    var results = await Task.WhenAll(tasks).ConfigureAwait(false);
                    foreach (var (i, (attempt, versions, stopReason)) in results.OrderBy(r => r.i))
                    {
                        attempts[i] = attempt;
                        _search._listener?.OnAttempt(attempt);
                        if (versions is not null)
                        {
                            found.Add(versions);
                        }

                        if (stopReason == StopReason.IndexError)
                        {
                            // uv: any failure other than the ignored authentication codes fails the whole operation.
                            hardStop = StopReason.IndexError;
                        }
                    }
                }

                // find-links: merged with what the index search found (unless the package is pinned to an index).
                var findLinks = new List<IndexVersions>();
                var findLinkAttempts = new List<IndexAttempt>();
                if (pinnedTo is null && hardStop != StopReason.IndexError)
                {
                    for (var f = 0; f < Settings.FindLinks.Count; f++)
                    {
                        var (attempt, versions, stopReason) = await FindLinksAttemptAsync(Settings.FindLinks[f], indexes.Count + f + 1, cancellationToken).ConfigureAwait(false);
                        findLinkAttempts.Add(attempt);
                        _search._listener?.OnAttempt(attempt);
                        if (versions is not null && versions.Versions.Count > 0)
                        {
                            findLinks.Add(versions);
                        }

                        if (stopReason == StopReason.IndexError)
                        {
                            hardStop = StopReason.IndexError;
                        }
                    }
                }

                var allAttempts = attempts.Where(a => a is not null).Select(a => a!).Concat(findLinkAttempts).ToArray();
                if (allAttempts.Length != indexes.Count + findLinkAttempts.Count)
                {
                    // A duplicate URL was left out: positions are those of the search that ran.
                    for (var n = 0; n < allAttempts.Length; n++)
                    {
                        allAttempts[n].Order = n + 1;
                    }
                }

                return Conclude(strategy, allAttempts, found, findLinks, hardStop);
            }

            private string? SkipReason(IndexDefinition index, string? pinnedTo)
            {
                if (Settings.NoIndex)
                {
                    return "not queried: no-index is set (only find-links locations are used)";
                }

                if (pinnedTo is not null)
                {
                    return string.Equals(index.Name, pinnedTo, StringComparison.Ordinal)
                        ? null
                        : "not queried: '" + _name + "' is pinned to index '" + pinnedTo + "' in [tool.uv.sources]";
                }

                if (index.IsExplicit)
                {
                    return "not queried: explicit index, used only for packages pinned to it in [tool.uv.sources]";
                }

                return null;
            }

            private IndexAttempt Skipped(IndexDefinition index, int order, string reason)
            {
                var attempt = NewAttempt(index, order, ProjectUrl(index));
                attempt.Outcome = AttemptOutcome.Skipped;
                attempt.Decision = SearchDecision.Continue;
                attempt.Reason = reason;
                return attempt;
            }

            private IndexAttempt NewAttempt(IndexDefinition index, int order, string url)
            {
                return new IndexAttempt
                {
                    Package = _name,
                    Order = order,
                    Index = index.Name,
                    Url = url,
                };
            }

            private string ProjectUrl(IndexDefinition index)
            {
                if (index.Format == IndexFormat.Flat)
                {
                    return index.DisplayUrl;
                }

                return index.IndexUrl.DisplayProjectUrl(_name);
            }

            private async Task<PageResponse> FetchAsync(IndexDefinition index, CancellationToken cancellationToken)
            {
                await _search._requestGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await _search._source.GetProjectPageAsync(index, _name, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _search._requestGate.Release();
                }
            }

            private async Task<(IndexAttempt Attempt, IndexVersions? Versions, StopReason? Stop)> AttemptAsync(
                IndexDefinition index, int order, IndexStrategy strategy, CancellationToken cancellationToken)
            {
                var clock = Stopwatch.StartNew();
                PageResponse response;
                try
                {
                    response = await FetchAsync(index, cancellationToken).ConfigureAwait(false);
                }
                catch (IndexConfigurationException error)
                {
                    var failed = NewAttempt(index, order, ProjectUrl(index));
                    failed.Outcome = AttemptOutcome.Failed;
                    failed.Decision = SearchDecision.Stop;
                    failed.Reason = error.Message;
                    failed.DurationMs = clock.Elapsed.TotalMilliseconds;
                    return (failed, null, StopReason.IndexError);
                }

                var attempt = NewAttempt(index, order, string.IsNullOrEmpty(response.Url) ? ProjectUrl(index) : response.Url);
                attempt.StatusCode = response.StatusCode;
                attempt.Tries = response.Tries;
                attempt.CredentialSource = response.CredentialSource;
                attempt.DurationMs = response.DurationMs > 0 ? response.DurationMs : clock.Elapsed.TotalMilliseconds;
                var who = "'" + index.DisplayName + "'";
                if (response.CleartextRedirect is not null)
                {
                    attempt.SecurityWarning = who + " redirected from https to http (" + response.CleartextRedirect
                        + "): the answer came over cleartext and could have been altered on the way; no credentials were sent there. uv follows such a redirect too.";
                }

                switch (response.Kind)
                {
                    case PageResponseKind.Page:
                        {
                            lock (Answered)
                            {
                                Answered.Add(index.IndexUrl);
                            }

                            var page = response.Page!;
                            var (cutoff, cutoffText) = Settings.Selection.CutoffFor(_name, index.ExcludeNewer);
                            var versions = IndexVersions.FromFiles(index, order, _name, page.Files, _requirement, _target, cutoff, cutoffText);
                            attempt.VersionCount = versions.Versions.Count;
                            if (index.Format == IndexFormat.Flat)
                            {
                                if (versions.Versions.Count == 0)
                                {
                                    attempt.Outcome = AttemptOutcome.NotFound;
                                    attempt.Decision = SearchDecision.Continue;
                                    attempt.Reason = "flat index " + who + " lists no file for '" + _name + "'; continuing";
                                    return (attempt, null, null);
                                }

                                attempt.Outcome = AttemptOutcome.Found;
                                attempt.Decision = strategy == IndexStrategy.FirstIndex ? SearchDecision.Stop : SearchDecision.Continue;
                                attempt.Reason = "flat index " + who + " lists " + Plural(versions.Versions.Count, "version") + NotCandidateNote(versions) + FoundSuffix(strategy);
                                return (attempt, versions, null);
                            }

                            attempt.Outcome = AttemptOutcome.Found;
                            attempt.Decision = strategy == IndexStrategy.FirstIndex ? SearchDecision.Stop : SearchDecision.Continue;
                            attempt.Reason = (versions.Versions.Count == 0
                                ? who + " has a page for '" + _name + "' but lists no version"
                                    + (page.Files.Count == 0 && page.ApiVersion is null
                                        ? " (the page has no links and no Simple API version: a sign-in or error page served with 200 looks like this)"
                                        : "")
                                : who + " lists " + Plural(versions.Versions.Count, "version"))
                                + NotCandidateNote(versions)
                                + CacheNote(response)
                                + FoundSuffix(strategy);
                            return (attempt, versions, null);
                        }

                    case PageResponseKind.LocalNotFound:
                        attempt.Outcome = AttemptOutcome.NotFound;
                        attempt.Decision = SearchDecision.Continue;
                        attempt.Reason = "local index " + who + " has no folder for '" + _name + "'; continuing";
                        return (attempt, null, null);

                    case PageResponseKind.Offline:
                        attempt.Outcome = AttemptOutcome.NotFound;
                        attempt.Decision = SearchDecision.Continue;
                        attempt.Reason = Hints.OfflinePrefix + "'" + _name + "' is not in the cache for " + who + "; uv --offline takes that for \"not found\" and continues";
                        return (attempt, null, null);

                    case PageResponseKind.RedirectFailed:
                        attempt.Outcome = AttemptOutcome.Failed;
                        attempt.Decision = SearchDecision.Stop;
                        attempt.Reason = who + " could not be followed: " + (response.Error ?? "redirect failed") + "; the search ends with an error";
                        return (attempt, null, StopReason.IndexError);

                    case PageResponseKind.HttpStatus:
                        {
                            // The index's policy as the index list resolved it (what Get-IndexStrategy shows).
                            var decision = Settings.PolicyOf(index, _search._options.UvRules).Decide(response.StatusCode ?? 0);
                            attempt.Outcome = decision.Outcome;
                            attempt.Decision = decision.Decision;
                            attempt.Reason = decision.Reason;
                            return (attempt, null, decision.StopReason);
                        }

                    case PageResponseKind.Unreadable:
                        attempt.Outcome = AttemptOutcome.Failed;
                        attempt.Decision = SearchDecision.Stop;
                        attempt.Reason = who + " answered with a page that is not Simple API (" + (response.Error ?? "unreadable") + "); the search ends with an error";
                        return (attempt, null, StopReason.IndexError);

                    default:
                        attempt.Outcome = AttemptOutcome.Failed;
                        attempt.Decision = SearchDecision.Stop;
                        attempt.Reason = who + " could not be reached (" + (response.Error ?? "network error") + "); the search ends with an error";
                        return (attempt, null, StopReason.IndexError);
                }
            }

            private async Task<(IndexAttempt Attempt, IndexVersions? Versions, StopReason? Stop)> FindLinksAttemptAsync(
                IndexDefinition location, int order, CancellationToken cancellationToken)
            {
                var (attempt, versions, stop) = await AttemptAsync(location, order, IndexStrategy.FirstIndex, cancellationToken).ConfigureAwait(false);
                if (attempt.Outcome == AttemptOutcome.Found || attempt.Outcome == AttemptOutcome.NotFound)
                {
                    attempt.Decision = SearchDecision.Continue;
                    attempt.Reason = attempt.Outcome == AttemptOutcome.Found
                        ? "find-links location lists " + Plural(attempt.VersionCount, "version") + "; merged with the index results, as uv does"
                        : "find-links location lists no file for '" + _name + "'";
                }

                return (attempt, versions, stop);
            }

            /// <summary>Why the newest version that matches the requirement is not a candidate here, when it is not ("; 2.0.0 is not a candidate: 2 files excluded by exclude-newer 2026-01-01").</summary>
            private string NotCandidateNote(IndexVersions versions)
            {
                foreach (var entry in versions.Versions.Values.Reverse())
                {
                    if (!_requirement.Specifiers.Contains(entry.Version, allowPreReleases: true))
                    {
                        continue;
                    }

                    return entry.Usable > 0 ? "" : "; " + entry.Version + " is not a candidate: " + entry.LastProblem;
                }

                return "";
            }

            private bool AnsweredThisPackage(IndexDefinition index)
            {
                lock (Answered)
                {
                    return Answered.Contains(index.IndexUrl);
                }
            }

            private static string CacheNote(PageResponse response)
            {
                if (!response.FromCache)
                {
                    return "";
                }

                return response.Tries == 0 ? " (from the cache)" : " (cached page, revalidated: 304)";
            }

            private static string FoundSuffix(IndexStrategy strategy)
            {
                return strategy == IndexStrategy.FirstIndex
                    ? "; first-index uses only this index"
                    : "; " + StatusCodePolicy.StrategyText(strategy) + " considers every index";
            }

            private PackageResolution Conclude(
                IndexStrategy strategy,
                IndexAttempt[] attempts,
                List<IndexVersions> found,
                List<IndexVersions> findLinks,
                StopReason? hardStop)
            {
                var resolution = new PackageResolution
                {
                    Package = _name,
                    Requirement = _requirement.Original,
                    Strategy = strategy,
                    UvVersion = _search._options.UvRules.Version,
                    Attempts = attempts,
                    Target = _target.Description,
                };

                if (hardStop == StopReason.IndexError)
                {
                    resolution.StopReason = StopReason.IndexError;
                    resolution.Hint = Hints.ForIndexError(attempts, strategy, Settings, _search._options.UvRules);
                    resolution.Fix = Hints.FixForIndexError(attempts, strategy, Settings, _search._options.UvRules);
                    return resolution;
                }

                var selection = Settings.Selection;
                var rules = _search._options.UvRules;
                var prereleaseMode = _search._options.AllowPreRelease
                    ? PrereleaseMode.Allow
                    : selection.PrereleaseFor(_name, rules.DefaultPrereleaseMode, rules.PrereleasePackageSupported);
                var prerelease = CandidateSelector.SelectionFor(prereleaseMode, _requirement, rules, found.Concat(findLinks));
                var highest = (selection.Resolution?.Value ?? ResolutionMode.Highest) == ResolutionMode.Highest;
                Candidate? chosen = null;
                if (strategy == IndexStrategy.UnsafeFirstMatch)
                {
                    foreach (var map in found)
                    {
                        chosen = CandidateSelector.Select(IndexStrategy.UnsafeBestMatch, new[] { map }.Concat(findLinks).ToList(), _requirement, prerelease, highest);
                        if (chosen is not null)
                        {
                            break;
                        }
                    }

                    if (chosen is null && found.Count == 0)
                    {
                        chosen = CandidateSelector.Select(IndexStrategy.UnsafeBestMatch, findLinks, _requirement, prerelease, highest);
                    }
                }
                else
                {
                    chosen = CandidateSelector.Select(strategy, found.Concat(findLinks).ToList(), _requirement, prerelease, highest);
                }

                if (chosen is not null)
                {
                    resolution.Resolved = true;
                    resolution.Version = chosen.Version.ToString();
                    resolution.Index = chosen.Source.Index.DisplayName;
                    resolution.StopReason = StopReason.Found;
                    return resolution;
                }

                if (hardStop == StopReason.AuthenticationFailed)
                {
                    resolution.StopReason = StopReason.AuthenticationFailed;
                    resolution.Hint = Hints.ForAuthenticationFailure(attempts, Settings, AnsweredThisPackage);
                    resolution.Fix = Hints.FixForAuthenticationFailure(attempts, Settings, AnsweredThisPackage);
                    return resolution;
                }

                if (found.Count == 0 && findLinks.Count == 0)
                {
                    resolution.StopReason = StopReason.NotFound;
                    resolution.Hint = Hints.ForNotFound(_name, attempts, strategy);
                    resolution.Fix = Hints.FixForNotFound(attempts);
                    return resolution;
                }

                resolution.StopReason = StopReason.NoMatchingVersion;
                resolution.Hint = Hints.ForNoMatchingVersion(_name, _requirement, strategy, found.Concat(findLinks).ToList(), Settings, pythonVersion: _target.Python?.ToString() ?? _search._options.PythonVersion, rules: _search._options.UvRules);
                var preReleasesMatch = prerelease == PrereleaseSelection.Stable
                    && found.Concat(findLinks).Any(m => m.Versions.Values.Any(v => v.Usable > 0 && v.Version.IsPreRelease && _requirement.Specifiers.Contains(v.Version, allowPreReleases: true)));
                resolution.Fix = Hints.FixForNoMatchingVersion(_requirement, strategy, found.Concat(findLinks).ToList(), Settings, preReleasesMatch, _search._options.UvRules);
                if (preReleasesMatch)
                {
                    var modeSource = _search._options.AllowPreRelease ? null : selection.PrereleaseSourceFor(_name, rules.PrereleasePackageSupported);
                    resolution.Hint += " Matching pre-releases are not candidates: prerelease = " + SelectionValues.Text(prereleaseMode)
                        + (modeSource is null ? " (for a requirement that names no pre-release)" : " (" + modeSource + ")")
                        + (!rules.PreReleaseIfNecessary && (prereleaseMode == PrereleaseMode.IfNecessary || prereleaseMode == PrereleaseMode.IfNecessaryOrExplicit)
                            ? "; uv " + rules.Version + " takes pre-releases only for a package that lists no stable version (uv 0.12.0 falls back to them when no stable version matches)"
                            : "")
                        + ".";
                }
                return resolution;
            }
        }

        internal static string Plural(int count, string noun) => count + " " + noun + (count == 1 ? "" : "s");
    }
}
