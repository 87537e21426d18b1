using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Base of every IndexTools cmdlet: owns the cancellation of in-flight engine work (Ctrl+C cancels it at once)
    /// and runs async engine calls on a worker while the pipeline thread writes the events they produce.
    /// </summary>
    public abstract class IndexToolsCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>Only IndexTools' own cmdlets derive from this (C# requires a public base for public cmdlets).</summary>
        internal IndexToolsCmdlet()
        {
        }

        /// <summary>Cancelled when the pipeline is stopped (Ctrl+C, Select-Object -First, ...).</summary>
        internal CancellationToken StopToken => _stopping.Token;

        protected override void StopProcessing()
        {
            _stopping.Cancel();
            base.StopProcessing();
        }

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// Runs <paramref name="work"/> on a worker thread. Everything it sends to the <see cref="PipelineEvents"/> it
        /// receives is written here, on the pipeline thread, in order, as soon as it arrives; PowerShell forbids writing
        /// from any other thread. Returns when the work ended; rethrows its exception (unwrapped).
        /// </summary>
        internal void RunOnWorker(Func<PipelineEvents, CancellationToken, Task> work)
        {
            using (var events = new PipelineEvents())
            {
                var token = _stopping.Token;
                var task = Task.Run(
                    async () =>
                    {
                        try
                        {
                            await work(events, token).ConfigureAwait(false);
                        }
                        finally
                        {
                            events.Complete();
                        }
                    },
                    CancellationToken.None);

                try
                {
                    foreach (var item in events.Drain())
                    {
                        item(this);
                    }
                }
                catch
                {
                    // A write threw (typically PipelineStoppedException): stop the worker, let it finish, surface the write's error.
                    _stopping.Cancel();
                    try
                    {
                        task.GetAwaiter().GetResult();
                    }
                    catch (Exception)
                    {
                        // The worker's own failure is a consequence of the cancellation; the write's error is the one that matters.
                    }

                    throw;
                }

                task.GetAwaiter().GetResult();
            }
        }

        /// <summary>Turns a cancellation caused by StopProcessing into the pipeline's own stop; anything else passes through.</summary>
        internal bool IsStopRequested(Exception exception)
        {
            return exception is OperationCanceledException && _stopping.IsCancellationRequested;
        }
    }

    /// <summary>
    /// The queue between an engine worker and the pipeline thread. Thread-safe; the worker adds, the pipeline thread drains.
    /// </summary>
    internal sealed class PipelineEvents : IDisposable
    {
        private readonly BlockingCollection<Action<Cmdlet>> _queue = new BlockingCollection<Action<Cmdlet>>();

        public void Verbose(string message) => Add(c => c.WriteVerbose(message));

        public void Debug(string message) => Add(c => c.WriteDebug(message));

        public void Progress(ProgressRecord record) => Add(c => c.WriteProgress(record));

        public void Output(object value) => Add(c => c.WriteObject(value));

        public void Error(ErrorRecord record) => Add(c => c.WriteError(record));

        internal void Complete() => _queue.CompleteAdding();

        internal System.Collections.Generic.IEnumerable<Action<Cmdlet>> Drain() => _queue.GetConsumingEnumerable();

        public void Dispose() => _queue.Dispose();

        private void Add(Action<Cmdlet> write)
        {
            try
            {
                _queue.Add(write);
            }
            catch (InvalidOperationException)
            {
                // Adding after completion: the pipeline has stopped listening (stopped or failed); the event has nowhere to go.
            }
        }
    }
}
