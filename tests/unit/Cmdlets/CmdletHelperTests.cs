using System.Linq;
using IndexTools.Cmdlets;
using Xunit;

namespace IndexTools.Tests.Cmdlets
{
    public class CmdletHelperTests
    {
        [Fact]
        public void ShouldProcessTargetNamesFileAndIndex()
        {
            Assert.Equal("/p/pyproject.toml [[tool.uv.index]] 'internal'", SetIndexIgnoredCodesCommand.TargetText("/p/pyproject.toml", "internal"));
            Assert.Equal("[401, 403]", SetIndexIgnoredCodesCommand.CodesText(new[] { 401, 403 }));
            Assert.Equal("[]", SetIndexIgnoredCodesCommand.CodesText(new int[0]));
        }

        [Theory]
        [InlineData(new[] { 401 }, true)]
        [InlineData(new[] { 403, 500 }, true)]
        [InlineData(new[] { 500, 502 }, false)]
        [InlineData(new int[0], false)]
        public void IgnoringAuthFailuresWeakensProtection(int[] codes, bool weakens)
        {
            Assert.Equal(weakens, SetIndexIgnoredCodesCommand.Weakens(codes));
        }

        [Fact]
        public void ResettingDoesNotWeaken()
        {
            Assert.False(SetIndexIgnoredCodesCommand.Weakens(null));
        }

        [Fact]
        public void CompleterMatchesPrefixCaseInsensitivelyAndKeepsTheUsersQuote()
        {
            var names = new[] { "pytorch", "internal", "PyPI-mirror", "pypi" };
            Assert.Equal(new[] { "pypi", "PyPI-mirror", "pytorch" }, IndexNameCompleter.Complete(names, "py").Select(r => r.CompletionText));
            Assert.Equal(new[] { "'internal'" }, IndexNameCompleter.Complete(names, "'in").Select(r => r.CompletionText));
            Assert.Equal(new[] { "\"internal\"" }, IndexNameCompleter.Complete(names, "\"in").Select(r => r.CompletionText));
            Assert.Equal(4, IndexNameCompleter.Complete(names, "").Count());
        }

        [Fact]
        public void AttemptVerboseLineIsOneLineWithIndexStatusOutcomeAndReason()
        {
            var line = SearchEventListener.Describe(new IndexAttempt { Package = "torch", Order = 2, Index = "pytorch", StatusCode = 403, Outcome = AttemptOutcome.Ignored, Decision = SearchDecision.Continue, Reason = "403 is ignored" });
            Assert.Equal("torch: [2] pytorch 403 Ignored, Continue: 403 is ignored", line);
        }
    }
}
