using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace IndexTools.Cmdlets.Loading
{
    /// <summary>
    /// The private load context of the engine and its dependencies (Tomlyn, Microsoft.Extensions.*, System.Text.Json ...),
    /// loaded from the module's <c>dependencies/</c> folder. IndexTools.Model is deliberately NOT loaded here: it
    /// comes from the default context so the objects the engine builds are the types scripts and formats see.
    /// Runtime assemblies the platform already provides at the requested version or later (System.Memory,
    /// System.Buffers, ...) also come from the default context, so Span&lt;T&gt; and friends stay one type.
    /// </summary>
    internal sealed class IndexToolsLoadContext : AssemblyLoadContext
    {
        internal const string ModelAssemblyName = "IndexTools.Model";
        internal const string AsyncInterfacesAssemblyName = "Microsoft.Bcl.AsyncInterfaces";

        private static readonly Lazy<Dictionary<string, string>> PlatformAssemblies =
            new Lazy<Dictionary<string, string>>(ReadPlatformAssemblies);

        private readonly string _directory;

        internal IndexToolsLoadContext(string directory)
        {
            _directory = directory;
        }

        internal string Directory => _directory;

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
