using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace IndexTools
{
    /// <summary>How a locked package compares with what the current configuration would choose.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum LockDriftReason
    {
        /// <summary>The index the configuration chooses is the registry recorded in the lock, and it still offers the version.</summary>
        Unchanged,
        /// <summary>The configuration now chooses another index than the lock's registry.</summary>
        DifferentIndex,
        /// <summary>No index has the package any more.</summary>
        NotFound,
        /// <summary>The search stopped at an index that refused the request (401/403 that the index does not ignore).</summary>
        AuthenticationFailed,
        /// <summary>The search ended with an index error (network, 5xx, an unreadable page).</summary>
        IndexError,
        /// <summary>The chosen index has the package, but not the locked version (removed, or only incompatible files).</summary>
        VersionMissing,
        /// <summary>The chosen index still lists the locked version, but every file of it is yanked.</summary>
        VersionYanked,
    }

    /// <summary>One package of a uv.lock, checked against the index the current configuration would choose.</summary>
    public sealed class LockDrift : IReportable
    {
        /// <summary>Normalized (PEP 503) package name.</summary>
        public string Package { get; set; } = "";

        /// <summary>The version recorded in the lock (sorts as a PEP 440 version, prints and serializes as its string).</summary>
        public PackageVersion Version { get; set; } = new PackageVersion("");

        /// <summary>Unchanged, or why the package drifted.</summary>
        public LockDriftReason Reason { get; set; }

        /// <summary>True unless <see cref="Reason"/> is Unchanged.</summary>
        public bool Drifted => Reason != LockDriftReason.Unchanged;

        /// <summary>The registry recorded in the lock, credentials redacted.</summary>
        public string LockedRegistry { get; set; } = "";

        /// <summary>The index the configuration chooses now (its name, or its redacted URL); null when none was chosen.</summary>
        public string? Index { get; set; }

        /// <summary>The chosen index's URL, credentials redacted; null when none was chosen.</summary>
        public string? IndexUrl { get; set; }

        public IndexStrategy Strategy { get; set; }

        /// <summary>One plain sentence that explains <see cref="Reason"/>.</summary>
        public string Message { get; set; } = "";

        /// <summary>The uv.lock that was checked.</summary>
        public string LockFile { get; set; } = "";

        /// <summary>1-based line of the package's [[package]] entry in the lock.</summary>
        public int Line { get; set; }

        /// <summary>The search behind the verdict (requirement <c>name==version</c>), with every attempt.</summary>
        public PackageResolution? Resolution { get; set; }

        public override string ToString() => Package + " " + Version + ": " + Reason;

        IEnumerable<ReportEntry> IReportable.GetReportEntries()
        {
            ReportSeverity severity;
            string title;
            switch (Reason)
            {
                case LockDriftReason.Unchanged:
                    severity = ReportSeverity.Info;
                    title = "matches the lock";
                    break;
                case LockDriftReason.VersionYanked:
                case LockDriftReason.VersionMissing:
                    severity = ReportSeverity.Warning;
                    title = Reason == LockDriftReason.VersionYanked ? "locked version yanked" : "locked version no longer offered";
                    break;
                case LockDriftReason.DifferentIndex:
                    severity = ReportSeverity.Error;
                    title = "a different index would be chosen";
                    break;
                case LockDriftReason.NotFound:
                    severity = ReportSeverity.Error;
                    title = "not found on any index";
                    break;
                case LockDriftReason.AuthenticationFailed:
                    severity = ReportSeverity.Error;
                    title = "search stopped: authentication failed";
                    break;
                default:
                    severity = ReportSeverity.Error;
                    title = "search stopped: index error";
                    break;
            }

            var entry = new ReportEntry("LockDrift", severity, Package, Index, title, Message);
            entry.Columns.Add(new KeyValuePair<string, string>("Version", Version.ToString()));
            entry.Columns.Add(new KeyValuePair<string, string>("Locked registry", LockedRegistry));
            entry.Columns.Add(new KeyValuePair<string, string>("Reason", Reason.ToString()));
            if (!string.IsNullOrEmpty(LockFile))
            {
                entry.File = LockFile;
                entry.Line = Line > 0 ? Line : (int?)null;
            }

            yield return entry;
        }
    }
}
