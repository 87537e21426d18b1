using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace IndexTools.Engine.Reporting
{
    /// <summary>
    /// Turns report entries into CI output: GitHub Actions workflow commands, Azure DevOps logging commands, Markdown
    /// tables (one per section), JSON and JUnit XML. Pure text: the caller decides where it goes. Entries come from
    /// already-redacted objects; the renderer adds no data of its own.
    /// </summary>
    public static class ReportRenderer
    {
        /// <summary>Sections in report order; any other section follows in order of first appearance.</summary>
        public static readonly IReadOnlyList<string> SectionOrder = new[] { "Resolution", "LockDrift", "Shadowing", "StrategyComparison", "IndexProbe", "Configuration" };

        /// <summary>Entries grouped by section, sections in <see cref="SectionOrder"/>, entries in arrival order.</summary>
        public static IReadOnlyList<KeyValuePair<string, List<ReportEntry>>> BySection(IEnumerable<ReportEntry> entries)
        {
            var groups = new List<KeyValuePair<string, List<ReportEntry>>>();
            foreach (var entry in entries)
            {
                var group = groups.FirstOrDefault(g => g.Key == entry.Section);
                if (group.Value is null)
                {
                    group = new KeyValuePair<string, List<ReportEntry>>(entry.Section, new List<ReportEntry>());
                    groups.Add(group);
                }

                group.Value.Add(entry);
            }

            return groups
                .Select((g, i) => (g, rank: IndexOf(SectionOrder, g.Key), i))
                .OrderBy(x => x.rank < 0 ? int.MaxValue : x.rank)
                .ThenBy(x => x.i)
                .Select(x => x.g)
                .ToList();
        }

        /// <summary>"2 errors, 1 warning, 0 notices, 5 ok" style counts.</summary>
        public static string Summary(IReadOnlyCollection<ReportEntry> entries)
        {
            return Count(entries, ReportSeverity.Error, "error") + ", " + Count(entries, ReportSeverity.Warning, "warning") + ", "
                + Count(entries, ReportSeverity.Notice, "notice") + ", " + entries.Count(e => e.Severity == ReportSeverity.Info) + " ok";
        }

        // ---- GitHub Actions -------------------------------------------------------------------------------------

        /// <summary>
        /// One workflow command per Error/Warning/Notice entry (<c>::error file=pyproject.toml,line=12,title=...::message</c>);
        /// Info entries have none (they appear in the summary table only). <c>file</c> and <c>line</c> are there when the
        /// entry knows its file and it lies inside <paramref name="workspace"/> (GITHUB_WORKSPACE), relative to it.
        /// </summary>
        public static IEnumerable<string> GitHubAnnotations(IEnumerable<ReportEntry> entries, string? workspace = null)
        {
            foreach (var entry in entries)
            {
                string command;
                switch (entry.Severity)
                {
                    case ReportSeverity.Error: command = "error"; break;
                    case ReportSeverity.Warning: command = "warning"; break;
                    case ReportSeverity.Notice: command = "notice"; break;
                    default: continue;
                }

                var location = "";
                if (WorkspacePath(entry.File, workspace) is string file)
                {
                    location = "file=" + GitHubProperty(file) + "," + (entry.Line is int line ? "line=" + line.ToString(CultureInfo.InvariantCulture) + "," : "");
                }

                yield return "::" + command + " " + location + "title=" + GitHubProperty(AnnotationTitle(entry)) + "::" + GitHubData(AnnotationMessage(entry));
            }
        }

        /// <summary>Escapes the message of a workflow command: %, CR, LF.</summary>
        public static string GitHubData(string value)
        {
            return (value ?? "").Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
        }

        /// <summary>Escapes a property value of a workflow command: %, CR, LF, ':' and ','.</summary>
        public static string GitHubProperty(string value)
        {
            return GitHubData(value).Replace(":", "%3A").Replace(",", "%2C");
        }

        // ---- Azure DevOps ---------------------------------------------------------------------------------------

        /// <summary>
        /// <c>##vso[task.logissue type=error;sourcepath=pyproject.toml;linenumber=12]message</c> per Error and Warning entry
        /// (Azure has no notice level); <c>sourcepath</c> and <c>linenumber</c> as for GitHub, relative to
        /// <paramref name="workspace"/> (BUILD_SOURCESDIRECTORY).
        /// </summary>
        public static IEnumerable<string> AzureLogIssues(IEnumerable<ReportEntry> entries, string? workspace = null)
        {
            foreach (var entry in entries)
            {
                string type;
                switch (entry.Severity)
                {
                    case ReportSeverity.Error: type = "error"; break;
                    case ReportSeverity.Warning: type = "warning"; break;
                    default: continue;
                }

                var location = "";
                if (WorkspacePath(entry.File, workspace) is string file)
                {
                    location = ";sourcepath=" + AzureProperty(file) + (entry.Line is int line ? ";linenumber=" + line.ToString(CultureInfo.InvariantCulture) : "");
                }

                yield return "##vso[task.logissue type=" + type + location + "]" + AzureData(AnnotationTitle(entry) + ": " + AnnotationMessage(entry));
            }
        }

        /// <summary>
        /// <paramref name="file"/> as an annotation names it: relative to <paramref name="workspace"/> with '/' separators
        /// when the file lies inside it; null when there is no file, no workspace, or the file lies outside (CI can only
        /// point at the repository's files). A relative <paramref name="file"/> is taken as relative to the workspace.
        /// </summary>
        public static string? WorkspacePath(string? file, string? workspace)
        {
            if (string.IsNullOrEmpty(file) || string.IsNullOrEmpty(workspace))
            {
                return null;
            }

            string full, root;
            try
            {
                root = Path.GetFullPath(workspace!);
                full = Path.GetFullPath(Path.Combine(root, file!));
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                return null;
            }

            root = root.TrimEnd('/', '\\');
            var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (full.Length <= root.Length + 1 || !full.StartsWith(root, comparison) || (full[root.Length] != '/' && full[root.Length] != '\\'))
            {
                return null;
            }

            return full.Substring(root.Length + 1).Replace('\\', '/');
        }

        /// <summary>The logging command that attaches a Markdown file to the run's summary.</summary>
        public static string AzureUploadSummary(string path) => "##vso[task.uploadsummary]" + AzureData(path);

        /// <summary>Escapes the data of a logging command (the agent's own rules): %, CR, LF (';' and ']' only matter in properties).</summary>
        public static string AzureData(string value)
        {
            return (value ?? "").Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A");
        }

        /// <summary>Escapes a property value of a logging command: the data rules plus ';' and ']'.</summary>
        public static string AzureProperty(string value)
        {
            return AzureData(value).Replace(";", "%3B").Replace("]", "%5D");
        }

        // ---- Markdown -------------------------------------------------------------------------------------------

        /// <summary>A heading, the counts, then one table per section (Severity, Subject, Index, Title, the entries' extra columns, Message).</summary>
        public static string Markdown(IReadOnlyCollection<ReportEntry> entries, string heading = "IndexTools report")
        {
            var text = new StringBuilder();
            text.Append("## ").Append(heading).Append('\n').Append('\n');
            text.Append(Summary(entries)).Append('.').Append('\n');
            foreach (var section in BySection(entries))
            {
                var extra = new List<string>();
                foreach (var column in section.Value.SelectMany(e => e.Columns).Select(c => c.Key))
                {
                    if (!extra.Contains(column))
                    {
                        extra.Add(column);
                    }
                }

                var headers = new List<string> { "Severity", "Subject", "Index" };
                headers.AddRange(extra);
                headers.Add("Title");
                headers.Add("Message");
                text.Append('\n').Append("### ").Append(section.Key).Append('\n').Append('\n');
                text.Append("| ").Append(string.Join(" | ", headers.Select(MarkdownCell))).Append(" |").Append('\n');
                text.Append('|').Append(string.Concat(headers.Select(_ => " --- |"))).Append('\n');
                foreach (var entry in section.Value)
                {
                    var cells = new List<string> { entry.Severity.ToString(), entry.Subject, entry.Index ?? "" };
                    cells.AddRange(extra.Select(name => entry.Columns.FirstOrDefault(c => c.Key == name).Value ?? ""));
                    cells.Add(entry.Title);
                    cells.Add(entry.Message);
                    text.Append("| ").Append(string.Join(" | ", cells.Select(MarkdownCell))).Append(" |").Append('\n');
                }
            }

            return text.ToString();
        }

        /// <summary>A table cell: '|' escaped, line breaks as &lt;br&gt;, no leading/trailing blanks.</summary>
        public static string MarkdownCell(string value)
        {
            return (value ?? "").Trim().Replace("\\", "\\\\").Replace("|", "\\|").Replace("\r\n", "<br>").Replace("\n", "<br>").Replace("\r", "<br>");
        }

        // ---- JSON -----------------------------------------------------------------------------------------------

        /// <summary><c>{"summary":{"errors":n,...},"entries":[{"section",...,"columns":{...}}]}</c>, indented.</summary>
        public static string Json(IReadOnlyCollection<ReportEntry> entries)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("summary");
                writer.WriteNumber("errors", entries.Count(e => e.Severity == ReportSeverity.Error));
                writer.WriteNumber("warnings", entries.Count(e => e.Severity == ReportSeverity.Warning));
                writer.WriteNumber("notices", entries.Count(e => e.Severity == ReportSeverity.Notice));
                writer.WriteNumber("ok", entries.Count(e => e.Severity == ReportSeverity.Info));
                writer.WriteEndObject();
                writer.WriteStartArray("entries");
                foreach (var entry in entries)
                {
                    writer.WriteStartObject();
                    writer.WriteString("section", entry.Section);
                    writer.WriteString("severity", entry.Severity.ToString());
                    writer.WriteString("subject", entry.Subject);
                    if (entry.Index is null)
                    {
                        writer.WriteNull("index");
                    }
                    else
                    {
                        writer.WriteString("index", entry.Index);
                    }

                    writer.WriteString("title", entry.Title);
                    writer.WriteString("message", entry.Message);
                    if (entry.File != null)
                    {
                        writer.WriteString("file", entry.File);
                    }

                    if (entry.Line is int line)
                    {
                        writer.WriteNumber("line", line);
                    }

                    writer.WriteStartObject("columns");
                    foreach (var column in entry.Columns)
                    {
                        writer.WriteString(column.Key, column.Value);
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        // ---- JUnit ----------------------------------------------------------------------------------------------

        /// <summary>
        /// JUnit XML: a testsuite per section, a testcase per entry (classname IndexTools.&lt;Section&gt;, name the
        /// subject). Entries at or above <paramref name="failAt"/> are failures; the others pass, their message in system-out.
        /// </summary>
        public static string JUnit(IReadOnlyCollection<ReportEntry> entries, ReportSeverity failAt = ReportSeverity.Error)
        {
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
            using var stream = new MemoryStream();
            using (var writer = XmlWriter.Create(stream, settings))
            {
                writer.WriteStartDocument();
                writer.WriteStartElement("testsuites");
                writer.WriteAttributeString("name", "IndexTools");
                writer.WriteAttributeString("tests", entries.Count.ToString(CultureInfo.InvariantCulture));
                writer.WriteAttributeString("failures", entries.Count(e => e.Severity >= failAt).ToString(CultureInfo.InvariantCulture));
                foreach (var section in BySection(entries))
                {
                    writer.WriteStartElement("testsuite");
                    writer.WriteAttributeString("name", section.Key);
                    writer.WriteAttributeString("tests", section.Value.Count.ToString(CultureInfo.InvariantCulture));
                    writer.WriteAttributeString("failures", section.Value.Count(e => e.Severity >= failAt).ToString(CultureInfo.InvariantCulture));
                    foreach (var entry in section.Value)
                    {
                        writer.WriteStartElement("testcase");
                        writer.WriteAttributeString("classname", "IndexTools." + section.Key);
                        writer.WriteAttributeString("name", entry.Subject + (entry.Index is null ? "" : " (" + entry.Index + ")"));
                        if (entry.Severity >= failAt)
                        {
                            writer.WriteStartElement("failure");
                            writer.WriteAttributeString("type", entry.Severity.ToString());
                            writer.WriteAttributeString("message", XmlSafe(entry.Title));
                            writer.WriteString(XmlSafe(entry.Message));
                            writer.WriteEndElement();
                        }
                        else
                        {
                            writer.WriteElementString("system-out", XmlSafe(entry.Severity + ": " + entry.Title + ". " + entry.Message));
                        }

                        writer.WriteEndElement();
                    }

                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
                writer.WriteEndDocument();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        // ---- shared ---------------------------------------------------------------------------------------------

        /// <summary>The annotation title: <c>IndexTools &lt;Section&gt;: &lt;subject&gt;</c> (one line).</summary>
        public static string AnnotationTitle(ReportEntry entry)
        {
            return OneLine("IndexTools " + entry.Section + ": " + entry.Subject);
        }

        /// <summary>The annotation text: the entry's title, the index when there is one, then its message.</summary>
        public static string AnnotationMessage(ReportEntry entry)
        {
            var text = entry.Title + (entry.Index is null ? "" : " [" + entry.Index + "]");
            return string.IsNullOrEmpty(entry.Message) ? text : text + ". " + entry.Message;
        }

        private static string OneLine(string value) => value.Replace("\r", " ").Replace("\n", " ");

        /// <summary>Drops characters XML 1.0 cannot carry (control characters other than tab, CR, LF).</summary>
        private static string XmlSafe(string value)
        {
            var text = value ?? "";
            return text.Any(c => c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                ? new string(text.Where(c => c >= 0x20 || c == '\t' || c == '\n' || c == '\r').ToArray())
                : text;
        }

        private static string Count(IEnumerable<ReportEntry> entries, ReportSeverity severity, string noun)
        {
            var n = entries.Count(e => e.Severity == severity);
            return n + " " + noun + (n == 1 ? "" : "s");
        }

        private static int IndexOf(IReadOnlyList<string> list, string value)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] == value)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
