using System.Globalization;
using System.Text;

namespace IndexTools.Engine.Versions
{
    /// <summary>
    /// A PEP 440 version: parsed with the PEP 440 normalisation rules (case, leading 'v', separators,
    /// implicit numbers, alternative spellings, whitespace, local versions) and ordered as PEP 440 orders versions.
    /// </summary>
    /// <remarks>
    /// Numbers are 64-bit: a number that does not fit (more than 9,223,372,036,854,775,807) makes the text invalid,
    /// as uv rejects numbers that do not fit its <c>u64</c>. Numeric local segments are compared by value at any length.
    /// </remarks>
    public sealed class Pep440Version : IComparable<Pep440Version>, IEquatable<Pep440Version>, IComparable
    {
        // Pre-release kinds in their PEP 440 order; None sorts after all of them.
        private const byte PreAlpha = 0;
        private const byte PreBeta = 1;
        private const byte PreRc = 2;
        private const byte PreNone = 3;

        private static readonly string[] PreLabels = { "a", "b", "rc" };

        private readonly long[] _release;
        private readonly int _trimmedLength;
        private readonly byte _preKind;
        private readonly long _preNumber;
        private readonly long _post;   // -1: no post segment
        private readonly long _dev;    // -1: no dev segment
        private readonly string? _local; // normalized: lower case, '.' separators, numeric segments without leading zeros
        private string? _text;
        private int _hash;

        private Pep440Version(int epoch, long[] release, byte preKind, long preNumber, long post, long dev, string? local)
        {
            Epoch = epoch;
            _release = release;
            var trimmed = release.Length;
            while (trimmed > 0 && release[trimmed - 1] == 0)
            {
                trimmed--;
            }

            _trimmedLength = trimmed;
            _preKind = preKind;
            _preNumber = preNumber;
            _post = post;
            _dev = dev;
            _local = local;
        }

        /// <summary>The epoch (<c>N!</c>), 0 when absent.</summary>
        public int Epoch { get; }

        /// <summary>The release segment as written (trailing zeros are kept: <c>1.0.0</c> has three parts).</summary>
        public IReadOnlyList<long> Release => _release;

        /// <summary>The normalized pre-release label: <c>a</c>, <c>b</c> or <c>rc</c>; null when this is not a pre-release.</summary>
        public string? PreLabel => _preKind == PreNone ? null : PreLabels[_preKind];

        /// <summary>The pre-release number (an implicit number is 0).</summary>
        public long? PreNumber => _preKind == PreNone ? (long?)null : _preNumber;

        /// <summary>The post-release number (an implicit number is 0, <c>1.0-1</c> is post 1).</summary>
        public long? Post => _post < 0 ? (long?)null : _post;

        /// <summary>The development release number (an implicit number is 0).</summary>
        public long? Dev => _dev < 0 ? (long?)null : _dev;

        /// <summary>The normalized local version label (after '+'), or null.</summary>
        public string? Local => _local;

        /// <summary>A pre-release or a development release (as packaging's <c>is_prerelease</c>).</summary>
        public bool IsPreRelease => _preKind != PreNone || _dev >= 0;

        public bool IsDevRelease => _dev >= 0;

        public bool IsPostRelease => _post >= 0;

        public bool IsLocal => _local != null;

        /// <summary>Epoch and release only (packaging's <c>base_version</c>): <c>1!2.0</c> for <c>1!2.0rc1.post2+x</c>.</summary>
        public Pep440Version BaseVersion =>
            _preKind == PreNone && _post < 0 && _dev < 0 && _local == null
                ? this
                : new Pep440Version(Epoch, _release, PreNone, 0, -1, -1, null);

        /// <summary>This version without its local label (packaging's <c>public</c>).</summary>
        public Pep440Version PublicVersion =>
            _local == null ? this : new Pep440Version(Epoch, _release, _preKind, _preNumber, _post, _dev, null);

        internal int TrimmedReleaseLength => _trimmedLength;

        internal long ReleaseAt(int index) => index < _release.Length ? _release[index] : 0;

        internal int ReleaseLength => _release.Length;

        /// <summary>Parses a version; a <see cref="FormatException"/> naming the text when it is not PEP 440.</summary>
        public static Pep440Version Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (!TryParse(text, out var version))
            {
                throw new FormatException($"'{text}' is not a valid PEP 440 version.");
            }

            return version!;
        }

        public static bool TryParse(string? text, out Pep440Version? version)
        {
            if (text is null)
            {
                version = null;
                return false;
            }

            return TryParse(text.AsSpan(), out version);
        }

        /// <summary>Span overload used by the filename parser (no intermediate strings).</summary>
        public static bool TryParse(ReadOnlySpan<char> text, out Pep440Version? version)
        {
            version = null;
            var start = 0;
            var end = text.Length;
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }

