using System.Globalization;

namespace IndexTools.Engine.Versions
{
    /// <summary>
    /// The environment versions are picked for, as uv has one: a Python version (or a requires-python range), a
    /// platform given as one of uv's <c>--python-platform</c> values, the wheel tags it accepts in priority order, and
    /// the PEP 508 marker values. Immutable. A target without a platform is universal (every platform, as uv lock
    /// resolves); a target without a Python version accepts any Python (bounded by <see cref="RequiresPython"/> when a
    /// project gives one).
    /// </summary>
    /// <remarks>
    /// Platforms and tags follow uv 0.12.5: crates/uv-configuration/src/target_triple.rs (the values, their
    /// platform and marker values) and crates/uv-platform-tags/src/tags.rs (the tag order: the exact CPython ABI,
    /// abi3 and none for older minors, pyXY-none, then the pure-Python tags). Android, iOS and Pyodide targets are not
    /// modelled.
    /// </remarks>
    public sealed class TargetEnvironment
    {
        private static readonly Dictionary<string, PlatformSpec> KnownPlatforms = BuildPlatforms();

        private readonly Dictionary<string, int> _tagRank;
        private readonly HashSet<string>? _platformTags;
        private readonly Dictionary<string, string> _markers;

        private TargetEnvironment(
            Pep440Version? python,
            string? platform,
            PlatformSpec? spec,
            VersionSpecifierSet? requiresPython,
            string? requiresPythonText,
            string description)
        {
            Python = python;
            Platform = platform;
            RequiresPython = requiresPython;
            RequiresPythonText = requiresPythonText;
            Description = description;
            PlatformTags = spec?.Tags ?? Array.Empty<string>();
            _platformTags = spec is null ? null : new HashSet<string>(spec.Tags, StringComparer.Ordinal);

            var tags = python is not null && spec is not null ? CompatibleTags(MajorMinor(python), spec.Tags) : new List<string>();
            Tags = tags;
            _tagRank = new Dictionary<string, int>(tags.Count, StringComparer.Ordinal);
            for (var i = 0; i < tags.Count; i++)
            {
                if (!_tagRank.ContainsKey(tags[i]))
                {
                    _tagRank.Add(tags[i], i);
                }
            }

            _markers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["implementation_name"] = "cpython",
                ["platform_python_implementation"] = "CPython",
            };
            if (python is not null)
            {
                var (major, minor) = MajorMinor(python);
                _markers["python_version"] = major.ToString(CultureInfo.InvariantCulture) + "." + minor.ToString(CultureInfo.InvariantCulture);
                _markers["python_full_version"] = FullVersion(python);
                _markers["implementation_version"] = FullVersion(python);
            }

            if (spec is not null)
            {
                _markers["sys_platform"] = spec.SysPlatform;
                _markers["platform_system"] = spec.PlatformSystem;
                _markers["platform_machine"] = spec.Machine;
                _markers["os_name"] = spec.OsName;
                _markers["platform_release"] = "";
                _markers["platform_version"] = "";
            }
        }

        /// <summary>The target Python version (<c>3.12</c>, <c>3.12.4</c>); null: any Python within <see cref="RequiresPython"/>.</summary>
        public Pep440Version? Python { get; }

        /// <summary>The platform as uv's <c>--python-platform</c> names it (<c>linux</c>, <c>x86_64-manylinux_2_28</c>); null: universal.</summary>
        public string? Platform { get; }

        /// <summary>True without a platform: every platform counts, as uv lock resolves for all of them.</summary>
        public bool IsUniversal => Platform is null;

        /// <summary>The requires-python range that bounds a universal or version-less target (a project's), else null.</summary>
        public VersionSpecifierSet? RequiresPython { get; }

        /// <summary>The requires-python range as written, else null.</summary>
        public string? RequiresPythonText { get; }

        /// <summary>One line: which target, and why it was assumed when the caller did not give one.</summary>
        public string Description { get; }

