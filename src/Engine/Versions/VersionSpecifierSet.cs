using System.Text;

namespace IndexTools.Engine.Versions
{
    /// <summary>A comma-separated set of version specifiers (all must match); the empty set matches every version.</summary>
    public sealed class VersionSpecifierSet
    {
        private static readonly VersionSpecifier[] NoSpecifiers = new VersionSpecifier[0];

        private readonly VersionSpecifier[] _specifiers;

        private VersionSpecifierSet(VersionSpecifier[] specifiers)
        {
            _specifiers = specifiers;
            foreach (var specifier in specifiers)
            {
                if (specifier.IncludesPreRelease)
                {
                    IncludesPreRelease = true;
                }
            }
        }

        /// <summary>The empty set: any version.</summary>
        public static VersionSpecifierSet Any { get; } = new VersionSpecifierSet(NoSpecifiers);

        public bool IsEmpty => _specifiers.Length == 0;

        public IReadOnlyList<VersionSpecifier> Specifiers => _specifiers;

        /// <summary>Some clause names a pre-release (so pre-releases are allowed by default).</summary>
        public bool IncludesPreRelease { get; }

        /// <summary>
        /// Parses <c>&gt;=2,&lt;3</c>; empty or whitespace text is <see cref="Any"/>. Empty items between commas are
        /// skipped, as packaging does. A <see cref="FormatException"/> names the text and the clause that is wrong.
        /// </summary>
        public static VersionSpecifierSet Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (!TryParse(text, out var set, out var error))
            {
                throw new FormatException(error);
            }

            return set!;
        }

        public static bool TryParse(string text, out VersionSpecifierSet? set, out string? error)
        {
            set = null;
            error = null;
            if (text is null)
            {
                error = "Invalid version specifiers: no text.";
                return false;
            }

            if (text.Trim().Length == 0)
            {
                set = Any;
                return true;
            }

            var parts = text.Split(',');
            var specifiers = new List<VersionSpecifier>(parts.Length);
            foreach (var part in parts)
            {
                if (part.Trim().Length == 0)
                {
                    continue;
                }

                if (!VersionSpecifier.TryParse(part, out var specifier, out var clauseError))
                {
                    error = $"Invalid version specifiers '{text}': '{part.Trim()}' is not valid: {clauseError}.";
                    return false;
                }

                specifiers.Add(specifier!);
            }

            set = specifiers.Count == 0 ? Any : new VersionSpecifierSet(specifiers.ToArray());
            return true;
        }

        /// <summary>
        /// Whether every clause contains <paramref name="version"/>. Pre-releases (and dev releases) are excluded
        /// unless <paramref name="allowPreReleases"/> is true, or it is null and a clause names a pre-release
        /// (packaging's <c>SpecifierSet.contains</c> before 26.0, which is what pip applies to one version).
        /// </summary>
        public bool Contains(Pep440Version version, bool? allowPreReleases = null)
        {
            if (version is null)
            {
                throw new ArgumentNullException(nameof(version));
            }

            if (version.IsPreRelease && !(allowPreReleases ?? IncludesPreRelease))
            {
                return false;
            }

            return MatchesAll(version);
        }

        /// <summary>
        /// The versions that match, in input order, like packaging's <c>SpecifierSet.filter</c>: with
        /// <paramref name="allowPreReleases"/> null, pre-releases are kept when a clause names one, otherwise they are
        /// returned only when no final release matches; true keeps them, false drops them.
        /// </summary>
        public IEnumerable<Pep440Version> Filter(IEnumerable<Pep440Version> versions, bool? allowPreReleases = null)
        {
            if (versions is null)
            {
                throw new ArgumentNullException(nameof(versions));
            }

            return FilterIterator(versions, allowPreReleases ?? (IncludesPreRelease ? true : (bool?)null));
        }

        private IEnumerable<Pep440Version> FilterIterator(IEnumerable<Pep440Version> versions, bool? allow)
        {
            List<Pep440Version>? preReleases = null;
            var finalFound = false;
            foreach (var version in versions)
            {
                if (version is null || !MatchesAll(version))
                {
                    continue;
                }

                if (!version.IsPreRelease || allow == true)
                {
                    finalFound = true;
                    yield return version;
                }
                else if (allow == null && !finalFound)
                {
                    (preReleases ??= new List<Pep440Version>()).Add(version);
                }
            }

            if (!finalFound && preReleases != null)
            {
                foreach (var version in preReleases)
                {
                    yield return version;
                }
            }
        }

        private bool MatchesAll(Pep440Version version)
        {
            foreach (var specifier in _specifiers)
            {
                if (!specifier.Contains(version))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The clauses in their given order, joined with ','; the empty set prints as "".</summary>
        public override string ToString()
        {
            if (_specifiers.Length == 0)
            {
                return string.Empty;
            }

            var builder = new StringBuilder();
            for (var k = 0; k < _specifiers.Length; k++)
            {
                if (k > 0)
                {
                    builder.Append(',');
                }

                builder.Append(_specifiers[k].Operator).Append(_specifiers[k].Version);
            }

            return builder.ToString();
        }
    }
}
