using System.Text;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>Turns HTML bytes into text.</summary>
    internal static class PageText
    {
        private static readonly UTF8Encoding LenientUtf8 = new UTF8Encoding(false, false);
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>
        /// Decodes a response body the way uv's HTTP client (reqwest's <c>Response::text</c>) does: a byte-order mark
        /// wins, then the Content-Type <c>charset</c>, then UTF-8; bytes that do not decode become U+FFFD, never an error.
        /// A charset this runtime does not know is read as UTF-8.
        /// </summary>
        internal static string DecodeLenient(byte[] buffer, int length, string? contentType)
        {
            if (length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                return LenientUtf8.GetString(buffer, 3, length - 3);
            }

            if (length >= 2 && buffer[0] == 0xFF && buffer[1] == 0xFE)
            {
                return new UnicodeEncoding(false, false, false).GetString(buffer, 2, length - 2);
            }

            if (length >= 2 && buffer[0] == 0xFE && buffer[1] == 0xFF)
            {
                return new UnicodeEncoding(true, false, false).GetString(buffer, 2, length - 2);
            }

            var encoding = EncodingFor(Charset(contentType));
            return encoding.GetString(buffer, 0, length);
        }

        /// <summary>
        /// The HTML of a response body as UTF-8 bytes, decoded as <see cref="DecodeLenient"/> decodes it: a UTF-8 page (a UTF-8
        /// byte-order mark, a <c>utf-8</c> charset, no charset or one this runtime does not know) is the body itself, past
        /// its byte-order mark, with no copy (invalid sequences are left for the reader to decode leniently, which gives
        /// the same text); any other charset or a UTF-16 byte-order mark takes the slow path: decoded, then encoded as UTF-8.
        /// </summary>
        internal static byte[] HtmlBytes(byte[] buffer, int length, string? contentType, out int start, out int utf8Length)
        {
            if (length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                start = 3;
                utf8Length = length - 3;
                return buffer;
            }

            var utf16 = length >= 2 && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF));
            if (!utf16 && EncodingFor(Charset(contentType)) == LenientUtf8)
            {
                start = 0;
                utf8Length = length;
                return buffer;
            }

            var bytes = Encoding.UTF8.GetBytes(DecodeLenient(buffer, length, contentType));
            start = 0;
            utf8Length = bytes.Length;
            return bytes;
        }

        /// <summary>
        /// A local file's bytes as uv's <c>read_to_string</c> takes them: strict UTF-8 (a leading BOM is dropped), checked
        /// without decoding a copy; <see cref="ProjectPageFormatException"/> when they are not UTF-8.
        /// </summary>
        internal static void CheckStrictUtf8(byte[] buffer, int length, out int start, out int utf8Length)
        {
            start = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            utf8Length = length - start;
            try
            {
                StrictUtf8.GetCharCount(buffer, start, utf8Length);
            }
            catch (DecoderFallbackException)
            {
                throw new ProjectPageFormatException("the page is not valid UTF-8");
            }
        }

        /// <summary>The media type of a Content-Type value: the part before ';', trimmed, lower-case; null when empty.</summary>
        internal static string? MediaType(string? contentType)
        {
            if (contentType == null)
            {
                return null;
            }

            var semicolon = contentType.IndexOf(';');
            var mediaType = (semicolon < 0 ? contentType : contentType.Substring(0, semicolon)).Trim().ToLowerInvariant();
            return mediaType.Length == 0 ? null : mediaType;
        }

        internal static string? Charset(string? contentType)
        {
            if (contentType == null)
            {
                return null;
            }

            foreach (var part in contentType.Split(';'))
            {
                var equals = part.IndexOf('=');
                if (equals > 0 && string.Equals(part.Substring(0, equals).Trim(), "charset", StringComparison.OrdinalIgnoreCase))
                {
                    var value = part.Substring(equals + 1).Trim().Trim('"', '\'').Trim();
                    return value.Length == 0 ? null : value;
                }
            }

            return null;
        }

        private static Encoding EncodingFor(string? charset)
        {
            if (charset == null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                return LenientUtf8;
            }

            try
            {
                return Encoding.GetEncoding(charset, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
            }
            catch (ArgumentException)
            {
                return LenientUtf8;
            }
        }
    }
}
