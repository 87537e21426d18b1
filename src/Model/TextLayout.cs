using System.Text;

namespace IndexTools
{
    /// <summary>
    /// Word wrapping for the default views (module/*.Format.ps1xml). PowerShell's list and custom views break a long
    /// value at the last column, in the middle of a word, and start the rest at the left margin; the views hand their
    /// long text to <see cref="Wrap"/> instead, which breaks only at spaces and indents the continuation lines under
    /// their text. Only a single word longer than the whole line (a long URL) is left as it is.
    /// </summary>
    public static class TextLayout
    {
        /// <summary>
        /// The text cut to <paramref name="width"/> characters at a word boundary, with "..." when cut (one-line error
        /// messages and fixes, which a console must show on one line).
        /// </summary>
        internal static string Fit(string text, int width)
        {
            if (text.Length <= width)
            {
                return text;
            }

            var cut = text.LastIndexOf(' ', width - 4);
            return (cut > width / 2 ? text.Substring(0, cut) : text.Substring(0, width - 3)).TrimEnd(' ', ',', ';', ':', '(') + "...";
        }

        /// <summary>How an attempt's index is named in one-line texts: 'name', else the URL's host and port.</summary>
        internal static string ShortName(IndexAttempt attempt)
        {
            if (attempt.Index != null)
            {
                return "'" + attempt.Index + "'";
            }

            return Uri.TryCreate(attempt.Url, UriKind.Absolute, out var uri) ? uri.Authority : attempt.Url;
        }

        /// <summary>The widest line the views lay out: an 80-column console, CI log or <c>Out-String -Width 80</c> shows it whole.</summary>
        public const int MaxLineWidth = 79;

        /// <summary>
        /// The width the views wrap to for a console <paramref name="hostWidth"/> columns wide: the console's width less
        /// its last column, at most <see cref="MaxLineWidth"/> (a format view cannot know the width a later
        /// <c>Out-String -Width</c> or log will use, so it never relies on more than 80 columns), and
        /// <see cref="MaxLineWidth"/> when the host does not report a usable width (less than 40).
        /// </summary>
        public static int LineWidth(int hostWidth)
        {
            if (hostWidth < 40)
            {
                return MaxLineWidth;
            }

            return Math.Min(hostWidth - 1, MaxLineWidth);
        }

        /// <summary>
        /// <see cref="LineWidth(int)"/> for this process's console (<see cref="Console.WindowWidth"/>); a process without
        /// one (output redirected, a remote or hosted runspace) gets <see cref="MaxLineWidth"/>.
        /// </summary>
        public static int LineWidth()
        {
            int width;
            try
            {
                width = Console.IsOutputRedirected ? 0 : Console.WindowWidth;
            }
            catch (Exception e) when (e is System.IO.IOException || e is InvalidOperationException || e is PlatformNotSupportedException)
            {
                width = 0;
            }

            return LineWidth(width);
        }

        /// <summary>
        /// A value of a list view: wrapped to the columns left of a line after the label column (PowerShell pads every
        /// label to the longest one, <paramref name="longestLabel"/>, then writes " : "), continuation lines indented by
        /// <paramref name="indent"/> under the value.
        /// </summary>
        public static string ListValue(string? text, int longestLabel, int indent)
        {
            return Wrap(text, LineWidth() - longestLabel - 3, indent);
        }

