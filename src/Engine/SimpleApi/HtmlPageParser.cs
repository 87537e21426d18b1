using System;
using System.Collections.Generic;
using System.Linq;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>What a PEP 503 HTML page (or a flat index page) says.</summary>
    internal sealed class HtmlPageContent
    {
        internal HtmlPageContent(IReadOnlyList<DistributionFile> files, Uri baseUrl)
        {
            Files = files;
            BaseUrl = baseUrl;
        }

        internal IReadOnlyList<DistributionFile> Files { get; }

        /// <summary>The URL relative links were resolved against: the first &lt;base href&gt;, else the page URL.</summary>
        internal Uri BaseUrl { get; }

        internal string? ApiVersion { get; set; }

        internal List<string> Tracks { get; } = new List<string>();

        internal List<string> AlternateLocations { get; } = new List<string>();
    }

    /// <summary>
    /// Reads the links of a PEP 503 page the way uv's <c>SimpleDetailHTML::parse</c> (crates/uv-client/src/html.rs) does:
    /// <list type="bullet">
    /// <item>every <c>&lt;a&gt;</c> with a non-empty <c>href</c> is a file; the href is entity-decoded, split at the first
    /// <c>#</c>; the filename is the last <c>/</c> segment of the part before it, without its query, percent-decoded (not
    /// the link text);</item>
    /// <item>the fragment, percent-decoded, is a hash when it is exactly <c>name=value</c> with name md5, sha256, sha384,
    /// sha512 or blake2b; a fragment that is not <c>name=value</c> (<c>#main</c>) is ignored; <c>name=value</c> with any
    /// other name (including <c>egg=...</c>) makes the whole page unreadable, as in uv;</item>
    /// <item>the first <c>&lt;base&gt;</c> before any <c>&lt;a&gt;</c> or <c>&lt;link&gt;</c> sets the base URL; its href must
    /// be an absolute URL (uv fails the page otherwise); a base without href leaves the page URL;</item>
    /// <item><c>data-requires-python</c>, <c>data-yanked</c> (present = yanked, a value = the reason), <c>data-size</c> and
    /// <c>data-upload-time</c> (the last two ignored when they do not parse) are read; core-metadata attributes are ignored;</item>
    /// <item>files are sorted by filename (ordinal), as uv sorts them.</item>
    /// </list>
    /// Any text is accepted as HTML (uv's parser never rejects a document): a page without links has no files.
    /// </summary>
    internal static class HtmlPageParser
    {
        private static readonly string[] HashAlgorithms = { "md5", "sha256", "sha384", "sha512", "blake2b" };

        internal static HtmlPageContent Parse(string text, Uri pageUrl)
        {
            var tokenizer = new HtmlTokenizer(text);
            var requiresPythonCache = new DecodedValueCache();
            var files = new List<DistributionFile>();
            Uri? baseUrl = null;
            var baseDecided = false;
            string? apiVersion = null;
            var tracks = new List<string>();
            var alternates = new List<string>();

            while (tokenizer.NextStartTag())
            {
                if (tokenizer.IsTag("a"))
                {
                    baseDecided = true;
                    var file = ReadAnchor(tokenizer, baseUrl ?? pageUrl, requiresPythonCache);
                    if (file != null)
                    {
                        files.Add(file);
                    }
                }
                else if (tokenizer.IsTag("link"))
                {
                    baseDecided = true;
                }
                else if (tokenizer.IsTag("base"))
                {
                    if (!baseDecided)
                    {
                        baseDecided = true;
                        baseUrl = ReadBase(tokenizer);
                    }
                }
                else if (tokenizer.IsTag("meta"))
                {
                    var name = tokenizer.RawAttribute("name");
                    var content = tokenizer.RawAttribute("content");
                    if (name == null || content == null)
                    {
                        continue;
                    }

                    name = HtmlEntities.Decode(name).Trim();
                    content = HtmlEntities.Decode(content).Trim();
                    if (string.Equals(name, "pypi:repository-version", StringComparison.OrdinalIgnoreCase))
                    {
                        apiVersion ??= content;
                    }
                    else if (string.Equals(name, "pypi:tracks", StringComparison.OrdinalIgnoreCase))
                    {
                        tracks.Add(content);
                    }
                    else if (string.Equals(name, "pypi:alternate-locations", StringComparison.OrdinalIgnoreCase))
                    {
                        alternates.Add(content);
                    }
                }
            }

            // A stable sort, so duplicates keep page order.
            var sorted = files.Count < 2 ? files : files.OrderBy(f => f.Filename, StringComparer.Ordinal).ToList();
            var result = new HtmlPageContent(sorted, baseUrl ?? pageUrl) { ApiVersion = apiVersion };
            result.Tracks.AddRange(tracks);
            result.AlternateLocations.AddRange(alternates);
            return result;
        }

        private static Uri? ReadBase(HtmlTokenizer tokenizer)
        {
            // uv reads the base href as written (no entity decoding) and requires an absolute URL.
            var href = tokenizer.RawAttribute("href");
            if (href == null)
            {
                return null;
            }

            href = UrlText.TrimC0(href);
            if (!UrlText.HasScheme(href) || !Uri.TryCreate(href, UriKind.Absolute, out var url))
            {
                throw new ProjectPageFormatException("the page's <base href> is not an absolute URL");
            }

            return url;
        }

        private static DistributionFile? ReadAnchor(HtmlTokenizer tokenizer, Uri baseUrl, DecodedValueCache requiresPythonCache)
        {
            if (!tokenizer.TryGetRawValue("href", out var rawHref) || rawHref.Length == 0)
            {
                return null;
            }

            // Work on slices of the page; only the URL, the filename and a digest become strings.
            var href = UrlText.TrimC0(rawHref.IndexOf('&') < 0 ? rawHref : HtmlEntities.Decode(rawHref.ToString()).AsSpan());
            ReadOnlySpan<char> path;
            var hashes = HashMap.Empty;
            var hash = href.IndexOf('#');
            if (hash >= 0)
            {
                path = href.Slice(0, hash);
                var fragment = href.Slice(hash + 1);
                if (fragment.IndexOf('%') >= 0)
                {
                    fragment = (UrlText.PercentDecode(fragment)
                        ?? throw new ProjectPageFormatException("a link's URL fragment is not valid UTF-8")).AsSpan();
                }

                hashes = ReadHashFragment(fragment);
            }
            else
            {
                path = href;
            }

            var lastSegment = path.Slice(path.LastIndexOf('/') + 1);
            var query = lastSegment.IndexOf('?');
            if (query >= 0)
            {
                lastSegment = lastSegment.Slice(0, query);
            }

            var filename = UrlText.PercentDecode(lastSegment)
                ?? throw new ProjectPageFormatException("a link's filename is not valid UTF-8 once percent-decoded");

            var file = new DistributionFile(filename, UrlText.Resolve(baseUrl, path)) { Hashes = hashes };

            if (tokenizer.TryGetRawValue("data-requires-python", out var requiresPython))
            {
                file.RequiresPython = requiresPythonCache.Get(requiresPython);
            }

            if (tokenizer.HasAttribute("data-yanked"))
            {
                file.Yanked = true;
                var reason = tokenizer.RawAttribute("data-yanked");
                file.YankedReason = reason == null ? null : HtmlEntities.Decode(reason);
            }

            var size = tokenizer.RawAttribute("data-size");
            if (size != null && ulong.TryParse(HtmlEntities.Decode(size), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes <= long.MaxValue)
            {
                file.Size = (long)bytes;
            }

            var uploadTime = tokenizer.RawAttribute("data-upload-time");
            if (uploadTime != null && Timestamps.TryParse(HtmlEntities.Decode(uploadTime).AsSpan(), out var uploaded))
            {
                file.UploadTime = uploaded;
            }

            return file;
        }

        private static IReadOnlyDictionary<string, string> ReadHashFragment(ReadOnlySpan<char> fragment)
        {
            if (fragment.Trim().Length == 0)
            {
                return HashMap.Empty;
            }

            var equals = fragment.IndexOf('=');
            if (equals < 0 || fragment.Slice(equals + 1).IndexOf('=') >= 0)
            {
                // Not "name=value" (e.g. "#main"): uv ignores it.
                return HashMap.Empty;
            }

            var name = fragment.Slice(0, equals);
            foreach (var algorithm in HashAlgorithms)
            {
                if (name.SequenceEqual(algorithm.AsSpan()))
                {
                    return HashMap.Single(algorithm, fragment.Slice(equals + 1).ToString());
                }
            }

            var shown = name.Length > 20 ? name.Slice(0, 20).ToString() + "..." : name.ToString();
            throw new ProjectPageFormatException($"a link's URL fragment names an unsupported hash algorithm ('{shown}')");
        }
    
        /// <summary>Entity-decoded attribute values by their raw text; a page repeats the same requires-python on most links.</summary>
        private sealed class DecodedValueCache
        {
            private const int Capacity = 16;
            private readonly string[] _raw = new string[Capacity];
            private readonly string[] _decoded = new string[Capacity];
            private int _count;
            private int _next;

            internal string Get(ReadOnlySpan<char> raw)
            {
                for (var i = 0; i < _count; i++)
                {
                    if (raw.SequenceEqual(_raw[i].AsSpan()))
                    {
                        return _decoded[i];
                    }
                }

                var rawText = raw.ToString();
                var decoded = HtmlEntities.Decode(rawText);
                _raw[_next] = rawText;
                _decoded[_next] = decoded;
                _next = (_next + 1) % Capacity;
                _count = Math.Min(_count + 1, Capacity);
                return decoded;
            }
        }
}
}
