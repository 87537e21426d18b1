using System;
using System.Collections.Generic;
using System.Linq;
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
            TargetEnvironment? target)
        {
            var versions = new SortedDictionary<Pep440Version, VersionEntry>();
            var pinned = PinnedVersion(requirement);
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
                var problem = Incompatibility(file, filename, pinned, target);
                if (problem is null)
                {
                    entry.Usable++;
                }
                else
                {
                    entry.LastProblem = problem;
                }
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

        private static string? Incompatibility(DistributionFile file, DistributionFilename filename, Pep440Version? pinned, TargetEnvironment? target)
        {
            if (file.Yanked && (pinned is null || pinned.CompareTo(filename.Version) != 0))
            {
                return "yanked";
            }

            if (filename.Kind == DistributionKind.Sdist
                && !file.Filename.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase)
                && !file.Filename.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                // uv no longer installs sdists with legacy extensions (not PEP 625; .zip is still accepted).
                return "not a PEP 625 source distribution";
            }

            if (target is not null && target.Python is not null && !string.IsNullOrWhiteSpace(file.RequiresPython))
            {
                if (VersionSpecifierSet.TryParse(file.RequiresPython!, out var requires, out _) && requires is not null
                    && !target.SatisfiesRequiresPython(requires))
                {
                    return "requires-python " + file.RequiresPython;
                }
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

        /// <summary>Files of this version that are usable (not yanked unless pinned, requires-python met, installable form).</summary>
        public int Usable { get; set; }

        /// <summary>Why the last unusable file was not usable.</summary>
        public string? LastProblem { get; set; }
    }

    /// <summary>A version chosen from an index.</summary>
    internal sealed class Candidate
    {
        public Candidate(Pep440Version version, IndexVersions source)
        {
            Version = version;
            Source = source;
        }

        public Pep440Version Version { get; }

        public IndexVersions Source { get; }
    }

    /// <summary>
    /// uv's candidate selection with the default pre-release mode (if-necessary: prefer stable releases, take a
    /// pre-release only when no stable release matches) or with pre-releases allowed.
    /// </summary>
    internal static class CandidateSelector
    {
        public static Candidate? Select(IndexStrategy strategy, IReadOnlyList<IndexVersions> maps, Requirement requirement, bool allowPreRelease)
        {
            if (maps.Count == 0)
            {
                return null;
            }

            if (strategy == IndexStrategy.UnsafeFirstMatch)
            {
                // Exhaust the first index (stable, then pre-releases) before moving on to the next.
                foreach (var map in maps)
                {
                    var chosen = allowPreRelease
                        ? Best(new[] { map }, requirement, _ => true)
                        : Best(new[] { map }, requirement, v => !v.IsPreRelease) ?? Best(new[] { map }, requirement, v => v.IsPreRelease);
                    if (chosen is not null)
                    {
                        return chosen;
                    }
                }

                return null;
            }

            // first-index (one map, plus find-links) and unsafe-best-match (all maps): the highest across the maps;
            // a version on several indexes comes from the earliest one.
            return allowPreRelease
                ? Best(maps, requirement, _ => true)
                : Best(maps, requirement, v => !v.IsPreRelease) ?? Best(maps, requirement, v => v.IsPreRelease);
        }

        private static Candidate? Best(IEnumerable<IndexVersions> maps, Requirement requirement, Func<Pep440Version, bool> kind)
        {
            Candidate? best = null;
            foreach (var map in maps)
            {
                foreach (var entry in map.Versions.Values.Reverse())
                {
                    if (entry.Usable == 0 || !kind(entry.Version) || !requirement.Specifiers.Contains(entry.Version, allowPreReleases: true))
                    {
                        continue;
                    }

                    if (best is null || entry.Version.CompareTo(best.Version) > 0
                        || (entry.Version.CompareTo(best.Version) == 0 && map.Order < best.Source.Order))
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