        /// <summary>The platform tags the platform accepts (<c>manylinux_2_28_x86_64</c>, … <c>linux_x86_64</c>), best first; empty when universal.</summary>
        public IReadOnlyList<string> PlatformTags { get; }

        /// <summary>Every <c>python-abi-platform</c> wheel tag the target accepts, best first; empty without both a Python version and a platform.</summary>
        public IReadOnlyList<string> Tags { get; }

        /// <summary>The PEP 508 marker values the target fixes (python_version, python_full_version, sys_platform, platform_system,
        /// platform_machine, os_name, implementation_name, …). A universal target has no platform values; a target without a
        /// Python version has no Python values: markers on them hold for some environment and not others.</summary>
        public IReadOnlyDictionary<string, string> Markers => _markers;

        /// <summary>uv's <c>--python-platform</c> values this type knows, in uv's order.</summary>
        public static IReadOnlyCollection<string> PlatformNames => KnownPlatforms.Keys.Where(k => !KnownPlatforms[k].IsAlias).ToArray();

        /// <summary>The marker value for <paramref name="name"/>; false when the target leaves it open (universal, or no Python version).</summary>
        public bool TryGetMarker(string name, out string value)
        {
            if (_markers.TryGetValue(name, out var found))
            {
                value = found;
                return true;
            }

            value = "";
            return false;
        }

        /// <summary>
        /// The target for the given values. <paramref name="pythonVersion"/>: <c>3.12</c> or <c>3.12.4</c>, or null;
        /// <paramref name="platform"/>: one of uv's <c>--python-platform</c> values (or its manylinux alias), or null;
        /// <paramref name="requiresPython"/>: the project's requires-python that bounds a target without a version;
        /// <paramref name="assumedBecause"/>: what the description says about where an unspecified part came from.
        /// FormatException for an unknown platform or an unparsable version or range, naming the value.
        /// </summary>
        public static TargetEnvironment Create(string? pythonVersion, string? platform, string? requiresPython = null, string? requiresPythonSource = null)
        {
            Pep440Version? python = null;
            if (!string.IsNullOrWhiteSpace(pythonVersion))
            {
                if (!Pep440Version.TryParse(pythonVersion!.Trim(), out python) || python is null || python.Release.Count > 3 || python.IsPreRelease || python.IsLocal || python.Release[0] < 2)
                {
                    throw new FormatException("'" + pythonVersion + "' is not a Python version (expected something like 3.12 or 3.12.4).");
                }
            }

            PlatformSpec? spec = null;
            string? platformName = null;
            if (!string.IsNullOrWhiteSpace(platform))
            {
                if (!KnownPlatforms.TryGetValue(platform!.Trim().ToLowerInvariant(), out spec))
                {
                    throw new FormatException("'" + platform + "' is not a platform IndexTools knows (uv's --python-platform values: "
                        + string.Join(", ", PlatformNames.ToArray()) + ").");
                }

                platformName = spec.Name;
            }

            VersionSpecifierSet? range = null;
            if (!string.IsNullOrWhiteSpace(requiresPython))
            {
                if (!VersionSpecifierSet.TryParse(requiresPython!, out range, out var error) || range is null)
                {
                    throw new FormatException("requires-python '" + requiresPython + "'" + (requiresPythonSource is null ? "" : " (" + requiresPythonSource + ")") + " is not a version specifier: " + error);
                }
            }

            return new TargetEnvironment(python, platformName, spec, range, range is null ? null : requiresPython!.Trim(), Describe(python, spec, requiresPython, requiresPythonSource));
        }

        /// <summary>The target of names given directly with neither -PythonVersion nor -Platform.</summary>
        public static TargetEnvironment Universal { get; } = Create(null, null);

