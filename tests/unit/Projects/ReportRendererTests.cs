using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using IndexTools.Engine.Reporting;
using Xunit;

namespace IndexTools.Tests.Projects
{
    public sealed class ReportRendererTests
    {
        private static ReportEntry Entry(ReportSeverity severity, string subject = "pkg", string message = "m", string section = "Resolution", string? index = "internal", string title = "t")
        {
            return new ReportEntry(section, severity, subject, index, title, message);
        }

        [Fact]
        public void GitHubAnnotationsEscapeDataAndProperties()
        {
            var entry = Entry(ReportSeverity.Error, subject: "a,b:c", message: "100% sure\r\nsecond line", title: "stopped");
            var line = Assert.Single(ReportRenderer.GitHubAnnotations(new[] { entry }));
            Assert.Equal("::error title=IndexTools Resolution%3A a%2Cb%3Ac::stopped [internal]. 100%25 sure%0D%0Asecond line", line);
        }

        [Fact]
        public void GitHubSeverityMapping_InfoHasNoAnnotation()
        {
            var lines = ReportRenderer.GitHubAnnotations(new[]
            {
                Entry(ReportSeverity.Info), Entry(ReportSeverity.Notice), Entry(ReportSeverity.Warning), Entry(ReportSeverity.Error),
            }).ToList();
            Assert.Equal(new[] { "::notice ", "::warning ", "::error " }, lines.Select(l => l.Substring(0, l.IndexOf(' ') + 1)));
        }

        [Theory]
        [InlineData("50%", "50%25")]
        [InlineData("a\nb", "a%0Ab")]
        [InlineData("x\r", "x%0D")]
        [InlineData("k:v,w", "k%3Av%2Cw")]
        public void GitHubPropertyEscaping(string value, string expected)
        {
            Assert.Equal(expected, ReportRenderer.GitHubProperty(value));
        }

        [Fact]
        public void AzureLogIssuesForErrorsAndWarningsOnly_Escaped()
        {
            var lines = ReportRenderer.AzureLogIssues(new[]
            {
                Entry(ReportSeverity.Error, message: "50%\nnext"), Entry(ReportSeverity.Warning), Entry(ReportSeverity.Notice), Entry(ReportSeverity.Info),
            }).ToList();
            Assert.Equal(2, lines.Count);
            Assert.Equal("##vso[task.logissue type=error]IndexTools Resolution: pkg: t [internal]. 50%AZP25%0Anext", lines[0]);
            Assert.StartsWith("##vso[task.logissue type=warning]", lines[1]);
            Assert.Equal("a%3Bb%5D", ReportRenderer.AzureProperty("a;b]"));
            Assert.Equal("##vso[task.uploadsummary]/tmp/r.md", ReportRenderer.AzureUploadSummary("/tmp/r.md"));
        }

        [Fact]
        public void MarkdownHasOneTablePerSectionInReportOrder_CellsEscaped()
        {
            var lock1 = Entry(ReportSeverity.Warning, section: "LockDrift", subject: "requests");
            lock1.Columns.Add(new System.Collections.Generic.KeyValuePair<string, string>("Version", "2.32.0"));
            var markdown = ReportRenderer.Markdown(new[] { lock1, Entry(ReportSeverity.Error, message: "a|b\nc") }, "Report");
            var lines = markdown.Split('\n');
            Assert.Equal("## Report", lines[0]);
            Assert.Equal("1 error, 1 warning, 0 notices, 0 ok.", lines[2]);
            Assert.True(markdown.IndexOf("### Resolution") < markdown.IndexOf("### LockDrift"));
            Assert.Contains("| Error | pkg | internal | t | a\\|b<br>c |", lines);
            Assert.Contains("| Severity | Subject | Index | Version | Title | Message |", lines);
            Assert.Contains("| Warning | requests | internal | 2.32.0 | t | m |", lines);
        }

