using System.Runtime.CompilerServices;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Search
{
    /// <summary>
    /// Runs the real search twice over the same configuration and page source, once under each uv release's rules, and
    /// explains each difference by the uv change behind it (<see cref="UvRules.Changes"/>).
    /// </summary>
    public sealed class UvVersionComparer
    {
        private readonly IndexSearch _a;
        private readonly IndexSearch _b;
        private readonly UvRules _rulesA;
        private readonly UvRules _rulesB;

        public UvVersionComparer(IndexSettings settings, IProjectPageSource source, SearchOptions options, UvRules a, UvRules b)
            : this(settings, source, source, options, a, b)
        {
        }

        /// <summary>
        /// Each release's search over its own page source: what decides the credentials (uv's credential store from 0.8.15,
        /// its service prefix rule from 0.11.9) lives in the source's credential provider, so two runs of two uv releases
        /// are two sources (two sessions), as they would be two processes.
        /// </summary>
        public UvVersionComparer(IndexSettings settings, IProjectPageSource sourceA, IProjectPageSource sourceB, SearchOptions options, UvRules a, UvRules b)
        {
            if (settings is null)
            {
                throw new ArgumentNullException(nameof(settings));
            }

            _rulesA = a ?? throw new ArgumentNullException(nameof(a));
            _rulesB = b ?? throw new ArgumentNullException(nameof(b));
            _a = new IndexSearch(settings, sourceA ?? throw new ArgumentNullException(nameof(sourceA)), With(options, a));
            _b = new IndexSearch(settings, sourceB ?? throw new ArgumentNullException(nameof(sourceB)), With(options, b));
        }

        public IAsyncEnumerable<UvVersionComparison> CompareManyAsync(IEnumerable<Requirement> requirements, CancellationToken cancellationToken)
        {
            return CompareManyAsync(requirements.Select(r => (r, (Projects.ProjectRequirement?)null)), cancellationToken);
        }

        /// <summary>Each requirement with the project entry it was read from (its extra or group decides a conditional source).</summary>
        public async IAsyncEnumerable<UvVersionComparison> CompareManyAsync(IEnumerable<(Requirement Requirement, Projects.ProjectRequirement? Origin)> requirements, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var (requirement, origin) in requirements)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return await CompareAsync(requirement, origin, cancellationToken).ConfigureAwait(false);
            }
        }

        public Task<UvVersionComparison> CompareAsync(Requirement requirement, CancellationToken cancellationToken) => CompareAsync(requirement, null, cancellationToken);

        /// <summary>
        /// Both searches of one package, through the <c>[tool.uv.sources]</c> entry that applies to it for the target (the one
        /// the target decides when a marker leaves several open), as Resolve-PyPackage searches it.
        /// </summary>
        public async Task<UvVersionComparison> CompareAsync(Requirement requirement, Projects.ProjectRequirement? origin, CancellationToken cancellationToken)
        {
            var choice = Projects.SourceSelector.Primary(Projects.SourceSelector.ChoicesFor(_a.Settings, requirement, origin, _a.Target.Markers));
            var a = await _a.ResolveAsync(requirement, choice, cancellationToken).ConfigureAwait(false);
            var b = await _b.ResolveAsync(requirement, choice, cancellationToken).ConfigureAwait(false);
            return Compare(a, b, _rulesA, _rulesB, _a.Settings.Selection.PrereleasePackage.ContainsKey(requirement.NormalizedName));
        }

        /// <summary>Compares two searches of one package (A under <paramref name="rulesA"/>, B under <paramref name="rulesB"/>).</summary>
        public static UvVersionComparison Compare(PackageResolution a, PackageResolution b, UvRules rulesA, UvRules rulesB)
        {
            return Compare(a, b, rulesA, rulesB, prereleasePackageSet: false);
        }

        /// <summary>As <see cref="Compare(PackageResolution, PackageResolution, UvRules, UvRules)"/>; <paramref name="prereleasePackageSet"/>:
        /// the configuration has a prerelease-package entry for the package (which uv before 0.12.1 does not read).</summary>
        public static UvVersionComparison Compare(PackageResolution a, PackageResolution b, UvRules rulesA, UvRules rulesB, bool prereleasePackageSet)
        {
            var comparison = new UvVersionComparison
            {
                Package = a.Package,
                Requirement = a.Requirement,
                Strategy = a.Strategy,
                UvVersionA = rulesA.Version,
                UvVersionB = rulesB.Version,
                ResultA = Result(a),
                ResultB = Result(b),
                IndexChanged = !string.Equals(a.Index, b.Index, StringComparison.Ordinal),
                StopReasonChanged = a.StopReason != b.StopReason,
                VersionChanged = !string.Equals(a.Version?.ToString(), b.Version?.ToString(), StringComparison.Ordinal),
                A = a,
                B = b,
            };

            comparison.Why = Explain(a, b, rulesA, rulesB, prereleasePackageSet).Distinct().ToArray();
            return comparison;
        }

        private static string Result(PackageResolution resolution)
        {
            return resolution.Resolved ? resolution.Version + " from " + resolution.Index : resolution.StopReason.ToString();
        }

        private static IEnumerable<string> Explain(PackageResolution a, PackageResolution b, UvRules rulesA, UvRules rulesB, bool prereleasePackageSet)
        {
            var va = "uv " + rulesA.Version;
            var vb = "uv " + rulesB.Version;
            var changes = UvRules.ChangesBetween(rulesA, rulesB);
            var asked = a.Attempts.Concat(b.Attempts).Select(Key).Distinct().ToList();
            foreach (var key in asked)
            {
                var x = a.Attempts.Where(t => Key(t) == key).ToList();
                var y = b.Attempts.Where(t => Key(t) == key).ToList();
                if (x.Count != y.Count && rulesA.AsksDuplicateUrlOnce != rulesB.AsksDuplicateUrlOnce)
                {
                    yield return "'" + key + "' is configured more than once: " + (x.Count > y.Count ? va : vb) + " asks it " + Math.Max(x.Count, y.Count) + " times, "
                        + (x.Count > y.Count ? vb : va) + " once (" + Cite(changes, nameof(UvRules.AsksDuplicateUrlOnce)) + ").";
                    continue;
                }

                var first = x.FirstOrDefault();
                var second = y.FirstOrDefault();
                if (first is null || second is null || first.Outcome == AttemptOutcome.Skipped || second.Outcome == AttemptOutcome.Skipped)
                {
                    // Not asked under one release: a consequence of an earlier stop, explained at that index.
                    continue;
                }

                if (first.Outcome == second.Outcome && first.Decision == second.Decision)
                {
                    continue;
                }

                var status = first.StatusCode ?? second.StatusCode;
                var credentialRule = CredentialRule(first, second, rulesA, rulesB, changes);
                if (credentialRule != null)
                {
                    yield return "'" + key + "' got credentials from " + first.CredentialSource + " under " + va + " and from " + second.CredentialSource + " under " + vb
                        + ": " + va + " " + Describe(first) + ", " + vb + " " + Describe(second) + " (" + credentialRule + ").";
                    continue;
                }

                var rule = status switch
                {
                    403 when rulesA.PyTorch != rulesB.PyTorch && rulesA.IsPyTorchHost(first.Url) != rulesB.IsPyTorchHost(second.Url) && rulesA.AuthenticationStopsSearch && rulesB.AuthenticationStopsSearch
                        => Cite(changes, nameof(UvRules.PyTorch)),
                    401 or 403 or 407 or 511 when rulesA.AuthenticationStopsSearch != rulesB.AuthenticationStopsSearch
                        => Cite(changes, nameof(UvRules.AuthenticationStopsSearch)),
                    _ => null,
                };
                yield return "'" + key + "' answered " + (status is int s ? "HTTP " + s : first.Outcome.ToString()) + ": " + va + " " + Describe(first) + ", " + vb + " " + Describe(second)
                    + (rule is null ? "." : " (" + rule + ").");
            }

            if (a.Version != b.Version && (a.Resolved || b.Resolved) && SameIndexesAnswered(a, b)
                && (rulesA.PreReleaseIfNecessary != rulesB.PreReleaseIfNecessary || (prereleasePackageSet && rulesA.PrereleasePackageSupported != rulesB.PrereleasePackageSupported)))
            {
                // The same indexes listed the same versions: only the pre-release selection can tell them apart.
                var rules = new List<string>();
                if (rulesA.PreReleaseIfNecessary != rulesB.PreReleaseIfNecessary)
                {
                    rules.Add(Cite(changes, nameof(UvRules.PreReleaseIfNecessary)));
                }

                if (prereleasePackageSet && rulesA.PrereleasePackageSupported != rulesB.PrereleasePackageSupported)
                {
                    rules.Add(Cite(changes, nameof(UvRules.PrereleasePackageSupported)));
                }

                yield return (a.Resolved && b.Resolved ? "The same index offers both; the chosen version differs: " + va + " takes " + a.Version + ", " + vb + " takes " + b.Version
                        : (a.Resolved ? va + " takes " + a.Version + ", " + vb + " finds no candidate" : va + " finds no candidate, " + vb + " takes " + b.Version) + " from the same versions")
                    + " (" + string.Join("; ", rules) + ").";
            }

            if (!string.Equals(a.Hint, b.Hint, StringComparison.Ordinal) && a.StopReason == b.StopReason && a.StopReason == StopReason.NoMatchingVersion
                && rulesA.SubsequentIndexHintNeedsListedVersions != rulesB.SubsequentIndexHintNeedsListedVersions)
            {
                yield return "The hint differs: " + Cite(changes, nameof(UvRules.SubsequentIndexHintNeedsListedVersions)) + ".";
            }
        }

        /// <summary>The credential rule behind two attempts that sent credentials from different sources, when one release lacks
        /// the uv credential store (before 0.8.15) or matched its service prefixes without a path boundary (before 0.11.9).</summary>
        private static string? CredentialRule(IndexAttempt first, IndexAttempt second, UvRules rulesA, UvRules rulesB, IReadOnlyList<UvRuleChange> changes)
        {
            if (string.Equals(first.CredentialSource, second.CredentialSource, StringComparison.Ordinal)
                || (first.CredentialSource != "uv-store" && second.CredentialSource != "uv-store"))
            {
                return null;
            }

            if (rulesA.ReadsUvCredentialStore != rulesB.ReadsUvCredentialStore)
            {
                return Cite(changes, nameof(UvRules.ReadsUvCredentialStore));
            }

            return rulesA.CredentialPathPrefixNeedsBoundary != rulesB.CredentialPathPrefixNeedsBoundary
                ? Cite(changes, nameof(UvRules.CredentialPathPrefixNeedsBoundary))
                : null;
        }

        /// <summary>Both searches got the same answers from the same indexes (outcome and versions listed).</summary>
        private static bool SameIndexesAnswered(PackageResolution a, PackageResolution b)
        {
            var x = a.Attempts.Where(t => t.Outcome != AttemptOutcome.Skipped).Select(t => (Key(t), t.Outcome, t.VersionCount)).ToList();
            var y = b.Attempts.Where(t => t.Outcome != AttemptOutcome.Skipped).Select(t => (Key(t), t.Outcome, t.VersionCount)).ToList();
            return x.Count > 0 && x.SequenceEqual(y);
        }

        private static string Describe(IndexAttempt attempt)
        {
            switch (attempt.Outcome)
            {
                case AttemptOutcome.Ignored:
                case AttemptOutcome.NotFound:
                    return "goes on to the next index";
                case AttemptOutcome.AuthFailed when attempt.Decision == SearchDecision.Stop:
                    return "stops there (" + (attempt.Reason.IndexOf("index error", StringComparison.Ordinal) >= 0 ? "an error" : "authentication failed") + ")";
                case AttemptOutcome.Failed:
                    return "stops with an error";
                case AttemptOutcome.Found:
                    return "takes it from there";
                default:
                    return attempt.Outcome + "/" + attempt.Decision;
            }
        }

        private static string Cite(IReadOnlyList<UvRuleChange> changes, string rule)
        {
            var matching = changes.Where(c => c.Rule == rule).ToList();
            if (matching.Count == 0)
            {
                matching = UvRules.Changes.Where(c => c.Rule == rule).ToList();
            }

            return string.Join("; ", matching.Select(c => "uv " + c.Version + ", astral-sh/uv#" + c.PullRequest + ": " + c.Description));
        }

        private static string Key(IndexAttempt attempt) => attempt.Index ?? attempt.Url;

        private static SearchOptions With(SearchOptions options, UvRules rules)
        {
            return new SearchOptions
            {
                AllowPreRelease = options.AllowPreRelease,
                PythonVersion = options.PythonVersion,
                Platform = options.Platform,
                Target = options.Target,
                Concurrency = options.Concurrency,
                IndexConcurrency = options.IndexConcurrency,
                UvRules = rules,
            };
        }
    }
}