        /// <summary>
        /// The Explain view of a resolution (<c>Format-Custom -View Explain</c>): a header, the target, then one line per attempt
        /// (order, index, outcome, status) with its reason wrapped under itself, then the hint, wrapped under itself.
        /// </summary>
        public static string Explain(PackageResolution resolution, int width)
        {
            if (resolution is null)
            {
                throw new ArgumentNullException(nameof(resolution));
            }

            var lines = new List<string>();
            var head = resolution.Resolved
                ? resolution.Package + " " + resolution.Version + " from " + resolution.Index
                : resolution.Package + ": " + resolution.StopReason;
            head += "  [" + resolution.Strategy + "]";
            if (head.Length <= width)
            {
                lines.Add(head);
            }
            else
            {
                lines.AddRange(WrapLines(head, width, 4, 0));
            }

            if (!string.IsNullOrEmpty(resolution.Target))
            {
                var target = WrapLines(resolution.Target, width, 12, 12);
                target[0] = "    Target: " + target[0];
                lines.AddRange(target);
            }

            var whoWidth = 0;
            foreach (var attempt in resolution.Attempts)
            {
                whoWidth = Math.Max(whoWidth, (attempt.Index ?? attempt.Url).Length);
            }

            whoWidth = Math.Min(whoWidth, 16);
            foreach (var attempt in resolution.Attempts)
            {
                var who = attempt.Index ?? attempt.Url;
                var status = attempt.StatusCode.HasValue ? attempt.StatusCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
                var prefix = "    " + attempt.Order.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(2) + ". "
                    + who.PadRight(whoWidth) + " " + attempt.Outcome.ToString().PadRight(10) + " " + status.PadRight(3) + " ";
                if (prefix.Length > width - 30)
                {
                    // A long URL leaves no room: the reason goes on the lines below, under the index.
                    lines.Add(prefix.TrimEnd());
                    var below = WrapLines(attempt.Reason, width, 8, 8);
                    below[0] = new string(' ', 8) + below[0];
                    lines.AddRange(below);
                }
                else
                {
                    var wrapped = WrapLines(attempt.Reason, width, prefix.Length, prefix.Length);
                    wrapped[0] = prefix + wrapped[0];
                    lines.AddRange(wrapped);
                }
            }

            if (!string.IsNullOrEmpty(resolution.Hint))
            {
                var wrapped = WrapLines(resolution.Hint, width, 10, 10);
                wrapped[0] = "    Hint: " + wrapped[0];
                lines.AddRange(wrapped);
            }

            return string.Join("\n", lines.ToArray());
        }

        /// <summary>
        /// Wraps <paramref name="text"/> into lines of at most <paramref name="width"/> characters, breaking at spaces only.
        /// The first line holds <paramref name="width"/> − <paramref name="firstLineUsed"/> characters (the caller has
        /// already written that many on it); every following line starts with <paramref name="indent"/> spaces. Line
        /// breaks in the text are kept (each line is wrapped on its own). Returns the lines joined with "\n".
        /// </summary>
        public static string Wrap(string? text, int width, int indent, int firstLineUsed)
        {
            return string.Join("\n", WrapLines(text, width, indent, firstLineUsed).ToArray());
        }

        /// <summary><see cref="Wrap(string, int, int, int)"/> for text that starts a line.</summary>
        public static string Wrap(string? text, int width, int indent)
        {
            return Wrap(text, width, indent, 0);
        }

        /// <summary>Where to break a word that does not fit in <paramref name="room"/> columns: after its last '/' or '-' within them; null when none.</summary>
        private static int? BreakAt(string word, int room)
        {
            for (var i = Math.Min(room, word.Length - 1) - 1; i > 0; i--)
            {
                if (word[i] == '/' || word[i] == '-')
                {
                    return i + 1;
                }
            }

            return null;
        }

        /// <summary>The lines <see cref="Wrap(string, int, int, int)"/> joins.</summary>
        public static List<string> WrapLines(string? text, int width, int indent, int firstLineUsed)
        {
            var lines = new List<string>();
            if (string.IsNullOrEmpty(text))
            {
                lines.Add("");
                return lines;
            }

            width = Math.Max(width, 20);
            indent = Math.Max(0, Math.Min(indent, width - 20));
            var pad = new string(' ', indent);
            var first = true;
            foreach (var paragraph in text!.Replace("\r\n", "\n").Split('\n'))
            {
                var line = new StringBuilder(first ? "" : pad);
                var used = first ? Math.Max(0, firstLineUsed) : indent;
                var empty = true;
                foreach (var word in paragraph.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!empty && used + 1 + word.Length > width)
                    {
                        lines.Add(line.ToString());
                        // A word too long for the indented line starts further left, so that it stays whole.
                        var start = Math.Max(0, Math.Min(indent, width - word.Length));
                        line.Clear().Append(' ', start);
                        used = start;
                        empty = true;
                    }

                    if (!empty)
                    {
                        line.Append(' ');
                        used++;
                    }

                    // A word longer than a whole line (a URL, a generated name) is broken after a '/' or '-' that fits.
                    var rest = word;
                    while (used + rest.Length > width && BreakAt(rest, width - used) is int cut)
                    {
                        line.Append(rest, 0, cut);
                        lines.Add(line.ToString());
                        line.Clear().Append(' ', indent);
                        used = indent;
                        rest = rest.Substring(cut);
                    }

                    line.Append(rest);
                    used += rest.Length;
                    empty = false;
                }

                lines.Add(line.ToString());
                first = false;
            }

            return lines;
        }
    }
}