        /// <summary>
        /// uv's requires-python check (RequiresPython::is_contained_by): the target's lower bound — its version, else the lower
        /// bound of its requires-python — is not below the lower bound of the file's requires-python. Upper bounds are not
        /// compared (uv reads <c>&lt;3.10</c> as no lower bound). A target without any lower bound accepts every file.
        /// </summary>
        public bool UvRequiresPythonCompatible(VersionSpecifierSet fileRequiresPython)
        {
            var target = LowerBound();
            if (target is null)
            {
                return true;
            }

            var (lower, inclusive) = LowerBoundOf(fileRequiresPython);
            if (lower is null)
            {
                return true;
            }

            var compared = target.CompareTo(lower);
            return compared > 0 || (compared == 0 && inclusive);
        }

        /// <summary>The lower bound a specifier set puts on versions (>=, >, ==, ~=, ===), with whether it is inclusive; null when none.</summary>
        internal static (Pep440Version? Lower, bool Inclusive) LowerBoundOf(VersionSpecifierSet set)
        {
            Pep440Version? lowest = null;
            var inclusive = true;
            foreach (var specifier in set.Specifiers)
            {
                var text = specifier.Version.EndsWith(".*", StringComparison.Ordinal) ? specifier.Version.Substring(0, specifier.Version.Length - 2) : specifier.Version;
                if (!Pep440Version.TryParse(text, out var v) || v is null)
                {
                    continue;
                }

                bool thisInclusive;
                switch (specifier.Operator)
                {
                    case ">=":
                    case "==":
                    case "~=":
                    case "===":
                        thisInclusive = true;
                        break;
                    case ">":
                        thisInclusive = false;
                        break;
                    default:
                        continue;
                }

                var compared = lowest is null ? 1 : v.CompareTo(lowest);
                if (compared > 0 || (compared == 0 && !thisInclusive))
                {
                    lowest = v;
                    inclusive = thisInclusive;
                }
            }

            return (lowest, inclusive);
        }

        /// <summary>The lowest Python the target admits: its version, else the lower bound of its requires-python, else null.</summary>
        public Pep440Version? LowerBound()
        {
            if (Python is not null)
            {
                return Python;
            }

            if (RequiresPython is null)
            {
                return null;
            }

            Pep440Version? lowest = null;
            foreach (var specifier in RequiresPython.Specifiers)
            {
                if ((specifier.Operator == ">=" || specifier.Operator == "==" || specifier.Operator == "~=" || specifier.Operator == ">")
                    && Pep440Version.TryParse(specifier.Version.Replace(".*", ""), out var v) && v is not null)
                {
                    if (lowest is null || v.CompareTo(lowest) > 0)
                    {
                        lowest = v;
                    }
                }
            }

            return lowest;
        }

        /// <summary>
        /// How well a wheel fits: its best (lowest) rank in <see cref="Tags"/>, or -1 when no tag fits. Without a Python version
        /// only the platform tags are compared; without a platform every wheel fits (rank 0) — see <see cref="PythonTagProblem"/>
        /// for uv's check of a universal target.
        /// </summary>
        public int TagRank(DistributionFilename wheel)
        {
            if (wheel.Kind != SimpleApi.DistributionKind.Wheel)
            {
                return 0;
            }

            if (_platformTags is null)
            {
                return 0;
            }

            if (Python is null)
            {
                foreach (var p in wheel.PlatformTags)
                {
                    if (p == "any" || _platformTags.Contains(p))
                    {
                        return 0;
                    }
                }

                return -1;
            }

            var best = -1;
            foreach (var py in wheel.PythonTags)
            {
                foreach (var abi in wheel.AbiTags)
                {
                    foreach (var plat in wheel.PlatformTags)
                    {
                        if (_tagRank.TryGetValue(py + "-" + abi + "-" + plat, out var rank) && (best < 0 || rank < best))
                        {
                            best = rank;
                        }
                    }
                }
            }

            return best;
        }

