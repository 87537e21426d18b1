using System.Text;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Security
{
    /// <summary>
    /// The one place that knows every secret the engine holds, and removes them from text on its way out.
    /// <para>Every credential source registers what it reads: <see cref="Credentials.IndexCredential"/> registers itself
    /// when it is created (URL user info, UV_INDEX_* variables, netrc, -Credential, and any source that builds an
    /// IndexCredential), proxy settings register a proxy URL's user info and -ProxyCredential. A source that holds a
    /// secret in another shape (a bearer token, a store entry) calls <see cref="Register"/> or
    /// <see cref="RegisterCredential"/> itself, before the secret is used.</para>
    /// <para><see cref="Scrub"/> is applied where text leaves the engine: debug and verbose lines, warnings, errors, page
    /// responses (error text, WWW-Authenticate, selected headers), probe observations, hints and reports. It replaces
    /// each registered secret — as written, percent-encoded (either hex case) and, with its username, as the Base64
    /// value of an <c>Authorization: Basic</c> header — by <see cref="Mask"/>, then redacts any URL user info and signed
    /// query parameters left in the text (<see cref="UrlRedactor.RedactInText"/>).</para>
    /// <para>Secrets shorter than <see cref="MinimumLength"/> characters are not registered: a password such as "token"
    /// would otherwise turn every "token" of every message into ****, destroying the text. Short secrets are still
    /// never shown where the engine knows their place (URL user info, Authorization is never logged); only an echo of
    /// one by a server in free text is not caught. Registration is process-wide and
    /// only grows (a secret seen once is scrubbed for the rest of the session); it is thread-safe.</para>
    /// </summary>
    public static class SecretScrubber
    {
        /// <summary>What a secret is replaced by.</summary>
        public const string Mask = "****";

        /// <summary>The shortest secret that is registered.</summary>
        public const int MinimumLength = 8;

        private static readonly object Gate = new object();
        private static readonly HashSet<string> Known = new HashSet<string>(StringComparer.Ordinal);

        // Longest first, so that a secret containing another is replaced whole. Replaced (never mutated) under Gate.
        private static string[] _ordered = Array.Empty<string>();

        /// <summary>How many distinct strings are scrubbed (each registered secret and its encoded forms).</summary>
        public static int Count => _ordered.Length;

        /// <summary>Registers a secret (a password, a token) and its percent-encoded forms.</summary>
        public static void Register(string? secret)
        {
            if (secret is null || secret.Length < MinimumLength)
            {
                return;
            }

            lock (Gate)
            {
                var added = AddLocked(secret);
                var escaped = Uri.EscapeDataString(secret);
                added |= AddLocked(escaped);
                added |= AddLocked(LowerHex(escaped));
                if (added)
                {
                    var list = new List<string>(Known);
                    list.Sort((a, b) => b.Length != a.Length ? b.Length.CompareTo(a.Length) : string.CompareOrdinal(a, b));
                    _ordered = list.ToArray();
                }
            }
        }

        /// <summary>
        /// Registers a credential: its password, the Base64 <c>user:password</c> of a Basic header, and the username
        /// itself when there is no password (a token passed as the user name, as in <c>https://TOKEN@host/</c>).
        /// </summary>
        public static void RegisterCredential(string? username, string? password)
        {
            if (!string.IsNullOrEmpty(password))
            {
                Register(password);
                Register(Convert.ToBase64String(Encoding.UTF8.GetBytes((username ?? "") + ":" + password)));
            }
            else if (!string.IsNullOrEmpty(username))
            {
                Register(username);
                Register(Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":")));
            }
        }

        /// <summary>
        /// Registers the user info of a URL (or of a bare <c>user:pw@host</c> authority) as <see cref="UrlRedactor"/>
        /// reads it: the password as written and percent-decoded, or a lone user name (a token).
        /// </summary>
        public static void RegisterUrl(string? url)
        {
            var userInfo = UrlRedactor.UserInfo(url);
            if (string.IsNullOrEmpty(userInfo))
            {
                return;
            }

            var colon = userInfo!.IndexOf(':');
            var user = colon < 0 ? userInfo : userInfo.Substring(0, colon);
            var password = colon < 0 ? null : userInfo.Substring(colon + 1);
            RegisterCredential(user, password);
            RegisterCredential(Decode(user), password is null ? null : Decode(password));
        }

        /// <summary>
        /// <paramref name="text"/> with every registered secret replaced by <see cref="Mask"/> and every URL's user info
        /// and signed query parameters redacted. Null becomes "".
        /// </summary>
        public static string Scrub(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? "";
            }

            // URLs first: a secret that happens to equal a query parameter's name must not hide the parameter's value.
            var result = UrlRedactor.RedactInText(text);
            foreach (var secret in _ordered)
            {
                if (result.IndexOf(secret, StringComparison.Ordinal) >= 0)
                {
                    result = result.Replace(secret, Mask);
                }
            }

            return result;
        }

        /// <summary>True when <paramref name="text"/> holds a registered secret (tests and assertions).</summary>
        public static bool ContainsSecret(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            foreach (var secret in _ordered)
            {
                if (text!.IndexOf(secret, StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static string Decode(string value)
        {
            try
            {
                return Uri.UnescapeDataString(value);
            }
            catch (UriFormatException)
            {
                return value;
            }
        }

        private static bool AddLocked(string value) => value.Length >= MinimumLength && Known.Add(value);

        private static string LowerHex(string escaped)
        {
            if (escaped.IndexOf('%') < 0)
            {
                return escaped;
            }

            var chars = escaped.ToCharArray();
            for (var i = 0; i + 2 < chars.Length; i++)
            {
                if (chars[i] == '%')
                {
                    chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
                    chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
                    i += 2;
                }
            }

            return new string(chars);
        }
    }
}
