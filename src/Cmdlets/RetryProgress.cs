namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Shows uv's retry backoff in a progress record of its own ("pypi: retry 2 of 3 in 4 s (HTTP 503)"), for one package
    /// as for many, so a long wait is visible; the record completes when no request is waiting any more.
    /// </summary>
    internal sealed class RetryProgress
    {
        internal const int ActivityId = 0x1D8;
        internal const string Activity = "Waiting to retry";

        private readonly PipelineEvents _events;
        private int _waiting;

        internal RetryProgress(PipelineEvents events)
        {
            _events = events;
        }

        /// <summary>Called on worker threads, before and after each wait.</summary>
        internal void On(RetryNotice notice)
        {
            if (!notice.Done)
            {
                Interlocked.Increment(ref _waiting);
                _events.Progress(new ProgressRecord(ActivityId, Activity, NetworkText.Clean(notice.ToString()) ?? ""));
            }
            else if (Interlocked.Decrement(ref _waiting) == 0)
            {
                _events.Progress(new ProgressRecord(ActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
    }
}
