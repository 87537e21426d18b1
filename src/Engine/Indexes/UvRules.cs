using System.Globalization;

namespace IndexTools.Engine.Indexes
{
    /// <summary>How uv finds a PyTorch index by its URL (status_code_strategy.rs <c>from_index_url</c>).</summary>
    public enum PyTorchInference
    {
        /// <summary>uv before 0.7.0: no inference (a 403 fell through on every index anyway).</summary>
        None,

        /// <summary>uv 0.7.0 to 0.9.19: any host whose name ends with <c>pytorch.org</c> (no dot boundary).</summary>
        HostSuffix,

        /// <summary>uv 0.9.20 and later: the host <c>download.pytorch.org</c> exactly (ASCII case-insensitive).</summary>
        ExactHost,
    }

    /// <summary>One modelled change of uv's index search: the release that made it, uv's pull request, what changed.</summary>
    /// <param name="Version">The first uv release with the new behaviour.</param>
    /// <param name="PullRequest">uv's pull request number (github.com/astral-sh/uv/pull/N).</param>
    /// <param name="Rule">The rule's name (a property of <see cref="UvRules"/>).</param>
    /// <param name="Description">What changed.</param>
    public sealed record UvRuleChange(string Version, int PullRequest, string Rule, string Description);

    /// <summary>
    /// The rules of one uv release that decide which index a package comes from and why the search stops. Each boundary
    /// was read from uv's changelog and the history of the file that holds the rule (see <see cref="Changes"/>); everything
    /// else is the behaviour of uv 0.12.5, the reference. Versions from 0.6.0 to 0.12.5 are modelled.
    /// </summary>
    public sealed class UvRules : IEquatable<UvRules>
    {
        private static readonly UvRuleChange[] AllChanges =
        {
            new UvRuleChange("0.7.0", 12805, nameof(AuthenticationStopsSearch),
                "first-index stops at a 401/403 instead of treating it as \"not found\"; ignore-error-codes exists, and the unsafe strategies ignore 401, 403, 407 and 511 (before: 401/403 continued everywhere, 407/511 were errors everywhere)"),
            new UvRuleChange("0.7.0", 12805, nameof(PyTorch),
                "a 403 from a host ending in 'pytorch.org' is ignored by default"),
            new UvRuleChange("0.7.3", 13205, nameof(AsksDuplicateUrlOnce),
                "an index URL configured twice is fetched once"),
            new UvRuleChange("0.8.15", 15570, nameof(ReadsUvCredentialStore),
                "uv's own credential store (credentials.toml, written by 'uv auth login') is read after netrc (before: no such source)"),
            new UvRuleChange("0.9.20", 17164, nameof(PyTorch),
                "only the host download.pytorch.org gets the default ignored 403 (before: any host ending in 'pytorch.org')"),
            new UvRuleChange("0.11.9", 19154, nameof(CredentialPathPrefixNeedsBoundary),
                "a credential store service URL (and an index URL, for its authenticate policy) is a prefix of a request URL only at a path-segment boundary (/simple matches /simple/x, not /simpleevil)"),
            new UvRuleChange("0.12.0", 19993, nameof(PreReleaseIfNecessary),
                "the default pre-release mode is if-necessary: stable candidates first, pre-releases when no stable one satisfies the range (before: if-necessary-or-explicit)"),
            new UvRuleChange("0.12.1", 20837, nameof(PrereleasePackageSupported),
                "prerelease-package sets the pre-release mode of single packages (before: the key did not exist)"),
            new UvRuleChange("0.12.4", 20804, nameof(SubsequentIndexHintNeedsListedVersions),
                "the \"may be available on a subsequent index\" hint is not given when the index listed no version"),
        };

        /// <summary>The oldest release modelled.</summary>
        public static readonly UvRules Oldest = new UvRules(0, 6, 0);

        /// <summary>The newest release modelled and the reference: uv 0.12.5.</summary>
        public static readonly UvRules Latest = new UvRules(0, 12, 5);

