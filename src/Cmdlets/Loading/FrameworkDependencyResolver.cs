using System.Reflection;

namespace IndexTools.Cmdlets.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) has a single load context: the best it can do is find the engine
    /// and its dependencies in <c>dependencies/</c> when nothing else answered.
    /// </summary>
    internal static class FrameworkDependencyResolver
    {
        private static string s_directory = "";

        internal static void Register(string dependencyDirectory)
        {
            s_directory = dependencyDirectory;
            AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
        }

        private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            if (string.IsNullOrEmpty(name.Name))
            {
                return null;
            }

            var path = Path.Combine(s_directory, name.Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
