using IndexTools.Cmdlets;
using Xunit;

namespace IndexTools.Tests.Cmdlets
{
    public class RequirementLineTests
    {
        [Theory]
        [InlineData("", "Blank", "")]
        [InlineData("   \t", "Blank", "")]
        [InlineData(null, "Blank", "")]
        [InlineData("# pinned", "Comment", "")]
        [InlineData("  #x", "Comment", "")]
        [InlineData("-r other.txt", "Option", "-r")]
        [InlineData("--index-url https://u:secret@host/simple", "Option", "--index-url")]
        [InlineData("--extra-index-url=https://u:secret@host/simple", "Option", "--extra-index-url")]
        [InlineData("requests", "Requirement", "requests")]
        [InlineData("  requests>=2,<3  ", "Requirement", "requests>=2,<3")]
        [InlineData("requests>=2 # http", "Requirement", "requests>=2")]
        [InlineData("pkg @ https://host/x.whl#sha256=abc", "Requirement", "pkg @ https://host/x.whl#sha256=abc")]
        public void Classifies(string? line, string kind, string requirement)
        {
            Assert.Equal(kind, RequirementLine.Classify(line, out var text).ToString());
            Assert.Equal(requirement, text);
        }

        [Fact]
        public void AnOptionNeverCarriesItsValue()
        {
            RequirementLine.Classify("--index-url https://user:hunter2@pkgs.example.test/simple", out var text);
            Assert.DoesNotContain("hunter2", text);
        }
    }
}
