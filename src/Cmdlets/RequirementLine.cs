using System;

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
