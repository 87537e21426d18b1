using System.Globalization;
using System.Text.RegularExpressions;

namespace IndexTools.Engine.Versions
{
    /// <summary>uv's pre-release modes (crates/uv-resolver/src/prerelease.rs).</summary>
    public enum PrereleaseMode
    {
        /// <summary>Prefer stable versions; take a pre-release only when no stable version matches (uv's default; 0.12's prefer-stable rule).</summary>
        IfNecessary,
        /// <summary>Never a pre-release.</summary>
        Disallow,
        /// <summary>Pre-releases compete with stable versions in plain version order.</summary>
        Allow,
        /// <summary>Prefer-stable for a requirement whose specifier names a pre-release (<c>&gt;=2.0b1</c>), disallow otherwise.</summary>
        Explicit,
        /// <summary>Deprecated alias of if-necessary in uv 0.12.</summary>
        IfNecessaryOrExplicit,
    }

    /// <summary>uv's resolution modes.</summary>
    public enum ResolutionMode
    {
        Highest,
        Lowest,
        /// <summary>Lowest for direct dependencies, highest for the rest. Every requirement IndexTools searches is direct.</summary>
        LowestDirect,
    }

    /// <summary>A setting's value and where it came from (a file:line, an environment variable, a parameter).</summary>
    public sealed class SettingValue<T>
    {
        public SettingValue(T value, string text, string source)
        {
            Value = value;
            Text = text;
            Source = source;
        }

        public T Value { get; }

        /// <summary>The value as written.</summary>
        public string Text { get; }

        public string Source { get; }

        public override string ToString() => Text + " (" + Source + ")";
    }

    /// <summary>uv's candidate selection settings beyond the index strategy: exclude-newer, pre-releases, resolution.</summary>
    public sealed class SelectionPolicy
    {
        /// <summary>The global exclude-newer cutoff (files uploaded at or after it are not candidates); null: none.</summary>
        public SettingValue<DateTimeOffset>? ExcludeNewer { get; set; }

        /// <summary>exclude-newer-package: per-package cutoffs; a null value disables the cutoff for that package (<c>false</c>).</summary>
        public IReadOnlyDictionary<string, SettingValue<DateTimeOffset?>> ExcludeNewerPackage { get; set; } = new Dictionary<string, SettingValue<DateTimeOffset?>>(StringComparer.Ordinal);

        public SettingValue<PrereleaseMode>? Prerelease { get; set; }

        /// <summary>prerelease-package: per-package modes.</summary>
        public IReadOnlyDictionary<string, SettingValue<PrereleaseMode>> PrereleasePackage { get; set; } = new Dictionary<string, SettingValue<PrereleaseMode>>(StringComparer.Ordinal);

        public SettingValue<ResolutionMode>? Resolution { get; set; }

        /// <summary>The mode for a package: prerelease-package, else the global mode, else if-necessary.</summary>
        public PrereleaseMode PrereleaseFor(string normalizedName) => PrereleaseFor(normalizedName, PrereleaseMode.IfNecessary, perPackage: true);

        /// <summary>
        /// The mode for a package: prerelease-package (when <paramref name="perPackage"/>: uv 0.12.1 and later), else the global
        /// mode, else <paramref name="fallback"/> (the release's default).
        /// </summary>
        public PrereleaseMode PrereleaseFor(string normalizedName, PrereleaseMode fallback, bool perPackage) =>
            perPackage && PrereleasePackage.TryGetValue(normalizedName, out var mode) ? mode.Value : Prerelease?.Value ?? fallback;

        /// <summary>Where the mode of a package came from (file:line, env), or null for the default.</summary>
        public string? PrereleaseSourceFor(string normalizedName, bool perPackage) =>
            perPackage && PrereleasePackage.TryGetValue(normalizedName, out var mode) ? mode.Source : Prerelease?.Source;

        /// <summary>
        /// The cutoff for a package on an index (uv's exclude_newer_package_for_index): exclude-newer-package first (a
        /// <c>false</c> there disables it), then the index's own exclude-newer (<c>false</c> disables), then the global one.
        /// </summary>
        public (DateTimeOffset? Cutoff, string? Text) CutoffFor(string normalizedName, SettingValue<DateTimeOffset?>? indexSetting)
        {
            if (ExcludeNewerPackage.TryGetValue(normalizedName, out var package))
            {
                return (package.Value, package.Value is null ? null : package.Text);
            }

            if (indexSetting is not null)
            {
                return (indexSetting.Value, indexSetting.Value is null ? null : indexSetting.Text);
            }

            return ExcludeNewer is null ? (null, null) : (ExcludeNewer.Value, ExcludeNewer.Text);
        }
    }