            var s = text.Slice(start, end - start);
            var i = 0;
            if (i < s.Length && (s[i] == 'v' || s[i] == 'V'))
            {
                i++;
            }

            // Epoch or first release number.
            var epoch = 0;
            if (!TryReadNumber(s, ref i, out var first))
            {
                return false;
            }

            if (i < s.Length && s[i] == '!')
            {
                if (first > int.MaxValue)
                {
                    return false;
                }

                epoch = (int)first;
                i++;
                if (!TryReadNumber(s, ref i, out first))
                {
                    return false;
                }
            }

            // Count the release parts first so the array is allocated once.
            var count = 1;
            var probe = i;
            while (probe + 1 < s.Length && s[probe] == '.' && IsDigit(s[probe + 1]))
            {
                count++;
                probe++;
                while (probe < s.Length && IsDigit(s[probe]))
                {
                    probe++;
                }
            }

            var release = new long[count];
            release[0] = first;
            for (var k = 1; k < count; k++)
            {
                i++; // '.'
                if (!TryReadNumber(s, ref i, out release[k]))
                {
                    return false;
                }
            }

            // Pre-release: [._-]? (alpha|a|beta|b|preview|pre|c|rc) [._-]? N?
            var preKind = PreNone;
            long preNumber = 0;
            {
                var j = i;
                SkipSeparator(s, ref j);
                var kind = MatchPreLabel(s, ref j);
                if (kind != PreNone)
                {
                    // A separator after the label stays consumed even without a number ("1.0a.post1"),
                    // as the possessive PEP 440 pattern in packaging does.
                    SkipSeparator(s, ref j);
                    if (j < s.Length && IsDigit(s[j]))
                    {
                        if (!TryReadNumber(s, ref j, out preNumber))
                        {
                            return false;
                        }
                    }

                    preKind = kind;
                    i = j;
                }
            }

            // Post-release: -N | [._-]? (post|rev|r) [._-]? N?
            long post = -1;
            {
                var j = i;
                if (j + 1 < s.Length && s[j] == '-' && IsDigit(s[j + 1]))
                {
                    j++;
                    if (!TryReadNumber(s, ref j, out post))
                    {
                        return false;
                    }

                    i = j;
                }
                else
                {
                    SkipSeparator(s, ref j);
                    if (MatchWord(s, ref j, "post") || MatchWord(s, ref j, "rev") || MatchWord(s, ref j, "r"))
                    {
                        SkipSeparator(s, ref j);
                        if (j < s.Length && IsDigit(s[j]))
                        {
                            if (!TryReadNumber(s, ref j, out post))
                            {
                                return false;
                            }
                        }
                        else
                        {
                            post = 0;
                        }

                        i = j;
                    }
                }
            }

            // Development release: [._-]? dev [._-]? N?
            long dev = -1;
            {
                var j = i;
                SkipSeparator(s, ref j);
                if (MatchWord(s, ref j, "dev"))
                {
                    SkipSeparator(s, ref j);
                    if (j < s.Length && IsDigit(s[j]))
                    {
                        if (!TryReadNumber(s, ref j, out dev))
                        {
                            return false;
                        }
                    }
                    else
                    {
                        dev = 0;
                    }

                    i = j;
                }
            }

            // Local version: + [a-z0-9]+ ([._-][a-z0-9]+)*
            string? local = null;
            if (i < s.Length && s[i] == '+')
            {
                i++;
                if (!TryReadLocal(s, ref i, out local))
                {
                    return false;
                }
            }

            if (i != s.Length)
            {
                return false;
            }

            version = new Pep440Version(epoch, release, preKind, preNumber, post, dev, local);
            return true;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool IsAsciiLetterOrDigit(char c) =>
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        private static void SkipSeparator(ReadOnlySpan<char> s, ref int j)
        {
            if (j < s.Length && (s[j] == '.' || s[j] == '_' || s[j] == '-'))
            {
                j++;
            }
        }

