namespace IndexTools.Engine.Versions
{
    /// <summary>
    /// One PEP 440 version specifier clause: <c>~=</c>, <c>==</c>, <c>!=</c>, <c>&lt;=</c>, <c>&gt;=</c>, <c>&lt;</c>,
    /// <c>&gt;</c> or <c>===</c>; <c>==</c> and <c>!=</c> also take a release prefix with <c>.*</c> or a local version.
    /// </summary>
    /// <remarks>
    /// <see cref="Contains"/> answers the range question only; pre-release policy is applied by
    /// <see cref="VersionSpecifierSet"/>. The ranges are those of PEP 440 as packaging 26 and uv implement them.
    /// </remarks>
    public sealed class VersionSpecifier
    {
        private readonly Pep440Version? _version;
        private readonly Pep440Version? _strictLower; // '<': the exclusive upper bound actually used
        private readonly Pep440Version? _compatibleUpper; // '~=': exclusive upper bound
        private readonly bool _wildcard;

        private VersionSpecifier(string op, string versionText, Pep440Version? version, bool wildcard)
        {
            Operator = op;
            Version = versionText;
            _version = version;
            _wildcard = wildcard;
            if (version != null && op == "<")
            {
                // "<V" must not match pre-releases of V unless V is one: the bound is V.dev0.
                _strictLower = version.IsPreRelease ? version : version.WithDev(0);
            }

            if (version != null && op == "~=")
            {
                _compatibleUpper = NextPrefixDev0(version, version.ReleaseLength - 1);
            }

            // Explicit pre-release requests: every operator but the exclusions, when its version is a pre-release
            // (uv: crates/uv-resolver/src/prerelease.rs contains_prerelease; packaging 26: Specifier.prereleases).
            IncludesPreRelease = op != "!=" && !wildcard && version != null && version.IsPreRelease;
        }

        /// <summary>The operator as written: <c>~=</c>, <c>==</c>, <c>!=</c>, <c>&lt;=</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&gt;</c>, <c>===</c>.</summary>
        public string Operator { get; }

        /// <summary>The version as written, trimmed, including a trailing <c>.*</c> (packaging's <c>Specifier.version</c>).</summary>
        public string Version { get; }

        /// <summary>The parsed version (without <c>.*</c>); null only for <c>===</c> with a text that is not PEP 440.</summary>
        public Pep440Version? ParsedVersion => _version;

        /// <summary>A <c>==V.*</c> or <c>!=V.*</c> prefix match.</summary>
        public bool IsWildcard => _wildcard;

        /// <summary>True when the clause names a pre-release (or dev release) with any operator but <c>!=</c>.</summary>
        public bool IncludesPreRelease { get; }

        /// <summary>Parses one clause; a <see cref="FormatException"/> naming the text and what is wrong.</summary>
        public static VersionSpecifier Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (!TryParse(text, out var specifier, out var error))
            {
                throw new FormatException($"Invalid version specifier '{text}': {error}");
            }

            return specifier!;
        }

        public static bool TryParse(string text, out VersionSpecifier? specifier, out string? error)
        {
            specifier = null;
            error = null;
            if (text is null)
            {
                error = "no text";
                return false;
            }

            var s = text.Trim();
            string op;
            if (s.StartsWith("===", StringComparison.Ordinal))
            {
                op = "===";
            }
            else if (s.StartsWith("~=", StringComparison.Ordinal) || s.StartsWith("==", StringComparison.Ordinal)
                || s.StartsWith("!=", StringComparison.Ordinal) || s.StartsWith("<=", StringComparison.Ordinal)
                || s.StartsWith(">=", StringComparison.Ordinal))
            {
                op = s.Substring(0, 2);
            }
            else if (s.StartsWith("<", StringComparison.Ordinal) || s.StartsWith(">", StringComparison.Ordinal))
            {
                op = s.Substring(0, 1);
            }
            else
            {
                error = s.Length == 0
                    ? "it is empty"
                    : "it must start with an operator (~=, ==, !=, <=, >=, <, >, ===)";
                return false;
            }

            var versionText = s.Substring(op.Length).Trim();
            if (versionText.Length == 0)
            {
                error = $"no version after '{op}'";
                return false;
            }

            foreach (var c in versionText)
            {
                if (char.IsWhiteSpace(c))
                {
                    error = $"'{versionText}' contains whitespace";
                    return false;
                }
            }

            if (op == "===")
            {
                // Arbitrary equality: any text without whitespace; it need not be PEP 440.
                Pep440Version.TryParse(versionText, out var arbitrary);
                specifier = new VersionSpecifier(op, versionText, arbitrary, wildcard: false);
                return true;
            }

            var wildcard = versionText.EndsWith(".*", StringComparison.Ordinal);
            var core = wildcard ? versionText.Substring(0, versionText.Length - 2) : versionText;
            if (!Pep440Version.TryParse(core, out var version))
            {
                error = $"'{core}' is not a valid PEP 440 version";
                return false;
            }

            if (wildcard)
            {
                if (op != "==" && op != "!=")
                {
                    error = $"the '.*' suffix is only allowed with == and !=, not with '{op}'";
                    return false;
                }

                if (version!.PreLabel != null || version.IsPostRelease || version.IsDevRelease || version.IsLocal)
                {
                    error = "a '.*' prefix may only contain an epoch and a release segment";
                    return false;
                }
            }
            else if (version!.IsLocal && op != "==" && op != "!=")
            {
                error = $"a local version label is only allowed with == and !=, not with '{op}'";
                return false;
            }

            if (op == "~=" && version.ReleaseLength < 2)
            {
                error = "'~=' needs a release segment with at least two parts (e.g. ~=2.2)";
                return false;
            }

            if (op == "~=" && version.ReleaseAt(version.ReleaseLength - 2) == long.MaxValue)
            {
                error = "the release number is too large";
                return false;
            }

            specifier = new VersionSpecifier(op, versionText, version, wildcard);
            return true;
        }

