using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.Engine.Cache
{
    /// <summary>A stored Simple API answer: the parsed page (only what the search and the objects use) and its cache headers.</summary>
    internal sealed class CacheEntry
    {
        public string Url { get; set; } = "";

        /// <summary>When the entry was stored or last revalidated (unix milliseconds).</summary>
        public long StoredAt { get; set; }

        public string? CacheControl { get; set; }

        public string? ETag { get; set; }

        public string? LastModified { get; set; }

        public string? Date { get; set; }

        public string? Expires { get; set; }

        /// <summary>The Age header of the response, in seconds (time it already spent in upstream caches).</summary>
        public long AgeSeconds { get; set; }

        public int StatusCode { get; set; } = 200;

        public CachedPage Page { get; set; } = new CachedPage();
    }

    internal sealed class CachedPage
    {
        public string Name { get; set; } = "";

        public string Format { get; set; } = "html";

        public string? ApiVersion { get; set; }

        public List<string>? Versions { get; set; }

        public List<string> Tracks { get; set; } = new List<string>();

        public List<string> AlternateLocations { get; set; } = new List<string>();

        public List<CachedFile> Files { get; set; } = new List<CachedFile>();

        public static CachedPage From(ProjectPage page)
        {
            return new CachedPage
            {
                Name = page.Name,
                Format = page.Format,
                ApiVersion = page.ApiVersion,
                Versions = page.Versions?.ToList(),
                Tracks = page.Tracks.ToList(),
                AlternateLocations = page.AlternateLocations.ToList(),
                Files = page.Files.Select(f => new CachedFile
                {
                    Filename = f.Filename,
                    // Never store credentials: a file URL resolved against an index URL with userinfo keeps it redacted.
                    Url = UrlRedactor.Redact(f.Url),
                    RequiresPython = f.RequiresPython,
                    Yanked = f.Yanked,
                    YankedReason = f.YankedReason,
                    Hashes = f.Hashes.Count == 0 ? null : new Dictionary<string, string>(f.Hashes.ToDictionary(h => h.Key, h => h.Value)),
                    UploadTime = f.UploadTime?.ToUnixTimeMilliseconds(),
                    Size = f.Size,
                }).ToList(),
            };
        }

        public ProjectPage ToPage()
        {
            var files = Files.Select(f => new DistributionFile(f.Filename, f.Url)
            {
                RequiresPython = f.RequiresPython,
                Yanked = f.Yanked,
                YankedReason = f.YankedReason,
                Hashes = (IReadOnlyDictionary<string, string>?)f.Hashes ?? new Dictionary<string, string>(),
                UploadTime = f.UploadTime is long t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : (DateTimeOffset?)null,
                Size = f.Size,
            }).ToList();
            return new ProjectPage(Name, files)
            {
                Format = Format,
                ApiVersion = ApiVersion,
                Versions = Versions,
                Tracks = Tracks,
                AlternateLocations = AlternateLocations,
            };
        }
    }

    internal sealed class CachedFile
    {
        public string Filename { get; set; } = "";

        public string Url { get; set; } = "";

        public string? RequiresPython { get; set; }

        public bool Yanked { get; set; }

        public string? YankedReason { get; set; }

        public Dictionary<string, string>? Hashes { get; set; }

        public long? UploadTime { get; set; }

        public long? Size { get; set; }
    }

    /// <summary>
    /// The cache folder: one JSON file per (index URL without credentials, project, identity) under a SHA-256 name. Writes go to a
    /// temporary file in the same folder and are renamed into place, so a reader (in this process or another) sees a
    /// whole old entry or a whole new one; a corrupt entry is a miss and is removed. The folder is kept under a size bound
    /// by evicting the least recently used entries.
    /// </summary>
    internal sealed class PageCacheStore
    {
        private const string Extension = ".json";

        private readonly string _directory;
        private readonly long _maxBytes;
        private long _writtenSinceCheck;

        /// <summary>Sub-folders this store has already created (one mkdir per folder, not per write).</summary>
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _folders =
            new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        public PageCacheStore(string directory, long maxBytes)
        {
            _directory = directory;
            _maxBytes = maxBytes;
        }

        /// <summary>
        /// The entry name for a project page of an index (its URL without credentials, normalised) asked as
        /// <paramref name="identity"/> (null: anonymously, the key earlier versions used; else the credential's source and
        /// username, never the secret).
        /// </summary>
        public static string Key(IndexDefinition index, string normalizedName, string? identity = null)
        {
            var url = UrlRedactor.Redact(index.Url);
            var at = url.IndexOf("****@", StringComparison.Ordinal);
            if (at >= 0)
            {
                url = url.Remove(at, 5);
            }

            url = url.TrimEnd('/');
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                url = uri.Scheme.ToLowerInvariant() + "://" + uri.Authority.ToLowerInvariant() + uri.PathAndQuery.TrimEnd('/');
            }

            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(url + "\n" + normalizedName + (identity is null ? "" : "\n" + identity)));
            var builder = new StringBuilder(hash.Length * 2);
            foreach (var b in hash)
            {
                builder.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }

        private string PathFor(string key) => Path.Combine(_directory, key.Substring(0, 2), key + Extension);

        public CacheEntry? Read(string key)
        {
            var path = PathFor(key);
            if (!File.Exists(path))
            {
                // The common miss (a cold cache, a 404 page never stored) without the cost of an exception.
                return null;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }

            try
            {
                var entry = CacheEntryJson.Deserialize(bytes);
                Touch(path);
                return entry;
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is FormatException || e is OverflowException || e is ArgumentException)
            {
                // Corrupt or truncated (a crash mid-write in an old version, a disk error, a hand edit): a miss.
                TryDelete(path);
                return null;
            }
        }

        public void Write(string key, CacheEntry entry)
        {
            var path = PathFor(key);
            var folder = Path.GetDirectoryName(path)!;
            var temp = Path.Combine(folder, "." + key + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                if (!_folders.ContainsKey(folder))
                {
                    Directory.CreateDirectory(folder);
                    _folders.TryAdd(folder, true);
                }

                var bytes = CacheEntryJson.Serialize(entry);
                try
                {
                    File.WriteAllBytes(temp, bytes);
                }
                catch (DirectoryNotFoundException)
                {
                    // The folder went away since this store made it (the cache was cleared by hand): make it again.
                    Directory.CreateDirectory(folder);
                    File.WriteAllBytes(temp, bytes);
                }

                Replace(temp, path);
                if (Interlocked.Add(ref _writtenSinceCheck, bytes.Length) > Math.Max(_maxBytes / 16, 64 * 1024))
                {
                    Interlocked.Exchange(ref _writtenSinceCheck, 0);
                    Evict();
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // The cache is an optimisation: a write that fails (disk full, a racing writer on Windows) loses nothing.
                TryDelete(temp);
            }
        }

        private static void Replace(string temp, string path)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    // A new entry (the common case) is one rename; an existing one is replaced atomically.
                    try
                    {
                        File.Move(temp, path);
                        return;
                    }
                    catch (IOException) when (File.Exists(path))
                    {
                    }

                    File.Replace(temp, path, null);
                    return;
                }
                catch (IOException) when (attempt < 3)
                {
                    // Another process created, replaced or evicted the entry at the same moment: try again on top of it.
                }
            }
        }

        /// <summary>Removes least recently used entries until the folder is within its bound.</summary>
        public void Evict()
        {
            List<FileInfo> files;
            try
            {
                files = new DirectoryInfo(_directory).EnumerateFiles("*" + Extension, SearchOption.AllDirectories).ToList();
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }

            var total = files.Sum(f => f.Length);
            if (total <= _maxBytes)
            {
                return;
            }

            foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc > f.LastAccessTimeUtc ? f.LastWriteTimeUtc : f.LastAccessTimeUtc))
            {
                if (total <= _maxBytes * 9 / 10)
                {
                    break;
                }

                total -= file.Length;
                TryDelete(file.FullName);
            }
        }

        private static void Touch(string path)
        {
            try
            {
                // Record the use explicitly: file systems mounted with noatime do not.
                File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }
    }
}
