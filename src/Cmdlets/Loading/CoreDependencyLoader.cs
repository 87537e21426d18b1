using System.Reflection;
using System.Runtime.Loader;

namespace IndexTools.Cmdlets.Loading
{
    /// <summary>
    /// PowerShell 7 (.NET Core) side of the bridge. Only this class and <see cref="IndexToolsLoadContext"/> name
    /// AssemblyLoadContext, so neither is ever compiled on .NET Framework.
    /// </summary>
    internal static class CoreDependencyLoader
    {
        internal const string EngineAssemblyName = "IndexTools.Engine";

        private static IndexToolsLoadContext? s_context;

        internal static IndexToolsLoadContext? Context => s_context;

        internal static void Register(string dependencyDirectory)
        {
            s_context = new IndexToolsLoadContext(dependencyDirectory);
            AssemblyLoadContext.Default.Resolving += OnDefaultResolving;
        }

        /// <summary>
        /// The default context asks for IndexTools.Engine when IndexTools.dll first calls it: answer with the copy in
        /// our context. Every other name is left to whoever else resolves it.
        /// </summary>
        private static Assembly? OnDefaultResolving(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            var context = s_context;
            if (context is null)
            {
                return null;
            }

            if (string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal))
            {
                return context.LoadFromAssemblyName(name);
            }

            // The one type family that crosses the boundary besides IndexTools.Model: IAsyncEnumerable<T>
            // (IndexSearch.ResolveManyAsync). IndexTools.dll was compiled against Microsoft.Bcl.AsyncInterfaces 11;
            // the runtime ships a lower-versioned copy that forwards to System.Private.CoreLib. Hand out that
            // runtime copy, never the netstandard2.0 one from dependencies/, so both sides see CoreLib's type.
            if (string.Equals(name.Name, IndexToolsLoadContext.AsyncInterfacesAssemblyName, StringComparison.Ordinal))
            {
                return IndexToolsLoadContext.LoadRuntimeCopy(name.Name!);
            }

            return null;
        }
    }
}
