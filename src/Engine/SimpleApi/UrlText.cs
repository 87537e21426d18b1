using System.Text;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>URL string helpers shared by the HTML and JSON parsers.</summary>
    internal static class UrlText
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>True when <paramref name="url"/> starts with an RFC 3986 scheme (<c>ALPHA *(ALPHA / DIGIT / + / - / .) ":"</c>).</summary>
        internal static bool HasScheme(string url) => HasScheme(url.AsSpan());

        internal static bool HasScheme(ReadOnlySpan<char> url)
        {
            if (url.Length == 0 || !IsAsciiLetter(url[0]))
            {
                return false;
            }

            for (var i = 1; i < url.Length; i++)
            {
                var c = url[i];
                if (c == ':')
                {
                    return true;
                }

                if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>
        /// An absolute URL string for a file link. Absolute links are kept as written (uv keeps them verbatim);
        /// relative ones are joined to <paramref name="baseUrl"/>. A link that cannot be joined is kept as written.
        /// </summary>
        internal static string Resolve(Uri baseUrl, string link) => HasScheme(link) ? link : Join(baseUrl, link);

        internal static string Resolve(Uri baseUrl, ReadOnlySpan<char> link) => HasScheme(link) ? link.ToString() : Join(baseUrl, link.ToString());

        private static string Join(Uri baseUrl, string link)
        {
            try
            {
                return new Uri(baseUrl, new Uri(link, UriKind.Relative)).AbsoluteUri;
            }
            catch (UriFormatException)
            {
                return link;
            }
        }

        internal static string StripFragment(string url)
        {
            var hash = url.IndexOf('#');
            return hash < 0 ? url : url.Substring(0, hash);
        }

        /// <summary>
        /// Percent-decodes <paramref name="text"/> (a <c>%</c> not followed by two hex digits stays literal) and reads the
        /// bytes as UTF-8. Returns null when the decoded bytes are not valid UTF-8.
        /// </summary>
        internal static string? PercentDecode(string text) => text.IndexOf('%') < 0 ? text : PercentDecodeSlow(text);

        internal static string? PercentDecode(ReadOnlySpan<char> text) => text.IndexOf('%') < 0 ? text.ToString() : PercentDecodeSlow(text.ToString());

        private static string? PercentDecodeSlow(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var length = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                if (b == (byte)'%' && i + 2 < bytes.Length && HexValue(bytes[i + 1]) >= 0 && HexValue(bytes[i + 2]) >= 0)
                {
                    b = (byte)((HexValue(bytes[i + 1]) << 4) | HexValue(bytes[i + 2]));
                    i += 2;
                }

                bytes[length++] = b;
            }

            try
            {
                return StrictUtf8.GetString(bytes, 0, length);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        internal static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        /// <summary>Trims the characters the URL standard strips from both ends of a URL (C0 controls and space).</summary>
        internal static ReadOnlySpan<char> TrimC0(ReadOnlySpan<char> text)
        {
            var start = 0;
            var end = text.Length;
            while (start < end && text[start] <= ' ')
            {
                start++;
            }

            while (end > start && text[end - 1] <= ' ')
            {
                end--;
            }

            return text.Slice(start, end - start);
        }

        internal static string TrimC0(string text)
        {
            var trimmed = TrimC0(text.AsSpan());
            return trimmed.Length == text.Length ? text : trimmed.ToString();
        }

        private static int HexValue(byte b)
        {
            if (b >= '0' && b <= '9')
            {
                return b - '0';
            }

            if (b >= 'a' && b <= 'f')
            {
                return b - 'a' + 10;
            }

            if (b >= 'A' && b <= 'F')
            {
                return b - 'A' + 10;
            }

            return -1;
        }
    }
}
