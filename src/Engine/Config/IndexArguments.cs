using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Config
{
    /// <summary>
    /// The indexes the caller gives through parameters and the environment (uv's <c>--default-index</c>, <c>--index</c>,
    /// <c>--find-links</c> with their <c>UV_*</c> variables, and <c>UV_EXTRA_INDEX_URL</c>), read as uv-cli reads an
    /// IndexArg: a configured name, <c>name=url</c>, or a URL or path.
    /// </summary>
    internal static class IndexArguments
    {
        private static readonly char[] Whitespace = { ' ', '\t', '\r', '\n' };

        /// <summary>Caller-given indexes: <c>--default-index</c> (or UV_DEFAULT_INDEX) first, then each <c>--index</c> (or
        /// UV_INDEX, split on white space) (uv-cli/src/options.rs IndexArgs::resolve). A configured name is that index.</summary>
        public static List<IndexDefinition> FromCaller(ConfigurationRequest request, EngineEnvironment environment, List<IndexDefinition> configured, List<string> warnings)
        {
            var cwd = environment.CurrentDirectory;
            var cli = new List<IndexDefinition>();
            var defaultArg = LayeredSetting.Resolve(
                request.DefaultIndex is string given ? new Sourced<string>(given, Provenance.FromParameter("DefaultIndex")) : null,
                environment,
                "UV_DEFAULT_INDEX",
                text => new Sourced<string>(text, Provenance.FromEnvironment("UV_DEFAULT_INDEX")));
            if (defaultArg != null)
            {
                cli.Add(Parse(defaultArg.Value, true, defaultArg.Source, configured, cwd, warnings));
            }

            var indexArgs = LayeredSetting.Resolve(
                request.Indexes.Count > 0 ? new Sourced<IReadOnlyList<string>>(request.Indexes, Provenance.FromParameter("Index")) : null,
                environment,
                "UV_INDEX",
                text => new Sourced<IReadOnlyList<string>>(text.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries), Provenance.FromEnvironment("UV_INDEX")));
            foreach (var value in indexArgs?.Value ?? Array.Empty<string>())
            {
                cli.Add(Parse(value, false, indexArgs!.Source, configured, cwd, warnings));
            }

            return cli;
        }

        /// <summary><c>UV_EXTRA_INDEX_URL</c>'s indexes (space-separated), searched after every <c>index</c> and before the files' <c>extra-index-url</c>.</summary>
        public static IEnumerable<IndexDefinition> ExtraIndexUrls(EngineEnvironment environment)
        {
            if (environment.Get("UV_EXTRA_INDEX_URL") is string extra)
            {
                foreach (var url in extra.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return new IndexDefinition(null, ConfigFileSettings.ResolveLocation(url, environment.CurrentDirectory), Provenance.FromEnvironment("UV_EXTRA_INDEX_URL"));
                }
            }
        }

        /// <summary><c>--find-links</c>, or when the caller gave none UV_FIND_LINKS (comma-separated); the files' find-links come after them.</summary>
        public static IEnumerable<IndexDefinition> FindLinks(ConfigurationRequest request, EngineEnvironment environment)
        {
            var cwd = environment.CurrentDirectory;
            var links = LayeredSetting.Resolve(
                request.FindLinks.Count > 0 ? new Sourced<IReadOnlyList<string>>(request.FindLinks, Provenance.FromParameter("FindLinks")) : null,
                environment,
                "UV_FIND_LINKS",
                text => new Sourced<IReadOnlyList<string>>(text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToArray(), Provenance.FromEnvironment("UV_FIND_LINKS")));
            foreach (var link in links?.Value ?? Array.Empty<string>())
            {
                yield return Flat(ConfigFileSettings.ResolveLocation(link, cwd), links!.Source);
            }
        }

        /// <summary>A find-links location: a flat index without a name.</summary>
        internal static IndexDefinition Flat(string location, Provenance source)
        {
            return new IndexDefinition(null, location, source) { Format = IndexFormat.Flat };
        }

        /// <summary>A caller-given index: a configured name, <c>name=url</c>, or a URL/path (uv-cli/src/lib.rs IndexArg).</summary>
        internal static IndexDefinition Parse(string value, bool isDefault, Provenance source, List<IndexDefinition> configured, string cwd, List<string> warnings)
        {
            value = value.Trim();
            if (ConfigValues.IsValidIndexName(value) && !Directory.Exists(Path.Combine(cwd, value)))
            {
                var match = configured.FirstOrDefault(i => i.Name == value);
                if (match != null)
                {
                    return match.AsCallerIndex(source, isDefault);
                }

                warnings.Add(source.Description + ": '" + value + "' is not the name of a configured index; it is read as a relative path, as uv does.");
            }

            var equals = value.IndexOf('=');
            if (equals > 0 && value.Substring(0, equals).IndexOf(':') < 0)
            {
                var name = value.Substring(0, equals);
                if (!ConfigValues.IsValidIndexName(name))
                {
                    throw new IndexConfigurationException(source.Description + ": invalid index name '" + name + "' (use ASCII letters, digits, '-', '_' and '.')", null, null, null, name) { Kind = ErrorKind.InvalidIndexName };
                }

                return new IndexDefinition(name, ConfigFileSettings.ResolveLocation(value.Substring(equals + 1), cwd), source) { IsDefault = isDefault };
            }

            if (equals == 0)
            {
                throw new IndexConfigurationException(source.Description + ": the index included a name, but the name was empty") { Kind = ErrorKind.InvalidIndexName };
            }

            return new IndexDefinition(null, ConfigFileSettings.ResolveLocation(value, cwd), source) { IsDefault = isDefault };
        }
    }
}
