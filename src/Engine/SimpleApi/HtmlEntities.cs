using System.Text;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// Decodes HTML character references in attribute values: numeric (<c>&amp;#43;</c>, <c>&amp;#x2B;</c>) and the named
    /// ones index pages use. An unknown name or a malformed reference stays as written, as browsers and uv's
    /// html_escape crate leave it.
    /// </summary>
    internal static class HtmlEntities
    {
        private static readonly Dictionary<string, string> Named = new Dictionary<string, string>
        {
            ["amp"] = "&", ["lt"] = "<", ["gt"] = ">", ["quot"] = "\"", ["apos"] = "'", ["nbsp"] = "\u00A0",
            ["plus"] = "+", ["equals"] = "=", ["num"] = "#", ["percnt"] = "%", ["sol"] = "/", ["bsol"] = "\\",
            ["colon"] = ":", ["semi"] = ";", ["comma"] = ",", ["period"] = ".", ["excl"] = "!", ["quest"] = "?",
            ["lpar"] = "(", ["rpar"] = ")", ["lsqb"] = "[", ["rsqb"] = "]", ["lbrack"] = "[", ["rbrack"] = "]",
            ["lcub"] = "{", ["rcub"] = "}", ["lbrace"] = "{", ["rbrace"] = "}", ["commat"] = "@", ["dollar"] = "$",
            ["ast"] = "*", ["Hat"] = "^", ["grave"] = "`", ["lowbar"] = "_", ["verbar"] = "|", ["vert"] = "|",
            ["tilde"] = "\u02DC", ["hyphen"] = "\u2010", ["dash"] = "\u2010", ["ndash"] = "\u2013", ["mdash"] = "\u2014",
            ["AMP"] = "&", ["LT"] = "<", ["GT"] = ">", ["QUOT"] = "\"", ["Tab"] = "\t", ["NewLine"] = "\n",
        };

        // Legacy references a browser also accepts without the closing ';'.
        private static readonly string[] WithoutSemicolon = { "amp", "lt", "gt", "quot", "nbsp", "AMP", "LT", "GT", "QUOT" };

        internal static string Decode(string text)
        {
            var amp = text.IndexOf('&');
            if (amp < 0)
            {
                return text;
            }

            var sb = new StringBuilder(text.Length);
            sb.Append(text, 0, amp);
            var i = amp;
            while (i < text.Length)
            {
                var c = text[i];
                if (c != '&')
                {
                    sb.Append(c);
                    i++;
                    continue;
                }

                var consumed = TryDecodeAt(text, i, sb);
                if (consumed == 0)
                {
                    sb.Append('&');
                    i++;
                }
                else
                {
                    i += consumed;
                }
            }

            return sb.ToString();
        }

        private static int TryDecodeAt(string text, int start, StringBuilder sb)
        {
            var p = start + 1;
            if (p < text.Length && text[p] == '#')
            {
                p++;
                var hex = p < text.Length && (text[p] == 'x' || text[p] == 'X');
                if (hex)
                {
                    p++;
                }

                var digitsStart = p;
                long value = 0;
                while (p < text.Length && IsDigit(text[p], hex))
                {
                    if (value <= 0x10FFFF)
                    {
                        value = (value * (hex ? 16 : 10)) + DigitValue(text[p]);
                    }

                    p++;
                }

                if (p == digitsStart)
                {
                    return 0;
                }

                if (p < text.Length && text[p] == ';')
                {
                    p++;
                }

                AppendCodePoint(sb, value);
                return p - start;
            }

            var nameStart = p;
            while (p < text.Length && p - nameStart < 32 && (UrlText.IsAsciiLetter(text[p]) || (text[p] >= '0' && text[p] <= '9')))
            {
                p++;
            }

            if (p == nameStart)
            {
                return 0;
            }

            var name = text.Substring(nameStart, p - nameStart);
            if (p < text.Length && text[p] == ';' && Named.TryGetValue(name, out var replacement))
            {
                sb.Append(replacement);
                return p + 1 - start;
            }

            // A legacy reference without ';' (e.g. "&amp" or "&ltx"): the longest known prefix wins.
            foreach (var legacy in WithoutSemicolon)
            {
                if (name.StartsWith(legacy, System.StringComparison.Ordinal) && Named.TryGetValue(legacy, out var value))
                {
                    sb.Append(value);
                    return 1 + legacy.Length;
                }
            }

            return 0;
        }

        private static void AppendCodePoint(StringBuilder sb, long value)
        {
            if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
            {
                sb.Append('\uFFFD');
            }
            else
            {
                sb.Append(char.ConvertFromUtf32((int)value));
            }
        }

        private static bool IsDigit(char c, bool hex) =>
            (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));

        private static int DigitValue(char c) =>
            c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