        private UvRules(int major, int minor, int patch)
        {
            Major = major;
            Minor = minor;
            Patch = patch;
        }

        public int Major { get; }

        public int Minor { get; }

        public int Patch { get; }

        /// <summary>The release, three parts (<c>0.7.0</c>).</summary>
        public string Version => Major.ToString(CultureInfo.InvariantCulture) + "." + Minor.ToString(CultureInfo.InvariantCulture) + "." + Patch.ToString(CultureInfo.InvariantCulture);

        /// <summary>uv 0.7.0 (#12805): a 401/403 that is not ignored stops first-index; the unsafe strategies ignore
        /// {401, 403, 407, 511}. Before: 401/403 meant "not found" on every index and strategy, 407/511 were errors.</summary>
        public bool AuthenticationStopsSearch => AtLeast(0, 7, 0);

        /// <summary>uv 0.7.0 (#12805) added <c>ignore-error-codes</c>; older releases do not know the key (and ignore it).</summary>
        public bool IgnoreErrorCodesSupported => AtLeast(0, 7, 0);

        /// <summary>Which hosts get a default ignored 403.</summary>
        public PyTorchInference PyTorch => !AtLeast(0, 7, 0) ? PyTorchInference.None : !AtLeast(0, 9, 20) ? PyTorchInference.HostSuffix : PyTorchInference.ExactHost;

        /// <summary>uv 0.7.3 (#13205): indexes with the same URL are fetched once, the first definition's settings apply.</summary>
        public bool AsksDuplicateUrlOnce => AtLeast(0, 7, 3);

        /// <summary>uv 0.8.15 (#15570, <c>uv auth</c>): the plaintext credential store is a credential source (after netrc).
        /// Older releases have no such source.</summary>
        public bool ReadsUvCredentialStore => AtLeast(0, 8, 15);

        /// <summary>
        /// uv 0.11.9 (#19154): an index URL matches a request URL (for its credentials and authenticate policy) only at a
        /// path-segment boundary. Before, a plain string prefix: <c>/simple</c> also matched <c>/simpleevil</c>. The
        /// credential code reads this rule (<see cref="IsPathPrefix"/>).
        /// </summary>
        public bool CredentialPathPrefixNeedsBoundary => AtLeast(0, 11, 9);

        /// <summary>
        /// uv 0.12.0 (#19993): pre-releases are candidates after every stable one (prefer-stable) under the default
        /// if-necessary (and its deprecated alias if-necessary-or-explicit) and, for a requirement naming a pre-release,
        /// explicit. Before: the default was if-necessary-or-explicit, under which a requirement naming a pre-release
        /// (<c>&gt;=2.0b1</c>) let pre-releases compete with stable versions in plain version order, and otherwise
        /// pre-releases were candidates only when the package listed no stable version at all (whatever the range);
        /// explicit allowed them the same way for such a requirement. Read by the version selection
        /// (<see cref="Search.CandidateSelector"/>).
        /// </summary>
        public bool PreReleaseIfNecessary => AtLeast(0, 12, 0);

        /// <summary>uv 0.12.1 (#20837): <c>prerelease-package</c> (per-package pre-release modes); older releases do not know it.</summary>
        public bool PrereleasePackageSupported => AtLeast(0, 12, 1);

        /// <summary>The pre-release mode when nothing sets one: if-necessary from 0.12.0, if-necessary-or-explicit before.</summary>
        public Versions.PrereleaseMode DefaultPrereleaseMode => PreReleaseIfNecessary ? Versions.PrereleaseMode.IfNecessary : Versions.PrereleaseMode.IfNecessaryOrExplicit;

        /// <summary>uv 0.12.4 (#20804): the "subsequent index" hint needs the index to have listed at least one version.</summary>
        public bool SubsequentIndexHintNeedsListedVersions => AtLeast(0, 12, 4);

