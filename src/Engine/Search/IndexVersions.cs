using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Search
{
    /// <summary>What one index lists for one package, read the way uv reads it: versions from wheel and sdist
    /// filenames, each with whether at least one of its files is usable.</summary>
    internal sealed class IndexVersions
    {
        private IndexVersions(IndexDefinition index, int order, SortedDictionary<Pep440Version, VersionEntry> versions)
        {
            Index = index;
            Order = order;
            Versions = versions;
        }

        public IndexDefinition Index { get; }

        /// <summary>1-based search order of the index (find-links locations come after every index).</summary>
        public int Order { get; }

        /// <summary>Every version the index lists for the package (parsed from filenames), ascending.</summary>
        public SortedDictionary<Pep440Version, VersionEntry> Versions { get; }

        /// <summary>Reads the files of a page that belong to <paramref name="normalizedName"/>.</summary>
        public static IndexVersions FromFiles(
            IndexDefinition index,
            int order,
            string normalizedName,
            IEnumerable<DistributionFile> files,
            Requirement requirement,
            TargetEnvironment? target,
            DateTimeOffset? excludeNewer = null,
            string? excludeNewerText = null)
        {
            var versions = new SortedDictionary<Pep440Version, VersionEntry>();
            var pinned = PinnedVersion(requirement);
            var rules = new FileRules(target, pinned, excludeNewer, excludeNewerText);
            foreach (var file in files)
            {
                if (!IsDownloadable(index, file.Url))
                {
                    // Hardening beyond uv: a link that no installer could download from this index (javascript:, data:,
                    // ftp:, or file: on a page served over HTTP) is not a candidate. uv would list it and fail at download.
                    continue;
                }

                if (!DistributionFilename.TryParse(file.Filename, normalizedName, out var filename) || filename is null)
                {
                    // uv skips files whose names it cannot read as a distribution of this project.
                    continue;
                }

                if (index.Format == IndexFormat.Flat && !string.Equals(filename.NormalizedName, normalizedName, StringComparison.Ordinal))
                {
                    // A flat listing holds every project's files: only this project's count. (On a Simple project page
                    // uv keeps a wheel even when its name differs, so there we do too.)
                    continue;
                }

                if (!string.IsNullOrWhiteSpace(file.RequiresPython) && !VersionSpecifierSet.TryParse(file.RequiresPython!, out _, out _))
                {
                    // uv drops files whose requires-python it cannot parse (File::try_from_pypi).
                    continue;
                }

                file.Version = filename.Version.ToString();
                file.Kind = filename.Kind;
                if (!versions.TryGetValue(filename.Version, out var entry))
                {
                    entry = new VersionEntry(filename.Version);
                    versions.Add(filename.Version, entry);
                }

                entry.Files++;
                rules.Add(entry, file, filename);
            }

            foreach (var entry in versions.Values)
            {
                rules.Conclude(entry);
            }

            return new IndexVersions(index, order, versions);
        }

        /// <summary>http and https links always; file links only on a local (file) index.</summary>
        internal static bool IsDownloadable(IndexDefinition index, string url)
        {
            var colon = url.IndexOf(':');
            if (colon <= 0)
            {
                return true;
            }

            var scheme = url.Substring(0, colon);
            if (string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) || string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(scheme, "file", StringComparison.OrdinalIgnoreCase))
            {
                return !index.Url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !index.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            }

            // A Windows drive path ("C:\...") read as a scheme of one letter: a local file.
            return colon == 1 && char.IsLetter(url[0]) && !index.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The version of a requirement that pins exactly one version with == or === (uv allows a yanked version only then).</summary>
        private static Pep440Version? PinnedVersion(Requirement requirement)
        {
            var specifiers = requirement.Specifiers.Specifiers;
            if (specifiers.Count != 1)
            {
                return null;
            }

            var only = specifiers[0];
            if ((only.Operator == "==" || only.Operator == "===") && !only.Version.EndsWith(".*", StringComparison.Ordinal)
                && Pep440Version.TryParse(only.Version, out var version))
            {
                return version;
            }

            return null;
        }
    }

    /// <summary>One version of a package on one index.</summary>
    internal sealed class VersionEntry
    {
        public VersionEntry(Pep440Version version)
        {
            Version = version;
        }

        public Pep440Version Version { get; }

        public int Files { get; set; }

        /// <summary>Files of this version that are usable (0 when the version is not a candidate: exclude-newer, yanked unless pinned, wheel tags, PEP 625, requires-python of the chosen file).</summary>
        public int Usable { get; set; }

        /// <summary>Why the version is not a candidate, in one line ("2 files excluded by exclude-newer 2026-01-01; cp313 wheels only, target 3.11 on linux"); null when it is.</summary>
        public string? LastProblem { get; set; }

        /// <summary>The file uv would take for this version (best-ranked compatible wheel, else the sdist); null when none.</summary>
        public DistributionFile? Best { get; set; }

        internal int BestRank { get; set; } = int.MaxValue;

        internal bool BestIsWheel { get; set; }

        /// <summary>Why files were not usable: problem kind → (count, detail texts).</summary>
        internal SortedDictionary<int, (int Count, SortedSet<string> Details)> Problems { get; } = new SortedDictionary<int, (int, SortedSet<string>)>();
    }

    /// <summary>uv's per-file rules (crates/uv-resolver/src/version_map.rs), in uv's order, and the version's chosen file.</summary>
    internal sealed class FileRules
    {
        internal const int ExcludeNewer = 0;
        internal const int Yanked = 1;
        internal const int Tag = 2;
        internal const int Pep625 = 3;
        internal const int RequiresPython = 4;

        private readonly TargetEnvironment? _target;
        private readonly Pep440Version? _pinned;
        private readonly DateTimeOffset? _cutoff;
        private readonly string? _cutoffText;

        public FileRules(TargetEnvironment? target, Pep440Version? pinned, DateTimeOffset? cutoff, string? cutoffText)
        {
            _target = target;
            _pinned = pinned;
            _cutoff = cutoff;
            _cutoffText = cutoffText;
        }

        public void Add(VersionEntry entry, DistributionFile file, DistributionFilename filename)
        {
            if (_cutoff is DateTimeOffset cutoff && (file.UploadTime is null || file.UploadTime.Value >= cutoff))
            {
                // uv excludes files uploaded at or after the cutoff, and files without upload-time (with a warning).
                Note(entry, ExcludeNewer, file.UploadTime is null ? "without upload-time" : "");
                return;
            }

            if (file.Yanked && (_pinned is null || _pinned.CompareTo(filename.Version) != 0))
            {
                Note(entry, Yanked, "");
                return;
            }

            var rank = 0;
            if (filename.Kind == DistributionKind.Wheel)
            {
                if (_target is not null)
                {
                    var problem = _target.WheelProblem(filename);
                    if (problem is not null)
                    {
                        Note(entry, Tag, problem);
                        return;
                    }

                    rank = Math.Max(0, _target.TagRank(filename));
                }
            }
            else if (!file.Filename.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) && !file.Filename.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                // uv no longer installs sdists with legacy extensions (not PEP 625; .zip is still accepted).
                Note(entry, Pep625, "." + filename.Extension);
                return;
            }

            // The file uv takes for the version: the best-ranked compatible wheel, else the sdist (PrioritizedDist::get).
            var isWheel = filename.Kind == DistributionKind.Wheel;
            if (entry.Best is null || (isWheel && !entry.BestIsWheel) || (isWheel && entry.BestIsWheel && rank < entry.BestRank))
            {
                entry.Best = file;
                entry.BestIsWheel = isWheel;
                entry.BestRank = rank;
            }
        }

        /// <summary>uv checks requires-python on the chosen file only (resolver check_requires_python): the target's lower bound
        /// must not be below the file's lower bound (upper bounds are not compared).</summary>
        public void Conclude(VersionEntry entry)
        {
            if (entry.Best is null)
            {
                entry.Usable = 0;
                entry.LastProblem = Describe(entry);
                return;
            }

            if (_target is not null && !string.IsNullOrWhiteSpace(entry.Best.RequiresPython)
                && VersionSpecifierSet.TryParse(entry.Best.RequiresPython!, out var requires, out _) && requires is not null
                && !_target.UvRequiresPythonCompatible(requires))
            {
                Note(entry, RequiresPython, entry.Best.RequiresPython!.Trim());
                entry.Best = null;
                entry.Usable = 0;
                entry.LastProblem = Describe(entry);
                return;
            }

            entry.Usable = Math.Max(1, entry.Files - entry.Problems.Values.Sum(p => p.Count));
        }

        private static void Note(VersionEntry entry, int kind, string detail)
        {
            if (!entry.Problems.TryGetValue(kind, out var found))
            {
                found = (0, new SortedSet<string>(StringComparer.Ordinal));
            }

            if (detail.Length > 0)
            {
                found.Details.Add(detail);
            }

            entry.Problems[kind] = (found.Count + 1, found.Details);
        }

        private string Describe(VersionEntry entry)
        {
            var parts = new List<string>();
            var target = _target?.ShortName ?? "any target";
            foreach (var problem in entry.Problems)
            {
                var (count, details) = problem.Value;
                switch (problem.Key)
                {
                    case ExcludeNewer:
                        parts.Add(IndexSearch.Plural(count, "file") + " excluded by exclude-newer " + _cutoffText + (details.Count > 0 ? " (some " + string.Join(", ", details) + ")" : ""));
                        break;
                    case Yanked:
                        parts.Add(count == entry.Files ? "yanked" : IndexSearch.Plural(count, "file") + " yanked");
                        break;
                    case Tag:
                        parts.Add(string.Join(", ", details.Take(3)) + (details.Count > 3 ? ", …" : "") + " wheels only; target " + target);
                        break;
                    case Pep625:
                        parts.Add("sdist " + string.Join(", ", details) + " is not a PEP 625 source distribution (uv takes .tar.gz and .zip)");
                        break;
                    case RequiresPython:
                        parts.Add("requires-python " + string.Join(", ", details) + "; target " + target);
                        break;
                }
            }

            return parts.Count == 0 ? "no usable file" : string.Join("; ", parts);
        }
    }

    /// <summary>A version chosen from an index.</summary>
    internal sealed record Candidate(Pep440Version Version, IndexVersions Source);

    /// <summary>How pre-releases take part in one selection (uv's PrereleaseSelection).</summary>
    internal enum PrereleaseSelection
    {
        Stable,
        All,
        PreferStable,
    }

    /// <summary>
    /// uv 0.12's candidate selection (crates/uv-resolver/src/candidate_selector.rs): the pre-release policy decides whether
    /// pre-releases are excluded, compete in version order, or are taken only after every stable candidate (prefer-stable,
    /// per index under unsafe-first-match); the resolution mode walks versions from the highest or the lowest.
    /// </summary>
    internal static class CandidateSelector
    {
        /// <summary>The pre-release selection for a requirement under a mode, as uv 0.12.5 decides it (PrereleaseStrategy::selection).</summary>
        public static PrereleaseSelection SelectionFor(PrereleaseMode mode, Requirement requirement)
        {
            return SelectionFor(mode, requirement, UvRules.Latest, Array.Empty<IndexVersions>());
        }

        /// <summary>
        /// The pre-release selection for a requirement under a mode and a uv release (<see cref="UvRules.PreReleaseIfNecessary"/>).
        /// uv 0.12 (prerelease.rs <c>PrereleaseStrategy::selection</c>): allow → all; disallow → stable; explicit → prefer-stable for
        /// a requirement whose specifier names a pre-release, else stable; if-necessary and its alias if-necessary-or-explicit →
        /// prefer-stable. uv before 0.12 (<c>PrereleaseStrategy::allows</c> and candidate_selector.rs <c>select_no_preference</c>):
        /// a requirement naming a pre-release under explicit or if-necessary-or-explicit → all (plain version order); under
        /// if-necessary or if-necessary-or-explicit otherwise → all when none of <paramref name="maps"/> lists a stable version
        /// (any stable version, in the range or not, usable or not: <c>VersionMap::stable</c>), else stable.
        /// </summary>
        public static PrereleaseSelection SelectionFor(PrereleaseMode mode, Requirement requirement, UvRules rules, IEnumerable<IndexVersions> maps)
        {
            // A specifier naming a pre-release (exclusions do not count: uv's contains_prerelease / any_prerelease).
            var namesPreRelease = requirement.Specifiers.Specifiers.Any(s => s.Operator != "!=" && Pep440Version.TryParse(s.Version.Replace(".*", ""), out var v) && v is not null && v.IsPreRelease);
            switch (mode)
            {
                case PrereleaseMode.Allow:
                    return PrereleaseSelection.All;
                case PrereleaseMode.Disallow:
                    return PrereleaseSelection.Stable;
                case PrereleaseMode.Explicit:
                    return !namesPreRelease ? PrereleaseSelection.Stable
                        : rules.PreReleaseIfNecessary ? PrereleaseSelection.PreferStable : PrereleaseSelection.All;
            }

            if (rules.PreReleaseIfNecessary)
            {
                return PrereleaseSelection.PreferStable;
            }

            if (mode == PrereleaseMode.IfNecessaryOrExplicit && namesPreRelease)
            {
                return PrereleaseSelection.All;
            }

            return maps.Any(m => m.Versions.Keys.Any(v => !v.IsPreRelease)) ? PrereleaseSelection.Stable : PrereleaseSelection.All;
        }

        public static Candidate? Select(IndexStrategy strategy, IReadOnlyList<IndexVersions> maps, Requirement requirement, bool allowPreRelease)
        {
            return Select(strategy, maps, requirement, allowPreRelease ? PrereleaseSelection.All : PrereleaseSelection.PreferStable, highest: true);
        }

        public static Candidate? Select(IndexStrategy strategy, IReadOnlyList<IndexVersions> maps, Requirement requirement, PrereleaseSelection prerelease, bool highest)
        {
            if (maps.Count == 0)
            {
                return null;
            }

            if (strategy == IndexStrategy.UnsafeFirstMatch)
            {
                // Exhaust the first index (stable, then pre-releases under prefer-stable) before moving on to the next.
                foreach (var map in maps)
                {
                    var chosen = Pick(new[] { map }, requirement, prerelease, highest);
                    if (chosen is not null)
                    {
                        return chosen;
                    }
                }

                return null;
            }

            // first-index (one map, plus find-links) and unsafe-best-match (all maps): the best across the maps;
            // a version on several indexes comes from the earliest one.
            return Pick(maps, requirement, prerelease, highest);
        }

        private static Candidate? Pick(IReadOnlyList<IndexVersions> maps, Requirement requirement, PrereleaseSelection prerelease, bool highest)
        {
            switch (prerelease)
            {
                case PrereleaseSelection.All:
                    return Best(maps, requirement, _ => true, highest);
                case PrereleaseSelection.Stable:
                    return Best(maps, requirement, v => !v.IsPreRelease, highest);
                default:
                    return Best(maps, requirement, v => !v.IsPreRelease, highest) ?? Best(maps, requirement, v => v.IsPreRelease, highest);
            }
        }

        private static Candidate? Best(IEnumerable<IndexVersions> maps, Requirement requirement, Func<Pep440Version, bool> kind, bool highest)
        {
            Candidate? best = null;
            foreach (var map in maps)
            {
                var ordered = highest ? map.Versions.Values.Reverse() : map.Versions.Values;
                foreach (var entry in ordered)
                {
                    if (entry.Usable == 0 || !kind(entry.Version) || !requirement.Specifiers.Contains(entry.Version, allowPreReleases: true))
                    {
                        continue;
                    }

                    var compared = best is null ? 1 : entry.Version.CompareTo(best.Version) * (highest ? 1 : -1);
                    if (compared > 0 || (compared == 0 && map.Order < best!.Source.Order))
                    {
                        best = new Candidate(entry.Version, map);
                    }

                    break;
                }
            }

            return best;
        }
    }
}
