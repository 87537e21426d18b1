using System.Globalization;
using System.Text.RegularExpressions;

namespace IndexTools
{
    /// <summary>
    /// A package version on an output object (<c>Version</c> of PackageResolution, LockDrift and StrategyPick,
    /// <c>LatestVersion</c> of IndexVersionSet): it sorts as a PEP 440 version (<c>Sort-Object Version</c> puts 10.0 after
    /// 9.0 and 1.0rc1 before 1.0), compares equal to its text (<c>$r.Version -eq '1.1.0'</c>), and prints and serializes as
    /// the plain string.
    /// <para>Why it derives from <see cref="Uri"/> (a relative reference that holds the text and nothing else): ConvertTo-Json
    /// turns every object into a JSON object of its public properties, whatever JsonConverter or TypeConverter it carries,
    /// except a short list of types it hands to Json.NET unchanged (string, numbers, DateTime, Guid, Uri, ...). Uri is the only
    /// one of those that is not sealed, and Json.NET writes a Uri as its original string. So this is the one type that sorts
    /// as a version and still comes out as <c>"Version": "10.0"</c> from ConvertTo-Json, also after Select-Object and at any
    /// depth. Export-Csv and the views use <see cref="ToString"/>; Export-Clixml writes the string (SerializationMethod
    /// String in IndexTools.Types.ps1xml). It is not meant to be used as a URI.</para>
    /// </summary>
    public sealed class PackageVersion : Uri, IComparable, IComparable<PackageVersion>, IEquatable<PackageVersion>
    {
        // PEP 440's pattern (packaging.version.VERSION_PATTERN), case-insensitive, with leading/trailing whitespace allowed.
        private static readonly Regex Pattern = new Regex(
            @"^\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)"
            + @"(?<pre>[-_\.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_\.]?(?<pre_n>[0-9]+)?)?"
            + @"(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_\.]?(?<post_l>post|rev|r)[-_\.]?(?<post_n2>[0-9]+)?))?"
            + @"(?<dev>[-_\.]?(?<dev_l>dev)[-_\.]?(?<dev_n>[0-9]+)?)?)"
            + @"(?:\+(?<local>[a-z0-9]+(?:[-_\.][a-z0-9]+)*))?\s*$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

        private readonly string _text;
        private readonly Key? _key;

        public PackageVersion(string text)
            : base(AsRelativeReference(text), UriKind.Relative)
        {
            _text = text;
            _key = Key.Parse(text);
        }

        /// <summary>The version as written (what prints and serializes).</summary>
        public string Text => _text;

        /// <summary>True when the text is a valid PEP 440 version (an invalid one sorts before every valid one, by its text).</summary>
        public bool IsValid => _key is not null;

        /// <summary>True for a pre-release or development release (PEP 440).</summary>
        public bool IsPreRelease => _key is not null && (_key.Pre is not null || _key.Dev is not null);

        /// <summary>Parses a version text (any text: an invalid one still prints as written).</summary>
        public static PackageVersion Parse(string text) => new PackageVersion(text ?? throw new ArgumentNullException(nameof(text)));

        /// <summary>Null for null, else the version of <paramref name="text"/>: lets the engine assign version strings.</summary>
        public static implicit operator PackageVersion?(string? text) => text is null ? null : new PackageVersion(text);

        public static bool operator ==(PackageVersion? left, PackageVersion? right) => left is null ? right is null : left.Equals(right);

        public static bool operator !=(PackageVersion? left, PackageVersion? right) => !(left == right);

        public static bool operator <(PackageVersion? left, PackageVersion? right) => Compare(left, right) < 0;

        public static bool operator >(PackageVersion? left, PackageVersion? right) => Compare(left, right) > 0;

        public static bool operator <=(PackageVersion? left, PackageVersion? right) => Compare(left, right) <= 0;

        public static bool operator >=(PackageVersion? left, PackageVersion? right) => Compare(left, right) >= 0;

        public override string ToString() => _text;

        public int CompareTo(PackageVersion? other) => other is null ? 1 : Compare(this, other);

        /// <summary>Compares with another version, or with a version text (PowerShell's -lt/-gt with a string).</summary>
        public int CompareTo(object? obj)
        {
            switch (obj)
            {
                case null:
                    return 1;
                case PackageVersion version:
                    return CompareTo(version);
                case string text:
                    return CompareTo(new PackageVersion(text));
                default:
                    throw new ArgumentException("A PackageVersion compares with a PackageVersion or a version string.", nameof(obj));
            }
        }

        /// <summary>PEP 440 equality (1.0 equals 1.0.0); invalid versions are equal when their texts are.</summary>
        public bool Equals(PackageVersion? other) => other is not null && Compare(this, other) == 0;

        /// <summary>Equal to an equal version, or to a string that is an equal version (so <c>$r.Version -eq '1.1.0'</c> holds).</summary>
        public override bool Equals(object? comparand)
        {
            switch (comparand)
            {
                case PackageVersion version:
                    return Equals(version);
                case string text:
                    return Equals(new PackageVersion(text));
                default:
                    return false;
            }
        }

        public override int GetHashCode() => _key?.GetHashCode() ?? StringComparer.Ordinal.GetHashCode(_text);

        private static int Compare(PackageVersion? a, PackageVersion? b)
        {
            if (ReferenceEquals(a, b))
            {
                return 0;
            }

            if (a is null)
            {
                return -1;
            }

            if (b is null)
            {
                return 1;
            }

            if (a._key is null || b._key is null)
            {
                return a._key is null && b._key is null
                    ? string.CompareOrdinal(a._text, b._text)
                    : a._key is null ? -1 : 1;
            }

            return a._key.CompareTo(b._key);
        }

        /// <summary>A version never has ':', the one character that could make the text an absolute URI; escaped all the same.</summary>
        private static string AsRelativeReference(string text)
        {
            return (text ?? throw new ArgumentNullException(nameof(text))).Replace("%", "%25").Replace(":", "%3A");
        }

        /// <summary>PEP 440's sort key (packaging's _cmpkey): epoch, release without trailing zeros, pre, post, dev, local.</summary>
        private sealed class Key : IComparable<Key>
        {
            private Key(long epoch, long[] release, (int Rank, long Number)? pre, long? post, long? dev, string[]? local)
            {
                Epoch = epoch;
                Release = release;
                Pre = pre;
                Post = post;
                Dev = dev;
                Local = local;
            }

            internal long Epoch { get; }

            internal long[] Release { get; }

            internal (int Rank, long Number)? Pre { get; }

            internal long? Post { get; }

            internal long? Dev { get; }

            internal string[]? Local { get; }

            internal static Key? Parse(string text)
            {
                var match = Pattern.Match(text);
                if (!match.Success)
                {
                    return null;
                }

                try
                {
                    var epoch = match.Groups["epoch"].Success ? long.Parse(match.Groups["epoch"].Value, CultureInfo.InvariantCulture) : 0;
                    var release = new List<long>();
                    foreach (var part in match.Groups["release"].Value.Split('.'))
                    {
                        release.Add(long.Parse(part, CultureInfo.InvariantCulture));
                    }

                    while (release.Count > 1 && release[release.Count - 1] == 0)
                    {
                        release.RemoveAt(release.Count - 1);
                    }

                    (int, long)? pre = null;
                    if (match.Groups["pre"].Success)
                    {
                        var letter = match.Groups["pre_l"].Value.ToLowerInvariant();
                        var rank = letter == "a" || letter == "alpha" ? 0 : letter == "b" || letter == "beta" ? 1 : 2;
                        pre = (rank, Number(match.Groups["pre_n"]));
                    }

                    long? post = null;
                    if (match.Groups["post"].Success)
                    {
                        post = match.Groups["post_n1"].Success ? Number(match.Groups["post_n1"]) : Number(match.Groups["post_n2"]);
                    }

                    long? dev = match.Groups["dev"].Success ? Number(match.Groups["dev_n"]) : (long?)null;
                    var local = match.Groups["local"].Success ? match.Groups["local"].Value.ToLowerInvariant().Split('-', '_', '.') : null;
                    return new Key(epoch, release.ToArray(), pre, post, dev, local);
                }
                catch (OverflowException)
                {
                    return null;
                }
            }

            private static long Number(Group group) => group.Success ? long.Parse(group.Value, CultureInfo.InvariantCulture) : 0;

            public int CompareTo(Key? other)
            {
                if (other is null)
                {
                    return 1;
                }

                var c = Epoch.CompareTo(other.Epoch);
                if (c != 0)
                {
                    return c;
                }

                for (var i = 0; i < Math.Max(Release.Length, other.Release.Length); i++)
                {
                    c = (i < Release.Length ? Release[i] : 0).CompareTo(i < other.Release.Length ? other.Release[i] : 0);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                c = PreRank().CompareTo(other.PreRank());
                if (c != 0)
                {
                    return c;
                }

                c = (Post ?? -1).CompareTo(other.Post ?? -1);
                if (c != 0)
                {
                    return c;
                }

                c = (Dev ?? long.MaxValue).CompareTo(other.Dev ?? long.MaxValue);
                if (c != 0)
                {
                    return c;
                }

                return CompareLocal(Local, other.Local);
            }

            /// <summary>A dev release without pre or post sorts before every pre-release; no pre-release sorts after them.</summary>
            private (int, long) PreRank()
            {
                if (Pre is null && Post is null && Dev is not null)
                {
                    return (-1, 0);
                }

                return Pre is null ? (3, 0) : (Pre.Value.Rank, Pre.Value.Number);
            }

            private static int CompareLocal(string[]? a, string[]? b)
            {
                if (a is null || b is null)
                {
                    return a is null ? (b is null ? 0 : -1) : 1;
                }

                for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
                {
                    var aNumeric = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var an);
                    var bNumeric = long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var bn);
                    int c;
                    if (aNumeric && bNumeric)
                    {
                        c = an.CompareTo(bn);
                    }
                    else if (aNumeric != bNumeric)
                    {
                        c = aNumeric ? 1 : -1; // a numeric segment sorts after an alphanumeric one
                    }
                    else
                    {
                        c = string.CompareOrdinal(a[i], b[i]);
                    }

                    if (c != 0)
                    {
                        return c;
                    }
                }

                return a.Length.CompareTo(b.Length);
            }

            public override int GetHashCode()
            {
                unchecked
                {
                    var hash = Epoch.GetHashCode();
                    foreach (var part in Release)
                    {
                        hash = (hash * 31) + part.GetHashCode();
                    }

                    hash = (hash * 31) + PreRank().GetHashCode();
                    hash = (hash * 31) + (Post ?? -1).GetHashCode();
                    hash = (hash * 31) + (Dev ?? long.MaxValue).GetHashCode();
                    if (Local is not null)
                    {
                        foreach (var part in Local)
                        {
                            hash = (hash * 31) + (long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n.GetHashCode() : StringComparer.Ordinal.GetHashCode(part));
                        }
                    }

                    return hash;
                }
            }
        }
    }
}
