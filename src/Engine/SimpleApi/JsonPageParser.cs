using System.Text;
using System.Text.Json;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// Reads a PEP 691 JSON project page with a forward-only <see cref="Utf8JsonReader"/>, keeping only the fields the
    /// engine uses. Strictness follows uv's serde model (crates/uv-pypi-types/src/simple_json.rs): the fields uv reads
    /// must have the right type, and a file must have <c>filename</c>, <c>url</c> and <c>hashes</c>; fields uv ignores
    /// (<c>meta</c>, <c>name</c>, <c>versions</c>, <c>tracks</c>, <c>alternate-locations</c>, anything unknown) are read
    /// when well-formed and otherwise skipped. Nesting deeper than 128 (serde_json's limit) is refused.
    /// </summary>
    internal static class JsonPageParser
    {
        internal const int MaxDepth = 128;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        internal static ProjectPage Parse(byte[] buffer, int length, Uri pageUrl, string normalizedName)
        {
            EnsureUtf8(buffer, length);
            if (IsBlank(buffer, length))
            {
                throw new ProjectPageFormatException("the JSON page is empty");
            }

            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, 0, length), new JsonReaderOptions { MaxDepth = MaxDepth });
            try
            {
                if (!reader.Read())
                {
                    throw new ProjectPageFormatException("the JSON page is empty");
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new ProjectPageFormatException("the JSON page is not an object");
                }

                List<DistributionFile>? files = null;
                string? apiVersion = null;
                List<string>? versions = null;
                List<string>? tracks = null;
                List<string>? alternates = null;
                var strings = new StringCache();

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("files"u8))
                    {
                        if (files != null)
                        {
                            throw new ProjectPageFormatException("the JSON page has `files` twice");
                        }

                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            throw new ProjectPageFormatException("`files` in the JSON page is not an array");
                        }

                        files = new List<DistributionFile>();
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType != JsonTokenType.StartObject)
                            {
                                throw new ProjectPageFormatException("an entry of `files` in the JSON page is not an object");
                            }

                            files.Add(ReadFile(ref reader, pageUrl, strings));
                        }
                    }
                    else if (reader.ValueTextEquals("meta"u8))
                    {
                        reader.Read();
                        var (metaVersion, metaTracks) = ReadMeta(ref reader);
                        apiVersion = metaVersion ?? apiVersion;
                        tracks = metaTracks ?? tracks;
                    }
                    else if (reader.ValueTextEquals("versions"u8))
                    {
                        reader.Read();
                        versions = ReadStringArray(ref reader);
                    }
                    else if (reader.ValueTextEquals("tracks"u8))
                    {
                        // PEP 708 puts `tracks` in `meta`; a top-level copy (seen in early implementations) is read too.
                        reader.Read();
                        var topLevel = ReadStringArray(ref reader);
                        tracks = tracks ?? topLevel;
                    }
                    else if (reader.ValueTextEquals("alternate-locations"u8))
                    {
                        reader.Read();
                        alternates = ReadStringArray(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                // Anything after the top-level object other than whitespace is an error (the reader throws).
                while (reader.Read())
                {
                }

                if (files == null)
                {
                    throw new ProjectPageFormatException("the JSON page has no `files`");
                }

                var page = new ProjectPage(normalizedName, files)
                {
                    ApiVersion = apiVersion,
                    Versions = versions,
                    Format = "json",
                };
                if (tracks != null)
                {
                    page.Tracks = tracks;
                }

                if (alternates != null)
                {
                    page.AlternateLocations = alternates;
                }

                return page;
            }
            catch (JsonException ex)
            {
                var where = ex.LineNumber.HasValue ? $" (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
                var what = reader.CurrentDepth >= MaxDepth - 1 ? "nested too deeply" : "malformed";
                throw new ProjectPageFormatException($"the JSON page is {what}{where}", ex);
            }
        }

        private static bool IsBlank(byte[] buffer, int length)
        {
            for (var i = 0; i < length; i++)
            {
                var b = buffer[i];
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\n' && b != (byte)'\r')
                {
                    return false;
                }
            }

            return true;
        }

        private static void EnsureUtf8(byte[] buffer, int length)
        {
            try
            {
                StrictUtf8.GetCharCount(buffer, 0, length);
            }
            catch (DecoderFallbackException)
            {
                throw new ProjectPageFormatException("the JSON page is not valid UTF-8");
            }
        }

        private static DistributionFile ReadFile(ref Utf8JsonReader reader, Uri pageUrl, StringCache strings)
        {
            string? filename = null;
            string? url = null;
            IReadOnlyDictionary<string, string>? hashes = null;
            string? requiresPython = null;
            var yanked = false;
            string? yankedReason = null;
            long? size = null;
            DateTimeOffset? uploadTime = null;
            var coreMetadataSeen = false;

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("filename"u8))
                {
                    reader.Read();
                    filename = RequireString(ref reader, "filename");
                }
                else if (reader.ValueTextEquals("url"u8))
                {
                    reader.Read();
                    url = RequireString(ref reader, "url");
                }
                else if (reader.ValueTextEquals("hashes"u8))
                {
                    reader.Read();
                    hashes = ReadHashes(ref reader);
                }
                else if (reader.ValueTextEquals("requires-python"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        requiresPython = strings.Get(ref reader);
                    }
                    else if (reader.TokenType == JsonTokenType.Null)
                    {
                        requiresPython = null;
                    }
                    else
                    {
                        throw WrongType("requires-python");
                    }
                }
                else if (reader.ValueTextEquals("yanked"u8))
                {
                    reader.Read();
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.True:
                            yanked = true;
                            yankedReason = null;
                            break;
                        case JsonTokenType.False:
                        case JsonTokenType.Null:
                            yanked = false;
                            yankedReason = null;
                            break;
                        case JsonTokenType.String:
                            yanked = true;
                            yankedReason = reader.GetString();
                            break;
                        default:
                            throw WrongType("yanked");
                    }
                }
                else if (reader.ValueTextEquals("size"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out var value) || value > long.MaxValue)
                    {
                        throw WrongType("size");
                    }

                    size = (long)value;
                }
                else if (reader.ValueTextEquals("upload-time"u8))
                {
                    reader.Read();
                    uploadTime = ReadTimestamp(ref reader);
                }
                else if (reader.ValueTextEquals("core-metadata"u8) || reader.ValueTextEquals("dist-info-metadata"u8)
                    || reader.ValueTextEquals("data-dist-info-metadata"u8))
                {
                    // Ignored, but uv refuses a first core-metadata value that is neither a boolean nor a hash map.
                    reader.Read();
                    if (!coreMetadataSeen)
                    {
                        coreMetadataSeen = reader.TokenType != JsonTokenType.Null;
                        if (reader.TokenType != JsonTokenType.True && reader.TokenType != JsonTokenType.False
                            && reader.TokenType != JsonTokenType.Null && reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw WrongType("core-metadata");
                        }
                    }

                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (filename == null)
            {
                throw new ProjectPageFormatException("a file in the JSON page has no `filename`");
            }

            if (url == null)
            {
                throw new ProjectPageFormatException("a file in the JSON page has no `url`");
            }

            if (hashes == null)
            {
                throw new ProjectPageFormatException("a file in the JSON page has no `hashes`");
            }

            return new DistributionFile(filename, UrlText.Resolve(pageUrl, UrlText.StripFragment(url)))
            {
                Hashes = hashes,
                RequiresPython = requiresPython,
                Yanked = yanked,
                YankedReason = yankedReason,
                Size = size,
                UploadTime = uploadTime,
            };
        }

        private static IReadOnlyDictionary<string, string> ReadHashes(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw WrongType("hashes");
            }

            // Nearly every file has one hash: it is kept in locals (a lower-case hex sha256 as 32 bytes) and a list is
            // made only for a second one.
            string? firstName = null;
            string? firstValue = null;
            Sha256Map? firstCompact = null;
            List<KeyValuePair<string, string>>? items = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var known = KnownAlgorithm(ref reader);
                var name = known ?? reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (firstName == null)
                    {
                        firstName = name;
                        if (string.Equals(known, "sha256", StringComparison.Ordinal) && !reader.HasValueSequence && !reader.ValueIsEscaped
                            && Sha256Map.TryCreate(reader.ValueSpan, out var compact))
                        {
                            firstCompact = (Sha256Map)compact;
                        }
                        else
                        {
                            firstValue = reader.GetString()!;
                        }
                    }
                    else
                    {
                        if (items == null)
                        {
                            items = new List<KeyValuePair<string, string>>(2)
                            {
                                new KeyValuePair<string, string>(firstName, firstValue ?? firstCompact!.Digest),
                            };
                        }

                        items.Add(new KeyValuePair<string, string>(name, reader.GetString()!));
                    }
                }
                else if (reader.TokenType == JsonTokenType.Null)
                {
                }
                else if (known != null)
                {
                    throw WrongType("hashes");
                }
                else
                {
                    reader.Skip();
                }
            }

            if (items != null)
            {
                return HashMap.From(items);
            }

            if (firstName == null)
            {
                return HashMap.Empty;
            }

            return firstCompact ?? HashMap.Single(firstName, firstValue!);
        }

        private static string? KnownAlgorithm(ref Utf8JsonReader reader)
        {
            if (reader.ValueTextEquals("sha256"u8))
            {
                return "sha256";
            }

            if (reader.ValueTextEquals("md5"u8))
            {
                return "md5";
            }

            if (reader.ValueTextEquals("sha384"u8))
            {
                return "sha384";
            }

            if (reader.ValueTextEquals("sha512"u8))
            {
                return "sha512";
            }

            return reader.ValueTextEquals("blake2b"u8) ? "blake2b" : null;
        }

        private static DateTimeOffset ReadTimestamp(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw WrongType("upload-time");
            }

            DateTimeOffset value;
            bool ok;
            if (!reader.HasValueSequence && !reader.ValueIsEscaped && reader.ValueSpan.Length <= 64)
            {
                var bytes = reader.ValueSpan;
                Span<char> chars = stackalloc char[bytes.Length];
                for (var i = 0; i < bytes.Length; i++)
                {
                    chars[i] = (char)bytes[i];
                }

                ok = Timestamps.TryParse(chars, out value);
            }
            else
            {
                ok = Timestamps.TryParse(reader.GetString().AsSpan(), out value);
            }

            if (!ok)
            {
                throw new ProjectPageFormatException("a file in the JSON page has an `upload-time` that is not an RFC 3339 timestamp");
            }

            return value;
        }

        /// <summary><c>meta.api-version</c> (PEP 691) and <c>meta.tracks</c> (PEP 708).</summary>
        private static (string? ApiVersion, List<string>? Tracks) ReadMeta(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return (null, null);
            }

            string? apiVersion = null;
            List<string>? tracks = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("api-version"u8);
                var isTracks = reader.ValueTextEquals("tracks"u8);
                reader.Read();
                if (isVersion && reader.TokenType == JsonTokenType.String)
                {
                    apiVersion = reader.GetString();
                }
                else if (isTracks)
                {
                    tracks = ReadStringArray(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            return (apiVersion, tracks);
        }

        private static List<string>? ReadStringArray(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return null;
            }

            var values = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    values.Add(reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
            }

            return values;
        }

        private static string RequireString(ref Utf8JsonReader reader, string field)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw WrongType(field);
            }

            return reader.GetString()!;
        }

        private static ProjectPageFormatException WrongType(string field) =>
            new ProjectPageFormatException($"a file in the JSON page has a `{field}` of the wrong type");

        /// <summary>Reuses the string for a value seen recently (requires-python repeats across most files of a page).</summary>
        private sealed class StringCache
        {
            private const int Capacity = 16;
            private readonly byte[][] _keys = new byte[Capacity][];
            private readonly string[] _values = new string[Capacity];
            private int _count;
            private int _next;

            internal string Get(ref Utf8JsonReader reader)
            {
                if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > 256)
                {
                    return reader.GetString()!;
                }

                var span = reader.ValueSpan;
                for (var i = 0; i < _count; i++)
                {
                    if (span.SequenceEqual(_keys[i]))
                    {
                        return _values[i];
                    }
                }

                var value = reader.GetString()!;
                _keys[_next] = span.ToArray();
                _values[_next] = value;
                _next = (_next + 1) % Capacity;
                _count = Math.Min(_count + 1, Capacity);
                return value;
            }
        }
    }
}
