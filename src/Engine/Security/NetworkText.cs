using System.Globalization;
using System.Text;

namespace IndexTools.Engine.Security
{
    /// <summary>
    /// Text that came from an index or a server (headers, reason phrases, api-version, PEP 708 URLs, yank reasons,
    /// product evidence) made safe to put in an output object: control characters escaped, known secrets scrubbed.
    /// <para>C0 controls, DEL, C1 controls and the Unicode line and paragraph separators become visible escapes
    /// (<c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\x1B</c>, <c>\u2028</c>), so that no value can start a new line in a CI log:
    /// <c>Format-List *</c> in a GitHub or Azure DevOps job never prints a line that begins with <c>::</c> or
    /// <c>##vso[</c> because an index put a newline in front of it.</para>
    /// </summary>
    public static class NetworkText
    {
        /// <summary>Control characters escaped, then <see cref="SecretScrubber.Scrub"/>. Null stays null.</summary>
        public static string? Clean(string? text) => text is null ? null : SecretScrubber.Scrub(EscapeControls(text));

        /// <summary>
        /// A debug or verbose writer that cleans every line before it leaves the engine (null stays null, so that
        /// callers still compose nothing when no one listens).
        /// </summary>
        public static System.Action<string>? Cleaning(System.Action<string>? write)
        {
            if (write is null)
            {
                return null;
            }

            return line => write(Clean(line) ?? "");
        }

        /// <summary>True for a character that could break a line or drive a terminal.</summary>
        public static bool IsControl(char c) => c < ' ' || (c >= '\u007F' && c <= '\u009F') || c == '\u2028' || c == '\u2029' || c == '\u0085';

        /// <summary>Control characters as visible escapes; the same string when it has none. Null stays null.</summary>
        public static string? EscapeControls(string? text)
        {
            if (text is null)
            {
                return null;
            }

            var first = -1;
            for (var i = 0; i < text.Length; i++)
            {
                if (IsControl(text[i]))
                {
                    first = i;
                    break;
                }
            }

            if (first < 0)
            {
                return text;
            }

            var builder = new StringBuilder(text.Length + 8);
            builder.Append(text, 0, first);
            for (var i = first; i < text.Length; i++)
            {
                var c = text[i];
                if (!IsControl(c))
                {
                    builder.Append(c);
                    continue;
                }

                switch (c)
                {
                    case '\r': builder.Append("\\r"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        builder.Append(c <= '\u00FF' ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        break;
                }
            }

            return builder.ToString();
        }
    }
}
