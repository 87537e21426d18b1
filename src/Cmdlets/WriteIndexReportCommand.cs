using System.Text;
using IndexTools.Engine.Reporting;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Writes IndexTools results as CI output: GitHub Actions or Azure DevOps annotations and summaries, Markdown, JSON or JUnit XML; fails the step on errors.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Write, "IndexReport")]
    [OutputType(typeof(string))]
    [OutputType(typeof(ReportEntry))]
    public sealed class WriteIndexReportCommand : IndexToolsCmdlet
    {
        private readonly List<ReportEntry> _entries = new List<ReportEntry>();

        /// <summary>Objects that implement IndexTools.IReportable: resolutions, lock drift, audit and probe results.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>The output format; default: GitHub when GITHUB_ACTIONS is true, AzureDevOps when TF_BUILD is True, else Markdown.</summary>
        [Parameter]
        public IndexReportFormat? Format { get; set; }

        /// <summary>The file to write: the report for Markdown, Json and JUnit; the Markdown summary for AzureDevOps (and an extra copy for GitHub).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>From which severity on the command ends with the terminating error IndexReportFailed (after writing): Error (default), Warning or Never.</summary>
        [Parameter]
        public ReportFailLevel FailOn { get; set; } = ReportFailLevel.Error;

        /// <summary>The heading of the Markdown summary.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = "IndexTools report";

        /// <summary>Also write the report entries (IndexTools.ReportEntry, with File and Line) to the pipeline, after the report and before any IndexReportFailed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var value = InputObject?.BaseObject;
            if (value is null)
            {
                return;
            }

            if (value is IReportable reportable)
            {
                _entries.AddRange(reportable.GetReportEntries());
                return;
            }

            var message = "A " + value.GetType().FullName + " cannot be reported: Write-IndexReport takes IndexTools results (objects that implement IndexTools.IReportable).";
            WriteError(ErrorTable.Record(CmdletErrorKind.NotReportable, new ArgumentException(message), value, message: message));
        }

        protected override void EndProcessing()
        {
            var entries = _entries.Select(ReportRedaction.Clean).ToList();
            var here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            foreach (var entry in entries)
            {
                // A file shown relative (no full path known) is relative to where the command runs.
                if (entry.File != null && !System.IO.Path.IsPathRooted(entry.File))
                {
                    entry.File = System.IO.Path.GetFullPath(System.IO.Path.Combine(here, entry.File));
                }
            }

            var format = Format ?? Detect();
            WriteVerbose("Writing " + entries.Count + " report entr" + (entries.Count == 1 ? "y" : "ies") + " as " + format + " (" + ReportRenderer.Summary(entries) + ").");
            switch (format)
            {
                case IndexReportFormat.GitHub:
                    WriteGitHub(entries);
                    break;
                case IndexReportFormat.AzureDevOps:
                    WriteAzure(entries);
                    break;
                case IndexReportFormat.Json:
                    WriteText(ReportRenderer.Json(entries));
                    break;
                case IndexReportFormat.JUnit:
                    WriteText(ReportRenderer.JUnit(entries, FailOn == ReportFailLevel.Warning ? ReportSeverity.Warning : ReportSeverity.Error));
                    break;
                default:
                    WriteText(ReportRenderer.Markdown(entries, Title));
                    break;
            }

            if (PassThru.IsPresent)
            {
                foreach (var entry in entries)
                {
                    WriteObject(entry);
                }
            }

            Fail(entries);
        }

        /// <summary>
        /// The folder annotations name files relative to: GITHUB_WORKSPACE (GitHub) or BUILD_SOURCESDIRECTORY (Azure
        /// DevOps) when set, else the current folder. Files outside it get no file/line on their annotation.
        /// </summary>
        private string Workspace(string variable)
        {
            var value = System.Environment.GetEnvironmentVariable(variable);
            return string.IsNullOrEmpty(value) ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : GetUnresolvedProviderPathFromPSPath(value);
        }

        private static IndexReportFormat Detect()
        {
            if (string.Equals(System.Environment.GetEnvironmentVariable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase))
            {
                return IndexReportFormat.GitHub;
            }

            if (string.Equals(System.Environment.GetEnvironmentVariable("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase))
            {
                return IndexReportFormat.AzureDevOps;
            }

            return IndexReportFormat.Markdown;
        }

        private void WriteGitHub(List<ReportEntry> entries)
        {
            foreach (var line in ReportRenderer.GitHubAnnotations(entries, Workspace("GITHUB_WORKSPACE")))
            {
                WriteObject(line);
            }

            var markdown = ReportRenderer.Markdown(entries, Title);
            var summary = System.Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
            if (string.IsNullOrEmpty(summary))
            {
                WriteWarning("GITHUB_STEP_SUMMARY is not set, so no job summary was written (it is set inside a GitHub Actions step).");
            }
            else
            {
                // Appended: other steps and commands add to the same summary file.
                var file = GetUnresolvedProviderPathFromPSPath(summary);
                File.AppendAllText(file, markdown + "\n", new UTF8Encoding(false));
                WriteVerbose("Appended the Markdown summary to " + file + ".");
            }

            if (Path != null)
            {
                WriteFile(markdown);
            }
        }

        private void WriteAzure(List<ReportEntry> entries)
        {
            foreach (var line in ReportRenderer.AzureLogIssues(entries, Workspace("BUILD_SOURCESDIRECTORY")))
            {
                WriteObject(line);
            }

            string file;
            if (Path != null)
            {
                file = WriteFile(ReportRenderer.Markdown(entries, Title));
            }
            else
            {
                var folder = System.Environment.GetEnvironmentVariable("AGENT_TEMPDIRECTORY");
                if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
                {
                    folder = System.IO.Path.GetTempPath();
                }

                file = System.IO.Path.Combine(folder!, "indextools-report-" + Guid.NewGuid().ToString("n").Substring(0, 12) + ".md");
                File.WriteAllText(file, ReportRenderer.Markdown(entries, Title), new UTF8Encoding(false));
            }

            WriteObject(ReportRenderer.AzureUploadSummary(file));
        }

        private void WriteText(string text)
        {
            if (Path is null)
            {
                WriteObject(text);
            }
            else
            {
                WriteFile(text);
            }
        }

        /// <summary>Writes the file atomically (temp file in the same folder, then rename); returns its full path.</summary>
        private string WriteFile(string text)
        {
            var file = GetUnresolvedProviderPathFromPSPath(Path!);
            var folder = System.IO.Path.GetDirectoryName(file);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            var temp = file + "." + Guid.NewGuid().ToString("n").Substring(0, 8) + ".tmp";
            try
            {
                File.WriteAllText(temp, text, new UTF8Encoding(false));
                if (File.Exists(file))
                {
                    File.Replace(temp, file, null);
                }
                else
                {
                    File.Move(temp, file);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                File.Delete(temp);
                ThrowTerminatingError(ErrorTable.Record(CmdletErrorKind.ReportWriteFailed, e, file, message: "The report could not be written to " + file + ": " + e.Message));
            }

            WriteVerbose("Wrote " + file + ".");
            return file;
        }

        private void Fail(List<ReportEntry> entries)
        {
            if (FailOn == ReportFailLevel.Never)
            {
                return;
            }

            var threshold = FailOn == ReportFailLevel.Warning ? ReportSeverity.Warning : ReportSeverity.Error;
            var failing = entries.Where(e => e.Severity >= threshold).ToList();
            if (failing.Count == 0)
            {
                return;
            }

            var message = "The IndexTools report has " + ReportRenderer.Summary(entries) + "; -FailOn " + FailOn + " fails on "
                + (failing.Count == 1 ? "one of them" : failing.Count + " of them") + " (" + string.Join(", ", failing.Take(5).Select(e => e.Section + " " + e.Subject)) + (failing.Count > 5 ? ", ..." : "") + ").";
            var alsoFailsOn = threshold == ReportSeverity.Warning ? "Warning" : null;
            ThrowTerminatingError(ErrorTable.Record(CmdletErrorKind.IndexReportFailed, new IndexReportException(message), failing.Select(e => e.Subject).Distinct().ToArray(), detail: alsoFailsOn, message: message));
        }
    }

    /// <summary>The exception inside IndexReportFailed: the report holds entries at or above the -FailOn level.</summary>
    public sealed class IndexReportException : Exception
    {
        public IndexReportException(string message)
            : base(message)
        {
        }
    }
}
