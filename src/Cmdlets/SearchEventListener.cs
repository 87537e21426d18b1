namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Receives the engine's events on worker threads and queues them for the pipeline thread:
    /// one verbose line per attempt, debug lines, progress for multi-package runs.
    /// </summary>
    internal sealed class SearchEventListener : ISearchListener
    {
        internal const int ProgressActivityId = 0x1D7;
        internal const string ProgressActivity = "Resolving packages";

        private readonly PipelineEvents _events;
        private readonly int _packageCount;
        private readonly PercentProgress _percent = new PercentProgress();

        internal SearchEventListener(PipelineEvents events, int packageCount)
        {
            _events = events;
            _packageCount = packageCount;
        }

        internal bool ShowsProgress => _packageCount > 1 && _events.ShowsProgress;

        public void OnAttempt(IndexAttempt attempt)
        {
            if (_events.ShowsVerbose)
            {
                _events.Verbose(Describe(attempt));
            }

            if (attempt.SecurityWarning != null)
            {
                _events.Warning(attempt.Package + ": " + attempt.SecurityWarning);
            }
        }

        public void OnDebug(string message)
        {
            _events.Debug(message);
        }

        public void OnProgress(PackageResolution resolution, int completed, int total)
        {
            if (!ShowsProgress)
            {
                return;
            }

            var of = total > 0 ? total : _packageCount;
            if (!_percent.Next(completed, of, out var percent))
            {
                return;
            }

            var record = new ProgressRecord(ProgressActivityId, ProgressActivity, completed + " of " + of + ": " + resolution.Package)
            {
                PercentComplete = percent,
            };
            _events.Progress(record);
        }

        /// <summary>The closing record: progress bars must always end.</summary>
        internal void Complete()
        {
            if (ShowsProgress)
            {
                _events.Progress(new ProgressRecord(ProgressActivityId, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary><c>requests: [2] internal 401 AuthFailed, Stop: ...</c> — URLs in attempts are already redacted.</summary>
        internal static string Describe(IndexAttempt attempt)
        {
            var status = attempt.StatusCode.HasValue ? " " + attempt.StatusCode.Value : "";
            var who = attempt.Index ?? attempt.Url;
            return attempt.Package + ": [" + attempt.Order + "] " + who + status + " " + attempt.Outcome + ", " + attempt.Decision + ": " + attempt.Reason;
        }
    }

    /// <summary>
    /// One progress record per percent of a multi-package run (called by the one consumer of the results, so no lock): a host
    /// handles and redraws the bar for every record, and a thousand records cost the pipeline thread more than the search of a
    /// thousand packages costs the engine. Every network cmdlet that reports per package goes through it.
    /// </summary>
    internal sealed class PercentProgress
    {
        private int _last = -1;

        /// <summary>Whether <paramref name="completed"/> of <paramref name="total"/> starts a new percent (or is the last one).</summary>
        internal bool Next(int completed, int total, out int percent)
        {
            percent = total > 0 ? (int)(100L * completed / total) : -1;
            if (percent == _last && completed != total)
            {
                return false;
            }

            _last = percent;
            return true;
        }
    }
}
