using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
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
            var requirements = new List<Requirement>();
            foreach (var package in packages.Where(p => p.IsRegistry))
            {
                var text = package.Version.Length == 0 ? package.Name : package.Name + "==" + package.Version;
                if (Requirement.TryParse(text, out var requirement, out _) && requirement is not null)
                {
                    checkedPackages.Add(package);
                    requirements.Add(requirement);
                }
            }

            var search = new IndexSearch(_settings, _source, _options, _listener);
            var i = 0;
            await foreach (var resolution in search.ResolveManyAsync(requirements, cancellationToken).ConfigureAwait(false))
            {
                var package = checkedPackages[i++];
                yield return await CompareAsync(lockFile, lockDirectory, package, resolution, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<LockDrift> CompareAsync(string lockFile, string lockDirectory, LockedPackage package, PackageResolution resolution, CancellationToken cancellationToken)
        {
            var drift = new LockDrift
            {
                Package = package.NormalizedName,
                Version = package.Version,
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
                if (chosen != null && await AllFilesYankedAsync(chosen, package, cancellationToken).ConfigureAwait(false))
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

        private async Task<bool> AllFilesYankedAsync(IndexDefinition index, LockedPackage package, CancellationToken cancellationToken)
        {
            if (!Pep440Version.TryParse(package.Version, out var version) || version is null)
            {
                return false;
            }

            var response = await _source.GetProjectPageAsync(index, package.NormalizedName, cancellationToken).ConfigureAwait(false);
            if (response.Page is null)
            {
                return false;
            }

            var files = response.Page.Files
                .Where(f => DistributionFilename.TryParse(f.Filename, package.NormalizedName, out var parsed) && parsed is not null && parsed.Version.CompareTo(version) == 0)
                .ToList();
            return files.Count > 0 && files.All(f => f.Yanked);
        }
    }
}
