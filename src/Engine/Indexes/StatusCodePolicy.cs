namespace IndexTools.Engine.Indexes
{
    /// <summary>Why a policy ignores the codes it ignores (or has none): the ground its source text is rendered from.</summary>
    public enum PolicyBasis
    {
        /// <summary>No ignore-error-codes and no inference: only 404 continues.</summary>
        Default,
        /// <summary>The governing definition's ignore-error-codes.</summary>
        Configured,
        /// <summary>uv's PyTorch inference (403 ignored on download.pytorch.org, or a host ending with pytorch.org before 0.9.20).</summary>
        PyTorchInferred,
        /// <summary>unsafe-first-match / unsafe-best-match: 401, 403, 407 and 511 on every index.</summary>
        UnsafeStrategy,
        /// <summary>uv before 0.7.0: 401 and 403 mean "not found" everywhere.</summary>
        BeforeIgnoreErrorCodes,
        /// <summary>A flat index: no status-code policy.</summary>
        Flat,
        /// <summary>A find-links location: no status-code policy, merged into every package's candidates.</summary>
        FindLinks,
    }

    /// <summary>The rule of a policy that decided one status code.</summary>
    public enum StatusCodeRule
    {
        /// <summary>404: the index does not have the package.</summary>
        NotFound,
        /// <summary>The code is in the policy's ignore set.</summary>
        Ignored,
        /// <summary>401/403 under uv before 0.7.0: "not found".</summary>
        NotFoundBeforeIgnoreErrorCodes,
        /// <summary>401/403 not ignored under first-index: the search stops quietly (the package is unavailable, with a hint).</summary>
        AuthenticationStop,
        /// <summary>Any other code that is not ignored: an error that ends the search.</summary>
        IndexError,
        /// <summary>A flat index or find-links location answered an error: no policy, an error under every strategy.</summary>
        NoPolicy,
    }

    /// <summary>
    /// uv's <c>IndexStatusCodeDecision</c> (crates/uv-distribution-types/src/status_code_strategy.rs): <see cref="Ignore"/>
    /// (look at the next index) or fail with the status code, plus the rule of the policy that decided it. What that means for
    /// the attempt (outcome, stop reason) follows from the rule; the wording is <see cref="StatusCodeReasons"/>'s.
    /// </summary>
    /// <param name="Policy">The policy that decided.</param>
    /// <param name="StatusCode">The status code the index answered.</param>
    /// <param name="Rule">The rule of the policy that decided it.</param>
    public sealed record IndexStatusCodeDecision(StatusCodePolicy Policy, int StatusCode, StatusCodeRule Rule)
    {
        /// <summary>uv's Ignore: the search goes on to the next index. Otherwise uv's Fail(StatusCode).</summary>
        public bool Ignore => Rule == StatusCodeRule.NotFound || Rule == StatusCodeRule.Ignored || Rule == StatusCodeRule.NotFoundBeforeIgnoreErrorCodes;

        public AttemptOutcome Outcome
        {
            get
            {
                switch (Rule)
                {
                    case StatusCodeRule.NotFound: return AttemptOutcome.NotFound;
                    case StatusCodeRule.Ignored:
                    case StatusCodeRule.NotFoundBeforeIgnoreErrorCodes: return AttemptOutcome.Ignored;
                    case StatusCodeRule.AuthenticationStop: return AttemptOutcome.AuthFailed;
                    default: return StatusCodePolicy.IsAuthenticationCode(StatusCode) ? AttemptOutcome.AuthFailed : AttemptOutcome.Failed;
                }
            }
        }

        public SearchDecision Decision => Ignore ? SearchDecision.Continue : SearchDecision.Stop;

        /// <summary>Set when the decision ends the search for the package.</summary>
        public StopReason? StopReason => Ignore ? null : Rule == StatusCodeRule.AuthenticationStop ? IndexTools.StopReason.AuthenticationFailed : IndexTools.StopReason.IndexError;

        /// <summary>The attempt's reason (<see cref="StatusCodeReasons.Reason"/>).</summary>
        public string Reason => StatusCodeReasons.Reason(this);

        public override string ToString() => Reason;
    }

    /// <summary>
    /// The one place the status-code policy's words are written: the source of a policy (Get-IndexStrategy's PolicySource)
    /// and the reason of a decision (an attempt's Reason). Decisions and policies carry facts; this renders them.
    /// </summary>
    public static class StatusCodeReasons
    {
        /// <summary>default, inferred: download.pytorch.org, the file (and line) of ignore-error-codes, the unsafe strategy, ...</summary>
        public static string Source(StatusCodePolicy policy)
        {
            switch (policy.Basis)
            {
                case PolicyBasis.Flat:
                    return StatusCodePolicy.FlatSource;
                case PolicyBasis.FindLinks:
                    return "none: find-links, merged into every package's candidates (not a position in the search order); anything but a readable page is an error";
                case PolicyBasis.BeforeIgnoreErrorCodes:
                    return "uv " + policy.Rules.Version + ": 401 and 403 mean \"not found\" on every index (no ignore-error-codes before 0.7.0)";
                case PolicyBasis.UnsafeStrategy:
                    return "strategy: " + StatusCodePolicy.StrategyText(policy.Strategy) + " ignores 401, 403, 407 and 511 on every index";
                case PolicyBasis.Configured:
                    var governing = policy.Governing;
                    return governing.IgnoreErrorCodesSource?.Description ?? governing.Source.Description;
                case PolicyBasis.PyTorchInferred:
                    return policy.Rules.PyTorch == PyTorchInference.HostSuffix
                        ? "inferred: host ends with pytorch.org (uv " + policy.Rules.Version + ")"
                        : "inferred: " + StatusCodePolicy.PyTorchHost;
                default:
                    return "default";
            }
        }

        /// <summary>What one status code from one index means, as an attempt's reason.</summary>
        public static string Reason(IndexStatusCodeDecision decision)
        {
            var policy = decision.Policy;
            var who = "'" + policy.Index.DisplayName + "'";
            var code = decision.StatusCode;
            switch (decision.Rule)
            {
                case StatusCodeRule.NoPolicy:
                    return "HTTP " + code + " from flat index " + who + ": flat indexes and find-links have no status-code policy, so the operation ends with an error under every strategy";
                case StatusCodeRule.NotFound:
                    return "HTTP 404: " + who + " does not have the package; continuing";
                case StatusCodeRule.NotFoundBeforeIgnoreErrorCodes:
                    return "HTTP " + code + " from " + who + " means \"not found\" in uv " + policy.Rules.Version + " (before 0.7.0); continuing";
                case StatusCodeRule.Ignored:
                    return "HTTP " + code + " is ignored for " + who + " (" + policy.Source + "); continuing";
                case StatusCodeRule.AuthenticationStop:
                    return "HTTP " + code + " from " + who + " is not in its ignore-error-codes; first-index stops here instead of trying later indexes";
                default:
                    return "HTTP " + code + " from " + who + " is an index error, not \"not found\"; the search ends with an error";
            }
        }
    }

    /// <summary>
    /// uv's per-index status-code policy (uv-distribution-types status_code_strategy.rs, uv-client registry_client.rs):
    /// 404 always continues; a code in the index's ignore set continues; under first-index a 401/403 that is not
    /// ignored ends the search quietly (the package is reported unavailable with a hint); any other status that is
    /// not ignored is a hard error. Under the unsafe strategies the ignore set is exactly {401, 403, 407, 511} on
    /// every index, whatever the index's own ignore-error-codes say. Flat indexes and find-links locations have no
    /// policy at all (registry_client.rs <c>flat_single_index</c> with <c>?</c>, flat_index.rs): anything but a
    /// readable page ends the operation with an error under every strategy. <see cref="UvRules"/> selects an older
    /// release's rules (uv before 0.7.0: 401/403 meant "not found" everywhere, 407/511 were errors everywhere).
    /// </summary>
    public sealed class StatusCodePolicy
    {
        /// <summary>The host whose 403 means "not here" (static hosting behind a CDN).</summary>
        public const string PyTorchHost = "download.pytorch.org";

        /// <summary>The smallest and largest code uv's parser takes (http's StatusCode::from_u16: 100 to 999).</summary>
        public const int MinStatusCode = 100;

        /// <inheritdoc cref="MinStatusCode"/>
        public const int MaxStatusCode = 999;

        /// <summary>The policy source shown for a flat index or find-links location.</summary>
        public const string FlatSource = "none: flat indexes and find-links have no status-code policy (anything but a readable page is an error)";

        private static readonly int[] UnsafeIgnored = { 401, 403, 407, 511 };
        private static readonly int[] AuthenticationCodes = { 401, 403, 407, 511 };

        private readonly HashSet<int> _ignored;

        private StatusCodePolicy(IndexDefinition index, IndexDefinition governing, IndexStrategy strategy, IReadOnlyList<int> ignored, PolicyBasis basis, UvRules rules)
        {
            Index = index;
            Governing = governing;
            Strategy = strategy;
            _ignored = new HashSet<int>(ignored);
            IgnoredStatusCodes = ignored.Distinct().OrderBy(c => c).ToArray();
            Basis = basis;
            Rules = rules;
            Source = StatusCodeReasons.Source(this);
        }

        public IndexDefinition Index { get; }

        /// <summary>The definition whose ignore-error-codes govern the index: the first in uv's definition order with its URL
        /// (uv's index_for_url), else the index itself.</summary>
        public IndexDefinition Governing { get; }

        public IndexStrategy Strategy { get; }

        /// <summary>The uv release whose rules this policy follows.</summary>
        public UvRules Rules { get; }

        /// <summary>Why the policy ignores what it ignores.</summary>
        public PolicyBasis Basis { get; }

        /// <summary>False for a flat index or find-links location: no status-code policy, every failure is an error.</summary>
        public bool Applies => Basis != PolicyBasis.Flat && Basis != PolicyBasis.FindLinks;

        /// <summary>Codes ignored beyond 404, sorted.</summary>
        public IReadOnlyList<int> IgnoredStatusCodes { get; }

        /// <summary>default, inferred: download.pytorch.org, the file (and line) of ignore-error-codes, or the unsafe strategy (<see cref="StatusCodeReasons.Source"/>).</summary>
        public string Source { get; }

        /// <summary>Authentication codes that end the search on this index (other error statuses always end it with an error).</summary>
        public IReadOnlyList<int> StopsOn => !Applies
            ? AuthenticationCodes
            : !Rules.AuthenticationStopsSearch
                ? new[] { 407, 511 }
                : AuthenticationCodes.Where(c => !_ignored.Contains(c)).ToArray();

        /// <summary>True when uv's parser accepts <paramref name="code"/> in ignore-error-codes (StatusCode::from_u16).</summary>
        public static bool IsValidStatusCode(long code) => code >= MinStatusCode && code <= MaxStatusCode;

        /// <summary>401, 403, 407 or 511.</summary>
        public static bool IsAuthenticationCode(int code) => Array.IndexOf(AuthenticationCodes, code) >= 0;

        /// <summary>
        /// The policy for <paramref name="index"/> among <paramref name="allIndexes"/> (uv's <c>status_code_strategy_for</c>).
        /// As uv does, the ignore set is taken from the first index in the list whose URL is the same index
        /// (<see cref="IndexUrl"/>), so an index given twice uses its first definition. The search and Get-IndexStrategy get
        /// theirs from <see cref="IndexSettings.PolicyOf"/>, which resolves each index once.
        /// </summary>
        public static StatusCodePolicy For(IndexDefinition index, IReadOnlyList<IndexDefinition> allIndexes, IndexStrategy strategy, UvRules? rules = null)
        {
            var uv = rules ?? UvRules.Latest;
            if (index.Format == IndexFormat.Flat)
            {
                return new StatusCodePolicy(index, index, strategy, Array.Empty<int>(), PolicyBasis.Flat, uv);
            }

            if (!uv.AuthenticationStopsSearch)
            {
                return new StatusCodePolicy(index, index, strategy, Array.Empty<int>(), PolicyBasis.BeforeIgnoreErrorCodes, uv);
            }

            if (strategy != IndexStrategy.FirstIndex)
            {
                return new StatusCodePolicy(index, index, strategy, UnsafeIgnored, PolicyBasis.UnsafeStrategy, uv);
            }

            var definition = allIndexes.FirstOrDefault(i => i.IndexUrl == index.IndexUrl) ?? index;
            if (definition.IgnoreErrorCodes is not null)
            {
                return new StatusCodePolicy(index, definition, strategy, definition.IgnoreErrorCodes, PolicyBasis.Configured, uv);
            }

            if (uv.IsPyTorchHost(index.Url))
            {
                return new StatusCodePolicy(index, definition, strategy, new[] { 403 }, PolicyBasis.PyTorchInferred, uv);
            }

            return new StatusCodePolicy(index, definition, strategy, Array.Empty<int>(), PolicyBasis.Default, uv);
        }

        /// <summary>A find-links location's (non-)policy: anything but a readable page is an error under every strategy.</summary>
        public static StatusCodePolicy ForFindLinks(IndexDefinition location, IndexStrategy strategy, UvRules? rules = null)
        {
            return new StatusCodePolicy(location, location, strategy, Array.Empty<int>(), PolicyBasis.FindLinks, rules ?? UvRules.Latest);
        }

        /// <summary>True for an index hosted on download.pytorch.org (host compared case-insensitively).</summary>
        public static bool IsPyTorch(IndexUrl url) => string.Equals(url.Host, PyTorchHost, StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc cref="IsPyTorch(IndexUrl)"/>
        public static bool IsPyTorch(string url) => IsPyTorch(IndexUrl.Parse(url));

        /// <summary>uv's spelling of a strategy: first-index, unsafe-first-match, unsafe-best-match.</summary>
        public static string StrategyText(IndexStrategy strategy)
        {
            switch (strategy)
            {
                case IndexStrategy.UnsafeFirstMatch: return "unsafe-first-match";
                case IndexStrategy.UnsafeBestMatch: return "unsafe-best-match";
                default: return "first-index";
            }
        }

        /// <summary>Decides what an HTTP status (other than 2xx) from this index means (uv's handle_status_code).</summary>
        public IndexStatusCodeDecision Decide(int statusCode)
        {
            return new IndexStatusCodeDecision(this, statusCode, RuleFor(statusCode));
        }

        private StatusCodeRule RuleFor(int statusCode)
        {
            if (!Applies)
            {
                return StatusCodeRule.NoPolicy;
            }

            if (statusCode == 404)
            {
                return StatusCodeRule.NotFound;
            }

            if (!Rules.AuthenticationStopsSearch && (statusCode == 401 || statusCode == 403))
            {
                return StatusCodeRule.NotFoundBeforeIgnoreErrorCodes;
            }

            if (_ignored.Contains(statusCode))
            {
                return StatusCodeRule.Ignored;
            }

            if (Strategy == IndexStrategy.FirstIndex && (statusCode == 401 || statusCode == 403))
            {
                return StatusCodeRule.AuthenticationStop;
            }

            return StatusCodeRule.IndexError;
        }
    }
}
