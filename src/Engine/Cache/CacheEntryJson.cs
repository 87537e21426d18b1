using System.Text.Json;

namespace IndexTools.Engine.Cache
{
    /// <summary>
    /// Reads and writes a cache entry file by hand with <see cref="Utf8JsonReader"/> and <see cref="Utf8JsonWriter"/>:
    /// no reflection, so nothing is built or JIT-compiled at run time for it (the reflection serializer cost ~250 JIT
    /// compilations on a process's first cached page, see bench/RESULTS.md, benchmark 5). The format is the one the
    /// reflection serializer wrote (camelCase names, nulls left out), so existing cache folders stay readable; unknown
    /// properties are skipped, so a newer version's entries read too. Anything malformed is a <see cref="JsonException"/>.
    /// </summary>
    internal static class CacheEntryJson
    {
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { SkipValidation = true };

        public static byte[] Serialize(CacheEntry entry)
        {
            using var buffer = new MemoryStream(4096);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("url", entry.Url);
                writer.WriteNumber("storedAt", entry.StoredAt);
                WriteOptional(writer, "cacheControl", entry.CacheControl);
                WriteOptional(writer, "eTag", entry.ETag);
                WriteOptional(writer, "lastModified", entry.LastModified);
                WriteOptional(writer, "date", entry.Date);
                WriteOptional(writer, "expires", entry.Expires);
                writer.WriteNumber("ageSeconds", entry.AgeSeconds);
                writer.WriteNumber("statusCode", entry.StatusCode);
                writer.WritePropertyName("page");
                WritePage(writer, entry.Page);
                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }

        public static CacheEntry Deserialize(byte[] bytes)
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            Read(ref reader);
            Expect(ref reader, JsonTokenType.StartObject);
            var entry = new CacheEntry();
            var sawPage = false;
            while (NextProperty(ref reader, out var name))
            {
                switch (name)
                {
                    case "url": entry.Url = ReadString(ref reader) ?? ""; break;
                    case "storedAt": entry.StoredAt = ReadInt64(ref reader); break;
                    case "cacheControl": entry.CacheControl = ReadString(ref reader); break;
                    case "eTag": entry.ETag = ReadString(ref reader); break;
                    case "lastModified": entry.LastModified = ReadString(ref reader); break;
                    case "date": entry.Date = ReadString(ref reader); break;
                    case "expires": entry.Expires = ReadString(ref reader); break;
                    case "ageSeconds": entry.AgeSeconds = ReadInt64(ref reader); break;
                    case "statusCode": entry.StatusCode = checked((int)ReadInt64(ref reader)); break;
                    case "page":
                        Read(ref reader);
                        entry.Page = ReadPage(ref reader);
                        sawPage = true;
                        break;
                    default: Skip(ref reader); break;
                }
            }

            if (!sawPage)
            {
                throw new JsonException("The cache entry has no page.");
            }

            return entry;
        }

