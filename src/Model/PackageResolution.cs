using System;

namespace IndexTools
{
    /// <summary>The answer for one package: which index and version, and why the search stopped there.</summary>
    public sealed class PackageResolution
    {
        /// <summary>Normalized (PEP 503) package name.</summary>
        public string Package { get; set; } = "";

        /// <summary>What the user asked for, as given (<c>requests&gt;=2,&lt;3</c>).</summary>
        public string Requirement { get; set; } = "";

        public IndexStrategy Strategy { get; set; }

        /// <summary>True when a version was chosen.</summary>
        public bool Resolved { get; set; }

        /// <summary>Name (or redacted URL) of the index the version comes from; null when unresolved.</summary>
        public string? Index { get; set; }

        /// <summary>Chosen version (PEP 440 string); null when none.</summary>
        public string? Version { get; set; }

        public StopReason StopReason { get; set; }

        /// <summary>Every index considered, in search order, skipped ones included.</summary>
        public IndexAttempt[] Attempts { get; set; } = Array.Empty<IndexAttempt>();

        /// <summary>What the user can do next; null when there is nothing to do.</summary>
        public string? Hint { get; set; }

        public override string ToString()
        {
            return Resolved
                ? Package + " " + Version + " from " + Index
                : Package + ": " + StopReason;
        }
    }
}
