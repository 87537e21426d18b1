using System.Text;
using System.Text.RegularExpressions;

namespace IndexTools.Engine.Indexes
{
    /// <summary>
    /// Removes credentials from URLs before anything shows them: <c>https://user:pw@host/x</c> → <c>https://****@host/x</c>,
    /// and the values of signed-URL query parameters: <c>?X-Amz-Signature=abc</c> → <c>?X-Amz-Signature=****</c>.
    /// <para><b>User info.</b> A password written without percent-encoding may hold any reserved character, including
    /// <c>/</c>, <c>?</c>, <c>#</c> and <c>@</c>. A strict parser ends the authority at the first <c>/</c>, <c>?</c> or
    /// <c>#</c>; a lenient one (the one a user who wrote such a URL had in mind) takes the user info up to the last
    /// <c>@</c>. We redact what either would call user info: up to the last <c>@</c> inside the strict authority, and
    /// further, up to the lastmost <c>@</c> of the URL, when the text before that <c>@</c> holds a <c>:</c> (uv's
    /// own "credential-like" test, crates/uv-redacted/src/lib.rs). Two exceptions keep ordinary URLs readable: a
    /// <c>file:</c> URL (a Windows drive letter and an <c>@</c> in a folder name carry no credential), and in a VCS URL
    /// (<c>git+https:</c>, ...) a trailing <c>@revision</c> after the path. When in doubt more is hidden, never less.</para>
    /// <para><b>Signed URLs.</b> uv redacts X-Amz-Credential, X-Amz-Security-Token and X-Amz-Signature; we also hide the
    /// Google, Azure SAS and CloudFront equivalents and plain token parameters (<see cref="SensitiveQueryParameters"/>).</para>
    /// </summary>
    public static class UrlRedactor
    {
        /// <summary>Query parameters whose value is replaced by ****, compared case-insensitively.</summary>
        public static readonly string[] SensitiveQueryParameters =
        {
            "X-Amz-Credential", "X-Amz-Security-Token", "X-Amz-Signature",
            "X-Goog-Credential", "X-Goog-Signature", "X-Goog-Security-Token",
            "sig", "signature", "Signature", "Policy", "Key-Pair-Id",
            "token", "access_token", "auth", "auth_token", "api_key", "apikey", "key", "password", "secret", "client_secret", "code",
        };

        private static readonly Regex SensitiveQuery = new Regex(
            @"(?<lead>[?&;](?:" + string.Join("|", Array.ConvertAll(SensitiveQueryParameters, Regex.Escape)) + @")=)(?!\*\*\*\*(?:[&;#\s]|$))[^&;#\s""'<>]*",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private static readonly Regex UrlStart = new Regex(@"[A-Za-z][A-Za-z0-9+.\-]*://", RegexOptions.CultureInvariant);

        public static string Redact(string? url)
        {
            if (string.IsNullOrEmpty(url))
            {
                return url ?? "";
            }

            var text = RedactUserInfo(url!);
            return text.IndexOf('=') < 0 ? text : SensitiveQuery.Replace(text, "${lead}****");
        }

        public static string Redact(Uri? uri) => uri is null ? "" : Redact(uri.OriginalString);

        /// <summary>
        /// Every URL inside free text (a message, a header value, a report cell) redacted as <see cref="Redact(string)"/>
        /// does. A URL runs from its <c>scheme://</c> to the next white space, double quote, backquote or angle bracket.
        /// </summary>
        public static string RedactInText(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? "";
            }

            var value = text!;
            if (value.IndexOf("://", StringComparison.Ordinal) < 0)
            {
                return value.IndexOf('=') < 0 ? value : SensitiveQuery.Replace(value, "${lead}****");
            }

            var builder = new StringBuilder(value.Length);
            var position = 0;
            var match = UrlStart.Match(value);
            while (match.Success)
            {
                if (match.Index < position)
                {
                    match = match.NextMatch();
                    continue;
                }

                var end = match.Index;
                while (end < value.Length && !EndsUrl(value[end]))
                {
                    end++;
                }

                builder.Append(value, position, match.Index - position);
                builder.Append(Redact(value.Substring(match.Index, end - match.Index)));
                position = end;
                match = match.NextMatch();
            }

            builder.Append(value, position, value.Length - position);
            var result = builder.ToString();
            return result.IndexOf('=') < 0 ? result : SensitiveQuery.Replace(result, "${lead}****");
        }

        // Not a single quote: a password may hold one (a sub-delimiter); a quote closing the URL stays after the redaction.
        private static bool EndsUrl(char c) => char.IsWhiteSpace(c) || c == '"' || c == '<' || c == '>' || c == '`';

