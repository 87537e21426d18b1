using System.Globalization;
using System.Text;

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
    /// <remarks>
    /// The page is read as UTF-8 bytes (<see cref="HtmlTokenizer"/>); only what a file keeps becomes a string: its URL,
    /// filename and digest, and requires-python / yank reasons once per distinct value. Entity-encoded hrefs and
    /// fragments that are not plain ASCII take a slower path through a decoded string, with the same result.
    /// </remarks>
    internal static class HtmlPageParser
    {
        private static readonly string[] HashAlgorithms = { "md5", "sha256", "sha384", "sha512", "blake2b" };
        private static readonly byte[][] HashAlgorithmBytes =
        {
            Encoding.ASCII.GetBytes("md5"), Encoding.ASCII.GetBytes("sha256"), Encoding.ASCII.GetBytes("sha384"),
            Encoding.ASCII.GetBytes("sha512"), Encoding.ASCII.GetBytes("blake2b"),
        };

        /// <summary>Reads <paramref name="length"/> bytes of UTF-8 HTML from <paramref name="start"/> (see <see cref="PageText.HtmlBytes"/>).</summary>
        internal static HtmlPageContent Parse(byte[] bytes, int start, int length, Uri pageUrl)
        {
            var tokenizer = new HtmlTokenizer(bytes, start, length);
            var requiresPythonCache = new DecodedValueCache();
            var yankedReasonCache = new DecodedValueCache();
            var files = new List<DistributionFile>(CountAnchorTags(bytes, start, length));
            Uri? baseUrl = null;
            var baseDecided = false;
            string? apiVersion = null;
            var tracks = new List<string>();
            var alternates = new List<string>();

            while (tokenizer.NextStartTag())
            {
                if (tokenizer.IsTag("a"u8))
                {
                    baseDecided = true;
                    var file = ReadAnchor(tokenizer, baseUrl ?? pageUrl, requiresPythonCache, yankedReasonCache);
                    if (file != null)
                    {
                        files.Add(file);
                    }
                }
                else if (tokenizer.IsTag("link"u8))
                {
                    baseDecided = true;
                }
                else if (tokenizer.IsTag("base"u8))
                {
                    if (!baseDecided)
                    {
                        baseDecided = true;
                        baseUrl = ReadBase(tokenizer);
                    }
                }
                else if (tokenizer.IsTag("meta"u8))
                {
                    var name = tokenizer.RawAttribute("name"u8);
                    var content = tokenizer.RawAttribute("content"u8);
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

            var result = new HtmlPageContent(FilenameOrder.Sort(files), baseUrl ?? pageUrl) { ApiVersion = apiVersion };
            result.Tracks.AddRange(tracks);
            result.AlternateLocations.AddRange(alternates);
            return result;
        }

        /// <summary>
        /// How many <c>&lt;a</c> start tags the page can hold at most (one quick pass over the '&lt;'s), so the file list
        /// is made once at its final size instead of growing by doubling.
        /// </summary>
        private static int CountAnchorTags(byte[] bytes, int start, int length)
        {
            var count = 0;
            var end = start + length;
            var p = start;
            while (p < end)
            {
                var found = new ReadOnlySpan<byte>(bytes, p, end - p).IndexOf((byte)'<');
                if (found < 0)
                {
                    break;
                }

                p += found + 1;
                if (p + 1 < end && (bytes[p] | 0x20) == (byte)'a')
                {
                    var next = bytes[p + 1];
                    if (next == (byte)' ' || next == (byte)'\t' || next == (byte)'\n' || next == (byte)'\r' || next == (byte)'\f' || next == (byte)'/' || next == (byte)'>')
                    {
                        count++;
                    }
                }
            }

            return count;
        }

        private static Uri? ReadBase(HtmlTokenizer tokenizer)
        {
            // uv reads the base href as written (no entity decoding) and requires an absolute URL.
            var href = tokenizer.RawAttribute("href"u8);
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

        private static DistributionFile? ReadAnchor(HtmlTokenizer tokenizer, Uri baseUrl, DecodedValueCache requiresPythonCache, DecodedValueCache yankedReasonCache)
        {
            // One pass over the attributes; the first of each name counts.
            int href = -1, requiresPython = -1, yanked = -1, size = -1, uploadTime = -1;
            for (var i = 0; i < tokenizer.AttributeCount; i++)
            {
                var name = tokenizer.AttributeName(i);
                switch (name.Length)
                {
                    case 4 when href < 0 && HtmlTokenizer.EqualsIgnoreAsciiCase(name, "href"u8):
                        href = i;
                        break;
                    case 9 when size < 0 && HtmlTokenizer.EqualsIgnoreAsciiCase(name, "data-size"u8):
                        size = i;
                        break;
                    case 11 when yanked < 0 && HtmlTokenizer.EqualsIgnoreAsciiCase(name, "data-yanked"u8):
                        yanked = i;
                        break;
                    case 16 when uploadTime < 0 && HtmlTokenizer.EqualsIgnoreAsciiCase(name, "data-upload-time"u8):
                        uploadTime = i;
                        break;
                    case 20 when requiresPython < 0 && HtmlTokenizer.EqualsIgnoreAsciiCase(name, "data-requires-python"u8):
                        requiresPython = i;
                        break;
                }
            }

            if (href < 0 || !tokenizer.HasValue(href))
            {
                return null;
            }

            tokenizer.GetValue(href, out var hrefStart, out var hrefLength);
            if (hrefLength == 0)
            {
                return null;
            }

            var bytes = tokenizer.Bytes;
            var file = new ReadOnlySpan<byte>(bytes, hrefStart, hrefLength).IndexOf((byte)'&') < 0
                ? FileFromHrefBytes(tokenizer, hrefStart, hrefLength, baseUrl)
                : FileFromHrefText(UrlText.TrimC0(HtmlEntities.Decode(tokenizer.Decode(hrefStart, hrefLength)).AsSpan()), baseUrl);

            if (requiresPython >= 0 && tokenizer.HasValue(requiresPython))
            {
                tokenizer.GetValue(requiresPython, out var start, out var length);
                file.RequiresPython = requiresPythonCache.Get(tokenizer, start, length);
            }

            if (yanked >= 0)
            {
                file.Yanked = true;
                if (tokenizer.HasValue(yanked))
                {
                    tokenizer.GetValue(yanked, out var start, out var length);
                    file.YankedReason = yankedReasonCache.Get(tokenizer, start, length);
                }
                else
                {
                    file.YankedBare = true;
                }
            }

            if (size >= 0 && tokenizer.HasValue(size))
            {
                tokenizer.GetValue(size, out var start, out var length);
                if (TryParseSize(tokenizer, start, length, out var bytesSize))
                {
                    file.Size = bytesSize;
                }
            }

            if (uploadTime >= 0 && tokenizer.HasValue(uploadTime))
            {
                tokenizer.GetValue(uploadTime, out var start, out var length);
                if (TryParseTimestamp(tokenizer, start, length, out var uploaded))
                {
                    file.UploadTime = uploaded;
                }
            }

            return file;
        }

        /// <summary>The common case: an href without character references, read from the bytes.</summary>
        private static DistributionFile FileFromHrefBytes(HtmlTokenizer tokenizer, int start, int length, Uri baseUrl)
        {
            var bytes = tokenizer.Bytes;

            // Trim C0 controls and spaces, as the URL parser does (all ASCII, so the same on bytes as on text).
            var end = start + length;
            while (start < end && bytes[start] <= (byte)' ')
            {
                start++;
            }

            while (end > start && bytes[end - 1] <= (byte)' ')
            {
                end--;
            }

            var hashes = HashMap.Empty;
            var hash = new ReadOnlySpan<byte>(bytes, start, end - start).IndexOf((byte)'#');
            var pathEnd = end;
            if (hash >= 0)
            {
                pathEnd = start + hash;
                hashes = ReadHashFragment(tokenizer, pathEnd + 1, end - pathEnd - 1);
            }

            var path = tokenizer.Decode(start, pathEnd - start);
            var filename = FilenameOf(path.AsSpan());
            var name = filename.Length == path.Length && filename.SequenceEqual(path.AsSpan()) ? path : filename.ToString();
            return new DistributionFile(name, UrlText.Resolve(baseUrl, path)) { Hashes = hashes };
        }

        /// <summary>An href as text (already entity-decoded and trimmed).</summary>
        private static DistributionFile FileFromHrefText(ReadOnlySpan<char> href, Uri baseUrl)
        {
            ReadOnlySpan<char> path;
            var hashes = HashMap.Empty;
            var hash = href.IndexOf('#');
            if (hash >= 0)
            {
                path = href.Slice(0, hash);
                hashes = ReadHashFragment(href.Slice(hash + 1));
            }
            else
            {
                path = href;
            }

            var filename = FilenameOf(path);
            return new DistributionFile(filename.ToString(), UrlText.Resolve(baseUrl, path)) { Hashes = hashes };
        }

        /// <summary>
        /// The filename of a link path: the last '/' segment, query removed, percent-decoded. Returned as a slice of
        /// <paramref name="path"/> when nothing needed decoding, else as a new string's characters.
        /// </summary>
        private static ReadOnlySpan<char> FilenameOf(ReadOnlySpan<char> path)
        {
            var lastSegment = path.Slice(path.LastIndexOf('/') + 1);
            var query = lastSegment.IndexOf('?');
            if (query >= 0)
            {
                lastSegment = lastSegment.Slice(0, query);
            }

            if (lastSegment.IndexOf('%') < 0)
            {
                return lastSegment;
            }

            var decoded = UrlText.PercentDecode(lastSegment)
                ?? throw new ProjectPageFormatException("a link's filename is not valid UTF-8 once percent-decoded");
            return decoded.AsSpan();
        }

        private static IReadOnlyDictionary<string, string> ReadHashFragment(HtmlTokenizer tokenizer, int start, int length)
        {
            var fragment = new ReadOnlySpan<byte>(tokenizer.Bytes, start, length);
            var plain = true;
            foreach (var b in fragment)
            {
                if (b >= 0x80 || b == (byte)'%')
                {
                    plain = false;
                    break;
                }
            }

            if (!plain)
            {
                // Percent-encoded or not ASCII: decode it as text first.
                return ReadHashFragment(tokenizer.Decode(start, length).AsSpan());
            }

            // ASCII after the href was trimmed: an all-whitespace fragment can only be empty.
            if (length == 0)
            {
                return HashMap.Empty;
            }

            var equals = fragment.IndexOf((byte)'=');
            if (equals < 0 || fragment.Slice(equals + 1).IndexOf((byte)'=') >= 0)
            {
                // Not "name=value" (e.g. "#main"): uv ignores it.
                return HashMap.Empty;
            }

            var name = fragment.Slice(0, equals);
            for (var i = 0; i < HashAlgorithmBytes.Length; i++)
            {
                if (name.SequenceEqual(HashAlgorithmBytes[i]))
                {
                    return HashMap.Single(HashAlgorithms[i], fragment.Slice(equals + 1));
                }
            }

            throw UnsupportedAlgorithm(tokenizer.Decode(start, equals).AsSpan());
        }

        private static IReadOnlyDictionary<string, string> ReadHashFragment(ReadOnlySpan<char> fragment)
        {
            if (fragment.IndexOf('%') >= 0)
            {
                fragment = (UrlText.PercentDecode(fragment)
                    ?? throw new ProjectPageFormatException("a link's URL fragment is not valid UTF-8")).AsSpan();
            }

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

            throw UnsupportedAlgorithm(name);
        }

        private static ProjectPageFormatException UnsupportedAlgorithm(ReadOnlySpan<char> name)
        {
            var shown = name.Length > 20 ? name.Slice(0, 20).ToString() + "..." : name.ToString();
            return new ProjectPageFormatException($"a link's URL fragment names an unsupported hash algorithm ('{shown}')");
        }

        /// <summary><c>data-size</c>: decimal digits only (after entity decoding), at most <see cref="long.MaxValue"/>.</summary>
        private static bool TryParseSize(HtmlTokenizer tokenizer, int start, int length, out long size)
        {
            size = 0;
            var raw = new ReadOnlySpan<byte>(tokenizer.Bytes, start, length);
            if (raw.IndexOf((byte)'&') >= 0)
            {
                var text = HtmlEntities.Decode(tokenizer.Decode(start, length));
                if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= long.MaxValue)
                {
                    size = (long)value;
                    return true;
                }

                return false;
            }

            if (raw.Length == 0)
            {
                return false;
            }

            ulong total = 0;
            foreach (var b in raw)
            {
                var digit = (uint)(b - '0');
                if (digit > 9 || total > ((ulong)long.MaxValue - digit) / 10)
                {
                    return false;
                }

                total = (total * 10) + digit;
            }

            size = (long)total;
            return true;
        }

        private static bool TryParseTimestamp(HtmlTokenizer tokenizer, int start, int length, out DateTimeOffset value)
        {
            var raw = new ReadOnlySpan<byte>(tokenizer.Bytes, start, length);
            if (length <= 64 && raw.IndexOf((byte)'&') < 0)
            {
                Span<char> chars = stackalloc char[length];
                var ascii = true;
                for (var i = 0; i < length; i++)
                {
                    ascii &= raw[i] < 0x80;
                    chars[i] = (char)raw[i];
                }

                if (ascii)
                {
                    return Timestamps.TryParse(chars, out value);
                }
            }

            return Timestamps.TryParse(HtmlEntities.Decode(tokenizer.Decode(start, length)).AsSpan(), out value);
        }

        /// <summary>Entity-decoded attribute values by their raw bytes; a page repeats the same requires-python on most links.</summary>
        private sealed class DecodedValueCache
        {
            private const int Capacity = 16;
            private const int MaxKeyLength = 256;
            private readonly byte[][] _raw = new byte[Capacity][];
            private readonly string[] _decoded = new string[Capacity];
            private int _count;
            private int _next;

            internal string Get(HtmlTokenizer tokenizer, int start, int length)
            {
                if (length == 0)
                {
                    return string.Empty;
                }

                var raw = new ReadOnlySpan<byte>(tokenizer.Bytes, start, length);
                if (length > MaxKeyLength)
                {
                    return HtmlEntities.Decode(tokenizer.Decode(start, length));
                }

                for (var i = 0; i < _count; i++)
                {
                    if (raw.SequenceEqual(_raw[i]))
                    {
                        return _decoded[i];
                    }
                }

                var decoded = HtmlEntities.Decode(tokenizer.Decode(start, length));
                _raw[_next] = raw.ToArray();
                _decoded[_next] = decoded;
                _next = (_next + 1) % Capacity;
                _count = Math.Min(_count + 1, Capacity);
                return decoded;
            }
        }
    }
}
