using System;
using System.Collections.Generic;
using System.Linq;

namespace IndexTools.Engine.Indexes
{
    /// <summary>What one status code means for the search on one index.</summary>
    public sealed class StatusDecision
    {
        internal StatusDecision(AttemptOutcome outcome, SearchDecision decision, StopReason? stopReason, string reason)
        {
            Outcome = outcome;
            Decision = decision;
            StopReason = stopReason;
            Reason = reason;
        }

        public AttemptOutcome Outcome { get; }

        public SearchDecision Decision { get; }

        /// <summary>Set when the decision ends the search for the package.</summary>
        public StopReason? StopReason { get; }

        public string Reason { get; }
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

        private StatusCodePolicy(IndexDefinition index, IndexStrategy strategy, IReadOnlyList<int> ignored, string source, UvRules rules, bool applies = true)
        {
            Index = index;
            Strategy = strategy;
            _ignored = new HashSet<int>(ignored);
            IgnoredStatusCodes = ignored.Distinct().OrderBy(c => c).ToArray();
            Source = source;
            Rules = rules;
            Applies = applies;
        }

        public IndexDefinition Index { get; }

        public IndexStrategy Strategy { get; }

        /// <summary>The uv release whose rules this policy follows.</summary>
        public UvRules Rules { get; }

        /// <summary>False for a flat index or find-links location: no status-code policy, every failure is an error.</summary>
        public bool Applies { get; }

        /// <summary>Codes ignored beyond 404, sorted.</summary>
        public IReadOnlyList<int> IgnoredStatusCodes { get; }

        /// <summary>default, inferred: download.pytorch.org, the file (and line) of ignore-error-codes, or the unsafe strategy.</summary>
        public string Source { get; }

        /// <summary>Authentication codes that end the search on this index (other error statuses always end it with an error).</summary>
        public IReadOnlyList<int> StopsOn => !Applies
            ? AuthenticationCodes
            : !Rules.AuthenticationStopsSearch
                ? new[] { 407, 511 }
                : AuthenticationCodes.Where(c => !_ignored.Contains(c)).ToArray();

        /// <summary>True when uv's parser accepts <paramref name="code"/> in ignore-error-codes (StatusCode::from_u16).</summary>
        public static bool IsValidStatusCode(long code) => code >= MinStatusCode && code <= MaxStatusCode;

        /// <summary>
        /// The policy for <paramref name="index"/> among <paramref name="allIndexes"/>. As uv does, the ignore set is taken
        /// from the first index in the list whose URL matches (so an index given twice uses its first definition).
        /// </summary>
        public static StatusCodePolicy For(IndexDefinition index, IReadOnlyList<IndexDefinition> allIndexes, IndexStrategy strategy, UvRules? rules = null)
        {
            var uv = rules ?? UvRules.Latest;
            if (index.Format == IndexFormat.Flat)
            {
                return new StatusCodePolicy(index, strategy, Array.Empty<int>(), FlatSource, uv, applies: false);
            }

            if (!uv.AuthenticationStopsSearch)
            {
                return new StatusCodePolicy(index, strategy, Array.Empty<int>(), "uv " + uv.Version + ": 401 and 403 mean \"not found\" on every index (no ignore-error-codes before 0.7.0)", uv);
            }

            if (strategy != IndexStrategy.FirstIndex)
            {
                return new StatusCodePolicy(index, strategy, UnsafeIgnored, "strategy: " + StrategyText(strategy) + " ignores 401, 403, 407 and 511 on every index", uv);
            }

            var definition = allIndexes.FirstOrDefault(i => i.IndexUrl == index.IndexUrl) ?? index;
            if (definition.IgnoreErrorCodes is not null)
            {
                var source = definition.IgnoreErrorCodesSource?.Description ?? definition.Source.Description;
                return new StatusCodePolicy(index, strategy, definition.IgnoreErrorCodes, source, uv);
            }

            if (uv.IsPyTorchHost(index.Url))
            {
                return new StatusCodePolicy(index, strategy, new[] { 403 }, uv.PyTorch == PyTorchInference.HostSuffix
                    ? "inferred: host ends with pytorch.org (uv " + uv.Version + ")"
                    : "inferred: " + PyTorchHost, uv);
            }

            return new StatusCodePolicy(index, strategy, Array.Empty<int>(), "default", uv);
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

        /// <summary>Decides what an HTTP status (other than 2xx) from this index means.</summary>
        public StatusDecision Decide(int statusCode)
        {
            var who = "'" + Index.DisplayName + "'";
            if (!Applies)
            {
                return new StatusDecision(
                    Array.IndexOf(AuthenticationCodes, statusCode) >= 0 ? AttemptOutcome.AuthFailed : AttemptOutcome.Failed,
                    SearchDecision.Stop,
                    IndexTools.StopReason.IndexError,
                    "HTTP " + statusCode + " from flat index " + who + ": flat indexes and find-links have no status-code policy, so the operation ends with an error under every strategy");
            }

            if (statusCode == 404)
            {
                return new StatusDecision(AttemptOutcome.NotFound, SearchDecision.Continue, null, "HTTP 404: " + who + " does not have the package; continuing");
            }

            if (!Rules.AuthenticationStopsSearch && (statusCode == 401 || statusCode == 403))
            {
                return new StatusDecision(
                    AttemptOutcome.Ignored,
                    SearchDecision.Continue,
                    null,
                    "HTTP " + statusCode + " from " + who + " means \"not found\" in uv " + Rules.Version + " (before 0.7.0); continuing");
            }

            if (_ignored.Contains(statusCode))
            {
                return new StatusDecision(
                    AttemptOutcome.Ignored,
                    SearchDecision.Continue,
                    null,
                    "HTTP " + statusCode + " is ignored for " + who + " (" + Source + "); continuing");
            }

            if (Strategy == IndexStrategy.FirstIndex && (statusCode == 401 || statusCode == 403))
            {
                return new StatusDecision(
                    AttemptOutcome.AuthFailed,
                    SearchDecision.Stop,
                    IndexTools.StopReason.AuthenticationFailed,
                    "HTTP " + statusCode + " from " + who + " is not in its ignore-error-codes; first-index stops here instead of trying later indexes");
            }

            var outcome = Array.IndexOf(AuthenticationCodes, statusCode) >= 0 ? AttemptOutcome.AuthFailed : AttemptOutcome.Failed;
            return new StatusDecision(
                outcome,
                SearchDecision.Stop,
                IndexTools.StopReason.IndexError,
                "HTTP " + statusCode + " from " + who + " is an index error, not \"not found\"; the search ends with an error");
        }
    }
}
