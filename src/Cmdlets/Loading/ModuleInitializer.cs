using System.Runtime.InteropServices;

namespace IndexTools.Cmdlets.Loading
{
    /// <summary>
    /// Runs when PowerShell imports IndexTools.dll, before any cmdlet runs. Wires up where the engine and its
    /// dependencies come from: on PowerShell 7 a private <c>AssemblyLoadContext</c> over <c>dependencies/</c>
    /// (so Microsoft.Extensions.* 11 can live beside PSResourceGet's 6.0), on Windows PowerShell 5.1 an
    /// <c>AppDomain.AssemblyResolve</c> fallback over the same folder.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        private static readonly object Gate = new object();
        private static bool s_registered;

        /// <summary>The folder holding IndexTools.Engine.dll and every dependency of the engine.</summary>
        internal static string DependencyDirectory
        {
            get
            {
                var moduleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";
                return Path.Combine(moduleDirectory, "dependencies");
            }
        }

        /// <summary>True on .NET Framework (Windows PowerShell 5.1), where AssemblyLoadContext does not exist.</summary>
        internal static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        public void OnImport()
        {
            Register();

            // The output types must be nameable as soon as the module is imported ([IndexTools.AttemptOutcome]::AuthFailed),
            // not only after the first cmdlet ran: touching one loads IndexTools.Model into the default context.
            GC.KeepAlive(typeof(PackageResolution).Assembly);
        }

        /// <summary>Idempotent: Import-Module -Force runs OnImport again on the same (never unloaded) assembly.</summary>
        internal static void Register()
        {
            lock (Gate)
            {
                if (s_registered)
                {
                    return;
                }

                if (IsNetFramework)
                {
                    FrameworkDependencyResolver.Register(DependencyDirectory);
                }
                else
                {
                    // Kept in its own class: its methods name AssemblyLoadContext and must never be JIT-compiled on .NET Framework.
                    CoreDependencyLoader.Register(DependencyDirectory);
                }

                s_registered = true;
            }
        }
    }
}
