namespace IndexTools.Engine.Http
{
    /// <summary>
    /// A request is about to wait before a retry (uv's backoff), or has finished waiting (<see cref="Done"/>): what a
    /// progress record shows, so a long wait is visible ("pypi: retry 2 of 3 in 4 s").
    /// </summary>
    public sealed class RetryNotice
    {
        public RetryNotice(string index, int retry, int retries, TimeSpan delay, string reason, bool done = false)
        {
            Index = index;
            Retry = retry;
            Retries = retries;
            Delay = delay;
            Reason = reason;
            Done = done;
        }

        /// <summary>The index's name, or its host and port when it has none (never a credential).</summary>
        public string Index { get; }

        /// <summary>Which retry this is (1-based).</summary>
        public int Retry { get; }

        /// <summary>How many retries are allowed (UV_HTTP_RETRIES, default 3).</summary>
        public int Retries { get; }

        /// <summary>How long the request waits before this retry.</summary>
        public TimeSpan Delay { get; }

        /// <summary>Why it retries: "HTTP 503", "connection refused", ...</summary>
        public string Reason { get; }

        /// <summary>False before the wait, true after it (or when it was cancelled).</summary>
        public bool Done { get; }

        /// <summary><c>pypi: retry 2 of 3 in 4 s (HTTP 503)</c>.</summary>
        public override string ToString() => Index + ": retry " + Retry + " of " + Retries + " in " + ReadTimeoutException.FormatSeconds(Delay) + " (" + Reason + ")";

        internal RetryNotice Finished() => new RetryNotice(Index, Retry, Retries, Delay, Reason, done: true);
    }
}
