using System.Text;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Search
{
    /// <summary>
    /// What the user can do next, worded like uv's hints (uv-resolver pubgrub/report.rs) plus what uv leaves implicit:
    /// the exact environment variable names and the Set-IndexIgnoredCodes command. URLs are redacted; no secret ever.
    /// </summary>
    internal static class Hints
    {
        /// <summary>UV_INDEX_&lt;NAME&gt;_ prefix: the name upper-cased, every character that is not an ASCII letter or digit replaced by '_'.</summary>
        public static string EnvironmentPrefix(string indexName)
        {
            var builder = new StringBuilder("UV_INDEX_");
            foreach (var c in indexName)
            {
                builder.Append(c < 128 && char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
            }

            return builder.Append('_').ToString();
        }

        /// <summary>
        /// The hint of a search stopped by a 401/403. <paramref name="answeredSuccessfully"/> says whether an index answered
        /// another request with a page (uv's 403 hint turns on that); the search passes what this package and the packages
        /// before it in the input saw, never what happens to have finished meanwhile, so the hint is deterministic.
        /// </summary>
        public static string ForAuthenticationFailure(IndexAttempt[] attempts, IndexSettings settings, Func<IndexDefinition, bool> answeredSuccessfully)
        {
            var failed = attempts.First(a => a.Outcome == AttemptOutcome.AuthFailed && a.Decision == SearchDecision.Stop);
            var index = IndexOf(failed, settings.Indexes);
            var url = index?.DisplayUrl ?? failed.Url;
            var builder = new StringBuilder();
            var sent = !string.Equals(failed.CredentialSource, "none", StringComparison.Ordinal);
            if (failed.StatusCode == 401)
            {
                builder.Append("An index URL (").Append(url).Append(") could not be queried due to a lack of valid authentication credentials (401 Unauthorized).");
            }
            else if (index is not null && answeredSuccessfully(index))
            {
                builder.Append("An index (").Append(url).Append(") returned a 403 Forbidden error, but uv received a successful response from another request to the index. ")
                    .Append("If the failing package is not present on this index, consider adding `ignore-error-codes = [403]` to the index's `[[tool.uv.index]]` entry to continue searching across indexes.");
            }
            else
            {
                builder.Append("An index (").Append(url).Append(") returned a 403 Forbidden error. Check that the index URL is correct and the credentials are valid.");
            }

            if (sent)
            {
                builder.Append(Credentials.CredentialHints.Rejected(failed.CredentialSource, failed.Index, url));
            }

            if (failed.Index is not null)
            {
                if (!sent)
                {
                    builder.Append(Credentials.CredentialHints.NoneSent(failed.Index, url));
                }

                builder.Append(" If '").Append(failed.Index).Append("' answers ").Append(failed.StatusCode)
                    .Append(" for packages it does not hold, `Set-IndexIgnoredCodes -Name ").Append(failed.Index)
                    .Append(" -StatusCode ").Append(failed.StatusCode)
                    .Append("` lets the search continue to later indexes; do that only if every later index is trusted, since it reopens dependency confusion.");
            }
            else if (!sent)
            {
                builder.Append(" This index has no name, so UV_INDEX_<NAME>_USERNAME/PASSWORD cannot apply: give it a name in [[tool.uv.index]].")
                    .Append(Credentials.CredentialHints.NoneSent(null, url));
            }

            return builder.ToString();
        }

        /// <summary>The configured index (or find-links location) an attempt was made on: by name, else the index whose URL is
        /// the attempt's, else the one whose URL the attempt's lies under (its project page).</summary>
        private static IndexDefinition? IndexOf(IndexAttempt attempt, IEnumerable<IndexDefinition> indexes)
        {
            var all = indexes.ToList();
            return all.FirstOrDefault(i => attempt.Index is not null && string.Equals(i.Name, attempt.Index, StringComparison.Ordinal))
                ?? all.FirstOrDefault(i => i.IndexUrl.SameAs(attempt.Url))
                ?? all.FirstOrDefault(i => i.IndexUrl.Contains(attempt.Url));
        }

        /// <summary>
        /// True when uv's status-code policy would consult ignore-error-codes for this answer: an error status (4xx/5xx)
        /// from a Simple index under first-index in a uv that has the setting. Never for a flat index or find-links
        /// (no policy), a 2xx with an unreadable body, a redirect, or the unsafe strategies (their set is fixed).
        /// </summary>
        internal static bool IgnoreErrorCodesApplies(IndexAttempt attempt, IndexDefinition? index, IndexStrategy strategy, UvRules rules)
        {
            return attempt.StatusCode is int status && status >= 400
                && (index is null || index.Format != IndexFormat.Flat)
                && strategy == IndexStrategy.FirstIndex
                && rules.IgnoreErrorCodesSupported;
        }

        public static string ForIndexError(IndexAttempt[] attempts, IndexStrategy strategy, IndexSettings settings, UvRules rules)
        {
            var failed = attempts.First(a => a.Decision == SearchDecision.Stop && (a.Outcome == AttemptOutcome.Failed || a.Outcome == AttemptOutcome.AuthFailed));
            var who = failed.Index is null ? failed.Url : "'" + failed.Index + "' (" + failed.Url + ")";
            var index = IndexOf(failed, settings.Indexes.Concat(settings.FindLinks));
            var builder = new StringBuilder();
            var status = failed.StatusCode is int code && code >= 400 ? code : (int?)null;
            if (status is not null && index is not null && index.Format == IndexFormat.Flat)
            {
                builder.Append(settings.FindLinks.Contains(index) ? "The find-links location " : "The flat index ").Append(who).Append(" answered HTTP ").Append(status)
                    .Append(". Flat indexes and find-links locations have no status-code policy in uv: anything but a readable page ends the operation with an error, under every strategy, and ignore-error-codes does not apply. Fix or remove the location.");
                status = -1;
            }

            switch (status)
            {
                case -1:
                    break;
                case 407:
                    builder.Append("Index ").Append(who).Append(" answered 407 Proxy Authentication Required: a proxy between you and the index wants credentials. Give them with -ProxyCredential or in the proxy URL (HTTPS_PROXY).");
                    break;
                case 511:
                    builder.Append("Index ").Append(who).Append(" answered 511 Network Authentication Required: the network (a captive portal or gateway) wants you to sign in before any index can be reached.");
                    break;
                case int error:
                    builder.Append("Index ").Append(who).Append(" answered HTTP ").Append(error)
                        .Append(". uv treats this as an error, not as \"not found\", and does not try later indexes. Retry later, or check the index URL");
                    if (IgnoreErrorCodesApplies(failed, index, strategy, rules))
                    {
                        builder.Append("; if this index answers ").Append(error).Append(" for packages it does not hold, `ignore-error-codes = [").Append(error)
                            .Append("]` on its [[tool.uv.index]] entry lets the search continue.");
                    }
                    else
                    {
                        builder.Append('.');
                    }

                    break;
                default:
                    builder.Append(failed.Reason).Append('.');
                    if (failed.Reason.IndexOf("timed out", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        builder.Append(" Increase UV_HTTP_TIMEOUT (or -TimeoutSec) if the index is slow.");
                    }
                    else if (failed.Tries > 1)
                    {
                        builder.Append(" It was tried ").Append(failed.Tries).Append(" times (UV_HTTP_RETRIES sets the retries).");
                    }

                    break;
            }

            if (strategy != IndexStrategy.FirstIndex)
            {
                builder.Append(" Under ").Append(StatusCodePolicy.StrategyText(strategy)).Append(" a failing index fails the whole search, as in uv.");
            }

            return builder.ToString();
        }

        /// <summary>True for an attempt that found no cached page under -Offline (uv: ErrorKind::Offline, taken for "not found").</summary>
        internal static bool IsOffline(IndexAttempt attempt) => attempt.Outcome == AttemptOutcome.NotFound && attempt.Reason.StartsWith(OfflinePrefix, StringComparison.Ordinal);

        internal const string OfflinePrefix = "offline: ";

        public static string ForNotFound(string name, IndexAttempt[] attempts, IndexStrategy strategy)
        {
            var asked = attempts.Where(a => a.Outcome != AttemptOutcome.Skipped).ToList();
            if (asked.Count == 0)
            {
                return "No index was queried for '" + name + "': " + (attempts.FirstOrDefault()?.Reason ?? "no index is configured") + ".";
            }

            var parts = asked.Select(a => (a.Index ?? a.Url) + " (" + (a.StatusCode?.ToString() ?? (IsOffline(a) ? "not cached" : a.Outcome.ToString())) + ")");
            var text = "'" + name + "' was not found on any index that was asked: " + string.Join(", ", parts) + ".";
            if (asked.Any(IsOffline))
            {
                // uv's PubGrubHint::Offline (report.rs).
                return text + " Packages were unavailable because the network was disabled (-Offline): registry packages may only be read from the cache. Run once without -Offline to fill it.";
            }

            return text + " Check the spelling, or add the index that publishes it.";
        }

        /// <summary>
        /// The index uv's "may be available on a subsequent index" hint names after <paramref name="found"/> (report.rs
        /// <c>index_hints</c>): the next of <c>IndexLocations::indexes()</c> — explicit indexes excluded, the default index
        /// last, a URL configured twice kept twice — after the first index with the found index's URL. Null when it is last.
        /// </summary>
        internal static IndexDefinition? NextIndex(IndexDefinition found, IndexSettings settings)
        {
            var order = settings.Indexes.Where(i => !i.IsExplicit).ToList();
            var position = order.FindIndex(i => ReferenceEquals(i, found));
            if (position < 0)
            {
                return null;
            }

            var first = order.FindIndex(i => i.IndexUrl.SameRaw(found.IndexUrl));
            return first >= 0 && first + 1 < order.Count ? order[first + 1] : null;
        }

        public static string ForNoMatchingVersion(string name, Requirement requirement, IndexStrategy strategy, IReadOnlyList<IndexVersions> found, IndexSettings settings, string? pythonVersion, UvRules? rules = null)
        {
            var uv = rules ?? UvRules.Latest;
            var range = requirement.Specifiers.IsEmpty ? "any version" : requirement.Specifiers.ToString();
            var listed = found.SelectMany(f => f.Versions.Values).ToList();
            if (strategy == IndexStrategy.FirstIndex && found.Count > 0 && (found[0].Versions.Count > 0 || !uv.SubsequentIndexHintNeedsListedVersions))
            {
                var first = found[0].Index;
                var next = NextIndex(first, settings);
                if (next is not null)
                {
                    return "`" + name + "` was found on " + first.DisplayUrl + ", but not at the requested version (" + range + "). "
                        + "A compatible version may be available on a subsequent index (e.g., " + next.DisplayUrl + "). "
                        + "By default, uv will only consider versions that are published on the first index that contains a given package, to avoid dependency confusion attacks. "
                        + "If all indexes are equally trusted, use `--index-strategy unsafe-best-match` (-IndexStrategy UnsafeBestMatch) to consider all versions from all indexes, regardless of the order in which they were defined."
                        + Unusable(listed, requirement, pythonVersion);
                }
            }

            if (listed.Count == 0)
            {
                return "'" + name + "' was found on " + string.Join(", ", found.Select(f => f.Index.DisplayName)) + ", but no version is listed.";
            }

            var newest = listed.Max(v => v.Version);
            return "No version of '" + name + "' matches " + range + " on " + string.Join(", ", found.Select(f => f.Index.DisplayName))
                + " (newest listed: " + newest + ")." + Unusable(listed, requirement, pythonVersion);
        }

        /// <summary>Versions that match the range but whose every file was unusable, and why.</summary>
        private static string Unusable(List<VersionEntry> listed, Requirement requirement, string? pythonVersion)
        {
            var blocked = listed.Where(v => v.Usable == 0 && requirement.Specifiers.Contains(v.Version, allowPreReleases: true)).ToList();
            if (blocked.Count == 0)
            {
                return "";
            }

            var reasons = blocked.GroupBy(v => v.LastProblem ?? "unusable")
                .Select(g => g.Key + ": " + string.Join(", ", g.Select(v => v.Version.ToString()).Distinct().Take(5)));
            var python = pythonVersion is null ? "" : " (for Python " + pythonVersion + ")";
            return " Matching versions whose files cannot be used" + python + ": " + string.Join("; ", reasons) + ".";
        }

        /// <summary>The longest one-line fix: "  Recommendation: " and the fix fill one line of a 120-column console.</summary>
        internal const int FixWidth = 100;

        internal static string Fit(string text, int width) => TextLayout.Fit(text, width);

        internal static string ShortName(IndexAttempt attempt) => TextLayout.ShortName(attempt);

        /// <summary>
        /// The one-line fix of a search stopped by a 401/403 (the error record's RecommendedAction). The Hint says the same at
        /// length and in uv's words; this is the line a console shows under the error.
        /// </summary>
        internal static string FixForAuthenticationFailure(IndexAttempt[] attempts, IndexSettings settings, Func<IndexDefinition, bool> answeredSuccessfully)
        {
            var failed = attempts.First(a => a.Outcome == AttemptOutcome.AuthFailed && a.Decision == SearchDecision.Stop);
            var name = failed.Index;
            var who = ShortName(failed);
            var sent = !string.Equals(failed.CredentialSource, "none", StringComparison.Ordinal);
            string fix;
            if (sent)
            {
                switch (failed.CredentialSource)
                {
                    case "env":
                        fix = name is null
                            ? "Correct the credentials sent to " + who + " (they were rejected)."
                            : "Set " + Credentials.CredentialProvider.UsernameVariable(name) + " and " + Credentials.CredentialProvider.PasswordVariable(name) + " to valid credentials.";
                        break;
                    case "netrc":
                        fix = "Correct the netrc entry for " + (Uri.TryCreate(failed.Url, UriKind.Absolute, out var uri) ? uri.Host : who) + " (its credentials were rejected).";
                        break;
                    case "uv-store":
                        fix = "Run `uv auth login` for " + who + " again (the stored credentials were rejected).";
                        break;
                    case "keyring":
                        fix = "Check the keyring backend's credentials for " + who + " (they were rejected).";
                        break;
                    case "parameter":
                        fix = "Pass a valid -Credential for " + who + " (the one given was rejected).";
                        break;
                    case "url":
                        fix = "Correct the user name and password in the URL of " + who + " (they were rejected).";
                        break;
                    default:
                        fix = name is null
                            ? "Give " + who + " its own credentials (those from " + failed.CredentialSource + " were rejected)."
                            : "Give " + who + " its own: " + Credentials.CredentialProvider.UsernameVariable(name) + " and " + Credentials.CredentialProvider.PasswordVariable(name) + ".";
                        break;
                }
            }
            else if (failed.StatusCode == 403 && name is not null && settings.Indexes.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal)) is IndexDefinition index && answeredSuccessfully(index))
            {
                fix = "If " + who + " lacks it: Set-IndexIgnoredCodes -Name " + name + " -StatusCode 403 (if later indexes are trusted).";
            }
            else if (name is null)
            {
                fix = "Name this index in [[tool.uv.index]] to give it UV_INDEX_<NAME>_* credentials, or add a netrc entry.";
            }
            else
            {
                fix = "Set " + Credentials.CredentialProvider.UsernameVariable(name) + " and " + Credentials.CredentialProvider.PasswordVariable(name) + ", or pass -Credential.";
            }

            return Fit(fix, FixWidth);
        }

        /// <summary>The one-line fix of a search that ended with an index error.</summary>
        internal static string FixForIndexError(IndexAttempt[] attempts, IndexStrategy strategy, IndexSettings settings, UvRules rules)
        {
            var failed = attempts.First(a => a.Decision == SearchDecision.Stop && (a.Outcome == AttemptOutcome.Failed || a.Outcome == AttemptOutcome.AuthFailed));
            var who = ShortName(failed);
            var index = IndexOf(failed, settings.Indexes.Concat(settings.FindLinks));
            string fix;
            if (failed.StatusCode is int status && status >= 400)
            {
                if (index is not null && index.Format == IndexFormat.Flat)
                {
                    fix = "Fix or remove the " + (settings.FindLinks.Contains(index) ? "find-links location " : "flat index ") + who + ".";
                }
                else if (status == 407)
                {
                    fix = "Give the proxy its credentials: -ProxyCredential, or user info in HTTPS_PROXY.";
                }
                else if (status == 511)
                {
                    fix = "Sign in to the network (a captive portal or gateway), then run the command again.";
                }
                else if (IgnoreErrorCodesApplies(failed, index, strategy, rules) && failed.Index is not null)
                {
                    fix = "Retry later; if " + who + " answers " + status + " for packages it lacks, add ignore-error-codes = [" + status + "].";
                }
                else
                {
                    fix = "Retry later, or check the URL of " + who + ".";
                }
            }
            else if (failed.Reason.IndexOf("timed out", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                fix = "Raise -TimeoutSec (or UV_HTTP_TIMEOUT) if " + who + " is slow, or check the network path to it.";
            }
            else
            {
                fix = "Check the URL of " + who + " and the network path to it, then run the command again.";
            }

            return Fit(fix, FixWidth);
        }

        /// <summary>The one-line fix of a package no index had.</summary>
        internal static string FixForNotFound(IndexAttempt[] attempts)
        {
            var asked = attempts.Where(a => a.Outcome != AttemptOutcome.Skipped).ToList();
            if (asked.Count == 0)
            {
                return "Configure an index for it (-Index, -DefaultIndex or [[tool.uv.index]]).";
            }

            return asked.Any(IsOffline)
                ? "Run once without -Offline to fill the cache."
                : "Check the spelling, or add the index that publishes it.";
        }

        /// <summary>The one-line fix of a package found without a matching version.</summary>
        internal static string FixForNoMatchingVersion(Requirement requirement, IndexStrategy strategy, IReadOnlyList<IndexVersions> found, IndexSettings settings, bool preReleasesMatch, UvRules? rules = null)
        {
            var uv = rules ?? UvRules.Latest;
            var listed = found.SelectMany(f => f.Versions.Values).ToList();
            string fix;
            if (preReleasesMatch)
            {
                fix = "Add -PreRelease (or prerelease = \"allow\") to consider the matching pre-releases.";
            }
            else if (strategy == IndexStrategy.FirstIndex && found.Count > 0 && (found[0].Versions.Count > 0 || !uv.SubsequentIndexHintNeedsListedVersions)
                && NextIndex(found[0].Index, settings) is not null)
            {
                fix = "If every index is trusted, -IndexStrategy UnsafeBestMatch also considers the later indexes.";
            }
            else if (listed.Any(v => v.Usable == 0 && requirement.Specifiers.Contains(v.Version, allowPreReleases: true)))
            {
                fix = "The matching versions have no file for the target: check -PythonVersion and -Platform.";
            }
            else if (listed.Count == 0)
            {
                fix = "Check the index: it lists no version of the package.";
            }
            else
            {
                fix = "Widen the requirement (newest listed: " + listed.Max(v => v.Version) + ").";
            }

            return Fit(fix, FixWidth);
        }
    }
}