        /// <summary>
        /// Why a wheel does not fit the target, in a few words ("cp313 wheels only", "win_amd64 only"), or null when it fits.
        /// A universal target rejects only wheels whose CPython ABI is older than the lowest Python it admits (uv's
        /// <c>RequiresPython::matches_wheel_tag</c>, which looks at the ABI tag's version).
        /// </summary>
        public string? WheelProblem(DistributionFilename wheel)
        {
            if (wheel.Kind != SimpleApi.DistributionKind.Wheel)
            {
                return null;
            }

            if (_platformTags is not null)
            {
                if (TagRank(wheel) >= 0)
                {
                    return null;
                }

                var platformFits = wheel.PlatformTags.Any(p => p == "any" || _platformTags.Contains(p));
                return platformFits
                    ? string.Join(".", wheel.PythonTags.ToArray()) + "-" + string.Join(".", wheel.AbiTags.ToArray())
                    : string.Join(".", wheel.PlatformTags.ToArray());
            }

            return PythonTagProblem(wheel);
        }

        /// <summary>
        /// uv's check of a wheel against a target without tags (<c>RequiresPython::matches_wheel_tag</c>): a stable-ABI
        /// wheel fits; a CPython ABI (cpXY) fits when X.Y lies within the admitted range (lower bound: the target's version
        /// or requires-python; upper bound: requires-python's); an ABI-less wheel fits unless it is Python 2 only, a pyXY
        /// above the upper bound, or a cpXY outside the range. Null when the wheel fits, else the tags that do not.
        /// </summary>
        public string? PythonTagProblem(DistributionFilename wheel)
        {
            var (lower, upper, upperInclusive) = Bounds();
            bool AboveUpper(int major, int minor) =>
                upper is not null && (major > upper.Value.Major || (major == upper.Value.Major && (upperInclusive ? minor > upper.Value.Minor : minor >= upper.Value.Minor)));
            bool BelowLower(int major, int minor) =>
                lower is not null && (major < lower.Value.Major || (major == lower.Value.Major && minor < lower.Value.Minor));

            foreach (var abi in wheel.AbiTags)
            {
                if (abi == "abi3" || abi == "abi3t")
                {
                    return null;
                }

                if (abi == "none")
                {
                    foreach (var py in wheel.PythonTags)
                    {
                        if (!TryPythonTag(py, out var family, out var major, out var minor))
                        {
                            return null; // unknown tags are allowed
                        }

                        if (major == 2)
                        {
                            continue;
                        }

                        if (family == "py")
                        {
                            if (minor < 0 || !AboveUpper(major, minor))
                            {
                                return null;
                            }

                            continue;
                        }

                        if (minor >= 0 && !BelowLower(major, minor) && !AboveUpper(major, minor))
                        {
                            return null;
                        }
                    }

                    continue;
                }

                if (TryPythonTag(abi, out var abiFamily, out var abiMajor, out var abiMinor) && abiFamily != "py")
                {
                    if (abiMajor == 2 || abiMinor < 0)
                    {
                        continue;
                    }

                    if (!BelowLower(abiMajor, abiMinor) && !AboveUpper(abiMajor, abiMinor))
                    {
                        return null;
                    }

                    continue;
                }

                return null; // unknown ABI tags are allowed
            }

            return string.Join(".", wheel.PythonTags.ToArray()) + "-" + string.Join(".", wheel.AbiTags.ToArray());
        }

