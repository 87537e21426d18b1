namespace IndexTools
{
    /// <summary>One index the search considered for one package, in search order.</summary>
    public sealed class IndexAttempt
    {
        /// <summary>Normalized (PEP 503) package name that was asked for.</summary>
        public string Package { get; set; } = "";

        /// <summary>1-based position of this index in the search order.</summary>
        public int Order { get; set; }

        /// <summary>The index's name, or null when it has none (a URL from the command line or environment).</summary>
        public string? Index { get; set; }

        /// <summary>The URL queried, credentials redacted.</summary>
        public string Url { get; set; } = "";

        /// <summary>Final HTTP status; null when nothing answered or the index was not queried.</summary>
        public int? StatusCode { get; set; }

        public AttemptOutcome Outcome { get; set; }

        public SearchDecision Decision { get; set; }

        /// <summary>One plain sentence: why this outcome and decision.</summary>
        public string Reason { get; set; } = "";

        /// <summary>Set when something about this answer weakens its safety: the page came over cleartext http after an https → http redirect.</summary>
        public string? SecurityWarning { get; set; }

        /// <summary>Versions this index lists for the package (0 unless Found).</summary>
        public int VersionCount { get; set; }

        /// <summary>none, url, env, netrc, keyring or parameter: where credentials came from (never the secret).</summary>
        public string CredentialSource { get; set; } = "none";

        /// <summary>HTTP requests made, retries included.</summary>
        public int Tries { get; set; }

        /// <summary>Wall time of this attempt, in milliseconds.</summary>
        public double DurationMs { get; set; }

        /// <summary>Short form used inside a parent's table: <c>pytorch: Ignored (403)</c>.</summary>
        public override string ToString()
        {
            var who = Index ?? Url;
            return StatusCode.HasValue
                ? who + ": " + Outcome + " (" + StatusCode.Value + ")"
                : who + ": " + Outcome;
        }
    }
}
