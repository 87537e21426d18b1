using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IndexTools.IndexServer
{
    /// <summary>
    /// How an index answers. Every property falls back to the <see cref="Profile"/>'s value, then to a
    /// built-in default, unless it was set explicitly (in C# or in the fixture JSON), whatever the order.
    /// </summary>
    public sealed class IndexBehavior
    {
        private static readonly JsonSerializerOptions ValueOptions = new JsonSerializerOptions();
        private readonly Dictionary<string, object?> _explicit = new Dictionary<string, object?>(StringComparer.Ordinal);
        private string? _profile;

        /// <summary>A registry profile from registries.md (see <see cref="RegistryProfiles.Names"/>); it sets defaults and realistic headers and bodies.</summary>
        public string? Profile
        {
            get => _profile;
            set
            {
                if (value != null && !RegistryProfiles.Exists(value))
                {
                    throw new ArgumentException($"Unknown registry profile '{value}'. Known: {string.Join(", ", RegistryProfiles.Names)}.", nameof(value));
                }

                _profile = value?.ToLowerInvariant();
            }
        }

        /// <summary>Status for a project the index does not hold.</summary>
        public int MissingStatus { get => Get(404); set => Set(value); }

        /// <summary>Projects (any spelling) answered with a given status whatever else is true (e.g. a 401 for one unpublished name).</summary>
        public Dictionary<string, int> ProjectStatus { get => GetCollection(() => new Dictionary<string, int>(StringComparer.Ordinal)); set => Set(value); }

        /// <summary>Files answered with a given status (e.g. a proxy blocking one file for a CVE with 403).</summary>
        public Dictionary<string, int> FileStatus { get => GetCollection(() => new Dictionary<string, int>(StringComparer.Ordinal)); set => Set(value); }

        /// <summary>When set (with <see cref="Password"/>), HTTP basic authentication is required on every route of the index.</summary>
        public string? Username { get => Get<string?>(null); set => Set(value); }

        public string? Password { get => Get<string?>(null); set => Set(value); }

        /// <summary>Realm in <c>WWW-Authenticate: Basic realm="..."</c>.</summary>
        public string Realm { get => Get("IndexTools test index"); set => Set(value); }

        /// <summary>The whole WWW-Authenticate value when the realm form is not enough (e.g. Azure's Bearer + Basic).</summary>
        public string? WwwAuthenticate { get => Get<string?>(null); set => Set(value); }

        /// <summary>Status when authentication is required and no credentials came.</summary>
        public int AnonymousStatus { get => Get(401); set => Set(value); }

        /// <summary>Status when credentials came but are wrong.</summary>
        public int BadCredentialsStatus { get => Get(401); set => Set(value); }

        /// <summary>JFrog style: anonymous requests are answered from <see cref="PassThroughIndex"/> (same server) instead of a 401.</summary>
        public bool AnonymousPassThrough { get => Get(false); set => Set(value); }

        public string? PassThroughIndex { get => Get<string?>(null); set => Set(value); }

        /// <summary>Answer this status instead of the page, for the first <see cref="FailTimes"/> requests to each URL.</summary>
        public int? ErrorStatus { get => Get<int?>(null); set => Set(value); }

        /// <summary>How many requests per URL get <see cref="ErrorStatus"/>; -1 (the default) means every request.</summary>
        public int FailTimes { get => Get(-1); set => Set(value); }

        /// <summary>Retry-After seconds sent with <see cref="ErrorStatus"/>.</summary>
        public int? RetryAfterSeconds { get => Get<int?>(null); set => Set(value); }

        /// <summary>Server-side delay before answering each request.</summary>
        public int LatencyMs { get => Get(0); set => Set(value); }

        /// <summary>When positive, bodies are written at about this many bytes per second.</summary>
        public int SlowBodyBytesPerSecond { get => Get(0); set => Set(value); }

        /// <summary>"json,html", "json" or "html": the Simple API formats offered for negotiation.</summary>
        public string Formats { get => Get("json,html"); set => Set(value); }

        /// <summary>A static file host: always <c>text/html</c>, no negotiation, no <c>Vary</c>.</summary>
        public bool StaticHtml { get => Get(false); set => Set(value); }

        /// <summary>
        /// Redirect every project request: <c>same-origin:/path/</c>, <c>cross-origin</c> (same path on the peer server),
        /// <c>cross-origin:/path/</c>, <c>index:&lt;name&gt;</c>, <c>peer:&lt;name&gt;</c>, or an absolute URL. A target ending in '/'
        /// gets <c>&lt;project&gt;/</c> appended; <c>{project}</c> is replaced by the normalized name.
        /// </summary>
        public string? RedirectTo { get => Get<string?>(null); set => Set(value); }

        public int RedirectStatus { get => Get(302); set => Set(value); }

        /// <summary>Like PyPI: a non-normalized project name, or a missing trailing slash, redirects to the normalized slash form.</summary>
        public bool NormalizeRedirect { get => Get(true); set => Set(value); }

        public int NormalizeRedirectStatus { get => Get(301); set => Set(value); }

        /// <summary>A static tree: only the normalized spelling exists; other spellings are missing.</summary>
        public bool StrictNames { get => Get(false); set => Set(value); }

        /// <summary>GitLab style forwarding: a missing project redirects to this target (same grammar as <see cref="RedirectTo"/>).</summary>
        public string? ForwardMissingTo { get => Get<string?>(null); set => Set(value); }

        public int ForwardStatus { get => Get(302); set => Set(value); }

        /// <summary>Azure style: names that exist only upstream and that the caller may not pull through ("*" = every missing name).</summary>
        public List<string> UpstreamPackages { get => GetCollection(() => new List<string>()); set => Set(value); }

        public int UpstreamStatus { get => Get(401); set => Set(value); }

        /// <summary>
        /// Break project pages: truncated-json, truncated-html, wrong-content-type[:type], invalid-utf8, deep-nesting[:depth],
        /// huge[:megabytes], login-page, reset.
        /// </summary>
        public string? Malformed { get => Get<string?>(null); set => Set(value); }

        public string? CacheControl { get => Get<string?>(null); set => Set(value); }

        public bool ETags { get => Get(true); set => Set(value); }

        public bool LastModified { get => Get(true); set => Set(value); }

        /// <summary>meta api-version / pypi:repository-version; "none" leaves it out of HTML.</summary>
        public string ApiVersion { get => Get(Tracks.Count > 0 || AlternateLocations.Count > 0 ? "1.2" : "1.1"); set => Set(value); }

        /// <summary>PEP 700 fields in JSON (versions, size, upload-time), when the api-version is 1.1 or later.</summary>
        public bool Pep700 { get => Get(true); set => Set(value); }

        /// <summary>PEP 708 <c>tracks</c> URLs for every project page ({project} is replaced).</summary>
        public List<string> Tracks { get => GetCollection(() => new List<string>()); set => Set(value); }

        /// <summary>PEP 708 <c>alternate-locations</c> URLs for every project page ({project} is replaced).</summary>
        public List<string> AlternateLocations { get => GetCollection(() => new List<string>()); set => Set(value); }

        /// <summary>File URLs in pages: "relative" (../../files/x, the default), "absolute-path" (/index/files/x) or "absolute" (http://host:port/index/files/x).</summary>
        public string FileUrls { get => Get("relative"); set => Set(value); }

        /// <summary>Extra response headers; they override the profile's headers of the same name.</summary>
        public Dictionary<string, string> Headers { get => GetCollection(() => new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)); set => Set(value); }

        /// <summary>Whether a property was set explicitly (not taken from the profile or the built-in default).</summary>
        public bool IsExplicit(string propertyName) => _explicit.ContainsKey(propertyName);

        internal IReadOnlyDictionary<string, string> EffectiveHeaders()
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in RegistryProfiles.Headers(Profile))
            {
                headers[pair.Key] = pair.Value;
            }

            if (_explicit.ContainsKey(nameof(Headers)))
            {
                foreach (var pair in Headers)
                {
                    headers[pair.Key] = pair.Value;
                }
            }

            return headers;
        }

        /// <summary>Materializes the lazily created collections so that concurrent readers never write.</summary>
        internal void Freeze()
        {
            _ = ProjectStatus;
            _ = FileStatus;
            _ = UpstreamPackages;
            _ = Tracks;
            _ = AlternateLocations;
            _ = Headers;
        }

        internal bool Serves(string format) => Formats.Split(',').Any(f => string.Equals(f.Trim(), format, StringComparison.OrdinalIgnoreCase));

        internal IndexBehavior Clone() => FromJsonNode(ToJsonNode());

        internal JsonObject ToJsonNode()
        {
            var node = new JsonObject();
            if (Profile != null)
            {
                node["profile"] = Profile;
            }

            foreach (var property in Properties())
            {
                if (_explicit.TryGetValue(property.Name, out var value) && !(value is System.Collections.ICollection { Count: 0 }))
                {
                    node[CamelCase(property.Name)] = JsonSerializer.SerializeToNode(value, property.PropertyType, ValueOptions);
                }
            }

            return node;
        }

        internal static IndexBehavior FromJsonNode(JsonObject node)
        {
            var behavior = new IndexBehavior();
            var byName = Properties().ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            foreach (var pair in node)
            {
                var key = pair.Key.Replace("-", string.Empty).Replace("_", string.Empty);
                if (string.Equals(key, nameof(Profile), StringComparison.OrdinalIgnoreCase))
                {
                    behavior.Profile = pair.Value?.GetValue<string>();
                    continue;
                }

                if (!byName.TryGetValue(key, out var property))
                {
                    throw new FormatException($"Unknown behavior property '{pair.Key}'.");
                }

                object? value;
                try
                {
                    value = pair.Value?.Deserialize(property.PropertyType, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
                }
                catch (JsonException e)
                {
                    throw new FormatException($"Behavior property '{pair.Key}' has a value of the wrong type: {e.Message}", e);
                }

                if (value is Dictionary<string, string> headers)
                {
                    value = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
                }

                property.SetValue(behavior, value);
            }

            return behavior;
        }

        private static IEnumerable<PropertyInfo> Properties() =>
            typeof(IndexBehavior).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && p.Name != nameof(Profile));

        private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

        private T Get<T>(T fallback, [CallerMemberName] string name = "")
        {
            if (_explicit.TryGetValue(name, out var value))
            {
                return (T)value!;
            }

            return RegistryProfiles.TryGetDefault(Profile, name, out var profileValue) ? (T)profileValue! : fallback;
        }

        private T GetCollection<T>(Func<T> create, [CallerMemberName] string name = "")
            where T : class
        {
            if (_explicit.TryGetValue(name, out var value) && value is T existing)
            {
                return existing;
            }

            if (RegistryProfiles.TryGetDefault(Profile, name, out var profileValue) && profileValue is T fromProfile)
            {
                return fromProfile;
            }

            // Materialize so that callers can mutate the collection in place (b.ProjectStatus["x"] = 401).
            var created = create();
            _explicit[name] = created;
            return created;
        }

        private void Set<T>(T value, [CallerMemberName] string name = "") => _explicit[name] = value;
    }
}