        /// <summary>
        /// The user info <see cref="Redact(string)"/> hides (without the final '@'), or null. A value without
        /// <c>scheme://</c> (such as a proxy given as <c>user:pw@host:3128</c>) is read as an authority.
        /// </summary>
        public static string? UserInfo(string? url)
        {
            if (string.IsNullOrEmpty(url))
            {
                return null;
            }

            var schemeEnd = url!.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd < 0)
            {
                var bare = url.LastIndexOf('@');
                return bare > 0 ? url.Substring(0, bare) : null;
            }

            var at = UserInfoEnd(url, schemeEnd);
            return at < 0 ? null : url.Substring(schemeEnd + 3, at - schemeEnd - 3);
        }

        /// <summary>As <see cref="Redact(string)"/>; a value without <c>scheme://</c> is read as an authority (<c>user:pw@host</c>).</summary>
        public static string RedactAuthority(string? value)
        {
            if (string.IsNullOrEmpty(value) || value!.IndexOf("://", StringComparison.Ordinal) >= 0)
            {
                return Redact(value);
            }

            var at = value.LastIndexOf('@');
            return at < 0 ? Redact(value) : Redact("****" + value.Substring(at));
        }

        /// <summary>The URL without what <see cref="Redact(string)"/> would call user info (and without its '@'); other text as it is.</summary>
        internal static string WithoutUserInfo(string text)
        {
            var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd < 0)
            {
                return text;
            }

            var at = UserInfoEnd(text, schemeEnd);
            return at < 0 ? text : text.Substring(0, schemeEnd + 3) + text.Substring(at + 1);
        }

        private static string RedactUserInfo(string text)
        {
            var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd < 0)
            {
                return text;
            }

            var at = UserInfoEnd(text, schemeEnd);
            return at < 0 ? text : text.Substring(0, schemeEnd + 3) + "****" + text.Substring(at);
        }

        private static int UserInfoEnd(string text, int schemeEnd)
        {
            var scheme = text.Substring(0, schemeEnd);
            var authorityStart = schemeEnd + 3;
            var strictEnd = text.IndexOfAny(new[] { '/', '?', '#', '\\' }, authorityStart);
            if (strictEnd < 0)
            {
                strictEnd = text.Length;
            }

            // The strict reading: the last '@' inside the authority ends the user info.
            var at = strictEnd == authorityStart ? -1 : text.LastIndexOf('@', strictEnd - 1, strictEnd - authorityStart);

            var isFile = scheme.Equals("file", StringComparison.OrdinalIgnoreCase) || scheme.EndsWith("+file", StringComparison.OrdinalIgnoreCase);
            if (!isFile)
            {
                at = Math.Max(at, LenientUserInfoEnd(text, authorityStart, strictEnd, scheme.IndexOf('+') >= 0));
            }

            return at;
        }

        /// <summary>
        /// The lenient reading: the lastmost '@' after the strict authority whose preceding text (from the authority's
        /// start) holds a ':' — a password with an unescaped '/', '?', '#' or '@'. In a VCS URL a last '@' followed by no
        /// '/' is a revision when the strict authority is a plain host[:port]; an earlier candidate is then taken.
        /// </summary>
        private static int LenientUserInfoEnd(string text, int authorityStart, int strictEnd, bool vcs)
        {
            if (strictEnd >= text.Length)
            {
                return -1;
            }

            var colon = text.IndexOf(':', authorityStart);
            if (colon < 0)
            {
                return -1;
            }

            var strictUserInfo = text.IndexOf('@', authorityStart, strictEnd - authorityStart) >= 0;
            var last = text.LastIndexOf('@');
            while (last > strictEnd && last > colon)
            {
                var revision = vcs
                    && text.IndexOfAny(new[] { '/', '?' }, last) < 0
                    && (strictUserInfo || PlainHostPort(text, authorityStart, strictEnd) || HasEarlierCandidate(text, last, colon, strictEnd));
                if (!revision)
                {
                    return last;
                }

                last = last == 0 ? -1 : text.LastIndexOf('@', last - 1);
            }

            return -1;
        }

        private static bool HasEarlierCandidate(string text, int last, int colon, int strictEnd)
        {
            var earlier = last == 0 ? -1 : text.LastIndexOf('@', last - 1);
            return earlier > strictEnd && earlier > colon;
        }

        /// <summary>The strict authority is a host name or address with an optional numeric port, and no user info.</summary>
        private static bool PlainHostPort(string text, int start, int end)
        {
            var colon = -1;
            for (var i = start; i < end; i++)
            {
                var c = text[i];
                if (c == '@')
                {
                    return false;
                }

                if (c == ':' && (i == start || text[start] != '['))
                {
                    colon = i;
                }

                if (c == ']')
                {
                    colon = -1;
                }
            }

            if (colon < 0)
            {
                return end > start;
            }

            for (var i = colon + 1; i < end; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
