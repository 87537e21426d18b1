using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace IndexTools.Cmdlets.Loading
{
    /// <summary>
    /// The private load context of the engine and its dependencies (Tomlyn, Microsoft.Extensions.*, System.Text.Json ...),
    /// loaded from the module's <c>dependencies/</c> folder. IndexTools.Model is deliberately NOT loaded here: it
    /// comes from the default context so the objects the engine builds are the types scripts and formats see.
    /// Runtime assemblies the platform already provides at the requested version or later (System.Memory,
    /// System.Buffers, ...) also come from the default context, so Span&lt;T&gt; and friends stay one type.
    /// <para>
    /// When the build pre-compiled the assemblies for this platform (ReadyToRun images in <c>dependencies/&lt;rid&gt;/</c>,
    /// e.g. <c>linux-x64</c>), the copy there is loaded instead of the IL one beside it: same assembly, same version,
    /// with native code, so the first command does not wait for the JIT. Another platform (or
    /// <c>INDEXTOOLS_NO_READYTORUN=1</c>) finds no such folder and loads the IL assemblies, which are complete.
    /// </para>
    /// </summary>
    internal sealed class IndexToolsLoadContext : AssemblyLoadContext
    {
        internal const string ModelAssemblyName = "IndexTools.Model";
        internal const string AsyncInterfacesAssemblyName = "Microsoft.Bcl.AsyncInterfaces";

        private static readonly Lazy<Dictionary<string, string>> PlatformAssemblies =
            new Lazy<Dictionary<string, string>>(ReadPlatformAssemblies);

        /// <summary>Set to 1 (or true) to load the IL assemblies even where pre-compiled ones exist (diagnostics, benchmarks).</summary>
        internal const string NoReadyToRunVariable = "INDEXTOOLS_NO_READYTORUN";

        private readonly string _directory;
        private readonly string? _nativeDirectory;

        internal IndexToolsLoadContext(string directory)
        {
            _directory = directory;
            _nativeDirectory = FindNativeDirectory(directory);
        }

        internal string Directory => _directory;

        /// <summary>The folder of ReadyToRun images for this process's platform, or null when there is none or it is switched off.</summary>
        internal string? NativeDirectory => _nativeDirectory;

        /// <summary>The runtime identifier the build names the ReadyToRun folder after: linux-x64, win-x64, osx-arm64 ...</summary>
        internal static string PlatformFolderName
        {
            get
            {
                var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                    : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                    : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
                    : "unknown";
                return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            }
        }

        private static string? FindNativeDirectory(string directory)
        {
            var off = Environment.GetEnvironmentVariable(NoReadyToRunVariable);
            if (string.Equals(off, "1", StringComparison.Ordinal) || string.Equals(off, "true", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var native = Path.Combine(directory, PlatformFolderName);
            return System.IO.Directory.Exists(native) ? native : null;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var simpleName = assemblyName.Name;
            if (string.IsNullOrEmpty(simpleName) || string.Equals(simpleName, ModelAssemblyName, StringComparison.Ordinal))
            {
                return null;
            }

            if (string.Equals(simpleName, AsyncInterfacesAssemblyName, StringComparison.Ordinal))
            {
                return LoadRuntimeCopy(simpleName!);
            }

            var path = Path.Combine(_directory, simpleName + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            if (PlatformProvides(simpleName!, assemblyName.Version))
            {
                return null;
            }

            if (_nativeDirectory is not null)
            {
                var native = Path.Combine(_nativeDirectory, simpleName + ".dll");
                if (File.Exists(native))
                {
                    return LoadFromAssemblyPath(native);
                }
            }

            return LoadFromAssemblyPath(path);
        }

        /// <summary>The platform's own copy of an assembly, whatever its version (null when the platform has none).</summary>
        internal static Assembly? LoadRuntimeCopy(string simpleName)
        {
            if (!PlatformAssemblies.Value.ContainsKey(simpleName))
            {
                return null;
            }

            return Default.LoadFromAssemblyName(new AssemblyName(simpleName));
        }

        private static bool PlatformProvides(string simpleName, Version? requested)
        {
            if (!PlatformAssemblies.Value.TryGetValue(simpleName, out var path))
            {
                return false;
            }

            try
            {
                var available = AssemblyName.GetAssemblyName(path).Version;
                return requested is null || (available is not null && available >= requested);
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>The trusted platform assemblies of the running host (the runtime and pwsh itself): simple name → path.</summary>
        private static Dictionary<string, string> ReadPlatformAssemblies()
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string;
            if (string.IsNullOrEmpty(list))
            {
                return result;
            }

            foreach (var path in list!.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                var name = Path.GetFileNameWithoutExtension(path);
                if (!result.ContainsKey(name))
                {
                    result[name] = path;
                }
            }

            return result;
        }
    }
}
