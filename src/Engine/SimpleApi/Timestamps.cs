namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// RFC 3339 / ISO 8601 timestamps as PEP 700 <c>upload-time</c> uses them: a date, <c>T</c> (or <c>t</c> or a space),
    /// a time with optional seconds and fraction, and a required offset (<c>Z</c>, <c>±hh:mm</c>, <c>±hhmm</c> or <c>±hh</c>).
    /// uv (jiff's Timestamp) refuses a time without an offset, so this does too.
    /// </summary>
    internal static class Timestamps
    {
        internal static bool TryParse(ReadOnlySpan<char> s, out DateTimeOffset value)
        {
            value = default;
            var p = 0;
            if (!Digits(s, ref p, 4, out var year) || !Expect(s, ref p, '-') || !Digits(s, ref p, 2, out var month)
                || !Expect(s, ref p, '-') || !Digits(s, ref p, 2, out var day))
            {
                return false;
            }

            if (p >= s.Length || (s[p] != 'T' && s[p] != 't' && s[p] != ' '))
            {
                return false;
            }

            p++;
            if (!Digits(s, ref p, 2, out var hour) || !Expect(s, ref p, ':') || !Digits(s, ref p, 2, out var minute))
            {
                return false;
            }

            var second = 0;
            long ticks = 0;
            if (p < s.Length && s[p] == ':')
            {
                p++;
                if (!Digits(s, ref p, 2, out second))
                {
                    return false;
                }

                if (p < s.Length && (s[p] == '.' || s[p] == ','))
                {
                    p++;
                    var digits = 0;
                    long scale = TimeSpan.TicksPerSecond;
                    while (p < s.Length && s[p] >= '0' && s[p] <= '9')
                    {
                        if (digits < 7)
                        {
                            scale /= 10;
                            ticks += (s[p] - '0') * scale;
                        }

                        digits++;
                        p++;
                    }

                    if (digits == 0 || digits > 9)
                    {
                        return false;
                    }
                }
            }

            if (p >= s.Length)
            {
                return false;
            }

            TimeSpan offset;
            if (s[p] == 'Z' || s[p] == 'z')
            {
                offset = TimeSpan.Zero;
                p++;
            }
            else if (s[p] == '+' || s[p] == '-')
            {
                var negative = s[p] == '-';
                p++;
                if (!Digits(s, ref p, 2, out var offsetHours))
                {
                    return false;
                }

                var offsetMinutes = 0;
                if (p < s.Length)
                {
                    if (s[p] == ':')
                    {
                        p++;
                    }

                    if (!Digits(s, ref p, 2, out offsetMinutes))
                    {
                        return false;
                    }
                }

                if (offsetHours > 14 || offsetMinutes > 59)
                {
                    return false;
                }

                offset = new TimeSpan(offsetHours, offsetMinutes, 0);
                if (negative)
                {
                    offset = offset.Negate();
                }
            }
            else
            {
                return false;
            }

            if (p != s.Length || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
                || hour > 23 || minute > 59 || second > 60 || year < 1)
            {
                return false;
            }

            try
            {
                // A leap second (:60) is read as the next second, as most parsers do.
                var leap = second == 60 ? 1 : 0;
                value = new DateTimeOffset(year, month, day, hour, minute, second - leap, offset).AddTicks(ticks).AddSeconds(leap);
                return true;
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }

        private static bool Expect(ReadOnlySpan<char> s, ref int p, char c)
        {
            if (p < s.Length && s[p] == c)
            {
                p++;
                return true;
            }

            return false;
        }

        private static bool Digits(ReadOnlySpan<char> s, ref int p, int count, out int value)
        {
            value = 0;
            if (p + count > s.Length)
            {
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                var c = s[p + i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            p += count;
            return true;
        }
    }
}
