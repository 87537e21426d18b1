namespace IndexTools.Cmdlets
{
    /// <summary>What a line given to Resolve-PyPackage is (lines typically come from Get-Content requirements.txt).</summary>
    internal enum RequirementLineKind
    {
        Requirement,
        Blank,
        Comment,
        Option,
    }

    /// <summary>Classifies requirements.txt lines: blank lines, comments and pip options are skipped, requirements kept.</summary>
    internal static class RequirementLine
    {
        /// <summary>
        /// The requirements among lines given to a cmdlet (typically from Get-Content requirements.txt), each without its
        /// trailing comment: blank and comment lines are skipped with a verbose line, option lines with a warning
        /// (<see cref="OptionWarning"/>). Lazy, so each line's verbose or warning line comes in its place among the others.
        /// </summary>
        internal static IEnumerable<string> Requirements(Cmdlet cmdlet, IEnumerable<string> lines)
        {
            foreach (var line in lines)
            {
                switch (Classify(line, out var text))
                {
                    case RequirementLineKind.Blank:
                        cmdlet.WriteVerbose("Skipping a blank line.");
                        break;
                    case RequirementLineKind.Comment:
                        cmdlet.WriteVerbose("Skipping a comment line.");
                        break;
                    case RequirementLineKind.Option:
                        // A warning, not a verbose line: a skipped -r or --index-url changes what the search would answer.
                        cmdlet.WriteWarning(OptionWarning(text));
                        break;
                    default:
                        yield return text;
                        break;
                }
            }
        }

        /// <summary>
        /// The warning for a skipped option line (a piped requirements file): what is not applied and what to use instead.
        /// <paramref name="option"/> is the option's name only, never its value (which may be a URL with credentials).
        /// </summary>
        internal static string OptionWarning(string option)
        {
            string instead;
            switch (option)
            {
                case "-r":
                case "--requirement":
                case "-c":
                case "--constraint":
                    instead = "its file is not read; give the file with -RequirementsPath to follow its -r/-c includes";
                    break;
                case "-i":
                case "--index-url":
                case "--extra-index-url":
                case "--no-index":
                case "-f":
                case "--find-links":
                    instead = "the search uses uv's configuration, not pip's options; pass the index with -Index or -DefaultIndex, or declare it as a [[tool.uv.index]]";
                    break;
                default:
                    instead = "pip options do not apply to this search";
                    break;
            }

            return "Skipped the piped option line '" + option + " ...': " + instead + ".";
        }

        /// <summary>
        /// <paramref name="requirement"/> is the requirement without surrounding blanks or a trailing comment
        /// (pip: a '#' preceded by whitespace starts a comment); for an option, the option's name only (never its value,
        /// which may be a URL with credentials).
        /// </summary>
        internal static RequirementLineKind Classify(string? line, out string requirement)
        {
            var text = (line ?? "").Trim();
            requirement = "";
            if (text.Length == 0)
            {
                return RequirementLineKind.Blank;
            }

            if (text[0] == '#')
            {
                return RequirementLineKind.Comment;
            }

            if (text[0] == '-')
            {
                var end = text.IndexOfAny(new[] { ' ', '\t', '=' });
                requirement = end < 0 ? text : text.Substring(0, end);
                return RequirementLineKind.Option;
            }

            for (var i = 1; i < text.Length; i++)
            {
                if (text[i] == '#' && char.IsWhiteSpace(text[i - 1]))
                {
                    text = text.Substring(0, i).TrimEnd();
                    break;
                }
            }

            requirement = text;
            return RequirementLineKind.Requirement;
        }
    }
}

namespace IndexTools.Cmdlets
{
    /// <summary>Checks a requirement with the engine's PEP 508 parser (kept apart so the cmdlet type itself names no engine type).</summary>
    internal static class RequirementCheck
    {
        /// <summary>Null when the requirement parses and can be searched; otherwise why not.</summary>
        internal static string? Problem(string requirement)
        {
            if (!IndexTools.Engine.Versions.Requirement.TryParse(requirement, out var parsed, out var error) || parsed is null)
            {
                return error ?? "'" + requirement + "' is not a valid requirement.";
            }

            if (parsed.Url is not null)
            {
                return "'" + requirement + "' is a direct URL reference: uv does not search indexes for it.";
            }

            return null;
        }
    }
}
