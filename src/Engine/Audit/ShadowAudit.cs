using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Search;
using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Audit
{
    /// <summary>Options of a dependency-confusion audit.</summary>
    public sealed class ShadowAuditOptions
    {
        /// <summary>Index names (or URLs) to treat as public besides PyPI and PyTorch's index.</summary>
        public IReadOnlyCollection<string> PublicIndexes { get; set; } = Array.Empty<string>();

        public bool AllowPreRelease { get; set; }

        public string? PythonVersion { get; set; }

        /// <summary>uv's --python-platform value; null: universal.</summary>
        public string? Platform { get; set; }

        /// <summary>The target environment; when null it is built from PythonVersion and Platform.</summary>
        public TargetEnvironment? Target { get; set; }

        /// <summary>Which uv release's rules the strategy picks replay (-UvVersion); default uv 0.12.5.</summary>
        public UvRules UvRules { get; set; } = UvRules.Latest;

        /// <summary>Packages audited at once (each asks every index, at most 8 at a time, behind the client's own limit).</summary>
        public int Concurrency { get; set; } = 16;
    }

    /// <summary>
    /// Asks EVERY configured index about each package, whatever the strategy, and explains the collisions: which index
    /// offers which versions, what first-index, unsafe-first-match, unsafe-best-match and pip's merge-all would pick, and
    /// the dependency-confusion risk with its reasons. Each index is asked once per package; the strategy picks replay the
    /// real search (<see cref="IndexSearch"/>) over the answers already fetched.
    /// </summary>
    public sealed class ShadowAudit
    {
        private const string PyPiHost = "pypi.org";

        /// <summary>Indexes of one package asked at once (uv's unsafe strategies ask 8 at a time).</summary>
        private const int PerPackageIndexLimit = 8;

        private readonly IndexSettings _settings;
        private readonly MemoPageSource _source;
        private readonly ShadowAuditOptions _options;

        /// <summary>The IgnoresAuthErrors reasons: a property of the configuration, the same for every package.</summary>
        private readonly ShadowReason[] _ignoresAuthErrors;

        /// <summary>The strategies every package is replayed under.</summary>
        private static readonly IndexStrategy[] Replayed = { IndexStrategy.FirstIndex, IndexStrategy.UnsafeFirstMatch, IndexStrategy.UnsafeBestMatch };

        /// <summary>The settings under each replayed strategy, made once: each resolves its indexes' policies once for the whole audit.</summary>
        private readonly Dictionary<IndexStrategy, IndexSettings> _replays;

        private readonly TargetEnvironment _target;

        /// <summary>The replayed searches, one per uv strategy, built once and shared by every package (as one search serves a
        /// whole Resolve-PyPackage run): a search and its settings per package and strategy were three searches, three settings
        /// copies and their gates for every name.</summary>
        private readonly (IndexStrategy Strategy, IndexSearch Search)[] _searches;

        /// <summary>pip's target, worked out once for the audit (its tag list has hundreds of entries).</summary>
        private readonly Lazy<PipTarget?> _pipTarget;

        /// <summary>Audits of each name still running: a name's memoized pages are dropped when its last audit ends.</summary>
        private readonly ConcurrentDictionary<string, int> _running = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        public ShadowAudit(IndexSettings settings, IProjectPageSource source, ShadowAuditOptions? options = null)
        {
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _source = new MemoPageSource(source ?? throw new ArgumentNullException(nameof(source)));
            _options = options ?? new ShadowAuditOptions();
            _replays = Replayed.ToDictionary(s => s, s => _settings.WithStrategy(s, _settings.StrategySource));
            _ignoresAuthErrors = IgnoresAuthErrors(settings.Indexes).ToArray();
            _target = _options.Target ?? TargetEnvironment.Create(_options.PythonVersion, _options.Platform);
            _pipTarget = new Lazy<PipTarget?>(() => PipTarget.For(_target));
            _searches = Replayed
                .Select(strategy => (strategy, new IndexSearch(_replays[strategy], _source, new SearchOptions { AllowPreRelease = _options.AllowPreRelease, PythonVersion = _options.PythonVersion, Platform = _options.Platform, Target = _target, UvRules = _options.UvRules }, null)))
                .ToArray();
        }

        /// <summary>The indexes the audit treats as public: PyPI (pypi.org, test.pypi.org), download.pytorch.org, and the ones named in the options.</summary>
        public IReadOnlyList<IndexDefinition> PublicIndexes => _settings.Indexes.Where(IsPublic).ToArray();

        /// <summary><see cref="PublicIndexes"/> before any audit exists (for the confirmation that comes before the session).</summary>
        public static IReadOnlyList<IndexDefinition> PublicIndexesOf(IndexSettings settings, ShadowAuditOptions? options)
        {
            var publicNames = (options ?? new ShadowAuditOptions()).PublicIndexes;
            return settings.Indexes.Where(i => IsPublic(i, publicNames)).ToArray();
        }

        public bool IsPublic(IndexDefinition index) => IsPublic(index, _options.PublicIndexes);

        private static bool IsPublic(IndexDefinition index, IReadOnlyCollection<string> publicIndexes)
        {
            if (publicIndexes.Any(p => string.Equals(p, index.Name, StringComparison.OrdinalIgnoreCase) || index.IndexUrl.SameAs(p)))
            {
                return true;
            }

            var host = index.IndexUrl.Host;
            return host.Length > 0
                && (string.Equals(host, PyPiHost, StringComparison.OrdinalIgnoreCase)
                    || host.EndsWith("." + PyPiHost, StringComparison.OrdinalIgnoreCase)
                    || StatusCodePolicy.IsPyTorch(index.IndexUrl));
        }

        /// <summary>Audits many packages concurrently; results come in input order.</summary>
        public IAsyncEnumerable<ShadowedPackage> AuditManyAsync(IEnumerable<Requirement> requirements, CancellationToken cancellationToken)
        {
            return AuditManyAsync(requirements.Select(r => (r, (ProjectRequirement?)null)), cancellationToken);
        }

        /// <summary>
        /// Audits many packages concurrently, each with the project entry it was read from (null for a name given directly):
        /// its extra or group decides which conditional <c>[tool.uv.sources]</c> entry applies, as it does for Resolve-PyPackage.
        /// Results come in input order.
        /// </summary>
        public async IAsyncEnumerable<ShadowedPackage> AuditManyAsync(IEnumerable<(Requirement Requirement, ProjectRequirement? Origin)> requirements, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var gate = new SemaphoreSlim(Math.Max(1, _options.Concurrency));
            var tasks = new List<Task<ShadowedPackage>>();
            foreach (var (requirement, origin) in requirements)
            {
                tasks.Add(RunGated(gate, requirement, origin, cancellationToken));
            }

            foreach (var task in tasks)
            {
                yield return await task.ConfigureAwait(false);
            }
        }

        private async Task<ShadowedPackage> RunGated(SemaphoreSlim gate, Requirement requirement, ProjectRequirement? origin, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await AuditAsync(requirement, origin, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>Audits one package: every index asked (8 at a time), then the four strategies replayed on the answers.</summary>
        public Task<ShadowedPackage> AuditAsync(Requirement requirement, CancellationToken cancellationToken) => AuditAsync(requirement, null, cancellationToken);

        /// <summary>Audits one package read from <paramref name="origin"/> (null for a name given directly).</summary>
        public async Task<ShadowedPackage> AuditAsync(Requirement requirement, ProjectRequirement? origin, CancellationToken cancellationToken)
        {
            var name = requirement.NormalizedName;
            _running.AddOrUpdate(name, 1, (_, n) => n + 1);
            try
            {
                return await AuditOnceAsync(requirement, origin, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The pages of a name are only needed while it is audited: keeping every page of a long run held them all
                // until the command ended (and through every garbage collection on the way).
                if (_running.AddOrUpdate(name, 0, (_, n) => n - 1) <= 0)
                {
                    ((ICollection<KeyValuePair<string, int>>)_running).Remove(new KeyValuePair<string, int>(name, 0));
                    _source.Forget(_settings.Indexes, name);
                    _source.Forget(_settings.FindLinks, name);
                }
            }
        }

        /// <summary>
        /// One strategy's outcomes: the search through each applicable source entry, the one the target decides first
        /// (<see cref="SourceSelector.Primary"/>: the strategy's pick, first), each with where its entry's marker holds (null when the
        /// target decides it). One outcome for a package without conditional sources.
        /// </summary>
        private static async Task<IReadOnlyList<(Marker? Where, StrategyPick Pick)>> OutcomesAsync(IndexStrategy strategy, IndexSearch search, Requirement requirement, IReadOnlyList<SourceChoice>? choices, CancellationToken cancellationToken)
        {
            StrategyPick PickOf(PackageResolution r) => new StrategyPick { Strategy = strategy.ToString(), Index = r.Index, Version = r.Version, StopReason = r.StopReason.ToString() };
            var ordered = SourceSelector.DecidedFirst(choices);
            if (ordered.Count == 0)
            {
                return new[] { ((Marker?)null, PickOf(await search.ResolveAsync(requirement, cancellationToken).ConfigureAwait(false))) };
            }

            var outcomes = new List<(Marker?, StrategyPick)>();
            foreach (var choice in ordered)
            {
                outcomes.Add((choice.Marker, PickOf(await search.ResolveAsync(requirement, choice, cancellationToken).ConfigureAwait(false))));
            }

            return outcomes;
        }

        /// <summary>A pick as the reasons quote it: <c>1.0.0 from 'internal'</c>, or its stop reason.</summary>
        private static string Quoted(StrategyPick pick) => pick.Version is null ? pick.StopReason : pick.Version + " from '" + pick.Index + "'";

        private static bool SameChoice(StrategyPick a, StrategyPick b) => a.Version == b.Version && a.Index == b.Index;

        private async Task<ShadowedPackage> AuditOnceAsync(Requirement requirement, ProjectRequirement? origin, CancellationToken cancellationToken)
        {
            var name = requirement.NormalizedName;
            var choices = SourceSelector.ChoicesFor(_settings, requirement, origin, _target.Markers);
            var indexes = _settings.Indexes;
            var sets = new IndexVersionSet[indexes.Count];
            var versions = new IndexVersions?[indexes.Count];
            var pages = new IReadOnlyList<DistributionFile>?[indexes.Count];
            async Task AskAsync(IndexDefinition index, int i)
            {
                try
                {
                    var response = await _source.GetProjectPageAsync(index, name, cancellationToken).ConfigureAwait(false);
                    (sets[i], versions[i]) = Describe(index, i + 1, requirement, response);
                    pages[i] = response.Kind == PageResponseKind.Page ? response.Page?.Files : null;
                }
                catch (IndexConfigurationException e)
                {
                    sets[i] = new IndexVersionSet { Order = i + 1, Index = index.Name, Url = index.DisplayUrl, Public = IsPublic(index), Problem = e.Message };
                }
            }

            if (indexes.Count <= PerPackageIndexLimit)
            {
                await Task.WhenAll(indexes.Select((index, i) => AskAsync(index, i))).ConfigureAwait(false);
            }
            else
            {
                using (var perPackage = new SemaphoreSlim(PerPackageIndexLimit))
                {
                    await Task.WhenAll(indexes.Select(async (index, i) =>
                    {
                        await perPackage.WaitAsync(cancellationToken).ConfigureAwait(false);
                        try
                        {
                            await AskAsync(index, i).ConfigureAwait(false);
                        }
                        finally
                        {
                            perPackage.Release();
                        }
                    })).ConfigureAwait(false);
                }
            }

            var outcomes = new List<IReadOnlyList<(Marker? Where, StrategyPick Pick)>>(3);
            foreach (var (strategy, search) in _searches)
            {
                outcomes.Add(await OutcomesAsync(strategy, search, requirement, choices, cancellationToken).ConfigureAwait(false));
            }

            var picks = outcomes.Select(o => o[0].Pick).ToList();
            var pip = PipMergeAll(requirement, indexes, pages);
            picks.Add(pip);
            foreach (var strategyOutcomes in outcomes)
            {
                var uv = strategyOutcomes[0].Pick;
                var others = strategyOutcomes.Skip(1).Where(o => !SameChoice(o.Pick, uv)).Select(o => "where " + o.Where + ": " + Quoted(o.Pick)).ToArray();
                uv.Reason = "uv " + StatusCodePolicy.StrategyText((IndexStrategy)Enum.Parse(typeof(IndexStrategy), uv.Strategy)) + ": " + Quoted(uv)
                    + (others.Length == 0 ? "" : " (" + string.Join("; ", others) + ")")
                    + (SameChoice(uv, pip) ? "; pip agrees" : "; pip differs: " + Quoted(pip))
                    + "; target " + _target.Description;
            }

            pip.Reason += picks.Take(3).All(p => SameChoice(p, pip))
                ? "; uv agrees"
                : "; uv differs (first-index: " + Quoted(picks[0]) + ")";

            var result = new ShadowedPackage
            {
                Package = name,
                Requirement = requirement.Original,
                Indexes = sets,
                FoundOn = sets.Count(s => s.Found),
                Picks = picks.ToArray(),
                Strategy = _settings.Strategy,
                PinnedTo = PinnedTo(name, choices),
            };
            result.Reasons = Reasons(result, choices?.FirstOrDefault(c => c.Entry is null), outcomes[Array.IndexOf(Replayed, IndexStrategy.UnsafeBestMatch)]).ToArray();
            result.Risk = result.FoundOn < 2 ? ShadowRisk.None : result.Reasons.Select(r => r.Risk).DefaultIfEmpty(ShadowRisk.Low).Max();
            if (result.FoundOn >= 2 && result.Risk == ShadowRisk.None)
            {
                result.Risk = ShadowRisk.Low;
            }

            return result;
        }

        /// <summary>The four picks side by side, with uv's "may be available on a subsequent index" hint checked.</summary>
        public static StrategyComparison Compare(ShadowedPackage audited)
        {
            string Text(StrategyPick p) => p.ChoiceText();
            var picks = audited.Picks;
            var comparison = new StrategyComparison
            {
                Package = audited.Package,
                Requirement = audited.Requirement,
                FirstIndex = Text(picks[0]),
                UnsafeFirstMatch = Text(picks[1]),
                UnsafeBestMatch = Text(picks[2]),
                PipMergeAll = Text(picks[3]),
                Picks = picks,
                Differs = picks.Select(p => (p.Index, p.Version)).Distinct().Count() > 1,
            };

            if (picks[0].StopReason == nameof(StopReason.NoMatchingVersion))
            {
                // uv: "compatible versions may be available on a subsequent index" — say whether one is.
                var stoppedAt = audited.Indexes.FirstOrDefault(i => i.Found);
                var later = picks.Skip(1).FirstOrDefault(p => p.Version != null && p.Index != stoppedAt?.Index);
                comparison.SubsequentIndexCheck = later is null
                    ? "first-index stopped at '" + (stoppedAt?.Index ?? stoppedAt?.Url) + "' with no compatible version, and no later index has one either."
                    : "first-index stopped at '" + (stoppedAt?.Index ?? stoppedAt?.Url) + "' with no compatible version; a later index has one: " + later.Version + " on '" + later.Index + "'.";
            }

            return comparison;
        }

        private (IndexVersionSet, IndexVersions?) Describe(IndexDefinition index, int order, Requirement requirement, PageResponse response)
        {
            var set = new IndexVersionSet { Order = order, Index = index.Name, Url = index.DisplayUrl, Public = IsPublic(index), StatusCode = response.StatusCode };
            if (response.Kind != PageResponseKind.Page || response.Page is null)
            {
                set.Problem = response.Kind switch
                {
                    PageResponseKind.HttpStatus => "HTTP " + response.StatusCode,
                    PageResponseKind.LocalNotFound => "not in the local index",
                    _ => response.Error ?? response.Kind.ToString(),
                };
                return (set, null);
            }

            var page = response.Page;
            var versions = IndexVersions.FromFiles(index, order, requirement.NormalizedName, page.Files, requirement, null);
            set.Found = true;
            set.Versions = versions.Versions.Keys.Select(v => v.ToString()).ToArray();
            set.LatestVersion = versions.Versions.Keys.LastOrDefault()?.ToString();
            set.FirstUploaded = page.Files.Where(f => f.UploadTime.HasValue).Select(f => f.UploadTime).DefaultIfEmpty(null).Min();
            set.Tracks = page.Tracks.ToArray();
            set.AlternateLocations = page.AlternateLocations.ToArray();
            return (set, versions);
        }

        private StrategyPick PipMergeAll(Requirement requirement, IReadOnlyList<IndexDefinition> indexes, IReadOnlyList<DistributionFile>?[] pages)
        {
            // pip merges every index (a pip user lists every index the project needs as index-url + extra-index-urls,
            // explicit ones included: pip has no pinning) and takes the best file; a 401/403 does not stop it.
            var pipTarget = _pipTarget.Value;
            if (pipTarget is null)
            {
                return new StrategyPick
                {
                    Strategy = "PipMergeAll",
                    StopReason = nameof(StopReason.NoMatchingVersion),
                    Reason = "pip's target is unknown: no python3 on PATH to stand for pip's running interpreter; give -PythonVersion (and -Platform)",
                };
            }

            var ordered = PipModel.PipOrder(indexes).Select(i => (indexes[i].Name ?? indexes[i].DisplayUrl, pages[i])).ToList();
            var pick = PipModel.Pick(requirement, ordered, pipTarget, _options.AllowPreRelease);
            return new StrategyPick
            {
                Strategy = "PipMergeAll",
                Index = pick.Index,
                Version = pick.Version,
                File = pick.File?.Filename,
                StopReason = pick.StopReason,
                Reason = pick.Reason,
            };
        }

        /// <summary>
        /// The index <c>[tool.uv.sources]</c> pins the package to: its plain pin, or, for conditional entries, every index they
        /// name for the target (<c>pytorch-cpu | pytorch-cu128</c> when a marker the target leaves open decides). Null when,
        /// for some part of the target, no entry applies and the normal search does: the package is not pinned there.
        /// </summary>
        private string? PinnedTo(string name, IReadOnlyList<SourceChoice>? choices)
        {
            if (choices is null)
            {
                return _settings.PinnedIndexes.TryGetValue(name, out var pinned) ? pinned : null;
            }

            // A choice without an entry is the normal search (what no entry's marker covers); a path, git or URL entry is not an
            // index but no index search either.
            return choices.Count > 0 && choices.All(c => c.Entry != null)
                ? string.Join(" | ", choices.Select(c => c.Index ?? c.Entry!.Kind).Distinct(StringComparer.Ordinal).ToArray())
                : null;
        }

        /// <summary>
        /// What the higher public version means here, by uv's own unsafe-best-match replay: it takes the public one, or (the
        /// public files fit no target, or exclude-newer or the pre-release rule leaves them out) it does not, and the risk is
        /// the next public upload that does fit.
        /// </summary>
        private string BestMatchText(ShadowedPackage result, IReadOnlyList<(Marker? Where, StrategyPick Pick)> bestMatch)
        {
            bool Public(string? index) => index != null && result.Indexes.Any(s => s.Public && s.Index == index);
            if (result.PinnedTo != null)
            {
                var pip = result.Picks.FirstOrDefault(p => p.Strategy == "PipMergeAll");
                return ", but [tool.uv.sources] keeps uv on '" + result.PinnedTo + "'"
                    + (Public(pip?.Index) ? "; pip, which has no pins, takes " + pip!.ChoiceText() : "");
            }

            // Every part of the target counts: where a marker list leaves part of it to the normal search, that part's
            // best match is the one that can take the public package.
            var takesPublic = bestMatch.Where(o => Public(o.Pick.Index)).ToList();
            if (bestMatch.Count == 0 || takesPublic.Count > 0)
            {
                var where = takesPublic.FirstOrDefault(o => o.Where != null);
                return ": any fall-through or best-match picks the public one"
                    + (bestMatch.Count > 1 && where.Where != null ? " (unsafe-best-match takes " + where.Pick.ChoiceText() + " where " + where.Where + ")" : "");
            }

            return ", but it is not a candidate for " + _target.Description + " under this configuration (unsafe-best-match takes "
                + bestMatch[0].Pick.ChoiceText() + "): a public upload that fits would win any fall-through or best-match";
        }

        private IEnumerable<ShadowReason> Reasons(ShadowedPackage result, SourceChoice? unpinned, IReadOnlyList<(Marker? Where, StrategyPick Pick)> bestMatch)
        {
            if (result.FoundOn < 2)
            {
                yield break;
            }

            var found = result.Indexes.Where(s => s.Found).ToArray();
            var internals = found.Where(s => !s.Public).ToArray();
            var publics = found.Where(s => s.Public).ToArray();
            string Name(IndexVersionSet s) => "'" + (s.Index ?? s.Url) + "'";

            if (internals.Length > 0 && publics.Length > 0)
            {
                var internalBest = internals.Select(s => Latest(s)).Where(v => v != null).DefaultIfEmpty(null).Max();
                var publicTop = publics.Where(s => Latest(s) != null).OrderByDescending(s => Latest(s)).FirstOrDefault();
                if (publicTop != null && (internalBest is null || Latest(publicTop)!.CompareTo(internalBest) > 0))
                {
                    yield return new ShadowReason
                    {
                        Kind = ShadowReasonKind.PublicVersionHigher,
                        Risk = ShadowRisk.High,
                        Message = "public " + Name(publicTop) + " offers " + publicTop.LatestVersion + ", higher than the internal " + (internalBest?.ToString() ?? "(none)")
                            + BestMatchText(result, bestMatch),
                    };
                }

                var internalFirst = internals.Where(s => s.FirstUploaded.HasValue).Select(s => s.FirstUploaded!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
                var publicFirst = publics.Where(s => s.FirstUploaded.HasValue).OrderBy(s => s.FirstUploaded).FirstOrDefault();
                if (publicFirst != null && internalFirst != DateTimeOffset.MaxValue && publicFirst.FirstUploaded!.Value > internalFirst)
                {
                    yield return new ShadowReason
                    {
                        Kind = ShadowReasonKind.PublicUploadedLater,
                        Risk = ShadowRisk.High,
                        Message = "the public namesake on " + Name(publicFirst) + " was first uploaded " + publicFirst.FirstUploaded.Value.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                            + ", after the internal package (" + internalFirst.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "): the shape of a squat",
                    };
                }

                if (result.PinnedTo is null)
                {
                    yield return new ShadowReason
                    {
                        Kind = ShadowReasonKind.NotPinned,
                        Risk = ShadowRisk.Medium,
                        Message = "the internal package is not pinned to " + string.Join(" or ", internals.Select(Name).ToArray())
                            + (unpinned is null ? "" : unpinned.Marker is null ? " for the target" : " where " + unpinned.Marker)
                            + " in [tool.uv.sources] (" + result.Package + " = { index = \"" + (internals[0].Index ?? "internal") + "\" })",
                    };
                }
            }

            foreach (var reason in _ignoresAuthErrors)
            {
                yield return reason;
            }

            if (_settings.Strategy != IndexStrategy.FirstIndex)
            {
                yield return new ShadowReason
                {
                    Kind = ShadowReasonKind.UnsafeStrategy,
                    Risk = ShadowRisk.High,
                    Message = StatusCodePolicy.StrategyText(_settings.Strategy) + " is in effect (" + _settings.StrategySource + "): every index is asked and another index's version can win",
                };
            }

            foreach (var s in found.Where(s => s.Tracks.Length > 0 || s.AlternateLocations.Length > 0))
            {
                yield return new ShadowReason
                {
                    Kind = ShadowReasonKind.Pep708Advisory,
                    Risk = ShadowRisk.Low,
                    Message = "advisory: PEP 708, which uv ignores: " + Name(s)
                        + (s.Tracks.Length > 0 ? " says it tracks " + string.Join(", ", s.Tracks) : "")
                        + (s.AlternateLocations.Length > 0 ? " lists alternate locations " + string.Join(", ", s.AlternateLocations) : "")
                        + "; this explains the collision, it does not make it safe",
                };
            }
        }

        private IEnumerable<ShadowReason> IgnoresAuthErrors(IReadOnlyList<IndexDefinition> indexes)
        {
            foreach (var index in indexes)
            {
                // The index's own policy, as first-index resolves it (under the unsafe strategies every index ignores these codes;
                // that risk is reported on its own).
                var policy = _replays[IndexStrategy.FirstIndex].PolicyOf(index);
                var ignoresAuth = policy.IgnoredStatusCodes.Where(c => c == 401 || c == 403).ToArray();
                if (ignoresAuth.Length > 0 && !StatusCodePolicy.IsPyTorch(index.IndexUrl) && !IsPublic(index))
                {
                    yield return new ShadowReason
                    {
                        Kind = ShadowReasonKind.IgnoresAuthErrors,
                        Risk = ShadowRisk.Medium,
                        Message = "'" + index.DisplayName + "' ignores " + string.Join(" and ", ignoresAuth.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray())
                            + " (" + policy.Source + ") and is not PyTorch's index: when it refuses, the search falls through to later indexes",
                    };
                }
            }
        }

        private static Pep440Version? Latest(IndexVersionSet set)
        {
            return set.LatestVersion != null && Pep440Version.TryParse(set.LatestVersion.ToString(), out var v) ? v : null;
        }

        /// <summary>Each (index, package) page is fetched once and shared by the audit and the replayed strategies.</summary>
        private sealed class MemoPageSource : IProjectPageSource
        {
            private readonly IProjectPageSource _inner;
            private readonly ConcurrentDictionary<string, Lazy<Task<PageResponse>>> _pages = new ConcurrentDictionary<string, Lazy<Task<PageResponse>>>(StringComparer.Ordinal);

            public MemoPageSource(IProjectPageSource inner)
            {
                _inner = inner;
            }

            public Task<PageResponse> GetProjectPageAsync(IndexDefinition index, string normalizedName, CancellationToken cancellationToken)
            {
                return _pages.GetOrAdd(Key(index, normalizedName), _ => new Lazy<Task<PageResponse>>(() => _inner.GetProjectPageAsync(index, normalizedName, cancellationToken))).Value;
            }

            /// <summary>Drops what was kept for <paramref name="normalizedName"/> on these indexes (its audit is over).</summary>
            public void Forget(IReadOnlyList<IndexDefinition> indexes, string normalizedName)
            {
                foreach (var index in indexes)
                {
                    _pages.TryRemove(Key(index, normalizedName), out _);
                }
            }

            private static string Key(IndexDefinition index, string normalizedName) => index.Url + "\n" + index.Name + "\n" + normalizedName;
        }
    }
}