        private static bool StartsWithWord(ReadOnlySpan<char> s, int j, string word)
        {
            if (j + word.Length > s.Length)
            {
                return false;
            }

            for (var k = 0; k < word.Length; k++)
            {
                if (char.ToLowerInvariant(s[j + k]) != word[k])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool MatchWord(ReadOnlySpan<char> s, ref int j, string word)
        {
            if (!StartsWithWord(s, j, word))
            {
                return false;
            }

            j += word.Length;
            return true;
        }

        private static byte MatchPreLabel(ReadOnlySpan<char> s, ref int j)
        {
            // Longest spellings first: "alpha" before "a", "preview" before "pre", "rc" before "c".
            if (MatchWord(s, ref j, "alpha") || MatchWord(s, ref j, "a"))
            {
                return PreAlpha;
            }

            if (MatchWord(s, ref j, "beta") || MatchWord(s, ref j, "b"))
            {
                return PreBeta;
            }

            if (MatchWord(s, ref j, "preview") || MatchWord(s, ref j, "pre") || MatchWord(s, ref j, "rc") || MatchWord(s, ref j, "c"))
            {
                return PreRc;
            }

            return PreNone;
        }

        private static bool TryReadNumber(ReadOnlySpan<char> s, ref int i, out long value)
        {
            value = 0;
            var start = i;
            while (i < s.Length && IsDigit(s[i]))
            {
                var digit = s[i] - '0';
                if (value > (long.MaxValue - digit) / 10)
                {
                    return false;
                }

                value = (value * 10) + digit;
                i++;
            }

            return i > start;
        }

        private static bool TryReadLocal(ReadOnlySpan<char> s, ref int i, out string? local)
        {
            local = null;
            var builder = new StringBuilder(s.Length - i);
            while (true)
            {
                var start = i;
                while (i < s.Length && IsAsciiLetterOrDigit(s[i]))
                {
                    i++;
                }

                if (i == start)
                {
                    return false;
                }

                AppendLocalSegment(builder, s.Slice(start, i - start));
                if (i < s.Length && (s[i] == '.' || s[i] == '_' || s[i] == '-'))
                {
                    builder.Append('.');
                    i++;
                    continue;
                }

                break;
            }

            local = builder.ToString();
            return true;
        }

        private static void AppendLocalSegment(StringBuilder builder, ReadOnlySpan<char> segment)
        {
            var numeric = true;
            foreach (var c in segment)
            {
                if (!IsDigit(c))
                {
                    numeric = false;
                    break;
                }
            }

            if (numeric)
            {
                // Numeric segments compare as integers; leading zeros carry no meaning (packaging prints int(segment)).
                var k = 0;
                while (k < segment.Length - 1 && segment[k] == '0')
                {
                    k++;
                }

                for (; k < segment.Length; k++)
                {
                    builder.Append(segment[k]);
                }

                return;
            }

            foreach (var c in segment)
            {
                builder.Append(c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
            }
        }

        public int CompareTo(Pep440Version? other)
        {
            if (other is null)
            {
                return 1;
            }

            if (ReferenceEquals(this, other))
            {
                return 0;
            }

            var c = ComparePublic(other);
            return c != 0 ? c : CompareLocal(_local, other._local);
        }

        int IComparable.CompareTo(object? obj) =>
            obj is null ? 1 : obj is Pep440Version v ? CompareTo(v) : throw new ArgumentException("Not a Pep440Version.", nameof(obj));

        /// <summary>Compares the public parts only (epoch, release, pre, post, dev), ignoring local labels.</summary>
        internal int ComparePublic(Pep440Version other)
        {
            var c = Epoch.CompareTo(other.Epoch);
            if (c != 0)
            {
                return c;
            }

            c = CompareRelease(other);
            if (c != 0)
            {
                return c;
            }

            // Suffix key as PEP 440 orders it: dev-only releases before pre-releases, pre-releases before the
            // final, post-releases after it; within one of them a dev release comes first.
            c = PreRank().CompareTo(other.PreRank());
            if (c != 0)
            {
                return c;
            }

            c = _preNumber.CompareTo(other._preNumber);
            if (c != 0)
            {
                return c;
            }

            c = _post.CompareTo(other._post); // -1 (no post) sorts first
            if (c != 0)
            {
                return c;
            }

            // A dev release sorts before the same version without one.
            if (_dev < 0 || other._dev < 0)
            {
                return (_dev < 0 ? 1 : 0) - (other._dev < 0 ? 1 : 0);
            }

            return _dev.CompareTo(other._dev);
        }

        /// <summary>Compares release segments, trailing zeros ignored (1.0 == 1.0.0).</summary>
        internal int CompareRelease(Pep440Version other)
        {
            var length = Math.Max(_trimmedLength, other._trimmedLength);
            for (var k = 0; k < length; k++)
            {
                var c = ReleaseAt(k).CompareTo(other.ReleaseAt(k));
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        }

        private int PreRank()
        {
            if (_preKind == PreNone && _post < 0 && _dev >= 0)
            {
                return -1; // 1.0.dev1 sorts before 1.0a1
            }

            return _preKind;
        }

        private static int CompareLocal(string? left, string? right)
        {
            if (left == null || right == null)
            {
                return left == null ? (right == null ? 0 : -1) : 1;
            }

            var i = 0;
            var j = 0;
            while (true)
            {
                if (i >= left.Length || j >= right.Length)
                {
                    // Shorter (fewer segments) sorts first when the common segments are equal.
                    return (i >= left.Length ? 0 : 1) - (j >= right.Length ? 0 : 1);
                }

                var leftEnd = left.IndexOf('.', i);
                if (leftEnd < 0)
                {
                    leftEnd = left.Length;
                }

                var rightEnd = right.IndexOf('.', j);
                if (rightEnd < 0)
                {
                    rightEnd = right.Length;
                }

                var c = CompareLocalSegment(left, i, leftEnd, right, j, rightEnd);
                if (c != 0)
                {
                    return c;
                }

                i = leftEnd + 1;
                j = rightEnd + 1;
            }
        }

        private static int CompareLocalSegment(string left, int ls, int le, string right, int rs, int re)
        {
            var leftLength = le - ls;
            var rightLength = re - rs;
            var leftNumeric = IsNumeric(left, ls, le);
            var rightNumeric = IsNumeric(right, rs, re);
            if (leftNumeric != rightNumeric)
            {
                // Alphanumeric segments sort before numeric ones.
                return leftNumeric ? 1 : -1;
            }

            if (leftNumeric && leftLength != rightLength)
            {
                // Normalized numbers have no leading zeros: the longer one is larger.
                return leftLength.CompareTo(rightLength);
            }

            var c = string.CompareOrdinal(left, ls, right, rs, Math.Min(leftLength, rightLength));
            if (c != 0)
            {
                return c < 0 ? -1 : 1;
            }

            return leftLength.CompareTo(rightLength);
        }

        private static bool IsNumeric(string s, int start, int end)
        {
            for (var k = start; k < end; k++)
            {
                if (!IsDigit(s[k]))
                {
                    return false;
                }
            }

            return true;
        }

        public bool Equals(Pep440Version? other) => other is not null && CompareTo(other) == 0;

        public override bool Equals(object? obj) => obj is Pep440Version v && Equals(v);

        public override int GetHashCode()
        {
            if (_hash != 0)
            {
                return _hash;
            }

            unchecked
            {
                var h = (17 * 31) + Epoch;
                for (var k = 0; k < _trimmedLength; k++)
                {
                    h = (h * 31) + _release[k].GetHashCode();
                }

                h = (h * 31) + PreRank();
                h = (h * 31) + _preNumber.GetHashCode();
                h = (h * 31) + _post.GetHashCode();
                h = (h * 31) + _dev.GetHashCode();
                h = (h * 31) + (_local == null ? 0 : StringComparer.Ordinal.GetHashCode(_local));
                _hash = h == 0 ? 1 : h;
                return _hash;
            }
        }

        public static bool operator ==(Pep440Version? left, Pep440Version? right) =>
            left is null ? right is null : left.Equals(right);

        public static bool operator !=(Pep440Version? left, Pep440Version? right) => !(left == right);

        public static bool operator <(Pep440Version left, Pep440Version right) => left.CompareTo(right) < 0;

        public static bool operator >(Pep440Version left, Pep440Version right) => left.CompareTo(right) > 0;

        public static bool operator <=(Pep440Version left, Pep440Version right) => left.CompareTo(right) <= 0;

        public static bool operator >=(Pep440Version left, Pep440Version right) => left.CompareTo(right) >= 0;

        /// <summary>The normalized form: <c>1.0rc1</c>, <c>1!2.0.post1.dev3+ubuntu.1</c>.</summary>
        public override string ToString()
        {
            if (_text != null)
            {
                return _text;
            }

            var builder = new StringBuilder(16);
            if (Epoch != 0)
            {
                builder.Append(Epoch.ToString(CultureInfo.InvariantCulture)).Append('!');
            }

            for (var k = 0; k < _release.Length; k++)
            {
                if (k > 0)
                {
                    builder.Append('.');
                }

                builder.Append(_release[k].ToString(CultureInfo.InvariantCulture));
            }

            if (_preKind != PreNone)
            {
                builder.Append(PreLabels[_preKind]).Append(_preNumber.ToString(CultureInfo.InvariantCulture));
            }

            if (_post >= 0)
            {
                builder.Append(".post").Append(_post.ToString(CultureInfo.InvariantCulture));
            }

            if (_dev >= 0)
            {
                builder.Append(".dev").Append(_dev.ToString(CultureInfo.InvariantCulture));
            }

            if (_local != null)
            {
                builder.Append('+').Append(_local);
            }

            _text = builder.ToString();
            return _text;
        }

        /// <summary>A copy of this version with a development release number and no local label (internal bound helper).</summary>
        internal Pep440Version WithDev(long dev) => new Pep440Version(Epoch, _release, _preKind, _preNumber, _post, dev, null);
    }
}
