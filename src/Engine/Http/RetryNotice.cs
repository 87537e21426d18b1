namespace IndexTools.Engine.Http
{
    /// <summary>
    /// A request is about to wait before a retry (uv's backoff), or has finished waiting (<see cref="Done"/>): what a
    /// progress record shows, so a long wait is visible ("pypi: retry 2 of 3 in 4 s").
    /// </summary>
    /// <param name="Index">The index's name, or its host and port when it has none (never a credential).</param>
    /// <param name="Retry">Which retry this is (1-based).</param>
    /// <param name="Retries">How many retries are allowed (UV_HTTP_RETRIES, default 3).</param>
    /// <param name="Delay">How long the request waits before this retry.</param>
    /// <param name="Reason">Why it retries: "HTTP 503", "connection refused", ...</param>
    /// <param name="Done">False before the wait, true after it (or when it was cancelled).</param>
    public sealed record RetryNotice(string Index, int Retry, int Retries, TimeSpan Delay, string Reason, bool Done = false)
    {
        /// <summary><c>pypi: retry 2 of 3 in 4 s (HTTP 503)</c>.</summary>
        public override string ToString() => Index + ": retry " + Retry + " of " + Retries + " in " + ReadTimeoutException.FormatSeconds(Delay) + " (" + Reason + ")";

        internal RetryNotice Finished() => this with { Done = true };
    }
}