        private static void WritePage(Utf8JsonWriter writer, CachedPage page)
        {
            writer.WriteStartObject();
            writer.WriteString("name", page.Name);
            writer.WriteString("format", page.Format);
            WriteOptional(writer, "apiVersion", page.ApiVersion);
            if (page.Versions is not null)
            {
                WriteStrings(writer, "versions", page.Versions);
            }

            WriteStrings(writer, "tracks", page.Tracks);
            WriteStrings(writer, "alternateLocations", page.AlternateLocations);
            writer.WriteStartArray("files");
            foreach (var file in page.Files)
            {
                writer.WriteStartObject();
                writer.WriteString("filename", file.Filename);
                writer.WriteString("url", file.Url);
                WriteOptional(writer, "requiresPython", file.RequiresPython);
                writer.WriteBoolean("yanked", file.Yanked);
                WriteOptional(writer, "yankedReason", file.YankedReason);
                if (file.Hashes is not null)
                {
                    writer.WriteStartObject("hashes");
                    foreach (var hash in file.Hashes)
                    {
                        writer.WriteString(hash.Key, hash.Value);
                    }

                    writer.WriteEndObject();
                }

                if (file.UploadTime is long uploadTime)
                {
                    writer.WriteNumber("uploadTime", uploadTime);
                }

                if (file.Size is long size)
                {
                    writer.WriteNumber("size", size);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        private static CachedPage ReadPage(ref Utf8JsonReader reader)
        {
            Expect(ref reader, JsonTokenType.StartObject);
            var page = new CachedPage();
            while (NextProperty(ref reader, out var name))
            {
                switch (name)
                {
                    case "name": page.Name = ReadString(ref reader) ?? ""; break;
                    case "format": page.Format = ReadString(ref reader) ?? "html"; break;
                    case "apiVersion": page.ApiVersion = ReadString(ref reader); break;
                    case "versions": page.Versions = ReadStrings(ref reader); break;
                    case "tracks": page.Tracks = ReadStrings(ref reader) ?? new List<string>(); break;
                    case "alternateLocations": page.AlternateLocations = ReadStrings(ref reader) ?? new List<string>(); break;
                    case "files":
                        Read(ref reader);
                        if (reader.TokenType == JsonTokenType.Null)
                        {
                            break;
                        }

                        Expect(ref reader, JsonTokenType.StartArray);
                        while (true)
                        {
                            Read(ref reader);
                            if (reader.TokenType == JsonTokenType.EndArray)
                            {
                                break;
                            }

                            page.Files.Add(ReadFile(ref reader));
                        }

                        break;
                    default: Skip(ref reader); break;
                }
            }

            return page;
        }

        private static CachedFile ReadFile(ref Utf8JsonReader reader)
        {
            Expect(ref reader, JsonTokenType.StartObject);
            var file = new CachedFile();
            while (NextProperty(ref reader, out var name))
            {
                switch (name)
                {
                    case "filename": file.Filename = ReadString(ref reader) ?? ""; break;
                    case "url": file.Url = ReadString(ref reader) ?? ""; break;
                    case "requiresPython": file.RequiresPython = ReadString(ref reader); break;
                    case "yanked":
                        Read(ref reader);
                        file.Yanked = reader.TokenType switch
                        {
                            JsonTokenType.True => true,
                            JsonTokenType.False => false,
                            _ => throw new JsonException("'yanked' is not a boolean."),
                        };
                        break;
                    case "yankedReason": file.YankedReason = ReadString(ref reader); break;
                    case "hashes":
                        Read(ref reader);
                        if (reader.TokenType == JsonTokenType.Null)
                        {
                            break;
                        }

                        Expect(ref reader, JsonTokenType.StartObject);
                        file.Hashes = new Dictionary<string, string>();
                        while (NextProperty(ref reader, out var algorithm))
                        {
                            file.Hashes[algorithm] = ReadString(ref reader) ?? throw new JsonException("A hash is null.");
                        }

                        break;
                    case "uploadTime": file.UploadTime = ReadOptionalInt64(ref reader); break;
                    case "size": file.Size = ReadOptionalInt64(ref reader); break;
                    default: Skip(ref reader); break;
                }
            }

            return file;
        }

        private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
        {
            if (value is not null)
            {
                writer.WriteString(name, value);
            }
        }

        private static void WriteStrings(Utf8JsonWriter writer, string name, List<string> values)
        {
            writer.WriteStartArray(name);
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        /// <summary>Moves to the next property of the current object; false at its end. The reader is left on the name.</summary>
        private static bool NextProperty(ref Utf8JsonReader reader, out string name)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                name = "";
                return false;
            }

            Expect(ref reader, JsonTokenType.PropertyName);
            name = reader.GetString()!;
            return true;
        }

        private static string? ReadString(ref Utf8JsonReader reader)
        {
            Read(ref reader);
            return reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                _ => throw new JsonException($"Expected a string, found {reader.TokenType}."),
            };
        }

        private static long ReadInt64(ref Utf8JsonReader reader)
        {
            Read(ref reader);
            Expect(ref reader, JsonTokenType.Number);
            return reader.GetInt64();
        }

        private static long? ReadOptionalInt64(ref Utf8JsonReader reader)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            Expect(ref reader, JsonTokenType.Number);
            return reader.GetInt64();
        }

        private static List<string>? ReadStrings(ref Utf8JsonReader reader)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            Expect(ref reader, JsonTokenType.StartArray);
            var values = new List<string>();
            while (true)
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return values;
                }

                Expect(ref reader, JsonTokenType.String);
                values.Add(reader.GetString()!);
            }
        }

        private static void Skip(ref Utf8JsonReader reader)
        {
            Read(ref reader);
            reader.Skip();
        }

        private static void Read(ref Utf8JsonReader reader)
        {
            if (!reader.Read())
            {
                throw new JsonException("The cache entry ends early.");
            }
        }

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
        {
            if (reader.TokenType != type)
            {
                throw new JsonException($"Expected {type}, found {reader.TokenType}.");
            }
        }
    }
}
