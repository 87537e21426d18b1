using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IndexTools.IndexServer
{
    /// <summary>The Simple API representations the server can send.</summary>
    public enum PageFormat
    {
        /// <summary>PEP 691 JSON, <c>application/vnd.pypi.simple.v1+json</c>.</summary>
        Json,

        /// <summary>PEP 503 HTML sent as <c>application/vnd.pypi.simple.v1+html</c>.</summary>
        HtmlV1,

        /// <summary>PEP 503 HTML sent as <c>text/html</c>.</summary>
        Html,
    }

    /// <summary>Media types of the Simple API and PEP 691 content negotiation.</summary>
    public static class SimpleMediaTypes
    {
        public const string Json = "application/vnd.pypi.simple.v1+json";
        public const string HtmlV1 = "application/vnd.pypi.simple.v1+html";
        public const string Html = "text/html";
        public const string LatestJson = "application/vnd.pypi.simple.latest+json";
        public const string LatestHtml = "application/vnd.pypi.simple.latest+html";

        /// <summary>uv's Accept header for Simple API requests.</summary>
        public const string UvAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

        public static string ContentType(PageFormat format) => format switch
        {
            PageFormat.Json => Json,
            PageFormat.HtmlV1 => HtmlV1,
            _ => Html,
        };

        /// <summary>
        /// Picks a format by the Accept header's q-values (the most specific matching range sets an offer's q).
        /// Ties go to an explicitly named type over a wildcard, then JSON over HTML for explicit names and
        /// text/html for wildcards (what a browser or curl expects). No Accept header: text/html.
        /// Returns null when nothing offered is acceptable and HTML is not served.
        /// </summary>
        public static PageFormat? Negotiate(string? accept, bool json, bool html)
        {
            if (string.IsNullOrWhiteSpace(accept))
            {
                return html ? PageFormat.Html : PageFormat.Json;
            }

            var ranges = ParseAccept(accept!);
            var offers = new List<(string Type, PageFormat Format, int Preference)>();
            if (json)
            {
                offers.Add((Json, PageFormat.Json, 0));
                offers.Add((LatestJson, PageFormat.Json, 1));
            }

            if (html)
            {
                offers.Add((HtmlV1, PageFormat.HtmlV1, 2));
                offers.Add((LatestHtml, PageFormat.HtmlV1, 3));
                offers.Add((Html, PageFormat.Html, 4));
            }

            PageFormat? best = null;
            (double Q, int Specificity, int Preference) bestKey = (0, -1, int.MaxValue);
            foreach (var offer in offers)
            {
                var match = Match(ranges, offer.Type);
                if (match == null || match.Value.Q <= 0)
                {
                    continue;
                }

                // For wildcard matches prefer text/html, as a browser or curl expects.
                var preference = match.Value.Specificity == 2 ? offer.Preference : 4 - offer.Preference;
                var key = (match.Value.Q, match.Value.Specificity, preference);
                if (best == null || key.Q > bestKey.Q || (key.Q == bestKey.Q && (key.Specificity > bestKey.Specificity || (key.Specificity == bestKey.Specificity && key.preference < bestKey.Preference))))
                {
                    best = offer.Format;
                    bestKey = (key.Q, key.Specificity, key.preference);
                }
            }

            if (best == null && html)
            {
                // Like PyPI: an unacceptable Accept still gets HTML rather than 406.
                return PageFormat.Html;
            }

            return best;
        }

        private static (double Q, int Specificity)? Match(List<(string Type, string Subtype, double Q)> ranges, string offer)
        {
            var slash = offer.IndexOf('/');
            var type = offer.Substring(0, slash);
            var subtype = offer.Substring(slash + 1);
            (double Q, int Specificity)? result = null;
            foreach (var range in ranges)
            {
                int specificity;
                if (range.Type == "*" && range.Subtype == "*")
                {
                    specificity = 0;
                }
                else if (string.Equals(range.Type, type, StringComparison.OrdinalIgnoreCase) && range.Subtype == "*")
                {
                    specificity = 1;
                }
                else if (string.Equals(range.Type, type, StringComparison.OrdinalIgnoreCase) && string.Equals(range.Subtype, subtype, StringComparison.OrdinalIgnoreCase))
                {
                    specificity = 2;
                }
                else
                {
                    continue;
                }

                if (result == null || specificity > result.Value.Specificity)
                {
                    result = (range.Q, specificity);
                }
            }

            return result;
        }

        private static List<(string Type, string Subtype, double Q)> ParseAccept(string accept)
        {
            var ranges = new List<(string, string, double)>();
            foreach (var part in accept.Split(','))
            {
                var pieces = part.Split(';');
                var media = pieces[0].Trim();
                var slash = media.IndexOf('/');
                if (slash <= 0 || slash == media.Length - 1)
                {
                    continue;
                }

                var q = 1.0;
                foreach (var parameter in pieces.Skip(1))
                {
                    var eq = parameter.IndexOf('=');
                    if (eq > 0 && parameter.Substring(0, eq).Trim().Equals("q", StringComparison.OrdinalIgnoreCase)
                        && double.TryParse(parameter.Substring(eq + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                    {
                        q = Math.Max(0, Math.Min(1, parsed));
                    }
                }

                ranges.Add((media.Substring(0, slash), media.Substring(slash + 1), q));
            }

            return ranges;
        }
    }

    /// <summary>PEP 503 name normalization and version extraction from distribution filenames.</summary>
    public static class Names
    {
        public static string Normalize(string name)
        {
            var builder = new StringBuilder(name.Length);
            var separator = false;
            foreach (var c in name)
            {
                if (c == '-' || c == '_' || c == '.')
                {
                    if (!separator)
                    {
                        builder.Append('-');
                    }

                    separator = true;
                    continue;
                }

                separator = false;
                builder.Append(char.ToLowerInvariant(c));
            }

            return builder.ToString();
        }

        /// <summary>The version in a wheel or sdist filename, or null when the name has no recognizable version.</summary>
        public static string? VersionOf(string filename)
        {
            if (filename.EndsWith(".whl", StringComparison.OrdinalIgnoreCase))
            {
                var parts = filename.Substring(0, filename.Length - 4).Split('-');
                return parts.Length >= 5 ? parts[1] : null;
            }

            foreach (var extension in new[] { ".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tar", ".egg" })
            {
                if (filename.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                {
                    var stem = filename.Substring(0, filename.Length - extension.Length);
                    if (extension == ".egg")
                    {
                        var eggParts = stem.Split('-');
                        return eggParts.Length >= 2 ? eggParts[1] : null;
                    }

                    var dash = stem.LastIndexOf('-');
                    return dash > 0 ? stem.Substring(dash + 1) : null;
                }
            }

            return null;
        }
    }

    /// <summary>A generated response body with its validators.</summary>
    internal sealed class RenderedPage
    {
        public RenderedPage(byte[] body, string contentType, DateTimeOffset lastModified)
        {
            Body = body;
            ContentType = contentType;
            LastModified = lastModified;
            using var sha = SHA256.Create();
            ETag = "\"" + PackageFile.ToHex(sha.ComputeHash(body)).Substring(0, 32) + "\"";
        }

        public byte[] Body { get; }

        public string ContentType { get; }

        public string ETag { get; }

        public DateTimeOffset LastModified { get; }
    }

    /// <summary>One index's content, indexed by normalized name, with a cache of rendered pages.</summary>
    internal sealed class IndexContent
    {
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private static readonly DateTimeOffset EmptyLastModified = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private readonly ConcurrentDictionary<string, RenderedPage> _cache = new ConcurrentDictionary<string, RenderedPage>(StringComparer.Ordinal);
        private readonly Func<string> _baseUrl;

        public IndexContent(IndexFixture fixture, Func<string> baseUrl)
        {
            Fixture = fixture;
            Behavior = fixture.Behavior;
            Behavior.Freeze();
            _baseUrl = baseUrl;
            foreach (var pair in fixture.Packages)
            {
                var normalized = Names.Normalize(pair.Key);
                if (!Projects.TryGetValue(normalized, out var project))
                {
                    project = new Project(pair.Key, normalized);
                    Projects[normalized] = project;
                }

                foreach (var filename in pair.Value)
                {
                    var file = fixture.Describe(filename, project.Files.Count);
                    project.Files.Add(file);
                    FilesByName[filename] = file;
                }
            }

            ProjectOrder = Projects.Values.OrderBy(p => p.Normalized, StringComparer.Ordinal).ToList();
        }

        public IndexFixture Fixture { get; }

        public IndexBehavior Behavior { get; }

        public string Name => Fixture.Name;

        public Dictionary<string, Project> Projects { get; } = new Dictionary<string, Project>(StringComparer.Ordinal);

        public Dictionary<string, PackageFile> FilesByName { get; } = new Dictionary<string, PackageFile>(StringComparer.Ordinal);

        private List<Project> ProjectOrder { get; }

        private bool IncludeMeta => !string.Equals(Behavior.ApiVersion, "none", StringComparison.OrdinalIgnoreCase);

        private string JsonApiVersion => IncludeMeta ? Behavior.ApiVersion : "1.0";

        private bool Pep700 => Behavior.Pep700 && string.CompareOrdinal(JsonApiVersion, "1.1") >= 0;

        public RenderedPage Root(PageFormat format) =>
            _cache.GetOrAdd("root|" + format, _ => format == PageFormat.Json ? RootJson() : RootHtml(format));

        public RenderedPage ProjectPage(Project project, PageFormat format) =>
            _cache.GetOrAdd("project|" + project.Normalized + "|" + format, _ => format == PageFormat.Json ? ProjectJson(project) : ProjectHtml(project, format));

        public RenderedPage Flat() => _cache.GetOrAdd("flat", _ => FlatHtml());

        public RenderedPage Cached(string key, Func<RenderedPage> create) => _cache.GetOrAdd(key, _ => create());

        public string FileUrl(PackageFile file, bool flat)
        {
            var escaped = Uri.EscapeDataString(file.Filename);
            switch (Behavior.FileUrls.ToLowerInvariant())
            {
                case "absolute":
                    return _baseUrl().TrimEnd('/') + "/" + Name + "/files/" + escaped;
                case "absolute-path":
                    return "/" + Name + "/files/" + escaped;
                default:
                    return flat ? "/" + Name + "/files/" + escaped : "../../files/" + escaped;
            }
        }

        internal string ProjectJsonText(Project project, Func<PackageFile, string>? filenameOverride = null)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("meta");
                writer.WriteString("api-version", JsonApiVersion);
                var tracks = Expand(Behavior.Tracks, project);
                if (tracks.Count > 0)
                {
                    writer.WriteStartArray("tracks");
                    tracks.ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
                writer.WriteString("name", project.Normalized);
                var alternates = Expand(Behavior.AlternateLocations, project);
                if (alternates.Count > 0)
                {
                    writer.WriteStartArray("alternate-locations");
                    alternates.ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                }

                writer.WriteStartArray("files");
                foreach (var file in project.Files)
                {
                    writer.WriteStartObject();
                    writer.WriteString("filename", filenameOverride?.Invoke(file) ?? file.Filename);
                    writer.WriteString("url", FileUrl(file, flat: false));
                    writer.WriteStartObject("hashes");
                    foreach (var hash in file.EffectiveHashes())
                    {
                        writer.WriteString(hash.Key, hash.Value);
                    }

                    writer.WriteEndObject();
                    if (file.RequiresPython != null)
                    {
                        writer.WriteString("requires-python", file.RequiresPython);
                    }

                    if (file.Yanked && file.YankedReason != null)
                    {
                        writer.WriteString("yanked", file.YankedReason);
                    }
                    else
                    {
                        writer.WriteBoolean("yanked", file.Yanked);
                    }

                    if (Pep700)
                    {
                        writer.WriteNumber("size", file.EffectiveSize());
                        if (file.UploadTime != null)
                        {
                            writer.WriteString("upload-time", FormatUploadTime(file.UploadTime.Value));
                        }
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                if (Pep700)
                {
                    writer.WriteStartArray("versions");
                    foreach (var version in project.Versions())
                    {
                        writer.WriteStringValue(version);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        internal string ProjectHtmlText(Project project, Func<PackageFile, string>? filenameOverride = null)
        {
            var html = new StringBuilder(256 + (project.Files.Count * 200));
            html.Append("<!DOCTYPE html>\n<html>\n  <head>\n");
            if (IncludeMeta)
            {
                html.Append("    <meta name=\"pypi:repository-version\" content=\"").Append(Escape(Behavior.ApiVersion)).Append("\">\n");
                foreach (var track in Expand(Behavior.Tracks, project))
                {
                    html.Append("    <meta name=\"pypi:tracks\" content=\"").Append(Escape(track)).Append("\">\n");
                }

                foreach (var alternate in Expand(Behavior.AlternateLocations, project))
                {
                    html.Append("    <meta name=\"pypi:alternate-locations\" content=\"").Append(Escape(alternate)).Append("\">\n");
                }
            }

            html.Append("    <title>Links for ").Append(Escape(project.Normalized)).Append("</title>\n  </head>\n  <body>\n");
            html.Append("    <h1>Links for ").Append(Escape(project.Normalized)).Append("</h1>\n");
            foreach (var file in project.Files)
            {
                AppendAnchor(html, file, FileUrl(file, flat: false), filenameOverride?.Invoke(file) ?? file.Filename);
            }

            html.Append("  </body>\n</html>\n");
            return html.ToString();
        }

        private static void AppendAnchor(StringBuilder html, PackageFile file, string url, string text)
        {
            var hashes = file.EffectiveHashes();
            var fragment = hashes.TryGetValue("sha256", out var sha) ? "#sha256=" + sha : hashes.Select(h => "#" + h.Key + "=" + h.Value).FirstOrDefault() ?? string.Empty;
            html.Append("    <a href=\"").Append(Escape(url + fragment)).Append('"');
            if (file.RequiresPython != null)
            {
                html.Append(" data-requires-python=\"").Append(Escape(file.RequiresPython)).Append('"');
            }

            if (file.Yanked && file.BareYanked)
            {
                // A valueless attribute: uv reads it as yanked, pip 23.2.1 (HTMLParser gives None) as not yanked.
                html.Append(" data-yanked");
            }
            else if (file.Yanked)
            {
                html.Append(" data-yanked=\"").Append(Escape(file.YankedReason ?? string.Empty)).Append('"');
            }

            html.Append('>').Append(Escape(text)).Append("</a><br />\n");
        }

        internal static string Escape(string text) => WebUtility.HtmlEncode(text);

        private static string FormatUploadTime(DateTimeOffset time) =>
            time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

        private static List<string> Expand(List<string> templates, Project project) =>
            templates.Select(t => t.Replace("{project}", project.Normalized)).ToList();

        private RenderedPage RootJson()
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("meta");
                writer.WriteString("api-version", JsonApiVersion);
                writer.WriteEndObject();
                writer.WriteStartArray("projects");
                foreach (var project in ProjectOrder)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", project.Display);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return new RenderedPage(stream.ToArray(), SimpleMediaTypes.Json, LatestUpload(ProjectOrder.SelectMany(p => p.Files)));
        }

        private RenderedPage RootHtml(PageFormat format)
        {
            var html = new StringBuilder(256 + (ProjectOrder.Count * 64));
            html.Append("<!DOCTYPE html>\n<html>\n  <head>\n");
            if (IncludeMeta)
            {
                html.Append("    <meta name=\"pypi:repository-version\" content=\"").Append(Escape(Behavior.ApiVersion)).Append("\">\n");
            }

            html.Append("    <title>Simple index</title>\n  </head>\n  <body>\n");
            foreach (var project in ProjectOrder)
            {
                html.Append("    <a href=\"").Append(Escape(project.Normalized)).Append("/\">").Append(Escape(project.Display)).Append("</a>\n");
            }

            html.Append("  </body>\n</html>\n");
            return new RenderedPage(Encoding.UTF8.GetBytes(html.ToString()), SimpleMediaTypes.ContentType(format), LatestUpload(ProjectOrder.SelectMany(p => p.Files)));
        }

        private RenderedPage ProjectJson(Project project) =>
            new RenderedPage(Encoding.UTF8.GetBytes(ProjectJsonText(project)), SimpleMediaTypes.Json, LatestUpload(project.Files));

        private RenderedPage ProjectHtml(Project project, PageFormat format) =>
            new RenderedPage(Encoding.UTF8.GetBytes(ProjectHtmlText(project)), SimpleMediaTypes.ContentType(format), LatestUpload(project.Files));

        private RenderedPage FlatHtml()
        {
            var html = new StringBuilder(256 + (FilesByName.Count * 200));
            html.Append("<!DOCTYPE html>\n<html>\n  <head>\n    <title>Links for ").Append(Escape(Name)).Append("</title>\n  </head>\n  <body>\n");
            foreach (var project in ProjectOrder)
            {
                foreach (var file in project.Files)
                {
                    AppendAnchor(html, file, FileUrl(file, flat: true), file.Filename);
                }
            }

            html.Append("  </body>\n</html>\n");
            return new RenderedPage(Encoding.UTF8.GetBytes(html.ToString()), SimpleMediaTypes.Html, LatestUpload(FilesByName.Values));
        }

        private static DateTimeOffset LatestUpload(IEnumerable<PackageFile> files)
        {
            var latest = EmptyLastModified;
            foreach (var file in files)
            {
                if (file.UploadTime != null && file.UploadTime.Value > latest)
                {
                    latest = file.UploadTime.Value;
                }
            }

            return latest;
        }

        internal sealed class Project
        {
            public Project(string display, string normalized)
            {
                Display = display;
                Normalized = normalized;
            }

            public string Display { get; }

            public string Normalized { get; }

            public List<PackageFile> Files { get; } = new List<PackageFile>();

            public IEnumerable<string> Versions() =>
                Files.Select(f => Names.VersionOf(f.Filename)).Where(v => v != null).Select(v => v!).Distinct(StringComparer.Ordinal);
        }
    }
}
