using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Cmdlets;
using Xunit;

namespace IndexTools.Tests.Cmdlets
{
    /// <summary>A cmdlet on the real base: its worker writes only through PipelineEvents, from pool threads.</summary>
    [Cmdlet("Test", "IndexToolsWorker")]
    public sealed class TestIndexToolsWorkerCommand : IndexToolsCmdlet
    {
        internal static readonly ManualResetEventSlim Started = new ManualResetEventSlim();
        internal static volatile bool SawCancellation;
        internal static volatile bool SawDebugWriter;

        [Parameter] public int Count { get; set; }

        [Parameter] public SwitchParameter Fail { get; set; }

        [Parameter] public SwitchParameter WaitForStop { get; set; }

        protected override void EndProcessing()
        {
            try
            {
                RunOnWorker(async (events, token) =>
                {
                    SawDebugWriter = events.DebugWriter != null;
                    events.Debug("debug line");
                    for (var i = 0; i < Count; i++)
                    {
                        await Task.Yield();
                        events.Verbose("attempt " + i);
                        events.Output(i);
                    }

                    events.Progress(new ProgressRecord(1, "a", "b") { RecordType = ProgressRecordType.Completed });
                    if (WaitForStop.IsPresent)
                    {
                        Started.Set();
                        try
                        {
                            await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            SawCancellation = true;
                            throw;
                        }
                    }

                    if (Fail.IsPresent)
                    {
                        throw new FormatException("not a requirement");
                    }
                });
            }
            catch (Exception e) when (IsStopRequested(e))
            {
                throw new PipelineStoppedException();
            }
            catch (FormatException e)
            {
                ThrowTerminatingError(EngineErrors.FromException(e, "x")!);
            }
        }
    }

    public class PipelineThreadTests
    {
        private static PowerShell NewShell()
        {
            var state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateCmdletEntry("Test-IndexToolsWorker", typeof(TestIndexToolsWorkerCommand), null));
            var shell = PowerShell.Create(state);
            return shell;
        }

        [Fact]
        public void WorkerEventsAreWrittenOnThePipelineThreadInOrder()
        {
            using var shell = NewShell();
            shell.AddCommand("Test-IndexToolsWorker").AddParameter("Count", 50).AddParameter("Verbose");
            var output = shell.Invoke();
            Assert.False(shell.HadErrors);
            Assert.Equal(Enumerable.Range(0, 50), output.Select(o => (int)o.BaseObject));
            Assert.Equal(Enumerable.Range(0, 50).Select(i => "attempt " + i), shell.Streams.Verbose.Select(v => v.Message));
            Assert.Equal(ProgressRecordType.Completed, shell.Streams.Progress.Last().RecordType);
        }

        [Fact]
        public void ThePreferenceVariableAloneShowsVerboseAndDebug()
        {
            using var shell = NewShell();
            shell.AddScript("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; Test-IndexToolsWorker -Count 3");
            shell.Invoke();
            Assert.Equal(new[] { "attempt 0", "attempt 1", "attempt 2" }, shell.Streams.Verbose.Select(v => v.Message));
            Assert.Equal("debug line", Assert.Single(shell.Streams.Debug).Message);
            Assert.True(TestIndexToolsWorkerCommand.SawDebugWriter);
        }

        [Fact]
        public void StreamsNobodySeesAreNotWrittenAndTheEngineGetsNoDebugWriter()
        {
            using var shell = NewShell();
            shell.AddScript("$ProgressPreference = 'SilentlyContinue'; Test-IndexToolsWorker -Count 3");
            var output = shell.Invoke();
            Assert.Equal(3, output.Count);
            Assert.Empty(shell.Streams.Verbose);
            Assert.Empty(shell.Streams.Debug);
            Assert.Empty(shell.Streams.Progress);
            Assert.False(TestIndexToolsWorkerCommand.SawDebugWriter);
        }

        [Fact]
        public void TheCommonParameterWinsOverThePreference()
        {
            using var shell = NewShell();
            shell.AddScript("$VerbosePreference = 'Continue'; Test-IndexToolsWorker -Count 2 -Verbose:$false -ProgressAction SilentlyContinue; Test-IndexToolsWorker -Count 1 -Debug");
            shell.Invoke();
            Assert.Equal(new[] { "attempt 0" }, shell.Streams.Verbose.Select(v => v.Message));
            Assert.Equal(ProgressRecordType.Completed, Assert.Single(shell.Streams.Progress).RecordType);
            Assert.Equal("debug line", Assert.Single(shell.Streams.Debug).Message);
        }

        [Fact]
        public void TheWorkersExceptionBecomesAnErrorRecordWithAStableId()
        {
            using var shell = NewShell();
            shell.AddCommand("Test-IndexToolsWorker").AddParameter("Count", 3).AddParameter("Fail");
            var thrown = Assert.ThrowsAny<RuntimeException>(() => shell.Invoke());
            Assert.Equal("InvalidRequirement,IndexTools.Tests.Cmdlets.TestIndexToolsWorkerCommand", thrown.ErrorRecord.FullyQualifiedErrorId);
        }

        [Fact]
        public void StoppingThePipelineCancelsTheWorkersToken()
        {
            TestIndexToolsWorkerCommand.Started.Reset();
            TestIndexToolsWorkerCommand.SawCancellation = false;
            using var shell = NewShell();
            shell.AddCommand("Test-IndexToolsWorker").AddParameter("Count", 1).AddParameter("WaitForStop");
            var async = shell.BeginInvoke();
            TestIndexToolsWorkerCommand.Started.Wait();
            shell.Stop();
            Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(async));
            Assert.True(TestIndexToolsWorkerCommand.SawCancellation);
        }
    }
}