        /// <summary>The major.minor range the target admits: lower (inclusive) and upper with its inclusiveness; nulls when open.</summary>
        internal ((int Major, int Minor)? Lower, (int Major, int Minor)? Upper, bool UpperInclusive) Bounds()
        {
            (int, int)? lower = Python is not null ? MajorMinor(Python) : ((int, int)?)null;
            (int Major, int Minor)? upper = null;
            var inclusive = false;
            if (RequiresPython is not null)
            {
                foreach (var specifier in RequiresPython.Specifiers)
                {
                    var text = specifier.Version.EndsWith(".*", StringComparison.Ordinal) ? specifier.Version.Substring(0, specifier.Version.Length - 2) : specifier.Version;
                    if (!Pep440Version.TryParse(text, out var v) || v is null)
                    {
                        continue;
                    }

                    var mm = MajorMinor(v);
                    switch (specifier.Operator)
                    {
                        case ">=":
                        case ">":
                        case "~=":
                            if (Python is null && (lower is null || mm.CompareTo(lower.Value) > 0))
                            {
                                lower = mm;
                            }

                            break;
                        case "==":
                        case "===":
                            if (Python is null && (lower is null || mm.CompareTo(lower.Value) > 0))
                            {
                                lower = mm;
                            }

                            if (upper is null || mm.CompareTo(upper.Value) < 0)
                            {
                                upper = mm;
                                inclusive = true;
                            }

                            break;
                        case "<":
                            // <3.13 excludes 3.13; <3.12.4 still admits 3.12.
                            var exclusive = v.Release.Count > 2 && v.Release.Skip(2).Any(p => p != 0) ? (mm, true) : (mm, false);
                            if (upper is null || exclusive.mm.CompareTo(upper.Value) < 0 || (exclusive.mm.CompareTo(upper.Value) == 0 && !exclusive.Item2))
                            {
                                upper = exclusive.mm;
                                inclusive = exclusive.Item2;
                            }

                            break;
                        case "<=":
                            if (upper is null || mm.CompareTo(upper.Value) < 0)
                            {
                                upper = mm;
                                inclusive = true;
                            }

                            break;
                    }
                }
            }

            return (lower, upper, inclusive);
        }

        public override string ToString() => Description;

        /// <summary>A short name of the target for one-line reasons: "3.11", "3.11 on linux", "universal, requires-python >=3.10".</summary>
        public string ShortName
        {
            get
            {
                var python = Python is not null ? Python.ToString() : RequiresPythonText is not null ? "requires-python " + RequiresPythonText : "any Python";
                return Platform is null ? python + ", universal" : python + " on " + Platform;
            }
        }

        internal static (int Major, int Minor) MajorMinor(Pep440Version version)
        {
            var major = (int)version.Release[0];
            var minor = version.Release.Count > 1 ? (int)version.Release[1] : 0;
            return (major, minor);
        }

        private static string FullVersion(Pep440Version version)
        {
            var parts = version.Release.Take(3).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList();
            while (parts.Count < 3)
            {
                parts.Add("0");
            }

            return string.Join(".", parts.ToArray());
        }

        private static string Describe(Pep440Version? python, PlatformSpec? spec, string? requiresPython, string? requiresPythonSource)
        {
            string pythonText;
            if (python is not null)
            {
                pythonText = "Python " + python;
            }
            else if (!string.IsNullOrWhiteSpace(requiresPython))
            {
                pythonText = "Python " + requiresPython!.Trim() + " (requires-python" + (requiresPythonSource is null ? "" : " of " + requiresPythonSource) + ")";
            }
            else
            {
                pythonText = "any Python (no -PythonVersion; requires-python not checked)";
            }

            var platformText = spec is null
                ? "every platform (universal, as uv lock resolves; no -Platform)"
                : spec.Name + " (" + spec.Tags[0] + ")";
            return pythonText + " on " + platformText;
        }

        /// <summary>Reads a python or ABI tag: its family (py, cp, pp, …), major and minor (-1 when absent: py3).</summary>
        private static bool TryPythonTag(string tag, out string family, out int major, out int minor)
        {
            family = "";
            major = 0;
            minor = -1;
            var letters = 0;
            while (letters < tag.Length && char.IsLetter(tag[letters]))
            {
                letters++;
            }

            var digits = 0;
            while (letters + digits < tag.Length && char.IsDigit(tag[letters + digits]))
            {
                digits++;
            }

            if (letters == 0 || digits == 0)
            {
                return false;
            }

            family = tag.Substring(0, letters);
            major = tag[letters] - '0';
            if (digits > 1)
            {
                minor = int.Parse(tag.Substring(letters + 1, digits - 1), CultureInfo.InvariantCulture);
            }

            return true;
        }

