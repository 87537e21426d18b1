using System;

namespace IndexTools.Engine.Indexes
{
    /// <summary>Removes credentials from URLs before anything shows them: <c>https://user:pw@host/x</c> → <c>https://****@host/x</c>.</summary>
    public static class UrlRedactor
    {
        public static string Redact(string? url)
        {
            if (string.IsNullOrEmpty(url))
            {
                return url ?? "";
            }

            var text = url!;
            var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd < 0)
            {
                return text;
            }

            var authorityStart = schemeEnd + 3;
            var authorityEnd = text.IndexOfAny(new[] { '/', '?', '#' }, authorityStart);
            if (authorityEnd < 0)
            {
                authorityEnd = text.Length;
            }

            // The last '@' inside the authority ends the userinfo (a password may itself contain '@' when unescaped).
            var at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
            if (at < 0)
            {
                return text;
            }

            return text.Substring(0, authorityStart) + "****" + text.Substring(at);
        }

        public static string Redact(Uri? uri) => uri is null ? "" : Redact(uri.OriginalString);
    }
}