        /// <summary>Every modelled change, oldest first.</summary>
        public static IReadOnlyList<UvRuleChange> Changes => AllChanges;

        /// <summary>The modelled changes between two releases (in either order): what differs between their searches.</summary>
        public static IReadOnlyList<UvRuleChange> ChangesBetween(UvRules a, UvRules b)
        {
            var (low, high) = a.CompareTo(b) <= 0 ? (a, b) : (b, a);
            return AllChanges.Where(c =>
            {
                var at = Parse(c.Version);
                return at.CompareTo(low) > 0 && at.CompareTo(high) <= 0;
            }).ToArray();
        }

        /// <summary>
        /// Parses <c>0.7</c>, <c>0.9.19</c> or <c>v0.12.5</c> (missing parts are 0: <c>0.7</c> is 0.7.0). Versions outside
        /// 0.6.0..0.12.5 are an ArgumentException naming the range; text that is not a version, a FormatException.
        /// </summary>
        public static UvRules Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var trimmed = text.Trim();
            if (trimmed.StartsWith("v", StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed.Substring(1);
            }

            var parts = trimmed.Split('.');
            var numbers = new int[3];
            if (parts.Length < 2 || parts.Length > 3)
            {
                throw new FormatException("'" + text + "' is not a uv version (expected something like 0.7 or 0.12.5).");
            }

            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i].Length == 0 || parts[i].Length > 6 || !parts[i].All(c => c >= '0' && c <= '9'))
                {
                    throw new FormatException("'" + text + "' is not a uv version (expected something like 0.7 or 0.12.5).");
                }

                numbers[i] = int.Parse(parts[i], CultureInfo.InvariantCulture);
            }

            var rules = new UvRules(numbers[0], numbers[1], numbers[2]);
            if (rules.CompareTo(Oldest) < 0 || rules.CompareTo(Latest) > 0)
            {
                throw new ArgumentException("uv " + rules.Version + " is not modelled: -UvVersion takes " + Oldest.Version + " to " + Latest.Version + ".", nameof(text));
            }

            return rules.Equals(Latest) ? Latest : rules;
        }

        /// <summary>True when the index URL's host gets a default ignored 403 under this release.</summary>
        public bool IsPyTorchHost(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                return false;
            }

            switch (PyTorch)
            {
                case PyTorchInference.HostSuffix:
                    // url::Url lower-cases the host, so uv's ends_with("pytorch.org") is case-insensitive in effect.
                    return uri.Host.EndsWith("pytorch.org", StringComparison.OrdinalIgnoreCase);
                case PyTorchInference.ExactHost:
                    return string.Equals(uri.Host, StatusCodePolicy.PyTorchHost, StringComparison.OrdinalIgnoreCase);
                default:
                    return false;
            }
        }

        /// <summary>
        /// Whether the index path <paramref name="prefix"/> covers the request path <paramref name="path"/> under this
        /// release: from 0.11.9 at a path-segment boundary only, before as a plain string prefix.
        /// </summary>
        public bool IsPathPrefix(string prefix, string path)
        {
            if (prefix is null || path is null)
            {
                return false;
            }

            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return false;
            }

            if (!CredentialPathPrefixNeedsBoundary || prefix.Length == path.Length)
            {
                return true;
            }

            return prefix.EndsWith("/", StringComparison.Ordinal) || path[prefix.Length] == '/';
        }

        public int CompareTo(UvRules other)
        {
            if (Major != other.Major)
            {
                return Major.CompareTo(other.Major);
            }

            return Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);
        }

        public bool Equals(UvRules? other) => other is not null && CompareTo(other) == 0;

        public override bool Equals(object? obj) => obj is UvRules other && Equals(other);

        public override int GetHashCode() => (Major * 1000 + Minor) * 1000 + Patch;

        public override string ToString() => Version;

        private bool AtLeast(int major, int minor, int patch) => CompareTo(new UvRules(major, minor, patch)) >= 0;
    }
}
