using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace IndexTools
{
    /// <summary>What Write-IndexReport writes.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum IndexReportFormat
    {
        /// <summary>GitHub Actions workflow commands (::error/::warning/::notice) plus a Markdown table per section appended to $GITHUB_STEP_SUMMARY.</summary>
        GitHub,
        /// <summary>Azure DevOps logging commands (##vso[task.logissue]) plus a Markdown summary attached with ##vso[task.uploadsummary].</summary>
        AzureDevOps,
        /// <summary>A Markdown report (one table per section).</summary>
        Markdown,
        /// <summary>A JSON report (summary counts and every entry).</summary>
        Json,
        /// <summary>JUnit XML (a test suite per section, a test case per entry).</summary>
        JUnit,
    }

    /// <summary>From which severity on Write-IndexReport ends with the terminating error IndexReportFailed.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum ReportFailLevel
    {
        /// <summary>Fail when any entry is an Error (the default).</summary>
        Error,
        /// <summary>Fail when any entry is a Warning or an Error.</summary>
        Warning,
        /// <summary>Never fail; only write the report.</summary>
        Never,
    }
}