        /// <summary>
        /// Whether <paramref name="version"/> lies in this clause's range (PEP 440 rules for local versions,
        /// <c>&lt;V</c> pre-releases and <c>&gt;V</c> post-releases). Pre-release policy is not applied here.
        /// </summary>
        public bool Contains(Pep440Version version)
        {
            if (version is null)
            {
                throw new ArgumentNullException(nameof(version));
            }

            if (Operator == "===")
            {
                // Arbitrary equality compares the text, case-insensitively, with the normalized version.
                return string.Equals(version.ToString(), Version, StringComparison.OrdinalIgnoreCase);
            }

            var v = _version!;
            switch (Operator)
            {
                case "==":
                    return _wildcard ? PrefixMatches(version, v) : EqualsSpec(version, v);
                case "!=":
                    return _wildcard ? !PrefixMatches(version, v) : !EqualsSpec(version, v);
                case ">=":
                    return version.CompareTo(v) >= 0;
                case "<=":
                    return version.ComparePublic(v) <= 0;
                case "<":
                    return version.CompareTo(_strictLower!) < 0;
                case ">":
                    return GreaterThan(version, v);
                case "~=":
                    return version.CompareTo(v) >= 0 && version.CompareTo(_compatibleUpper!) < 0;
                default:
                    return false;
            }
        }

        public override string ToString() => Operator + Version;

        private static bool EqualsSpec(Pep440Version candidate, Pep440Version spec) =>
            spec.IsLocal ? candidate.CompareTo(spec) == 0 : candidate.ComparePublic(spec) == 0;

        private static bool PrefixMatches(Pep440Version candidate, Pep440Version prefix)
        {
            if (candidate.Epoch != prefix.Epoch)
            {
                return false;
            }

            for (var k = 0; k < prefix.ReleaseLength; k++)
            {
                if (candidate.ReleaseAt(k) != prefix.ReleaseAt(k))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool GreaterThan(Pep440Version candidate, Pep440Version spec)
        {
            if (spec.IsDevRelease)
            {
                // ">V.devN": the next version is V.dev(N+1); V.devN+local does not match.
                return candidate.ComparePublic(spec) > 0;
            }

            if (spec.IsPostRelease)
            {
                // ">V.postN": V.postN+local does not match.
                return candidate.ComparePublic(spec) > 0;
            }

            // ">V" (final or pre-release V): not V, not V+local, not any V.postN (with its dev releases and locals).
            if (candidate.ComparePublic(spec) <= 0)
            {
                return false;
            }

            if (candidate.Epoch == spec.Epoch && candidate.CompareRelease(spec) == 0
                && candidate.PreLabel == spec.PreLabel && candidate.PreNumber == spec.PreNumber)
            {
                // Same release and pre-release: what is above V there is a post-release of V (or V+local).
                return false;
            }

            return true;
        }

        private static Pep440Version NextPrefixDev0(Pep440Version version, int prefixLength)
        {
            var text = new System.Text.StringBuilder();
            if (version.Epoch != 0)
            {
                text.Append(version.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('!');
            }

            for (var k = 0; k < prefixLength; k++)
            {
                if (k > 0)
                {
                    text.Append('.');
                }

                var part = version.ReleaseAt(k);
                text.Append((k == prefixLength - 1 ? part + 1 : part).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            text.Append(".dev0");
            return Pep440Version.Parse(text.ToString());
        }
    }
}
