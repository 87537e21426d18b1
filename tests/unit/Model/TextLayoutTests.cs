using System.Linq;
using IndexTools;
using Xunit;

namespace IndexTools.Tests.Model
{
    public class TextLayoutTests
    {
        [Fact]
        public void Wrap_BreaksAtSpacesOnly_AndIndentsContinuationLines()
        {
            var text = "HTTP 401 from 'internal' is not in its ignore-error-codes; first-index stops here instead of trying later indexes";
            var lines = TextLayout.WrapLines(text, 40, 6, 0);
            Assert.True(lines.Count > 2);
            Assert.All(lines, l => Assert.True(l.Length <= 40, l));
            Assert.All(lines.Skip(1), l => Assert.StartsWith("      ", l));
            Assert.Equal(text, string.Join(" ", lines.Select(l => l.Trim())));
        }

        [Fact]
        public void Wrap_CountsWhatTheFirstLineAlreadyHolds()
        {
            var lines = TextLayout.WrapLines("one two three four five six", 20, 10, 10);
            Assert.Equal("one two", lines[0]);
            Assert.All(lines, l => Assert.True(l.Length + (l == lines[0] ? 10 : 0) <= 20, l));
        }

        [Fact]
        public void Wrap_BreaksAWordLongerThanALine_AfterASlashOrHyphen()
        {
            var url = "http://127.0.0.1:39075/some/rather/long/path/to/an/index/simple/";
            var lines = TextLayout.WrapLines("see " + url, 30, 2, 0);
            Assert.All(lines, l => Assert.True(l.Length <= 30, l));
            Assert.Equal("see " + url, lines[0].Trim() + string.Concat(lines.Skip(1).Select(l => l.Trim())).Insert(0, lines[0].EndsWith("/") || lines[0].EndsWith("-") ? "" : " "));
        }

        [Fact]
        public void Wrap_LeavesAWordWithoutABreakWhole()
        {
            var lines = TextLayout.WrapLines("a " + new string('x', 50) + " b", 30, 4, 0);
            Assert.Contains(new string('x', 50), lines);
        }

        [Theory]
        [InlineData(0, 79)]
        [InlineData(20, 79)]
        [InlineData(60, 59)]
        [InlineData(80, 79)]
        [InlineData(200, 79)]
        public void LineWidth_IsTheHostWidthLessOne_AtMost79(int host, int expected)
        {
            Assert.Equal(expected, TextLayout.LineWidth(host));
        }

        [Fact]
        public void Explain_PutsEachReasonUnderItself()
        {
            var resolution = new PackageResolution
            {
                Package = "acme-auth",
                Strategy = IndexStrategy.FirstIndex,
                StopReason = StopReason.AuthenticationFailed,
                Hint = "Set UV_INDEX_INTERNAL_USERNAME and UV_INDEX_INTERNAL_PASSWORD for the index internal, or pass -Credential with -CredentialIndex internal.",
                Attempts = new[]
                {
                    new IndexAttempt { Order = 1, Index = "internal", StatusCode = 401, Outcome = AttemptOutcome.AuthFailed, Reason = "HTTP 401 from 'internal' is not in its ignore-error-codes; first-index stops here instead of trying later indexes" },
                    new IndexAttempt { Order = 2, Url = "https://a-rather-long-unnamed-index.example/simple/", Outcome = AttemptOutcome.Skipped, Reason = "not queried" },
                },
            };
            var lines = TextLayout.Explain(resolution, 79).Split('\n');
            Assert.Equal("acme-auth: AuthenticationFailed  [FirstIndex]", lines[0]);
            Assert.All(lines, l => Assert.True(l.Length <= 79, l));
            var column = lines[1].IndexOf("HTTP 401", System.StringComparison.Ordinal);
            Assert.StartsWith(new string(' ', column) + "ignore-error-codes;", lines[2]);
            Assert.Contains(lines, l => l.StartsWith("    Hint: Set UV_INDEX_INTERNAL_USERNAME", System.StringComparison.Ordinal));
            Assert.Contains(lines, l => l == "        not queried");
        }
    }
}