        [Fact]
        public void JsonHasCountsAndEntries()
        {
            var json = ReportRenderer.Json(new[] { Entry(ReportSeverity.Error), Entry(ReportSeverity.Info, index: null) });
            using var document = JsonDocument.Parse(json);
            Assert.Equal(1, document.RootElement.GetProperty("summary").GetProperty("errors").GetInt32());
            Assert.Equal(1, document.RootElement.GetProperty("summary").GetProperty("ok").GetInt32());
            var entries = document.RootElement.GetProperty("entries");
            Assert.Equal("Error", entries[0].GetProperty("severity").GetString());
            Assert.Equal(JsonValueKind.Null, entries[1].GetProperty("index").ValueKind);
        }

        [Fact]
        public void JUnitMarksEntriesAtTheThresholdAsFailures()
        {
            var entries = new[] { Entry(ReportSeverity.Error, subject: "a"), Entry(ReportSeverity.Warning, subject: "b"), Entry(ReportSeverity.Info, subject: "c", section: "LockDrift") };
            var xml = XDocument.Parse(ReportRenderer.JUnit(entries));
            Assert.Equal("1", xml.Root!.Attribute("failures")!.Value);
            Assert.Equal(new[] { "Resolution", "LockDrift" }, xml.Root.Elements("testsuite").Select(s => s.Attribute("name")!.Value));
            Assert.Single(xml.Descendants("failure"));
            var strict = XDocument.Parse(ReportRenderer.JUnit(entries, ReportSeverity.Warning));
            Assert.Equal(2, strict.Descendants("failure").Count());
        }

        [Fact]
        public void RedactionRemovesUserinfoLeftInAnyField()
        {
            var entry = Entry(ReportSeverity.Error, message: "see https://alice:s3cret@host/simple and http://tok@h2/x", index: "https://alice:s3cret@host/simple");
            entry.Columns.Add(new System.Collections.Generic.KeyValuePair<string, string>("Url", "https://bob:pw2@host"));
            var clean = ReportRedaction.Clean(entry);
            var all = string.Join("\n", ReportRenderer.GitHubAnnotations(new[] { clean }).Concat(new[] { ReportRenderer.Markdown(new[] { clean }), ReportRenderer.Json(new[] { clean }), ReportRenderer.JUnit(new[] { clean }) }));
            Assert.DoesNotContain("s3cret", all);
            Assert.DoesNotContain("pw2", all);
            Assert.DoesNotContain("tok@", all);
            Assert.Contains("https://****@host/simple", all);
        }

        [Fact]
        public void PackageResolutionImplementsIReportableExplicitly()
        {
            Assert.Null(typeof(PackageResolution).GetMethod("GetReportEntries"));
            Assert.Null(typeof(LockDrift).GetMethod("GetReportEntries"));
            var unresolved = new PackageResolution
            {
                Package = "acme-auth", Requirement = "acme-auth", StopReason = StopReason.AuthenticationFailed, Hint = "set credentials",
                Attempts = new[] { new IndexAttempt { Index = "internal", Outcome = AttemptOutcome.AuthFailed, Reason = "HTTP 401" } },
            };
            var entry = ((IReportable)unresolved).GetReportEntries().Single();
            Assert.Equal(("Resolution", ReportSeverity.Error, "internal", "authentication failed"), (entry.Section, entry.Severity, entry.Index, entry.Title));
            Assert.Contains("HTTP 401", entry.Message);
            Assert.Contains("set credentials", entry.Message);
            var resolved = new PackageResolution { Package = "requests", Requirement = "requests", Resolved = true, Index = "pypi", Version = "2.32.3", Source = "r.txt:1" };
            var ok = ((IReportable)resolved).GetReportEntries().Single();
            Assert.Equal(ReportSeverity.Info, ok.Severity);
            Assert.Contains(ok.Columns, c => c.Key == "Source" && c.Value == "r.txt:1");
        }
    }
}
