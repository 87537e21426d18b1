using System;
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

        /// <summary>Decodes a local file as uv's <c>read_to_string</c> does: strict UTF-8 (a leading BOM is dropped).</summary>
        internal static string DecodeStrictUtf8(byte[] buffer, int length)
        {
            var start = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            try
            {
                return StrictUtf8.GetString(buffer, start, length - start);
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
