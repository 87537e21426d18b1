using System.Net.Http.Headers;
using System.Text;

namespace IndexTools.Engine.Credentials
{
    /// <summary>Where a credential came from. Shown lowercase (<see cref="CredentialSourceKindExtensions.ToDisplayString"/>)
    /// in <c>PageResponse.CredentialSource</c> and <c>IndexAttempt.CredentialSource</c>.</summary>
    public enum CredentialSourceKind
    {
        None,
        Url,
        Env,
        Netrc,
        UvStore,
        Keyring,
        Learned,
        Parameter,
    }

    public static class CredentialSourceKindExtensions
    {
        /// <summary>none, url, env, netrc, uv-store, keyring, learned or parameter.</summary>
        public static string ToDisplayString(this CredentialSourceKind kind)
        {
            switch (kind)
            {
                case CredentialSourceKind.Url: return "url";
                case CredentialSourceKind.Env: return "env";
                case CredentialSourceKind.Netrc: return "netrc";
                case CredentialSourceKind.UvStore: return "uv-store";
                case CredentialSourceKind.Keyring: return "keyring";
                case CredentialSourceKind.Learned: return "learned";
                case CredentialSourceKind.Parameter: return "parameter";
                default: return "none";
            }
        }
    }

    /// <summary>
    /// A username and password for HTTP Basic authentication, or a bearer token (uv's credential store,
    /// <c>scheme = "bearer"</c>). Either Basic part may be missing (a URL with only a username, or
    /// <c>UV_INDEX_X_PASSWORD</c> alone), as uv allows. <see cref="ToString"/> never shows the secret.
    /// </summary>
    public sealed class IndexCredential
    {
        public IndexCredential(string? username, string? password)
        {
            Username = string.IsNullOrEmpty(username) ? null : username;
            Password = password;

            // Every credential the engine holds is known to the scrubber before it can be sent or shown.
            Security.SecretScrubber.RegisterCredential(Username, Password);
        }

        private IndexCredential(string token)
        {
            Token = token;
            Security.SecretScrubber.Register(token);
        }

        /// <summary>A bearer token (<c>Authorization: Bearer ...</c>).</summary>
        public static IndexCredential Bearer(string token) => new IndexCredential(token ?? throw new ArgumentNullException(nameof(token)));

        public string? Username { get; }

        /// <summary>The secret. Never log, format or display it.</summary>
        public string? Password { get; }

        /// <summary>A bearer token, the secret of a bearer credential. Never log, format or display it.</summary>
        public string? Token { get; }

        /// <summary>A password or a token is known (uv's <c>is_authenticated</c>).</summary>
        public bool IsComplete => Token != null || (Username != null && Password != null);

        /// <summary>The secrets this credential holds (password, token), for a scrubber; never for display.</summary>
        public string?[] Secrets => new[] { Password, Token };

        /// <summary>The value of an <c>Authorization: Basic ...</c> header (a missing part is sent empty, as uv does).</summary>
        internal string ToBasicParameter()
        {
            var raw = (Username ?? "") + ":" + (Password ?? "");
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(raw));
        }

        /// <summary>The Authorization header this credential sends.</summary>
        internal AuthenticationHeaderValue ToAuthorization()
        {
            return Token != null ? new AuthenticationHeaderValue("Bearer", Token) : new AuthenticationHeaderValue("Basic", ToBasicParameter());
        }

        public override string ToString()
        {
            if (Token != null)
            {
                return "(bearer token ****)";
            }

            var user = Username ?? "(no username)";
            return Password is null ? user + " (no password)" : user + ":****";
        }
    }
}