    /// <summary>Parses uv's setting values: exclude-newer (uv-distribution-types exclude_newer.rs), prerelease, resolution.</summary>
    public static class SelectionValues
    {
        private static readonly Regex FriendlySpan = new Regex(
            @"^\s*(?:(?<n>\d+)\s*(?<u>weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\s*,?\s*)+(?:ago)?\s*$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex IsoSpan = new Regex(
            @"^P(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<m>\d+)M)?(?:(?<s>\d+)S)?)?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// An exclude-newer value: an RFC 3339 timestamp (<c>2026-01-01T00:00:00Z</c>); a date (<c>2026-01-01</c>, which uv reads as
        /// the start of the next day in the local time zone, i.e. the whole day included); a span (<c>7 days</c>, <c>P7D</c>;
        /// months and years are refused, as uv does) counted back from <paramref name="now"/>; or <c>false</c> (disabled: null).
        /// FormatException naming the value otherwise.
        /// </summary>
        public static DateTimeOffset? ParseExcludeNewer(string text, DateTimeOffset now, TimeZoneInfo? zone = null)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var value = text.Trim();
            if (value == "false")
            {
                return null;
            }

            if (value.Length > 10 && (value[10] == 'T' || value[10] == 't' || value[10] == ' ')
                && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp)
                && (value.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || Regex.IsMatch(value, @"[+-]\d\d:?\d\d$")))
            {
                return timestamp;
            }

            if (DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                var next = DateTime.SpecifyKind(date.AddDays(1), DateTimeKind.Unspecified);
                var tz = zone ?? TimeZoneInfo.Local;
                return new DateTimeOffset(next, tz.GetUtcOffset(next));
            }

            var span = ParseSpan(value);
            if (span is TimeSpan ago)
            {
                return now - ago;
            }

            if (Regex.IsMatch(value, @"\d\s*(years?|y|months?|mos?)\b", RegexOptions.IgnoreCase) || Regex.IsMatch(value, @"^P\d+[YM]", RegexOptions.IgnoreCase))
            {
                throw new FormatException("exclude-newer '" + text + "': durations in months or years are not allowed (uv asks for days, e.g. '30 days').");
            }

            throw new FormatException("exclude-newer '" + text + "' is not a timestamp (2026-01-01T00:00:00Z), a date (2026-01-01), a duration ('7 days', 'P7D') or false.");
        }

        private static TimeSpan? ParseSpan(string value)
        {
            var friendly = FriendlySpan.Match(value);
            if (friendly.Success)
            {
                var total = TimeSpan.Zero;
                var numbers = friendly.Groups["n"].Captures;
                var units = friendly.Groups["u"].Captures;
                for (var i = 0; i < numbers.Count; i++)
                {
                    var n = long.Parse(numbers[i].Value, CultureInfo.InvariantCulture);
                    var u = units[i].Value.ToLowerInvariant();
                    total += u[0] switch
                    {
                        'w' => TimeSpan.FromDays(7 * n),
                        'd' => TimeSpan.FromDays(n),
                        'h' => TimeSpan.FromHours(n),
                        'm' => TimeSpan.FromMinutes(n),
                        _ => TimeSpan.FromSeconds(n),
                    };
                }

                return total;
            }

            var iso = IsoSpan.Match(value);
            if (iso.Success && value.Length > 1 && value != "PT")
            {
                long G(string g) => iso.Groups[g].Success ? long.Parse(iso.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
                return TimeSpan.FromDays(7 * G("w") + G("d")) + TimeSpan.FromHours(G("h")) + TimeSpan.FromMinutes(G("m")) + TimeSpan.FromSeconds(G("s"));
            }

            return null;
        }

        /// <summary>uv's prerelease values: disallow, allow, if-necessary, explicit, if-necessary-or-explicit.</summary>
        public static bool TryParsePrerelease(string text, out PrereleaseMode mode)
        {
            switch (text.Trim())
            {
                case "disallow": mode = PrereleaseMode.Disallow; return true;
                case "allow": mode = PrereleaseMode.Allow; return true;
                case "if-necessary": mode = PrereleaseMode.IfNecessary; return true;
                case "explicit": mode = PrereleaseMode.Explicit; return true;
                case "if-necessary-or-explicit": mode = PrereleaseMode.IfNecessaryOrExplicit; return true;
                default: mode = PrereleaseMode.IfNecessary; return false;
            }
        }

        /// <summary>uv's resolution values: highest, lowest, lowest-direct.</summary>
        public static bool TryParseResolution(string text, out ResolutionMode mode)
        {
            switch (text.Trim())
            {
                case "highest": mode = ResolutionMode.Highest; return true;
                case "lowest": mode = ResolutionMode.Lowest; return true;
                case "lowest-direct": mode = ResolutionMode.LowestDirect; return true;
                default: mode = ResolutionMode.Highest; return false;
            }
        }

        public static string Text(PrereleaseMode mode) => mode switch
        {
            PrereleaseMode.Disallow => "disallow",
            PrereleaseMode.Allow => "allow",
            PrereleaseMode.Explicit => "explicit",
            PrereleaseMode.IfNecessaryOrExplicit => "if-necessary-or-explicit",
            _ => "if-necessary",
        };

        public static string Text(ResolutionMode mode) => mode switch
        {
            ResolutionMode.Lowest => "lowest",
            ResolutionMode.LowestDirect => "lowest-direct",
            _ => "highest",
        };
    }
}
