using IndexTools.Engine.SimpleApi;

namespace IndexTools.Engine.Search
{
    /// <summary>
    /// Receives events while a search runs. Called from worker threads: a PowerShell host queues them and writes
    /// them on the pipeline thread. Nothing passed here contains a secret.
    /// </summary>
    public interface ISearchListener
    {
        /// <summary>One index attempt finished (or was skipped).</summary>
        void OnAttempt(IndexAttempt attempt);

        /// <summary>HTTP-level detail (request line, status, selected headers), already redacted.</summary>
        void OnDebug(string message);

        /// <summary>A package finished; <paramref name="completed"/> of <paramref name="total"/> are done (total is -1 while unknown).</summary>
        void OnProgress(PackageResolution resolution, int completed, int total);
    }
}
