using System.Collections;
using System.Runtime.InteropServices;

namespace IndexTools.Engine.Environment
{
    /// <summary>
    /// What the engine reads from the machine: environment variables, home and config folders, the current
    /// folder. Tests build one from a dictionary instead of touching the process environment.
    /// </summary>
    public sealed class EngineEnvironment
    {
        private readonly IReadOnlyDictionary<string, string> _variables;

        public EngineEnvironment(
            IReadOnlyDictionary<string, string> variables,
            string homeDirectory,
            string currentDirectory,
            bool isWindows)
        {
            // Environment variable names are case-insensitive on Windows only.
            var comparer = isWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
            var copy = new Dictionary<string, string>(comparer);
            foreach (var pair in variables)
            {
                copy[pair.Key] = pair.Value;
            }

            _variables = copy;
            HomeDirectory = homeDirectory;
            CurrentDirectory = currentDirectory;
            IsWindows = isWindows;
        }

        public string HomeDirectory { get; }

        public string CurrentDirectory { get; }

        public bool IsWindows { get; }

        public IReadOnlyDictionary<string, string> Variables => _variables;

        /// <summary>The variable's value, or null when it is unset. An empty value counts as unset, as uv treats it.</summary>
        public string? Get(string name)
        {
            return _variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        }

        /// <summary>The process's own environment.</summary>
        public static EngineEnvironment FromProcess(string? currentDirectory = null)
        {
            var variables = new Dictionary<string, string>();
            foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            {
                variables[(string)entry.Key] = (string?)entry.Value ?? "";
            }

            var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
            return new EngineEnvironment(
                variables,
                home,
                currentDirectory ?? Directory.GetCurrentDirectory(),
                RuntimeInformation.IsOSPlatform(OSPlatform.Windows));
        }

        /// <summary>A copy with some variables set (a null value removes the variable).</summary>
        public EngineEnvironment With(IEnumerable<KeyValuePair<string, string?>> changes)
        {
            var variables = new Dictionary<string, string>(IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            foreach (var pair in _variables)
            {
                variables[pair.Key] = pair.Value;
            }

            foreach (var change in changes)
            {
                if (change.Value is null)
                {
                    variables.Remove(change.Key);
                }
                else
                {
                    variables[change.Key] = change.Value;
                }
            }

            return new EngineEnvironment(variables, HomeDirectory, CurrentDirectory, IsWindows);
        }

        /// <summary>A copy whose current folder is <paramref name="currentDirectory"/>.</summary>
        public EngineEnvironment WithCurrentDirectory(string currentDirectory)
        {
            return new EngineEnvironment(_variables, HomeDirectory, currentDirectory, IsWindows);
        }
    }
}
