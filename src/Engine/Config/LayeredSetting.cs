using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Config
{
    /// <summary>Reads a setting's text as its value; false when the text is not one of the setting's values.</summary>
    internal delegate bool SettingParser<T>(string text, out T value);

    /// <summary>
    /// uv's precedence for a setting that more than one layer can set (uv's clap arguments with their <c>env =</c>, over
    /// its settings files): the caller's parameter when given, else the environment variable when it says something,
    /// else the first file (project, user, system, in discovery order) that sets it. The one place this order is coded.
    /// </summary>
    internal static class LayeredSetting
    {
        /// <summary>
        /// The setting from the first layer that sets it, or null when none does. <paramref name="fromVariable"/> reads the
        /// variable's text (it is called only when the variable is set): null means the text says nothing and the files
        /// decide; a value the setting does not know throws (see <see cref="Known{T}"/>).
        /// </summary>
        public static TSetting? Resolve<TSetting>(
            TSetting? parameter,
            EngineEnvironment environment,
            string variable,
            Func<string, TSetting?> fromVariable,
            IEnumerable<TSetting?> fromFiles)
            where TSetting : class
        {
            if (parameter != null)
            {
                return parameter;
            }

            if (environment.Get(variable) is string text && fromVariable(text) is TSetting fromEnvironment)
            {
                return fromEnvironment;
            }

            return fromFiles.FirstOrDefault(s => s != null);
        }

        /// <summary>The setting from the parameter or, when the caller gave none, the environment variable (settings no file sets).</summary>
        public static TSetting? Resolve<TSetting>(TSetting? parameter, EngineEnvironment environment, string variable, Func<string, TSetting?> fromVariable)
            where TSetting : class
        {
            return Resolve(parameter, environment, variable, fromVariable, Enumerable.Empty<TSetting?>());
        }

        /// <summary>A variable's value for a setting with a fixed set of values: one it does not know is an error naming the variable.</summary>
        public static T Known<T>(string variable, string text, SettingParser<T> parse, string what, string expected, ErrorKind kind)
        {
            if (!parse(text, out var value))
            {
                throw new IndexConfigurationException(variable + ": unknown " + what + " '" + text + "' (expected " + expected + ")") { Kind = kind };
            }

            return value;
        }

        /// <summary>The parameter's value with its provenance, or null when the caller did not give it.</summary>
        public static Sourced<T>? FromParameter<T>(T? value, string parameter)
            where T : struct
        {
            return value is T given ? new Sourced<T>(given, Provenance.FromParameter(parameter)) : null;
        }
    }
}
