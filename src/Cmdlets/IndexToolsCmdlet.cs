using System.Collections.Concurrent;

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
            using (var events = new PipelineEvents(
                Shows("Verbose", "VerbosePreference"),
                Shows("Debug", "DebugPreference"),
                Shows("ProgressAction", "ProgressPreference")))
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

        /// <summary>
        /// Whether a record written to a stream reaches anyone, decided as PowerShell decides it: the common parameter
        /// (-Verbose, -Debug, -ProgressAction) when it was given, else the preference variable as the caller's scope sees
        /// it. Only SilentlyContinue and Ignore hide a record; anything this cannot read counts as shown. A stream nobody
        /// sees is not written at all: for a thousand packages that is thousands of messages the engine would compose
        /// and the pipeline thread would wake up for, only to drop them.
        /// </summary>
        internal bool Shows(string commonParameter, string preferenceVariable)
        {
            if (MyInvocation.BoundParameters.TryGetValue(commonParameter, out var bound) && bound != null)
            {
                if (bound is SwitchParameter switchValue)
                {
                    return switchValue.IsPresent;
                }

                if (TryPreference(bound, out var given))
                {
                    return Shown(given);
                }
            }

            return !TryPreference(GetVariableValue(preferenceVariable), out var preference) || Shown(preference);
        }

        private static bool TryPreference(object? value, out ActionPreference preference)
        {
            if (value is PSObject wrapped)
            {
                value = wrapped.BaseObject;
            }

            if (value is ActionPreference direct)
            {
                preference = direct;
                return true;
            }

            if (value is string text && Enum.TryParse(text, true, out preference))
            {
                return true;
            }

            preference = ActionPreference.Continue;
            return false;
        }

        private static bool Shown(ActionPreference preference) =>
            preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;

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

        /// <summary>Events for the streams that reach someone (the cmdlet decides through <see cref="IndexToolsCmdlet.Shows"/>).</summary>
        public PipelineEvents(bool showsVerbose, bool showsDebug, bool showsProgress)
        {
            ShowsVerbose = showsVerbose;
            ShowsDebug = showsDebug;
            ShowsProgress = showsProgress;
            DebugWriter = showsDebug ? Debug : (Action<string>?)null;
        }

        /// <summary>Whether verbose records reach anyone; when not, <see cref="Verbose"/> drops them and callers need not compose them.</summary>
        public bool ShowsVerbose { get; }

        public bool ShowsDebug { get; }

        public bool ShowsProgress { get; }

        /// <summary>The debug writer to hand to the engine: null when debug records reach no one, so the engine composes none.</summary>
        public Action<string>? DebugWriter { get; }

        /// <summary>Verbose and debug lines leave the engine here: control characters escaped, known secrets scrubbed.</summary>
        public void Verbose(string message)
        {
            if (ShowsVerbose)
            {
                var clean = NetworkText.Clean(message);
                Add(c => c.WriteVerbose(clean));
            }
        }

        public void Debug(string message)
        {
            if (ShowsDebug)
            {
                var clean = NetworkText.Clean(message);
                Add(c => c.WriteDebug(clean));
            }
        }

        public void Progress(ProgressRecord record)
        {
            if (ShowsProgress)
            {
                Add(c => c.WriteProgress(record));
            }
        }

        /// <summary>A warning (credential sources, ...): written in order with everything else.</summary>
        public void Warning(string message) => Add(c => c.WriteWarning(message));

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
