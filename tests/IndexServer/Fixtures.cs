using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IndexTools.IndexServer
{
    /// <summary>
    /// The whole description of a test server: several indexes on one origin, and optionally
    /// <see cref="PeerIndexes"/> served by a second server on another origin (cross-origin redirects).
    /// </summary>
    public sealed class ServerFixture
    {
        public List<IndexFixture> Indexes { get; set; } = new List<IndexFixture>();

        /// <summary>Indexes of a second server (another port, so another origin). When non-empty, the host starts a <see cref="IndexServerHost.Peer"/>.</summary>
        public List<IndexFixture> PeerIndexes { get; set; } = new List<IndexFixture>();

        public ServerFixture Add(IndexFixture index)
        {
            Indexes.Add(index);
            return this;
        }

        public ServerFixture AddPeer(IndexFixture index)
        {
            PeerIndexes.Add(index);
            return this;
        }

        public IndexFixture? Find(string name) => Indexes.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));

        public static ServerFixture FromJson(string json)
        {
            var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new FormatException("A server fixture must be a JSON object.");
            var fixture = new ServerFixture();
            foreach (var pair in root)
            {
                switch (pair.Key.ToLowerInvariant())
                {
                    case "indexes":
                        fixture.Indexes = ReadIndexes(pair.Value);
                        break;
                    case "peerindexes":
                    case "peer-indexes":
                        fixture.PeerIndexes = ReadIndexes(pair.Value);
                        break;
                    case "$schema":
                    case "description":
                        break;
                    default:
                        throw new FormatException($"Unknown server fixture property '{pair.Key}'.");
                }
            }

            fixture.Validate();
            return fixture;
        }

        public static ServerFixture Load(string path) => FromJson(File.ReadAllText(path));

        /// <summary>The embedded demo fixture (resource <c>demo-fixture.json</c>).</summary>
        public static ServerFixture Demo()
        {
            var assembly = typeof(ServerFixture).GetTypeInfo().Assembly;
            using var stream = assembly.GetManifestResourceStream("demo-fixture.json")
                ?? throw new InvalidOperationException("The embedded resource demo-fixture.json is missing.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return FromJson(reader.ReadToEnd());
        }

        public string ToJson()
        {
            var root = new JsonObject
            {
                ["indexes"] = new JsonArray(Indexes.Select(i => (JsonNode)i.ToJsonNode()).ToArray()),
            };
            if (PeerIndexes.Count > 0)
            {
                root["peerIndexes"] = new JsonArray(PeerIndexes.Select(i => (JsonNode)i.ToJsonNode()).ToArray());
            }

            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        /// <summary>Throws <see cref="FormatException"/> when the fixture cannot be served (duplicate or invalid names, unknown profile references).</summary>
        public void Validate()
        {
            ValidateSet(Indexes, "indexes");
            ValidateSet(PeerIndexes, "peerIndexes");
        }

        private static void ValidateSet(List<IndexFixture> indexes, string what)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var index in indexes)
            {
                if (string.IsNullOrEmpty(index.Name) || index.Name.IndexOfAny(new[] { '/', '\\', '?', '#', '%', ' ' }) >= 0 || index.Name == "." || index.Name == ".." || index.Name.StartsWith("_", StringComparison.Ordinal))
                {
                    throw new FormatException($"Index name '{index.Name}' in {what} is not a usable URL path segment.");
                }

                if (!names.Add(index.Name))
                {
                    throw new FormatException($"Index name '{index.Name}' appears twice in {what}.");
                }
            }

            foreach (var index in indexes)
            {
                if (!IndexServerHost.IsKnownMalformed(index.Behavior.Malformed))
                {
                    throw new FormatException($"Index '{index.Name}' has an unknown malformed mode '{index.Behavior.Malformed}'. Known: {string.Join(", ", IndexServerHost.MalformedModes)}.");
                }

                var through = index.Behavior.PassThroughIndex;
                if (index.Behavior.AnonymousPassThrough && (through == null || !names.Contains(through)))
                {
                    throw new FormatException($"Index '{index.Name}' has anonymousPassThrough but passThroughIndex '{through}' is not an index of the same server.");
                }
            }
        }

        private static List<IndexFixture> ReadIndexes(JsonNode? node)
        {
            if (node is not JsonArray array)
            {
                throw new FormatException("'indexes' must be an array.");
            }

            return array.Select(n => IndexFixture.FromJsonNode(n as JsonObject ?? throw new FormatException("Each index must be an object."))).ToList();
        }
    }

    /// <summary>One index: served at <c>&lt;base&gt;/&lt;Name&gt;/simple/</c>, its files at <c>&lt;base&gt;/&lt;Name&gt;/files/</c>, a flat page at <c>&lt;base&gt;/&lt;Name&gt;/flat/</c>.</summary>
    public sealed class IndexFixture
    {
        public IndexFixture()
        {
        }

        public IndexFixture(string name)
        {
            Name = name;
        }

        /// <summary>URL path segment of the index.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>Project name (any spelling; looked up by its PEP 503 normalized form) to distribution filenames.</summary>
        public Dictionary<string, List<string>> Packages { get; set; } = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        /// <summary>Optional per-file details, keyed by filename (requires-python, yanked, upload time, size, hashes).</summary>
        public Dictionary<string, PackageFile> Files { get; set; } = new Dictionary<string, PackageFile>(StringComparer.Ordinal);

        public IndexBehavior Behavior { get; set; } = new IndexBehavior();

        /// <summary>Adds plain filenames to a project.</summary>
        public IndexFixture Add(string project, params string[] filenames)
        {
            if (!Packages.TryGetValue(project, out var list))
            {
                list = new List<string>();
                Packages[project] = list;
            }

            list.AddRange(filenames);
            return this;
        }

        /// <summary>Adds files with details to a project.</summary>
        public IndexFixture Add(string project, params PackageFile[] files)
        {
            foreach (var file in files)
            {
                Add(project, file.Filename);
                Files[file.Filename] = file;
            }

            return this;
        }

        /// <summary>The details of a file: the explicit ones when given, else defaults derived from the filename.</summary>
        public PackageFile Describe(string filename, int position)
        {
            if (Files.TryGetValue(filename, out var file))
            {
                return file;
            }

            return new PackageFile(filename) { UploadTime = PackageFile.DefaultUploadTime(position) };
        }

        internal JsonObject ToJsonNode()
        {
            var packages = new JsonObject();
            foreach (var pair in Packages)
            {
                var files = new JsonArray();
                foreach (var filename in pair.Value)
                {
                    files.Add(Files.TryGetValue(filename, out var details) ? details.ToJsonNode() : JsonValue.Create(filename));
                }

                packages[pair.Key] = files;
            }

            var node = new JsonObject
            {
                ["name"] = Name,
                ["packages"] = packages,
            };
            var behavior = Behavior.ToJsonNode();
            if (behavior.Count > 0)
            {
                node["behavior"] = behavior;
            }

            return node;
        }

        internal static IndexFixture FromJsonNode(JsonObject node)
        {
            var index = new IndexFixture();
            foreach (var pair in node)
            {
                switch (pair.Key.ToLowerInvariant())
                {
                    case "name":
                        index.Name = pair.Value?.GetValue<string>() ?? string.Empty;
                        break;
                    case "packages":
                        if (pair.Value is not JsonObject packages)
                        {
                            throw new FormatException($"'packages' of index '{index.Name}' must be an object of project name to file list.");
                        }

                        foreach (var project in packages)
                        {
                            if (project.Value is not JsonArray files)
                            {
                                throw new FormatException($"Project '{project.Key}' must list its files in an array.");
                            }

                            index.Packages[project.Key] = new List<string>();
                            foreach (var file in files)
                            {
                                if (file is JsonObject detailed)
                                {
                                    index.Add(project.Key, PackageFile.FromJsonNode(detailed));
                                }
                                else if (file is JsonValue value && value.TryGetValue<string>(out var filename))
                                {
                                    index.Add(project.Key, filename);
                                }
                                else
                                {
                                    throw new FormatException($"A file of project '{project.Key}' must be a filename string or an object with 'filename'.");
                                }
                            }
                        }

                        break;
                    case "behavior":
                    case "behaviour":
                        index.Behavior = IndexBehavior.FromJsonNode(pair.Value as JsonObject ?? throw new FormatException("'behavior' must be an object."));
                        break;
                    default:
                        throw new FormatException($"Unknown index property '{pair.Key}'.");
                }
            }

            return index;
        }
    }

    /// <summary>A distribution file with optional PEP 691/700 details. JSON form uses PEP 691 key names.</summary>
    public sealed class PackageFile
    {
        private static readonly DateTimeOffset UploadBase = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public PackageFile()
        {
        }

        public PackageFile(string filename)
        {
            Filename = filename;
        }

        public string Filename { get; set; } = string.Empty;

        public string? RequiresPython { get; set; }

        public bool Yanked { get; set; }

        public string? YankedReason { get; set; }

        /// <summary>HTML pages: write <c>data-yanked</c> without a value (JSON pages still say <c>"yanked": true</c>).</summary>
        public bool BareYanked { get; set; }

        public DateTimeOffset? UploadTime { get; set; }

        /// <summary>Declared size; when null, the size of the fake body the server serves.</summary>
        public long? Size { get; set; }

        /// <summary>Declared hashes (algorithm → hex); when empty, sha256 of the fake body the server serves.</summary>
        public Dictionary<string, string> Hashes { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Bodies =
            new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);

        /// <summary>
        /// The bytes served at <c>/&lt;index&gt;/files/&lt;filename&gt;</c>: deterministic from the filename. A wheel
        /// is a real, minimal wheel (a zip with METADATA, WHEEL and RECORD) so that pip can download and check it in
        /// benchmarks; anything else is a line of text.
        /// </summary>
        public static byte[] FakeBody(string filename) => Bodies.GetOrAdd(filename, MakeBody);

        /// <summary>Serves <paramref name="body"/> for <paramref name="filename"/> (and advertises its sha256) instead of the
        /// generated one: for sdists a test built for real (pip builds them). The same filename must always get the same bytes.</summary>
        public static void SetBody(string filename, byte[] body)
        {
            var stored = Bodies.GetOrAdd(filename, body);
            if (!ReferenceEquals(stored, body) && !stored.AsSpan().SequenceEqual(body))
            {
                throw new InvalidOperationException("A different body was already served as " + filename + ".");
            }
        }

        private static byte[] MakeBody(string filename)
        {
            var parts = filename.EndsWith(".whl", StringComparison.OrdinalIgnoreCase) ? filename.Substring(0, filename.Length - 4).Split('-') : Array.Empty<string>();
            if (parts.Length < 5)
            {
                return Encoding.UTF8.GetBytes("IndexTools fake distribution file: " + filename + "\n");
            }

            var distInfo = parts[0] + "-" + parts[1] + ".dist-info/";
            var files = new[]
            {
                (distInfo + "METADATA", "Metadata-Version: 2.1\nName: " + parts[0].Replace('_', '-') + "\nVersion: " + parts[1] + "\nSummary: IndexTools fake distribution\n"),
                (distInfo + "WHEEL", "Wheel-Version: 1.0\nGenerator: indextools-indexserver\nRoot-Is-Purelib: true\nTag: " + parts[parts.Length - 3] + "-" + parts[parts.Length - 2] + "-" + parts[parts.Length - 1] + "\n"),
                (distInfo + "RECORD", distInfo + "METADATA,,\n" + distInfo + "WHEEL,,\n" + distInfo + "RECORD,,\n"),
            };
            using var buffer = new MemoryStream();
            using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (name, text) in files)
                {
                    var entry = zip.CreateEntry(name, System.IO.Compression.CompressionLevel.NoCompression);
                    entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
                    using var stream = entry.Open();
                    var bytes = Encoding.UTF8.GetBytes(text);
                    stream.Write(bytes, 0, bytes.Length);
                }
            }

            return buffer.ToArray();
        }

        /// <summary>sha256 hex of <see cref="FakeBody"/>; the default hash advertised for a file.</summary>
        public static string DefaultSha256(string filename)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            return ToHex(sha.ComputeHash(FakeBody(filename)));
        }

        /// <summary>The upload time given to the n-th file of a project when the fixture names none.</summary>
        public static DateTimeOffset DefaultUploadTime(int position) => UploadBase.AddMinutes(position);

        public IReadOnlyDictionary<string, string> EffectiveHashes()
        {
            if (Hashes.Count > 0)
            {
                return Hashes;
            }

            return new Dictionary<string, string> { ["sha256"] = DefaultSha256(Filename) };
        }

        public long EffectiveSize() => Size ?? FakeBody(Filename).Length;

        internal static string ToHex(byte[] bytes)
        {
            var builder = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }

        internal JsonObject ToJsonNode()
        {
            var node = new JsonObject { ["filename"] = Filename };
            if (RequiresPython != null)
            {
                node["requires-python"] = RequiresPython;
            }

            if (Yanked)
            {
                node["yanked"] = YankedReason != null ? JsonValue.Create(YankedReason) : JsonValue.Create(true);
            }

            if (UploadTime != null)
            {
                node["upload-time"] = UploadTime.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            }

            if (Size != null)
            {
                node["size"] = Size.Value;
            }

            if (Hashes.Count > 0)
            {
                var hashes = new JsonObject();
                foreach (var pair in Hashes)
                {
                    hashes[pair.Key] = pair.Value;
                }

                node["hashes"] = hashes;
            }

            return node;
        }

        internal static PackageFile FromJsonNode(JsonObject node)
        {
            var file = new PackageFile();
            foreach (var pair in node)
            {
                var value = pair.Value;
                switch (pair.Key.ToLowerInvariant().Replace("_", "-"))
                {
                    case "filename":
                        file.Filename = value?.GetValue<string>() ?? string.Empty;
                        break;
                    case "requires-python":
                    case "requirespython":
                        file.RequiresPython = value?.GetValue<string>();
                        break;
                    case "yanked":
                        if (value is JsonValue v && v.TryGetValue<bool>(out var yanked))
                        {
                            file.Yanked = yanked;
                        }
                        else if (value is JsonValue s && s.TryGetValue<string>(out var reason))
                        {
                            file.Yanked = true;
                            file.YankedReason = reason;
                        }

                        break;
                    case "yanked-reason":
                    case "yankedreason":
                        file.YankedReason = value?.GetValue<string>();
                        file.Yanked = true;
                        break;
                    case "upload-time":
                    case "uploadtime":
                        file.UploadTime = DateTimeOffset.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                        break;
                    case "size":
                        file.Size = value!.GetValue<long>();
                        break;
                    case "hashes":
                        foreach (var hash in (JsonObject)value!)
                        {
                            file.Hashes[hash.Key] = hash.Value!.GetValue<string>();
                        }

                        break;
                    case "sha256":
                        file.Hashes["sha256"] = value!.GetValue<string>();
                        break;
                    default:
                        throw new FormatException($"Unknown file property '{pair.Key}'.");
                }
            }

            if (string.IsNullOrEmpty(file.Filename))
            {
                throw new FormatException("A file object needs a 'filename'.");
            }

            return file;
        }
    }
}
