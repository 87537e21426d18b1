using System;
using System.Text;

namespace IndexTools.Engine.Credentials
{
    /// <summary>Where a credential came from. Shown lowercase in <c>PageResponse.CredentialSource</c>.</summary>
    public enum CredentialSourceKind
    {
        None,
        Url,
        Env,
        Netrc,
        Keyring,
        Parameter,
    }

    public static class CredentialSourceKindExtensions
    {
        /// <summary>none, url, env, netrc, keyring or parameter.</summary>
        public static string ToDisplayString(this CredentialSourceKind kind)
        {
            switch (kind)
            {
                case CredentialSourceKind.Url: return "url";
                case CredentialSourceKind.Env: return "env";
                case CredentialSourceKind.Netrc: return "netrc";
                case CredentialSourceKind.Keyring: return "keyring";
                case CredentialSourceKind.Parameter: return "parameter";
                default: return "none";
            }
        }
    }

    /// <summary>
    /// A username and password for HTTP Basic authentication. Either part may be missing (a URL with only a
    /// username, or <c>UV_INDEX_X_PASSWORD</c> alone), as uv allows. <see cref="ToString"/> never shows the password.
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

        public string? Username { get; }

        /// <summary>The secret. Never log, format or display it.</summary>
        public string? Password { get; }

        /// <summary>Both a username and a password are known (uv's <c>is_authenticated</c>).</summary>
        public bool IsComplete => Username != null && Password != null;

        /// <summary>The value of an <c>Authorization: Basic ...</c> header (a missing part is sent empty, as uv does).</summary>
        internal string ToBasicParameter()
        {
            var raw = (Username ?? "") + ":" + (Password ?? "");
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(raw));
        }

        public override string ToString()
        {
            var user = Username ?? "(no username)";
            return Password is null ? user + " (no password)" : user + ":****";
        }
    }
}