        /// <summary>
        /// The tags a CPython of <paramref name="python"/> accepts on <paramref name="platforms"/>, best first (uv's
        /// <c>Tags::from_env</c> and packaging's <c>cpython_tags</c> + <c>compatible_tags</c>, which agree on the order).
        /// </summary>
        internal static List<string> CompatibleTags((int Major, int Minor) python, IReadOnlyList<string> platforms)
        {
            var (major, minor) = python;
            var cp = "cp" + major.ToString(CultureInfo.InvariantCulture) + minor.ToString(CultureInfo.InvariantCulture);
            var tags = new List<string>(platforms.Count * (2 * minor + 8));
            var abi = major == 3 && minor <= 7 ? cp + "m" : cp;
            foreach (var p in platforms)
            {
                tags.Add(cp + "-" + abi + "-" + p);
            }

            for (var m = minor; m >= 2; m--)
            {
                var interpreter = "cp" + major.ToString(CultureInfo.InvariantCulture) + m.ToString(CultureInfo.InvariantCulture);
                foreach (var p in platforms)
                {
                    tags.Add(interpreter + "-abi3-" + p);
                }

                if (m == minor)
                {
                    foreach (var p in platforms)
                    {
                        tags.Add(interpreter + "-none-" + p);
                    }
                }
            }

            for (var m = minor; m >= 0; m--)
            {
                var py = "py" + major.ToString(CultureInfo.InvariantCulture) + m.ToString(CultureInfo.InvariantCulture);
                foreach (var p in platforms)
                {
                    tags.Add(py + "-none-" + p);
                }

                if (m == minor)
                {
                    foreach (var p in platforms)
                    {
                        tags.Add("py" + major.ToString(CultureInfo.InvariantCulture) + "-none-" + p);
                    }
                }
            }

            tags.Add(cp + "-none-any");
            for (var m = minor; m >= 0; m--)
            {
                tags.Add("py" + major.ToString(CultureInfo.InvariantCulture) + m.ToString(CultureInfo.InvariantCulture) + "-none-any");
                if (m == minor)
                {
                    tags.Add("py" + major.ToString(CultureInfo.InvariantCulture) + "-none-any");
                }
            }

            return tags;
        }

        /// <summary>The platform tags of a manylinux glibc version, best first, with the legacy aliases where PEP 600 puts them, then linux_arch.</summary>
        internal static List<string> ManylinuxTags(string arch, int glibcMinor)
        {
            var minimum = arch == "aarch64" ? 17 : arch == "riscv64" ? 31 : 5;
            var tags = new List<string>();
            for (var m = glibcMinor; m >= minimum; m--)
            {
                tags.Add("manylinux_2_" + m.ToString(CultureInfo.InvariantCulture) + "_" + arch);
                if (m == 17)
                {
                    tags.Add("manylinux2014_" + arch);
                }
                else if (m == 12)
                {
                    tags.Add("manylinux2010_" + arch);
                }
                else if (m == 5)
                {
                    tags.Add("manylinux1_" + arch);
                }
            }

            tags.Add("linux_" + arch);
            return tags;
        }

        /// <summary>macOS platform tags for a deployment target (packaging's mac_platforms, as uv generates them).</summary>
        internal static List<string> MacTags(string arch, int major, int minor)
        {
            var formats = arch == "arm64" ? new[] { "arm64", "universal2" } : new[] { "x86_64", "intel", "fat64", "fat32", "universal2", "universal" };
            var tags = new List<string>();
            if (major == 10)
            {
                for (var m = minor; m >= 4; m--)
                {
                    foreach (var f in formats)
                    {
                        tags.Add("macosx_10_" + m.ToString(CultureInfo.InvariantCulture) + "_" + f);
                    }
                }

                return tags;
            }

            for (var m = major; m >= 11; m--)
            {
                foreach (var f in formats)
                {
                    tags.Add("macosx_" + m.ToString(CultureInfo.InvariantCulture) + "_0_" + f);
                }
            }

            for (var m = 16; m >= 4; m--)
            {
                foreach (var f in arch == "arm64" ? new[] { "universal2" } : formats)
                {
                    tags.Add("macosx_10_" + m.ToString(CultureInfo.InvariantCulture) + "_" + f);
                }
            }

            return tags;
        }

