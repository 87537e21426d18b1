namespace IndexTools
{
    /// <summary>The answer for one package: which index and version, and why the search stopped there.</summary>
    public sealed class PackageResolution : IReportable
    {
        /// <summary>Normalized (PEP 503) package name.</summary>
        public string Package { get; set; } = "";

        /// <summary>What the user asked for, as given (<c>requests&gt;=2,&lt;3</c>).</summary>
        public string Requirement { get; set; } = "";

        public IndexStrategy Strategy { get; set; }

        /// <summary>The uv release whose rules this search reproduced (<c>0.12.5</c> unless -UvVersion said otherwise).</summary>
        public string UvVersion { get; set; } = "";

        /// <summary>True when a version was chosen.</summary>
        public bool Resolved { get; set; }

        /// <summary>Name (or redacted URL) of the index the version comes from; null when unresolved.</summary>
        public string? Index { get; set; }

        /// <summary>Chosen version; null when none. Sorts as a PEP 440 version, prints and serializes as its string.</summary>
        public PackageVersion? Version { get; set; }

        public StopReason StopReason { get; set; }

        /// <summary>Every index considered, in search order, skipped ones included.</summary>
        public IndexAttempt[] Attempts { get; set; } = Array.Empty<IndexAttempt>();

        /// <summary>What the user can do next; null when there is nothing to do.</summary>
        public string? Hint { get; set; }

        /// <summary>
        /// The fix in one line (at most 100 characters): the RecommendedAction of the error written for an unresolved
        /// package, so that a console shows it once and short; <see cref="Hint"/> says it at length. Not part of the
        /// object contract (not serialized).
        /// </summary>
        internal string? Fix { get; set; }

        /// <summary>Where the requirement was read from (<c>requirements.txt:3</c>, <c>pyproject.toml:8 [project].dependencies</c>); null when given by name.</summary>
        public string? Source { get; set; }

        /// <summary>The full path of the file <see cref="Source"/> names; null when the requirement was given by name.</summary>
        public string? SourceFile { get; set; }

        /// <summary>The environment the version was picked for (Python version, platform, or the universal/assumed target and why).</summary>
        public string? Target { get; set; }

        public override string ToString()
        {
            return Resolved
                ? Package + " " + Version + " from " + Index
                : Package + ": " + StopReason;
        }
    
        IEnumerable<ReportEntry> IReportable.GetReportEntries()
        {
            ReportEntry entry;
            if (Resolved)
            {
                entry = new ReportEntry("Resolution", ReportSeverity.Info, Package, Index, "resolved", Package + " " + Version + " from " + Index + ".");
            }
            else
            {
                string title;
                switch (StopReason)
                {
                    case StopReason.AuthenticationFailed: title = "authentication failed"; break;
                    case StopReason.IndexError: title = "index error"; break;
                    case StopReason.NoMatchingVersion: title = "no matching version"; break;
                    default: title = "not found on any index"; break;
                }

                string? stoppedAt = null;
                string? reason = null;
                for (var i = Attempts.Length - 1; i >= 0; i--)
                {
                    var attempt = Attempts[i];
                    if (attempt.Outcome != AttemptOutcome.Skipped)
                    {
                        stoppedAt = attempt.Index ?? attempt.Url;
                        reason = attempt.Reason;
                        break;
                    }
                }

                var message = "'" + Requirement + "' could not be resolved (" + StopReason + ")";
                message += string.IsNullOrEmpty(reason) ? "." : ": " + reason + ".";
                if (!string.IsNullOrEmpty(Hint))
                {
                    message += " " + Hint;
                }

                entry = new ReportEntry("Resolution", ReportSeverity.Error, Package, stoppedAt, title, message);
            }

            entry.Columns.Add(new KeyValuePair<string, string>("Requirement", Requirement));
            entry.Columns.Add(new KeyValuePair<string, string>("Version", Version?.ToString() ?? ""));
            entry.Columns.Add(new KeyValuePair<string, string>("Strategy", Strategy.ToString()));
            if (Source != null)
            {
                entry.Columns.Add(new KeyValuePair<string, string>("Source", Source));
            }

            yield return entry.At(Source, SourceFile);
        }
    }
}
