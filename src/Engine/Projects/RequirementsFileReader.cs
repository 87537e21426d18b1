using IndexTools.Engine.Indexes;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Projects
{
    /// <summary>
    /// Reads a pip requirements file as uv's requirements-txt parser does: comments (<c>#</c> at the start or after
    /// whitespace), line continuations (a trailing <c>\</c>), <c>-r</c>/<c>--requirement</c> and <c>-c</c>/<c>--constraint</c>
    /// includes relative to the including file (cycles detected), environment markers kept with the requirement,
    /// per-requirement <c>--hash</c> options dropped. Index options (<c>-i</c>, <c>--index-url</c>, <c>--extra-index-url</c>,
    /// <c>-f</c>, <c>--find-links</c>, <c>--no-index</c>) are collected in <see cref="ProjectInput.IndexOptions"/>, never applied.
    /// Constraint files are checked but add no requirements (a constraint is not a dependency).
    /// </summary>
    public static class RequirementsFileReader
    {
        /// <summary>The <see cref="ProjectRequirement.Origin"/> of requirements read from a requirements file.</summary>
        public const string OriginName = "requirements";

        private static readonly Dictionary<string, string> IndexOptionNames = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["-i"] = "--index-url",
            ["--index-url"] = "--index-url",
            ["--extra-index-url"] = "--extra-index-url",
            ["-f"] = "--find-links",
            ["--find-links"] = "--find-links",
            ["--no-index"] = "--no-index",
        };

        /// <summary>Options uv's parser accepts that do not change which index a package comes from: read and ignored.</summary>
        private static readonly HashSet<string> IgnoredOptions = new HashSet<string>(StringComparer.Ordinal)
        {
            "--trusted-host", "--pre", "--prefer-binary", "--only-binary", "--no-binary", "--require-hashes",
            "--use-feature", "--no-build-isolation",
        };

        private static readonly HashSet<string> OptionsWithValue = new HashSet<string>(StringComparer.Ordinal)
        {
            "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host", "--only-binary", "--no-binary",
            "--use-feature", "-r", "--requirement", "-c", "--constraint", "-e", "--editable",
        };

        /// <summary>Reads <paramref name="path"/> and everything it includes. Throws FileNotFoundException when the top file is missing.</summary>
        public static ProjectInput Read(string path)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException("The requirements file " + full + " does not exist.", full);
            }

            var input = new ProjectInput(full);
            ReadFile(input, full, new List<string>(), constraintsOnly: false);
            return input;
        }

        /// <summary>Reads requirements text as if it were the file <paramref name="path"/> (includes resolve against its folder).</summary>
        public static ProjectInput Parse(string path, string text)
        {
            var full = Path.GetFullPath(path);
            var input = new ProjectInput(full);
            ParseText(input, full, text, new List<string> { Key(full) }, constraintsOnly: false);
            return input;
        }

        private static string Key(string path) => Path.DirectorySeparatorChar == '\\' ? path.ToUpperInvariant() : path;

        private static void ReadFile(ProjectInput input, string file, List<string> stack, bool constraintsOnly)
        {
            stack.Add(Key(file));
            try
            {
                ParseText(input, file, File.ReadAllText(file), stack, constraintsOnly);
            }
            finally
            {
                stack.RemoveAt(stack.Count - 1);
            }
        }

        private static void ParseText(ProjectInput input, string file, string text, List<string> stack, bool constraintsOnly)
        {
            foreach (var (line, number) in LogicalLines(text))
            {
                var content = StripComment(line).Trim();
                if (content.Length == 0)
                {
                    continue;
                }

                if (content[0] == '-')
                {
                    ReadOption(input, file, number, content, stack, constraintsOnly);
                    continue;
                }

                ReadRequirement(input, file, number, content, constraintsOnly);
            }
        }

        /// <summary>Physical lines joined where a line ends with a backslash; the number is the first physical line's.</summary>
        internal static IEnumerable<(string Line, int Number)> LogicalLines(string text)
        {
            var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            var i = 0;
            while (i < lines.Length)
            {
                var start = i + 1;
                var current = lines[i];
                while (current.EndsWith("\\", StringComparison.Ordinal) && i + 1 < lines.Length)
                {
                    current = current.Substring(0, current.Length - 1) + lines[++i];
                }

                if (current.EndsWith("\\", StringComparison.Ordinal))
                {
                    current = current.Substring(0, current.Length - 1);
                }

                yield return (current, start);
                i++;
            }
        }

        /// <summary>pip: a <c>#</c> at the start of a line or preceded by whitespace starts a comment.</summary>
        internal static string StripComment(string line)
        {
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
                {
                    return line.Substring(0, i);
                }
            }

            return line;
        }

        private static void ReadOption(ProjectInput input, string file, int number, string content, List<string> stack, bool constraintsOnly)
        {
            SplitOption(content, out var name, out var value);
            if (OptionsWithValue.Contains(name) && string.IsNullOrEmpty(value))
            {
                Error(input, ErrorKind.InvalidRequirementsOption, file, number, "'" + name + "' needs a value.");
                return;
            }

            if (IndexOptionNames.TryGetValue(name, out var longName))
            {
                input.IndexOptions.Add(new RequirementsIndexOption(file, number, longName, longName == "--no-index" ? null : UrlRedactor.Redact(value)));
                return;
            }

            switch (name)
            {
                case "-r":
                case "--requirement":
                case "-c":
                case "--constraint":
                {
                    var constraint = name == "-c" || name == "--constraint";
                    var included = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file) ?? ".", value!));
                    if (stack.Contains(Key(included)))
                    {
                        Error(input, ErrorKind.RequirementsIncludeCycle, file, number,
                            "'" + name + " " + value + "' includes " + included + ", which is already being read (" + string.Join(" -> ", stack.Select(Path.GetFileName)) + " -> " + Path.GetFileName(included) + ").");
                        return;
                    }

                    if (!File.Exists(included))
                    {
                        Error(input, ErrorKind.RequirementsIncludeNotFound, file, number, "'" + name + " " + value + "': " + included + " does not exist.");
                        return;
                    }

                    ReadFile(input, included, stack, constraintsOnly || constraint);
                    return;
                }

                case "-e":
                case "--editable":
                    input.Problems.Add(new ProjectProblem(ProjectProblemKind.Skipped, ErrorKind.EditableRequirement, file, number,
                        file + ":" + number + ": an editable requirement is built from source; uv does not search indexes for it."));
                    return;

                default:
                    if (IgnoredOptions.Contains(name))
                    {
                        return;
                    }

                    Error(input, ErrorKind.UnknownRequirementsOption, file, number, "'" + name + "' is not an option of a requirements file.");
                    return;
            }
        }

        /// <summary><c>--opt value</c>, <c>--opt=value</c>, <c>-rfile</c>, <c>-r file</c>.</summary>
        private static void SplitOption(string content, out string name, out string? value)
        {
            var end = 0;
            while (end < content.Length && !char.IsWhiteSpace(content[end]) && content[end] != '=')
            {
                end++;
            }

            name = content.Substring(0, end);
            var rest = content.Substring(end).TrimStart();
            if (rest.StartsWith("=", StringComparison.Ordinal))
            {
                rest = rest.Substring(1).Trim();
            }

            // Short options may be glued to their value: -rother.txt, -ihttps://...
            if (!name.StartsWith("--", StringComparison.Ordinal) && name.Length > 2)
            {
                rest = name.Substring(2);
                name = name.Substring(0, 2);
            }

            value = rest.Length == 0 ? null : rest.Trim();
        }

        private static void ReadRequirement(ProjectInput input, string file, int number, string content, bool constraintsOnly)
        {
            // Per-requirement options (--hash=...) follow the requirement after whitespace; they are not part of it.
            var option = IndexOfOption(content);
            var text = option < 0 ? content : content.Substring(0, option).TrimEnd();
            if (option >= 0)
            {
                var options = content.Substring(option).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                var unknown = options.FirstOrDefault(o => o.StartsWith("-", StringComparison.Ordinal) && !o.StartsWith("--hash", StringComparison.Ordinal) && !o.StartsWith("--config-settings", StringComparison.Ordinal) && !o.StartsWith("--global-option", StringComparison.Ordinal));
                if (unknown != null)
                {
                    Error(input, ErrorKind.UnknownRequirementsOption, file, number, "'" + unknown.Split('=')[0] + "' is not an option a requirement line accepts.");
                    return;
                }
            }

            if (LooksLikePathOrUrl(text))
            {
                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Skipped, ErrorKind.DirectReference, file, number,
                    file + ":" + number + ": '" + UrlRedactor.Redact(text) + "' is a path or URL; uv does not search indexes for it."));
                return;
            }

            if (!Requirement.TryParse(text, out var requirement, out var error) || requirement is null)
            {
                Error(input, ErrorKind.InvalidRequirement, file, number, error ?? "'" + text + "' is not a valid requirement.");
                return;
            }

            if (requirement.Url is not null)
            {
                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Skipped, ErrorKind.DirectReference, file, number,
                    file + ":" + number + ": '" + requirement.Name + "' is a direct URL reference; uv does not search indexes for it."));
                return;
            }

            if (!constraintsOnly)
            {
                input.Add(new ProjectRequirement(requirement, file, number, OriginName));
            }
        }

        /// <summary>The start of a " --option" after the requirement (outside a marker's quotes), or -1.</summary>
        private static int IndexOfOption(string content)
        {
            char? quote = null;
            for (var i = 1; i < content.Length; i++)
            {
                var c = content[i];
                if (quote.HasValue)
                {
                    if (c == quote.Value)
                    {
                        quote = null;
                    }

                    continue;
                }

                if (c == '\'' || c == '"')
                {
                    quote = c;
                }
                else if (c == '-' && i + 1 < content.Length && content[i + 1] == '-' && char.IsWhiteSpace(content[i - 1]))
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool LooksLikePathOrUrl(string text)
        {
            if (text.StartsWith(".", StringComparison.Ordinal) || text.StartsWith("/", StringComparison.Ordinal) || text.StartsWith("~", StringComparison.Ordinal))
            {
                return true;
            }

            if (text.Length > 2 && char.IsLetter(text[0]) && text[1] == ':' && (text[2] == '\\' || text[2] == '/'))
            {
                return true;
            }

            var scheme = text.IndexOf("://", StringComparison.Ordinal);
            return scheme > 0 && text.IndexOf('@') < 0 && text.Substring(0, scheme).All(c => char.IsLetterOrDigit(c) || c == '+');
        }

        private static void Error(ProjectInput input, ErrorKind kind, string file, int number, string message)
        {
            input.Problems.Add(new ProjectProblem(ProjectProblemKind.Error, kind, file, number, file + ":" + number + ": " + message));
        }
    }
}
