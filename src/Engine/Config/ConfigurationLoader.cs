using System;
using System.Collections.Generic;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Config
{
    /// <summary>Discovers uv's configuration and merges it with uv's precedence into the settings the search runs on.</summary>
    public static class ConfigurationLoader
    {
        /// <summary>Throws <see cref="IndexConfigurationException"/> (naming file, line, column, value) for invalid configuration.</summary>
        public static IndexSettings Load(ConfigurationRequest request, EngineEnvironment environment)
        {
            throw new NotImplementedException("config issue");
        }

        /// <summary>Index names defined in the configuration seen from <paramref name="startPath"/> (for tab completion; never throws, never touches the network).</summary>
        public static IReadOnlyList<string> ListIndexNames(string startPath, EngineEnvironment environment)
        {
            throw new NotImplementedException("config issue");
        }
    }
}
