using System.Collections;
using System.Management.Automation.Language;

namespace IndexTools.Cmdlets
{
    /// <summary>Completes -Platform with uv's --python-platform values (no configuration, no network).</summary>
    public sealed class PlatformCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            return IndexNameCompleter.Complete(TargetEnvironment.PlatformNames, wordToComplete);
        }
    }
}
