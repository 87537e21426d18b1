using System;
using System.Collections.Generic;
using System.Linq;

namespace IndexTools.IndexServer
{
    /// <summary>Which route a request hit.</summary>
    public enum RequestKind
    {
        Other,
        Root,
        Project,
        File,
        Flat,
        Login,
    }

    /// <summary>
    /// One request as the server saw it. Never holds a password: the Authorization and Cookie values
    /// are replaced by <see cref="Redacted"/>; only the Basic username is decoded.
    /// </summary>
    public sealed class RecordedRequest
    {
        public const string Redacted = "[redacted]";

        internal RecordedRequest(long sequence, string method, string path, string? index, string? rawProject, RequestKind kind, string? accept, string? authorizationScheme, string? username, IReadOnlyDictionary<string, string> headers, DateTimeOffset startedAt)
        {
            Sequence = sequence;
            Method = method;
            Path = path;
            Index = index;
            RawProject = rawProject;
            Project = rawProject == null ? null : Names.Normalize(rawProject);
            Kind = kind;
            Accept = accept;
            AuthorizationScheme = authorizationScheme;
            Username = username;
            Headers = headers;
            StartedAt = startedAt;
        }

        /// <summary>Arrival order, from 1.</summary>
        public long Sequence { get; }

        public string Method { get; }

        /// <summary>Path and query string as requested.</summary>
        public string Path { get; }

        public string? Index { get; }

        /// <summary>The project (or file's project is not known: null for files) normalized per PEP 503.</summary>
        public string? Project { get; }

        /// <summary>The project segment exactly as requested.</summary>
        public string? RawProject { get; }

        public RequestKind Kind { get; }

        public string? Accept { get; }

        public bool AuthorizationPresent => AuthorizationScheme != null;

        /// <summary>"Basic", "Bearer", ... when an Authorization header came.</summary>
        public string? AuthorizationScheme { get; }

        /// <summary>The username decoded from Basic credentials; never the password.</summary>
        public string? Username { get; }

        /// <summary>All request headers (multiple values joined by ", "), Authorization/Cookie values redacted.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        public DateTimeOffset StartedAt { get; }

        /// <summary>When the response finished (null while in flight).</summary>
        public DateTimeOffset? EndedAt { get; internal set; }

        /// <summary>The status sent (null while in flight or when the connection was reset before headers).</summary>
        public int? ResponseStatus { get; internal set; }

        /// <summary>The Content-Type sent, if any.</summary>
        public string? ResponseContentType { get; internal set; }

        /// <summary>True when the connection was aborted (client gone, or the "reset" malformed mode).</summary>
        public bool Aborted { get; internal set; }

        /// <summary>The Location sent with a redirect, if any.</summary>
        public string? Location { get; internal set; }

        public override string ToString() =>
            $"{Method} {Path} -> {(ResponseStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "...")}" + (Username != null ? $" (user {Username})" : AuthorizationPresent ? $" ({AuthorizationScheme})" : string.Empty);

        internal static bool IsSecretHeader(string name) =>
            new[] { "Authorization", "Proxy-Authorization", "Cookie" }.Any(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
    }
}
