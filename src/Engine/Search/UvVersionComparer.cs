using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
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
        {
            if (settings is null)
            {
                throw new ArgumentNullException(nameof(settings));
            }

            _rulesA = a ?? throw new ArgumentNullException(nameof(a));
            _rulesB = b ?? throw new ArgumentNullException(nameof(b));
            _a = new IndexSearch(settings, source, With(options, a));
            _b = new IndexSearch(settings, source, With(options, b));
        }

        public async IAsyncEnumerable<UvVersionComparison> CompareManyAsync(IEnumerable<Requirement> requirements, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var requirement in requirements)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return await CompareAsync(requirement, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task<UvVersionComparison> CompareAsync(Requirement requirement, CancellationToken cancellationToken)
        {
            var a = await _a.ResolveAsync(requirement, cancellationToken).ConfigureAwait(false);
            var b = await _b.ResolveAsync(requirement, cancellationToken).ConfigureAwait(false);
            return Compare(a, b, _rulesA, _rulesB);
        }

        /// <summary>Compares two searches of one package (A under <paramref name="rulesA"/>, B under <paramref name="rulesB"/>).</summary>
        public static UvVersionComparison Compare(PackageResolution a, PackageResolution b, UvRules rulesA, UvRules rulesB)
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
                VersionChanged = !string.Equals(a.Version, b.Version, StringComparison.Ordinal),
                A = a,
                B = b,
            };

            comparison.Why = Explain(a, b, rulesA, rulesB).Distinct().ToArray();
            return comparison;
        }

        private static string Result(PackageResolution resolution)
        {
            return resolution.Resolved ? resolution.Version + " from " + resolution.Index : resolution.StopReason.ToString();
        }

        private static IEnumerable<string> Explain(PackageResolution a, PackageResolution b, UvRules rulesA, UvRules rulesB)
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

            if (a.Index == b.Index && a.Version != b.Version && a.Resolved && b.Resolved && rulesA.PreReleaseIfNecessary != rulesB.PreReleaseIfNecessary)
            {
                yield return "The same index offers both; the chosen version differs (" + Cite(changes, nameof(UvRules.PreReleaseIfNecessary)) + ").";
            }

            if (!string.Equals(a.Hint, b.Hint, StringComparison.Ordinal) && a.StopReason == b.StopReason && a.StopReason == StopReason.NoMatchingVersion
                && rulesA.SubsequentIndexHintNeedsListedVersions != rulesB.SubsequentIndexHintNeedsListedVersions)
            {
                yield return "The hint differs: " + Cite(changes, nameof(UvRules.SubsequentIndexHintNeedsListedVersions)) + ".";
            }
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
