namespace IndexTools.Engine.Versions
{
    /// <summary>
    /// A PEP 508 requirement as users type it on a command line or in a requirements file:
    /// <c>Requests[security,socks] (&gt;=2.0) ; python_version &gt;= "3.8"</c>, <c>name @ https://…</c>.
    /// The marker is kept as text and not evaluated. A trailing requirements-file comment (<c> # …</c>) is ignored.
    /// </summary>
    public sealed class Requirement
    {
        private static readonly string[] NoExtras = new string[0];

        private Requirement(string original, string name, IReadOnlyList<string> extras, VersionSpecifierSet specifiers, string? marker, string? url)
        {
            Original = original;
            Name = name;
            NormalizedName = PackageName.Normalize(name);
            Extras = extras;
            Specifiers = specifiers;
            Marker = marker;
            Url = url;
        }

        /// <summary>The text as given.</summary>
        public string Original { get; }

        /// <summary>The project name as given.</summary>
        public string Name { get; }

        /// <summary>The PEP 503 normalized name.</summary>
        public string NormalizedName { get; }

        /// <summary>The extras as given, in order.</summary>
        public IReadOnlyList<string> Extras { get; }

        /// <summary>The version specifiers; <see cref="VersionSpecifierSet.Any"/> when there are none.</summary>
        public VersionSpecifierSet Specifiers { get; }

        /// <summary>The environment marker text after ';', trimmed; null when there is none.</summary>
        public string? Marker { get; }

        /// <summary>The URL of a direct reference (<c>name @ url</c>); null otherwise.</summary>
        public string? Url { get; }

        /// <summary>Parses a requirement; a <see cref="FormatException"/> naming the text and what is wrong.</summary>
        public static Requirement Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (!TryParse(text, out var requirement, out var error))
            {
                throw new FormatException(error);
            }

            return requirement!;
        }

        public static bool TryParse(string text, out Requirement? requirement, out string? error)
        {
            requirement = null;
            error = null;
            if (text is null)
            {
                error = "Invalid requirement: no text.";
                return false;
            }

            string Fail(string what) => $"Invalid requirement '{text}': {what}.";

            var s = StripComment(text);
            var i = 0;
            SkipWhitespace(s, ref i);

            // Name: letters/digits at both ends, '.', '_' and '-' inside.
            var nameStart = i;
            while (i < s.Length && IsNameChar(s[i]))
            {
                i++;
            }

            if (i == nameStart)
            {
                error = Fail(i >= s.Length ? "it has no package name" : $"expected a package name at '{Excerpt(s, i)}'");
                return false;
            }

            var name = s.Substring(nameStart, i - nameStart);
            if (!IsValidName(name))
            {
                error = Fail($"'{name}' is not a valid package name (it must start and end with a letter or digit)");
                return false;
            }

            SkipWhitespace(s, ref i);

            // Extras.
            IReadOnlyList<string> extras = NoExtras;
            if (i < s.Length && s[i] == '[')
            {
                var close = s.IndexOf(']', i);
                if (close < 0)
                {
                    error = Fail("the extras list has no closing ']'");
                    return false;
                }

                var list = new List<string>();
                var inner = s.Substring(i + 1, close - i - 1);
                if (inner.Trim().Length > 0)
                {
                    foreach (var raw in inner.Split(','))
                    {
                        var extra = raw.Trim();
                        if (extra.Length == 0 || !IsValidName(extra))
                        {
                            error = Fail($"'{extra}' is not a valid extra name");
                            return false;
                        }

                        list.Add(extra);
                    }
                }

                extras = list;
                i = close + 1;
                SkipWhitespace(s, ref i);
            }

            string? url = null;
            var specifiers = VersionSpecifierSet.Any;
            string? marker = null;
            if (i < s.Length && s[i] == '@')
            {
                // Direct reference: the URL runs to the first whitespace; a marker must follow whitespace.
                i++;
                SkipWhitespace(s, ref i);
                var urlStart = i;
                while (i < s.Length && !char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                url = s.Substring(urlStart, i - urlStart);
                if (url.Length == 0)
                {
                    error = Fail("'@' must be followed by a URL");
                    return false;
                }

                if (url.IndexOf(':') < 0)
                {
                    error = Fail($"'{url}' is not a URL");
                    return false;
                }

                SkipWhitespace(s, ref i);
            }
            else if (i < s.Length && s[i] != ';')
            {
                // Version specifiers, optionally in parentheses, up to ';' or the end.
                var end = s.IndexOf(';', i);
                if (end < 0)
                {
                    end = s.Length;
                }

                var specText = s.Substring(i, end - i).Trim();
                if (specText.StartsWith("(", StringComparison.Ordinal))
                {
                    if (!specText.EndsWith(")", StringComparison.Ordinal))
                    {
                        error = Fail("the version specifiers in '(' have no closing ')'");
                        return false;
                    }

                    specText = specText.Substring(1, specText.Length - 2);
                    if (specText.Trim().Length == 0)
                    {
                        error = Fail("'()' contains no version specifier");
                        return false;
                    }
                }

                if (!VersionSpecifierSet.TryParse(specText, out var set, out var specError))
                {
                    error = Fail(specError!.TrimEnd('.'));
                    return false;
                }

                specifiers = set!;
                i = end;
            }

            if (i < s.Length)
            {
                if (s[i] != ';')
                {
                    error = Fail($"unexpected text '{Excerpt(s, i)}'");
                    return false;
                }

                marker = s.Substring(i + 1).Trim();
                if (marker.Length == 0)
                {
                    error = Fail("';' must be followed by an environment marker");
                    return false;
                }
            }

            requirement = new Requirement(text, name, extras, specifiers, marker, url);
            return true;
        }

        public override string ToString() => Original;

        private static string StripComment(string text)
        {
            // Requirements files: '#' at the start or after whitespace starts a comment (pip's COMMENT_RE).
            for (var k = 0; k < text.Length; k++)
            {
                if (text[k] == '#' && (k == 0 || char.IsWhiteSpace(text[k - 1])))
                {
                    return text.Substring(0, k);
                }
            }

            return text;
        }

        private static string Excerpt(string s, int i)
        {
            var rest = s.Substring(i).Trim();
            return rest.Length > 40 ? rest.Substring(0, 40) + "…" : rest;
        }

        private static void SkipWhitespace(string s, ref int i)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }
        }

        private static bool IsAsciiLetterOrDigit(char c) =>
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        private static bool IsNameChar(char c) => IsAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == '-';

        internal static bool IsValidName(string name)
        {
            if (name.Length == 0 || !IsAsciiLetterOrDigit(name[0]) || !IsAsciiLetterOrDigit(name[name.Length - 1]))
            {
                return false;
            }

            foreach (var c in name)
            {
                if (!IsNameChar(c))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
