using IndexTools.Engine.Environment;

namespace IndexTools.Engine.Cache
{
    /// <summary>How the cache is used for one run.</summary>
    public enum CacheMode
    {
        /// <summary>Fresh entries answer without a request; stale ones are revalidated (conditional request → 304).</summary>
        Normal,
        /// <summary>Every entry is revalidated (uv's --refresh); nothing is served without asking the index.</summary>
        Refresh,
        /// <summary>Never touch the network (uv's --offline): serve what is cached, even stale; a miss is an error.</summary>
        Offline,
    }

    /// <summary>Where and how the on-disk Simple API cache works.</summary>
    public sealed class PageCacheOptions
    {
        public PageCacheOptions(string directory)
        {
            Directory = directory ?? throw new ArgumentNullException(nameof(directory));
        }

        /// <summary>The cache folder (IndexTools' own; never uv's cache).</summary>
        public string Directory { get; }

        public CacheMode Mode { get; set; } = CacheMode.Normal;

        /// <summary>Upper bound of the folder's size; least recently used entries are evicted beyond it.</summary>
        public long MaxBytes { get; set; } = 512L * 1024 * 1024;

        /// <summary>The clock (tests move it forward to expire entries).</summary>
        public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>
        /// INDEXTOOLS_CACHE_DIR, else <c>$XDG_CACHE_HOME/indextools/simple-v1</c> or <c>~/.cache/indextools/simple-v1</c>
        /// (<c>%LOCALAPPDATA%\indextools\cache\simple-v1</c> on Windows).
        /// </summary>
        public static string DefaultDirectory(EngineEnvironment environment)
        {
            var explicitDirectory = environment.Get("INDEXTOOLS_CACHE_DIR");
            if (explicitDirectory is not null)
            {
                return Path.GetFullPath(Path.Combine(environment.CurrentDirectory, explicitDirectory));
            }

            if (environment.IsWindows)
            {
                var local = environment.Get("LOCALAPPDATA") ?? Path.Combine(environment.HomeDirectory, "AppData", "Local");
                return Path.Combine(local, "indextools", "cache", "simple-v1");
            }

            var xdg = environment.Get("XDG_CACHE_HOME");
            var root = xdg is not null && Path.IsPathRooted(xdg) ? xdg : Path.Combine(environment.HomeDirectory, ".cache");
            return Path.Combine(root, "indextools", "simple-v1");
        }
    }
}
