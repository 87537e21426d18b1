using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Audit
{
    /// <summary>
    /// What pip 23.2.1 (the version in users' pipelines; pip/_internal/index/package_finder.py, models/wheel.py, models/link.py,
    /// utils/compatibility_tags.py, resolution/resolvelib/factory.py) takes for one requirement from the same indexes: every index
    /// merged (index-url first, then each extra-index-url), each link judged by pip's own file rules, the applicable candidates
    /// sorted by (not yanked, version, wheel tag priority with sdists last, build tag) and walked from the best, ties going to the
    /// later link as pip's reversed stable sort does.
    /// </summary>
    public static class PipModel
    {
        // pip/_internal/utils/filetypes.py: ARCHIVE_EXTENSIONS + ".whl", compared case-sensitively.
        private static readonly HashSet<string> SupportedExtensions = new HashSet<string>(StringComparer.Ordinal)
        {
            ".zip", ".whl", ".tar.bz2", ".tbz", ".tar.gz", ".tgz", ".tar", ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma",
        };

        // pip/_internal/models/wheel.py Wheel.wheel_file_re.
        private static readonly Regex WheelPattern = new Regex(
            @"^(?<namever>(?<name>[^\s-]+?)-(?<ver>[^\s-]*?))((-(?<build>\d[^-]*?))?-(?<pyver>[^\s-]+?)-(?<abi>[^\s-]+?)-(?<plat>[^\s-]+?)\.whl|\.dist-info)$",
            RegexOptions.CultureInvariant);

        private static readonly Regex PyVersionSuffix = new Regex(@"-py([123]\.?[0-9]?)$", RegexOptions.CultureInvariant);

        private static readonly Regex BuildTagPattern = new Regex(@"^(\d+)(.*)$", RegexOptions.CultureInvariant);

        /// <summary>The order pip searches a uv configuration in: the default index as --index-url, then the others as --extra-index-url in uv's order.</summary>
        public static IReadOnlyList<int> PipOrder(IReadOnlyList<IndexDefinition> indexes)
        {
            var defaultIndex = -1;
            for (var i = indexes.Count - 1; i >= 0; i--)
            {
                if (indexes[i].IsDefault)
                {
                    defaultIndex = i;
                    break;
                }
            }

            if (defaultIndex < 0)
            {
                defaultIndex = indexes.Count - 1;
            }

            var order = new List<int>(indexes.Count);
            if (defaultIndex >= 0)
            {
                order.Add(defaultIndex);
            }

            for (var i = 0; i < indexes.Count; i++)
            {
                if (i != defaultIndex)
                {
                    order.Add(i);
                }
            }

            return order;
        }

        /// <summary>
        /// pip's pick. <paramref name="pages"/> holds, in pip's order (<see cref="PipOrder"/>), each index's name and listed files
        /// (null: the index gave no page). <paramref name="preRelease"/> is pip's --pre.
        /// </summary>
        public static PipPick Pick(Requirement requirement, IReadOnlyList<(string Index, IReadOnlyList<DistributionFile>? Files)> pages, PipTarget target, bool preRelease)
        {
            var name = requirement.NormalizedName;
            var candidates = new List<Link>();
            var notes = new SortedSet<string>(StringComparer.Ordinal);
            var sequence = 0;
            var anyPage = false;
            foreach (var (index, files) in pages)
            {
                if (files is null)
                {
                    continue;
                }

                anyPage = true;
                foreach (var file in files)
                {
                    var link = Evaluate(file, index, name, target, notes);
                    if (link is not null)
                    {
                        link.Sequence = sequence++;
                        candidates.Add(link);
                    }
                }
            }

            if (!anyPage)
            {
                return new PipPick(null, null, null, nameof(StopReason.NotFound), "pip finds no page for '" + name + "' on any index; target " + target.Description);
            }

            var applicable = Applicable(candidates, requirement, preRelease);
            applicable.Sort(CompareKeys);
            var allYanked = applicable.All(c => c.Yanked);
            var pinned = requirement.Specifiers.Specifiers.Any(s => s.Operator == "===" || (s.Operator == "==" && !s.Version.EndsWith(".*", StringComparison.Ordinal)));
            Link? chosen = null;
            for (var i = applicable.Count - 1; i >= 0; i--)
            {
                var candidate = applicable[i];
                if (candidate.Yanked && !(allYanked && pinned))
                {
                    continue;
                }

                chosen = candidate;
                break;
            }

            if (chosen is null)
            {
                var why = candidates.Count == 0
                    ? "no file is a candidate for pip"
                    : applicable.Count == 0 ? "no candidate matches " + (requirement.Specifiers.IsEmpty ? "(pre-releases need --pre)" : requirement.Specifiers + PreReleaseNote(requirement, candidates, preRelease))
                    : "every matching file is yanked (pip takes a yanked file only for an == pin)";
                return new PipPick(null, null, null, nameof(StopReason.NoMatchingVersion), "pip: " + why + Notes(notes) + "; target " + target.Description);
            }

            var tie = applicable.Where(c => !ReferenceEquals(c, chosen) && CompareKeys(c, chosen) == 0 && c.Index != chosen.Index).Select(c => c.Index).Distinct().ToList();
            if (tie.Count > 0)
            {
                notes.Add("a tie with '" + string.Join("', '", tie.ToArray()) + "' goes to the later index, as pip's reversed sort does");
            }

            if (chosen.Yanked)
            {
                notes.Add("yanked, taken for the == pin");
            }

            var reason = "pip 23.2.1 merges every index and takes " + chosen.File.Filename + " from '" + chosen.Index + "'" + Notes(notes) + "; target " + target.Description;
            return new PipPick(chosen.Version.ToString(), chosen.Index, chosen.File, nameof(StopReason.Found), reason);
        }

        private static string Notes(SortedSet<string> notes) => notes.Count == 0 ? "" : " (" + string.Join("; ", notes.ToArray()) + ")";

        private static string PreReleaseNote(Requirement requirement, List<Link> candidates, bool preRelease)
        {
            if (preRelease || !candidates.Any(c => c.Version.IsPreRelease && requirement.Specifiers.Contains(c.Version, allowPreReleases: true)))
            {
                return "";
            }

            return " (matching pre-releases need --pre or a specifier that names a pre-release)";
        }

        /// <summary>packaging 21.3's SpecifierSet.filter as pip calls it (prereleases = --pre or None).</summary>
        private static List<Link> Applicable(List<Link> candidates, Requirement requirement, bool preRelease)
        {
            var specifiers = requirement.Specifiers;
            if (preRelease)
            {
                return candidates.Where(c => specifiers.Contains(c.Version, allowPreReleases: true)).ToList();
            }

            if (specifiers.IsEmpty)
            {
                // A bare name: final releases, else (only then) pre-releases.
                var finals = candidates.Where(c => !c.Version.IsPreRelease).ToList();
                return finals.Count > 0 ? finals : candidates.ToList();
            }

            // A specifier admits pre-releases only when one of its ==, >=, <=, ~=, === versions is a pre-release.
            var named = specifiers.Specifiers.Any(s =>
                (s.Operator == "==" || s.Operator == ">=" || s.Operator == "<=" || s.Operator == "~=" || s.Operator == "===")
                && Pep440Version.TryParse(s.Operator == "==" && s.Version.EndsWith(".*", StringComparison.Ordinal) ? s.Version.Substring(0, s.Version.Length - 2) : s.Version, out var v)
                && v is not null && v.IsPreRelease);
            return candidates.Where(c => (named || !c.Version.IsPreRelease) && specifiers.Contains(c.Version, allowPreReleases: true)).ToList();
        }

        /// <summary>pip's _sort_key without hashes: (not yanked, version, tag priority with sdists last, build tag); stable.</summary>
        private static int CompareKeys(Link a, Link b)
        {
            var c = (a.Yanked ? 0 : 1).CompareTo(b.Yanked ? 0 : 1);
            if (c != 0)
            {
                return c;
            }

            c = a.Version.CompareTo(b.Version);
            if (c != 0)
            {
                return c;
            }

            c = a.Priority.CompareTo(b.Priority);
            if (c != 0)
            {
                return c;
            }

            // Python compares () < (n, "suffix"); then the number, then the suffix.
            if (a.BuildNumber is null || b.BuildNumber is null)
            {
                c = (a.BuildNumber is null ? 0 : 1).CompareTo(b.BuildNumber is null ? 0 : 1);
                return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
            }

            c = a.BuildNumber.Value.CompareTo(b.BuildNumber.Value);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.BuildSuffix, b.BuildSuffix);
            }

            return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
        }

        /// <summary>pip's LinkEvaluator.evaluate_link (allow_yanked: yanked links stay candidates, the resolver skips them later).</summary>
        private static Link? Evaluate(DistributionFile file, string index, string name, PipTarget target, SortedSet<string> notes)
        {
            var filename = file.Filename;
            var (stem, ext) = SplitExtension(filename);
            if (ext.Length == 0 || !SupportedExtensions.Contains(ext))
            {
                return null;
            }

            Pep440Version? version;
            var priority = -target.Tags.Count;
            long? buildNumber = null;
            var buildSuffix = "";
            if (ext == ".whl")
            {
                var match = WheelPattern.Match(filename);
                if (!match.Success)
                {
                    return null;
                }

                if (!string.Equals(PackageName.Normalize(match.Groups["name"].Value.Replace('_', '-')), name, StringComparison.Ordinal))
                {
                    notes.Add("a wheel named for another project skipped (" + filename + ")");
                    return null;
                }

                var best = -1;
                foreach (var py in match.Groups["pyver"].Value.ToLowerInvariant().Split('.'))
                {
                    foreach (var abi in match.Groups["abi"].Value.ToLowerInvariant().Split('.'))
                    {
                        foreach (var plat in match.Groups["plat"].Value.ToLowerInvariant().Split('.'))
                        {
                            if (target.Rank(py + "-" + abi + "-" + plat) is int rank && (best < 0 || rank < best))
                            {
                                best = rank;
                            }
                        }
                    }
                }

                if (best < 0)
                {
                    return null;
                }

                priority = -best;
                if (match.Groups["build"].Success)
                {
                    var build = BuildTagPattern.Match(match.Groups["build"].Value);
                    buildNumber = long.Parse(build.Groups[1].Value, CultureInfo.InvariantCulture);
                    buildSuffix = build.Groups[2].Value;
                }

                if (!Pep440Version.TryParse(match.Groups["ver"].Value.Replace('_', '-'), out version) || version is null)
                {
                    return null;
                }
            }
            else
            {
                if (target.OnlyBinary)
                {
                    return null;
                }

                var versionText = VersionFromFragment(stem, name);
                if (versionText is null)
                {
                    return null;
                }

                var py = PyVersionSuffix.Match(versionText);
                if (py.Success)
                {
                    versionText = versionText.Substring(0, py.Index);
                    if (py.Groups[1].Value != target.PyVersion)
                    {
                        return null;
                    }
                }

                if (!Pep440Version.TryParse(versionText, out version) || version is null)
                {
                    return null;
                }

                if (ext != ".tar.gz" && ext != ".zip")
                {
                    notes.Add("a " + ext + " sdist is a candidate for pip (uv refuses it)");
                }
            }

            if (!string.IsNullOrWhiteSpace(file.RequiresPython))
            {
                if (!VersionSpecifierSet.TryParse(file.RequiresPython!, out var requires, out _) || requires is null)
                {
                    notes.Add("an unparsable requires-python ignored, as pip does (uv drops the file)");
                }
                else if (!requires.Contains(target.PythonVersion, allowPreReleases: true))
                {
                    return null;
                }
            }

            var yanked = file.Yanked && !file.YankedBare;
            if (file.Yanked && file.YankedBare)
            {
                notes.Add("a bare data-yanked read as not yanked, as pip 23.2.1 does");
            }

            return new Link(file, index, version, yanked, priority, buildNumber, buildSuffix);
        }

        /// <summary>pip's splitext: the last extension, with a preceding ".tar" kept (case-insensitively detected).</summary>
        private static (string Stem, string Extension) SplitExtension(string filename)
        {
            var dot = filename.LastIndexOf('.');
            if (dot <= 0)
            {
                return (filename, "");
            }

            var stem = filename.Substring(0, dot);
            var ext = filename.Substring(dot);
            if (stem.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
            {
                ext = stem.Substring(stem.Length - 4) + ext;
                stem = stem.Substring(0, stem.Length - 4);
            }

            return (stem, ext);
        }

        /// <summary>pip's _extract_version_from_fragment: the text after the first '-' whose prefix canonicalizes to the name.</summary>
        private static string? VersionFromFragment(string fragment, string name)
        {
            for (var i = 0; i < fragment.Length; i++)
            {
                if (fragment[i] == '-' && string.Equals(PackageName.Normalize(fragment.Substring(0, i)), name, StringComparison.Ordinal))
                {
                    var version = fragment.Substring(i + 1);
                    return version.Length == 0 ? null : version;
                }
            }

            return null;
        }

        /// <summary>One candidate file as pip's LinkEvaluator sees it; <c>Sequence</c> is its place among all candidates (the stable sort's tie-break).</summary>
        private sealed record Link(DistributionFile File, string Index, Pep440Version Version, bool Yanked, int Priority, long? BuildNumber, string BuildSuffix)
        {
            public int Sequence { get; set; }
        }
    }

    /// <summary>pip's pick for one requirement.</summary>
    /// <param name="Version">The version pip takes; null when it takes none.</param>
    /// <param name="Index">The index it takes the file from; null when it takes none.</param>
    /// <param name="File">The file it takes; null when it takes none.</param>
    /// <param name="StopReason">Found, NotFound or NoMatchingVersion (a <see cref="StopReason"/> name).</param>
    /// <param name="Reason">Why, in one sentence with the target.</param>
    public sealed record PipPick(string? Version, string? Index, DistributionFile? File, string StopReason, string Reason);

    /// <summary>
    /// The environment pip judges files for: a Python version (3 parts, for requires-python), the tags it accepts in priority order,
    /// and whether sdists are allowed. With -PythonVersion/-Platform it is what <c>pip --python-version X --platform P
    /// --only-binary=:all:</c> uses (pip asks for --only-binary with a foreign target); without them, pip's default: the interpreter
    /// that runs pip, found as python3 on PATH.
    /// </summary>
    public sealed class PipTarget
    {
        private static readonly Lazy<PipTarget?> Running = new Lazy<PipTarget?>(DetectRunning);

        private readonly Dictionary<string, int> _rank;

        private PipTarget(Pep440Version python, IReadOnlyList<string> platforms, bool onlyBinary, string description)
        {
            PythonVersion = python;
            var (major, minor) = TargetEnvironment.MajorMinor(python);
            PyVersion = major.ToString(CultureInfo.InvariantCulture) + "." + minor.ToString(CultureInfo.InvariantCulture);
            Tags = TargetEnvironment.CompatibleTags((major, minor), platforms);
            _rank = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < Tags.Count; i++)
            {
                if (!_rank.ContainsKey(Tags[i]))
                {
                    _rank.Add(Tags[i], i);
                }
            }

            OnlyBinary = onlyBinary;
            Description = description;
        }

        /// <summary>The Python version requires-python is checked against (3.11 given: 3.11.0, as pip normalizes it).</summary>
        public Pep440Version PythonVersion { get; }

        /// <summary>"3.11": compared with an sdist's -pyX.Y suffix.</summary>
        public string PyVersion { get; }

        public IReadOnlyList<string> Tags { get; }

        /// <summary>--only-binary=:all: (a foreign target).</summary>
        public bool OnlyBinary { get; }

        public string Description { get; }

        internal int? Rank(string tag) => _rank.TryGetValue(tag, out var rank) ? rank : (int?)null;

        /// <summary>pip's target for IndexTools' target: given values as pip's options, else the running interpreter. Null when neither can be known.</summary>
        public static PipTarget? For(TargetEnvironment target)
        {
            var running = Running.Value;
            if (target.Python is null && target.Platform is null)
            {
                return running;
            }

            var python = target.Python ?? running?.PythonVersion;
            if (python is null)
            {
                return null;
            }

            var (major, minor) = TargetEnvironment.MajorMinor(python);
            var full = Pep440Version.Parse(string.Join(".", python.Release.Concat(new long[] { 0, 0 }).Take(3).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToArray()));
            IReadOnlyList<string> platforms;
            string platformText;
            if (target.Platform is not null)
            {
                var tag = target.PlatformTags[0];
                platforms = CustomPlatforms(tag);
                platformText = "--platform " + tag;
            }
            else if (running is not null)
            {
                platforms = running.PlatformList;
                platformText = "this machine's platform";
            }
            else
            {
                return null;
            }

            return new PipTarget(full, platforms, onlyBinary: true, "pip --python-version " + major + "." + minor + " " + platformText + " --only-binary=:all:") { PlatformList = platforms };
        }

        private IReadOnlyList<string> PlatformList { get; set; } = Array.Empty<string>();

        /// <summary>pip's _get_custom_platforms: macOS tags expand to every older macOS, manylinux2014/2010 add their legacy aliases, anything else is itself only.</summary>
        internal static IReadOnlyList<string> CustomPlatforms(string platform)
        {
            var mac = Regex.Match(platform, @"^macosx_(\d+)_(\d+)_(.+)$");
            if (mac.Success)
            {
                return TargetEnvironment.MacTags(mac.Groups[3].Value, int.Parse(mac.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(mac.Groups[2].Value, CultureInfo.InvariantCulture));
            }

            if (platform.StartsWith("manylinux2014_", StringComparison.Ordinal))
            {
                var arch = platform.Substring("manylinux2014_".Length);
                return arch == "x86_64" || arch == "i686" ? new[] { platform, "manylinux2010_" + arch, "manylinux1_" + arch } : new[] { platform };
            }

            if (platform.StartsWith("manylinux2010_", StringComparison.Ordinal))
            {
                return new[] { platform, "manylinux1_" + platform.Substring("manylinux2010_".Length) };
            }

            return new[] { platform };
        }

        /// <summary>The interpreter pip would run under: python3 on PATH (python on Windows), asked for its version, platform and libc.</summary>
        private static PipTarget? DetectRunning()
        {
            foreach (var exe in System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows) ? new[] { "python", "python3" } : new[] { "python3", "python" })
            {
                try
                {
                    var start = new ProcessStartInfo(exe, "-c \"import sys,sysconfig,platform;print('%d.%d.%d' % sys.version_info[:3]);print(sysconfig.get_platform());print(' '.join(platform.libc_ver()));print(sys.executable)\"")
                    {
                        RedirectStandardOutput = true,
                        RedirectStandardError = true,
                        UseShellExecute = false,
                        CreateNoWindow = true,
                    };
                    using var process = Process.Start(start);
                    if (process is null)
                    {
                        continue;
                    }

                    var output = process.StandardOutput.ReadToEnd();
                    if (!process.WaitForExit(10000) || process.ExitCode != 0)
                    {
                        continue;
                    }

                    var lines = output.Replace("\r", "").Split('\n');
                    if (lines.Length < 4 || !Pep440Version.TryParse(lines[0], out var version) || version is null)
                    {
                        continue;
                    }

                    var platforms = PlatformsOf(lines[1].Trim(), lines[2].Trim());
                    if (platforms.Count == 0)
                    {
                        continue;
                    }

                    var (major, minor) = TargetEnvironment.MajorMinor(version);
                    return new PipTarget(version, platforms, onlyBinary: false, "the running interpreter " + lines[3].Trim() + " (Python " + version + ", " + platforms[0] + "): pip's default")
                    {
                        PlatformList = platforms,
                    };
                }
                catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
                {
                    // Not installed under this name: try the next.
                }
            }

            return null;
        }

        /// <summary>packaging's platform_tags for a sysconfig platform (linux-x86_64 with glibc 2.35, macosx-14.0-arm64, win-amd64).</summary>
        internal static IReadOnlyList<string> PlatformsOf(string sysconfigPlatform, string libc)
        {
            var linux = Regex.Match(sysconfigPlatform, @"^linux-(.+)$");
            if (linux.Success)
            {
                var arch = linux.Groups[1].Value;
                var glibc = Regex.Match(libc, @"^glibc (\d+)\.(\d+)");
                return glibc.Success && glibc.Groups[1].Value == "2"
                    ? TargetEnvironment.ManylinuxTags(arch, int.Parse(glibc.Groups[2].Value, CultureInfo.InvariantCulture))
                    : new List<string> { "linux_" + arch };
            }

            var mac = Regex.Match(sysconfigPlatform, @"^macosx-(\d+)\.(\d+)-(.+)$");
            if (mac.Success)
            {
                return TargetEnvironment.MacTags(mac.Groups[3].Value, int.Parse(mac.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(mac.Groups[2].Value, CultureInfo.InvariantCulture));
            }

            return sysconfigPlatform switch
            {
                "win-amd64" => new[] { "win_amd64" },
                "win32" => new[] { "win32" },
                "win-arm64" => new[] { "win_arm64" },
                _ => Array.Empty<string>(),
            };
        }
    }
}