        private static Dictionary<string, PlatformSpec> BuildPlatforms()
        {
            var map = new Dictionary<string, PlatformSpec>(StringComparer.Ordinal);
            void Add(string name, string machine, string kind, IReadOnlyList<string> tags, params string[] aliases)
            {
                var (sys, system, os) = kind switch
                {
                    "windows" => ("win32", "Windows", "nt"),
                    "macos" => ("darwin", "Darwin", "posix"),
                    _ => ("linux", "Linux", "posix"),
                };
                var spec = new PlatformSpec(name, machine, sys, system, os, tags, false);
                map[name] = spec;
                foreach (var alias in aliases)
                {
                    map[alias] = new PlatformSpec(name, machine, sys, system, os, tags, true);
                }
            }

            Add("windows", "x86_64", "windows", new[] { "win_amd64" });
            Add("linux", "x86_64", "linux", ManylinuxTags("x86_64", 28));
            Add("macos", "arm64", "macos", MacTags("arm64", 13, 0));
            Add("x86_64-pc-windows-msvc", "x86_64", "windows", new[] { "win_amd64" }, "x8664-pc-windows-msvc");
            Add("aarch64-pc-windows-msvc", "ARM64", "windows", new[] { "win_arm64" }, "arm64-pc-windows-msvc");
            Add("i686-pc-windows-msvc", "x86", "windows", new[] { "win32" });
            Add("x86_64-unknown-linux-gnu", "x86_64", "linux", ManylinuxTags("x86_64", 28), "x8664-unknown-linux-gnu");
            Add("aarch64-apple-darwin", "arm64", "macos", MacTags("arm64", 13, 0));
            Add("x86_64-apple-darwin", "x86_64", "macos", MacTags("x86_64", 13, 0), "x8664-apple-darwin");
            Add("aarch64-unknown-linux-gnu", "aarch64", "linux", ManylinuxTags("aarch64", 28));
            Add("aarch64-unknown-linux-musl", "aarch64", "linux", MuslTags("aarch64"));
            Add("x86_64-unknown-linux-musl", "x86_64", "linux", MuslTags("x86_64"), "x8664-unknown-linux-musl");
            Add("riscv64-unknown-linux", "riscv64", "linux", ManylinuxTags("riscv64", 39));
            Add("x86_64-manylinux2014", "x86_64", "linux", ManylinuxTags("x86_64", 17), "manylinux2014_x86_64");
            Add("aarch64-manylinux2014", "aarch64", "linux", ManylinuxTags("aarch64", 17), "manylinux2014_aarch64");
            foreach (var arch in new[] { "x86_64", "aarch64" })
            {
                foreach (var glibc in new[] { 17, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40 })
                {
                    var g = glibc.ToString(CultureInfo.InvariantCulture);
                    Add(arch + "-manylinux_2_" + g, arch, "linux", ManylinuxTags(arch, glibc), "manylinux_2_" + g + "_" + arch);
                }
            }

            return map;
        }

        private static List<string> MuslTags(string arch)
        {
            return new List<string> { "musllinux_1_2_" + arch, "musllinux_1_1_" + arch, "musllinux_1_0_" + arch, "linux_" + arch };
        }

        private sealed record PlatformSpec(string Name, string Machine, string SysPlatform, string PlatformSystem, string OsName, IReadOnlyList<string> Tags, bool IsAlias);
    }
}
