using System;
using System.Collections.Generic;
using System.IO;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Config
{
    /// <summary>Which level a configuration file was found at.</summary>
    internal enum ConfigOrigin
    {
        Project,
        User,
        System,
        ConfigFile,
    }

    /// <summary>A value with where it came from.</summary>
    internal sealed class Sourced<T>
    {
        public Sourced(T value, Provenance source)
        {
            Value = value;
            Source = source;
        }

        public T Value { get; }

        public Provenance Source { get; }
    }

    /// <summary>One <c>[tool.uv.sources]</c> entry that names an index.</summary>
    internal sealed class SourcePin
    {
        public SourcePin(string package, string index, IReadOnlyList<string> allIndexes, string filePath, int line, int column)
        {
            Package = package;
            Index = index;
            AllIndexes = allIndexes;
            FilePath = filePath;
            Line = line;
            Column = column;
        }

        public string Package { get; }

        /// <summary>The index the package is pinned to (the first one for marker-dependent lists).</summary>
        public string Index { get; }

        /// <summary>Every index a list of sources names, in order.</summary>
        public IReadOnlyList<string> AllIndexes { get; }

        public string FilePath { get; }

        public int Line { get; }

        public int Column { get; }
    }

    /// <summary>The index-related settings of one configuration file (pyproject.toml <c>[tool.uv]</c> or uv.toml), validated.</summary>
    internal sealed class ConfigFileSettings
    {
        private readonly ProvenanceBase? _relativeTo;

        private ConfigFileSettings(TomlFile file, bool isPyProject, ConfigOrigin origin, ProvenanceBase? relativeTo)
        {
            _relativeTo = relativeTo;
            File = file;
            IsPyProject = isPyProject;
            Origin = origin;
        }

        public TomlFile File { get; }

        public string Path => File.Path;

        public bool IsPyProject { get; }

        public ConfigOrigin Origin { get; }

        /// <summary>True when the file has settings uv reads (a uv.toml, or a pyproject.toml with <c>[tool.uv]</c>).</summary>
        public bool HasUvTable { get; private set; }

        public bool HasProjectTable { get; private set; }

        public bool IsUnmanaged { get; private set; }

        public List<IndexDefinition> Indexes { get; } = new List<IndexDefinition>();

        public Sourced<string>? IndexUrl { get; private set; }

        public List<Sourced<string>> ExtraIndexUrls { get; } = new List<Sourced<string>>();

        public List<Sourced<string>> FindLinks { get; } = new List<Sourced<string>>();

        public Sourced<bool>? NoIndex { get; private set; }

        public Sourced<IndexStrategy>? Strategy { get; private set; }

        /// <summary>[tool.uv] exclude-newer (a null value: <c>false</c>, disabled).</summary>
        public SettingValue<DateTimeOffset?>? ExcludeNewer { get; private set; }

        /// <summary>[tool.uv] exclude-newer-package: per package (normalized name), a cutoff or null (<c>false</c>).</summary>
        public Dictionary<string, SettingValue<DateTimeOffset?>> ExcludeNewerPackage { get; } = new Dictionary<string, SettingValue<DateTimeOffset?>>(StringComparer.Ordinal);

        /// <summary>[tool.uv] prerelease.</summary>
        public SettingValue<PrereleaseMode>? Prerelease { get; private set; }

        /// <summary>[tool.uv] resolution.</summary>
        public SettingValue<ResolutionMode>? Resolution { get; private set; }

        public List<SourcePin> Sources { get; } = new List<SourcePin>();

        /// <summary><c>[tool.uv.workspace]</c> members and exclude globs, when the table exists.</summary>
        public List<string>? WorkspaceMembers { get; private set; }

        public List<string> WorkspaceExclude { get; } = new List<string>();

        public List<string> Warnings { get; } = new List<string>();

        /// <summary>The table prefix used in provenance: <c>[tool.uv]</c> keys or uv.toml's top level.</summary>
        public string IndexTableLabel => IsPyProject ? "[[tool.uv.index]]" : "[[index]]";

        /// <summary><paramref name="relativeTo"/>: the folder provenance is shown relative to, once known (null: full paths).</summary>
        public static ConfigFileSettings Read(string path, bool isPyProject, ConfigOrigin origin, ProvenanceBase? relativeTo = null)
        {
            return From(TomlFile.Read(path), isPyProject, origin, relativeTo);
        }

        public static ConfigFileSettings From(TomlFile file, bool isPyProject, ConfigOrigin origin, ProvenanceBase? relativeTo = null)
        {
            var settings = new ConfigFileSettings(file, isPyProject, origin, relativeTo);
            settings.Parse();
            return settings;
        }

        private string Dir => System.IO.Path.GetDirectoryName(Path) ?? ".";

        private void Parse()
        {
            TomlTableNode? uv;
            if (IsPyProject)
            {
                HasProjectTable = File.Root.Get("project") is TomlTableNode;
                uv = File.Root.GetTable("tool.uv");
            }
            else
            {
                uv = File.Root;
            }

            if (uv is null)
            {
                return;
            }

            HasUvTable = true;
            var scalarLabel = IsPyProject ? " [tool.uv] " : " ";

            if (uv.Find("managed") is TomlEntry managed && managed.Value is TomlScalar { Value: bool isManaged })
            {
                IsUnmanaged = !isManaged;
            }

            if (uv.Get("index") is TomlNode indexNode)
            {
                ParseIndexes(indexNode);
            }

            if (uv.Get("index-url") is TomlNode indexUrl)
            {
                IndexUrl = new Sourced<string>(ResolveLocation(RequireString(indexUrl, "index-url"), Dir), FileSource(scalarLabel + "index-url", indexUrl));
            }

            if (uv.Get("extra-index-url") is TomlNode extra)
            {
                foreach (var item in RequireArray(extra, "extra-index-url").Items)
                {
                    ExtraIndexUrls.Add(new Sourced<string>(ResolveLocation(RequireString(item, "extra-index-url"), Dir), FileSource(scalarLabel + "extra-index-url", item)));
                }
            }

            if (uv.Get("find-links") is TomlNode findLinks)
            {
                foreach (var item in RequireArray(findLinks, "find-links").Items)
                {
                    FindLinks.Add(new Sourced<string>(ResolveLocation(RequireString(item, "find-links"), Dir), FileSource(scalarLabel + "find-links", item)));
                }
            }

            if (uv.Get("no-index") is TomlNode noIndex)
            {
                NoIndex = new Sourced<bool>(RequireBool(noIndex, "no-index"), FileSource(scalarLabel + "no-index", noIndex));
            }

            if (uv.Get("index-strategy") is TomlNode strategy)
            {
                var text = RequireString(strategy, "index-strategy");
                if (!ConfigValues.TryParseStrategy(text, out var parsed))
                {
                    throw Error("InvalidIndexStrategy", strategy, "unknown index-strategy '" + text + "' (expected first-index, unsafe-first-match or unsafe-best-match)");
                }

                Strategy = new Sourced<IndexStrategy>(parsed, FileSource(scalarLabel + "index-strategy", strategy));
            }

            if (uv.Get("exclude-newer") is TomlNode excludeNewer)
            {
                ExcludeNewer = ReadExcludeNewer(excludeNewer, "exclude-newer", scalarLabel + "exclude-newer");
            }

            if (uv.Get("exclude-newer-package") is TomlNode excludeNewerPackage)
            {
                if (!(excludeNewerPackage is TomlTableNode packages))
                {
                    throw Error("InvalidConfigValue", excludeNewerPackage, "exclude-newer-package must be a table of package = cutoff", excludeNewerPackage.Text);
                }

                foreach (var entry in packages.Entries)
                {
                    ExcludeNewerPackage[PackageName.Normalize(entry.Key)] = ReadExcludeNewer(entry.Value, "exclude-newer-package." + entry.Key, scalarLabel + "exclude-newer-package." + entry.Key);
                }
            }

            if (uv.Get("prerelease") is TomlNode prerelease)
            {
                var text = RequireString(prerelease, "prerelease");
                if (!SelectionValues.TryParsePrerelease(text, out var mode))
                {
                    throw Error("InvalidConfigValue", prerelease, "unknown prerelease '" + text + "' (expected disallow, allow, if-necessary, explicit or if-necessary-or-explicit)");
                }

                Prerelease = new SettingValue<PrereleaseMode>(mode, text, FileSource(scalarLabel + "prerelease", prerelease).Detail);
            }

            if (uv.Get("resolution") is TomlNode resolution)
            {
                var text = RequireString(resolution, "resolution");
                if (!SelectionValues.TryParseResolution(text, out var mode))
                {
                    throw Error("InvalidConfigValue", resolution, "unknown resolution '" + text + "' (expected highest, lowest or lowest-direct)");
                }

                Resolution = new SettingValue<ResolutionMode>(mode, text, FileSource(scalarLabel + "resolution", resolution).Detail);
            }

            if (uv.Get("pip") is TomlTableNode pip)
            {
                foreach (var key in new[] { "index-url", "extra-index-url", "find-links", "no-index", "index-strategy" })
                {
                    if (pip.Find(key) != null)
                    {
                        Warnings.Add(Path + ": " + (IsPyProject ? "[tool.uv.pip] " : "[pip] ") + key + " applies to the uv pip interface only; IndexTools follows the project interface and ignores it.");
                    }
                }
            }

            if (IsPyProject)
            {
                if (uv.Get("sources") is TomlNode sources)
                {
                    ParseSources(sources);
                }

                if (uv.Get("workspace") is TomlTableNode workspace)
                {
                    WorkspaceMembers = new List<string>();
                    if (workspace.Get("members") is TomlArrayNode members)
                    {
                        foreach (var member in members.Items)
                        {
                            WorkspaceMembers.Add(RequireString(member, "workspace.members"));
                        }
                    }

                    if (workspace.Get("exclude") is TomlArrayNode exclude)
                    {
                        foreach (var member in exclude.Items)
                        {
                            WorkspaceExclude.Add(RequireString(member, "workspace.exclude"));
                        }
                    }
                }
            }
            else
            {
                // uv rejects project-only fields in uv.toml (uv-settings/src/lib.rs validate_uv_toml).
                foreach (var key in new[] { "sources", "workspace", "conflicts", "dev-dependencies", "default-groups", "dependency-groups", "managed", "package", "build-backend", "environments", "required-environments" })
                {
                    if (uv.Find(key) is TomlEntry entry)
                    {
                        throw Error("InvalidConfigValue", entry.Value, "'" + key + "' is only allowed in pyproject.toml, not in uv.toml", entry.Key);
                    }
                }
            }
        }

        private void ParseIndexes(TomlNode node)
        {
            var array = RequireArray(node, "index");
            var seenNames = new HashSet<string>(StringComparer.Ordinal);
            var seenDefault = false;
            foreach (var item in array.Items)
            {
                if (!(item is TomlTableNode table))
                {
                    throw Error("InvalidConfigValue", item, "each index must be a table", item.Text);
                }

                var index = ParseIndex(table);
                if (index.Name != null && !seenNames.Add(index.Name))
                {
                    // uv-workspace/src/pyproject.rs deserialize_index_vec: duplicate names are an error in pyproject.toml.
                    if (IsPyProject)
                    {
                        throw Error("DuplicateIndexName", table.Get("name") ?? table, "duplicate index name '" + index.Name + "'", index.Name);
                    }

                    Warnings.Add(Path + ": index name '" + index.Name + "' is defined more than once; the first definition wins.");
                }

                if (index.IsDefault)
                {
                    if (seenDefault && IsPyProject)
                    {
                        throw Error("MultipleDefaultIndexes", table.Get("default") ?? table, "found multiple indexes with default = true; only one index may be marked as default", "true");
                    }

                    seenDefault = true;
                }

                Indexes.Add(index);
            }
        }

        private IndexDefinition ParseIndex(TomlTableNode table)
        {
            string? name = null;
            if (table.Get("name") is TomlNode nameNode)
            {
                name = RequireString(nameNode, "name");
                if (!ConfigValues.IsValidIndexName(name))
                {
                    throw Error("InvalidIndexName", nameNode, "invalid index name '" + name + "' (use ASCII letters, digits, '-', '_' and '.')", name);
                }
            }

            var urlNode = table.Get("url");
            if (urlNode is null)
            {
                throw Error("InvalidConfigValue", table, "index " + (name is null ? "" : "'" + name + "' ") + "has no 'url'", name ?? "");
            }

            var url = ResolveLocation(RequireString(urlNode, "url"), Dir);
            var label = IndexTableLabel + (name is null ? " '" + UrlRedactor.Redact(url) + "'" : " '" + name + "'");
            var index = new IndexDefinition(name, url, FileSource(" " + label, table));
            if (table.Get("default") is TomlNode def)
            {
                index.IsDefault = RequireBool(def, "default");
            }

            if (table.Get("explicit") is TomlNode exp)
            {
                index.IsExplicit = RequireBool(exp, "explicit");
                if (index.IsExplicit && name is null)
                {
                    throw Error("InvalidConfigValue", exp, "an index with explicit = true requires a name: " + UrlRedactor.Redact(url), "true");
                }
            }

            if (table.Get("format") is TomlNode format)
            {
                var text = RequireString(format, "format");
                index.Format = text == "simple" ? IndexFormat.Simple
                    : text == "flat" ? IndexFormat.Flat
                    : throw Error("InvalidConfigValue", format, "unknown index format '" + text + "' (expected simple or flat)", text);
            }

            if (table.Get("authenticate") is TomlNode auth)
            {
                var text = RequireString(auth, "authenticate");
                index.Authenticate = text == "auto" ? AuthenticatePolicy.Auto
                    : text == "always" ? AuthenticatePolicy.Always
                    : text == "never" ? AuthenticatePolicy.Never
                    : throw Error("InvalidConfigValue", auth, "unknown authenticate policy '" + text + "' (expected auto, always or never)", text);
            }

            if (table.Get("publish-url") is TomlNode publish)
            {
                index.PublishUrl = RequireString(publish, "publish-url");
            }

            if (table.Get("ignore-error-codes") is TomlNode codesNode)
            {
                if (!(codesNode is TomlArrayNode codes) || codes.IsTableArray)
                {
                    throw Error("InvalidIgnoreErrorCode", codesNode, "ignore-error-codes must be an array of HTTP status codes", codesNode.Text);
                }

                var list = new List<int>();
                foreach (var code in codes.Items)
                {
                    if (!(code is TomlScalar { Value: long value }) || value < 100 || value > 599)
                    {
                        throw Error("InvalidIgnoreErrorCode", code, code.Text + " is not a valid HTTP status code (100-599)", code.Text);
                    }

                    list.Add((int)value);
                }

                index.IgnoreErrorCodes = list;
                index.IgnoreErrorCodesSource = FileSource(" " + label + " ignore-error-codes", codesNode);
            }

            if (table.Get("exclude-newer") is TomlNode indexExcludeNewer)
            {
                index.ExcludeNewer = ReadExcludeNewer(indexExcludeNewer, "exclude-newer", " " + label + " exclude-newer");
            }

            if (table.Get("cache-control") is TomlNode cacheNode)
            {
                if (!(cacheNode is TomlTableNode cache))
                {
                    throw Error("InvalidConfigValue", cacheNode, "cache-control must be a table with 'api' and/or 'files'", cacheNode.Text);
                }

                if (cache.Get("api") is TomlNode api)
                {
                    index.CacheControlApi = RequireHeaderValue(api, "cache-control.api");
                }

                if (cache.Get("files") is TomlNode files)
                {
                    index.CacheControlFiles = RequireHeaderValue(files, "cache-control.files");
                }
            }

            // Other keys (hash-algorithm, exclude-newer, keys of newer uv versions) are tolerated, as uv's IndexWire does.
            return index;
        }

        private void ParseSources(TomlNode node)
        {
            if (!(node is TomlTableNode table))
            {
                throw Error("InvalidConfigValue", node, "[tool.uv.sources] must be a table", node.Text);
            }

            foreach (var entry in table.Entries)
            {
                var names = new List<string>();
                TomlNode? first = null;
                IEnumerable<TomlNode> items = entry.Value is TomlArrayNode list ? list.Items : new[] { entry.Value };
                foreach (var item in items)
                {
                    if (item is TomlTableNode source && source.Get("index") is TomlNode indexNode)
                    {
                        var name = RequireString(indexNode, "index");
                        if (!ConfigValues.IsValidIndexName(name))
                        {
                            throw Error("InvalidIndexName", indexNode, "invalid index name '" + name + "' in [tool.uv.sources] " + entry.Key, name);
                        }

                        if (first is null)
                        {
                            first = indexNode;
                        }

                        names.Add(name);
                    }
                }

                if (first != null)
                {
                    Sources.Add(new SourcePin(PackageName.Normalize(entry.Key), names[0], names, Path, first.Line, first.Column));
                }
            }
        }

        /// <summary>An exclude-newer value (a string, or false to disable); an error names the file, line and value.</summary>
        private SettingValue<DateTimeOffset?> ReadExcludeNewer(TomlNode node, string key, string label)
        {
            var source = FileSource(label, node).Detail;
            if (node is TomlScalar { Value: bool enabled })
            {
                if (enabled)
                {
                    throw Error("InvalidConfigValue", node, key + " takes a date, a timestamp, a duration or false, not true");
                }

                return new SettingValue<DateTimeOffset?>(null, "false", source);
            }

            var text = RequireString(node, key);
            try
            {
                return new SettingValue<DateTimeOffset?>(SelectionValues.ParseExcludeNewer(text, DateTimeOffset.UtcNow), text, source);
            }
            catch (FormatException e)
            {
                throw Error("InvalidConfigValue", node, e.Message, text);
            }
        }

        private Provenance FileSource(string label, TomlNode node) => Provenance.FromFile(Path, node.Line, node.Column, label.Trim(), _relativeTo);

        private string RequireHeaderValue(TomlNode node, string key)
        {
            var text = RequireString(node, key);
            foreach (var c in text)
            {
                if (c < 0x20 && c != '\t' || c == 0x7F)
                {
                    throw Error("InvalidConfigValue", node, key + " must be a valid HTTP header value", text);
                }
            }

            return text;
        }

        private string RequireString(TomlNode node, string key)
        {
            if (node is TomlScalar { Value: string text })
            {
                return text;
            }

            throw Error("InvalidConfigValue", node, key + " must be a string", node.Text);
        }

        private bool RequireBool(TomlNode node, string key)
        {
            if (node is TomlScalar { Value: bool value })
            {
                return value;
            }

            throw Error("InvalidConfigValue", node, key + " must be true or false", node.Text);
        }

        private TomlArrayNode RequireArray(TomlNode node, string key)
        {
            if (node is TomlArrayNode array)
            {
                return array;
            }

            throw Error("InvalidConfigValue", node, key + " must be an array", node.Text);
        }

        private IndexConfigurationException Error(string errorId, TomlNode node, string problem, string? value = null)
        {
            var shown = value ?? node.Text;
            return new IndexConfigurationException(
                Path + ":" + node.Line + ":" + node.Column + ": " + problem + " (value: " + UrlRedactor.Redact(shown) + ")",
                Path,
                node.Line,
                node.Column)
            { ErrorId = errorId };
        }

        /// <summary>A URL stays as written; a relative path becomes absolute against <paramref name="baseDir"/>, as uv rebases paths.</summary>
        internal static string ResolveLocation(string value, string baseDir)
        {
            if (value.IndexOf("://", StringComparison.Ordinal) > 0 || value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }

            if (value.StartsWith("~/", StringComparison.Ordinal) || value.StartsWith("~\\", StringComparison.Ordinal))
            {
                return value;
            }

            return System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, value));
        }
    }

    internal static class ConfigValues
    {
        public static bool IsValidIndexName(string name)
        {
            if (name.Length == 0)
            {
                return false;
            }

            foreach (var c in name)
            {
                var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        public static bool TryParseStrategy(string text, out IndexStrategy strategy)
        {
            switch (text)
            {
                case "first-index":
                    strategy = IndexStrategy.FirstIndex;
                    return true;
                case "unsafe-first-match":
                    strategy = IndexStrategy.UnsafeFirstMatch;
                    return true;
                case "unsafe-best-match":
                    strategy = IndexStrategy.UnsafeBestMatch;
                    return true;
                default:
                    strategy = IndexStrategy.FirstIndex;
                    return false;
            }
        }

        /// <summary>uv's boolish environment values; null when unset or unrecognised.</summary>
        public static bool? ParseBoolish(string? value)
        {
            switch (value?.Trim().ToLowerInvariant())
            {
                case "1":
                case "true":
                case "yes":
                case "y":
                case "on":
                case "t":
                    return true;
                case "0":
                case "false":
                case "no":
                case "n":
                case "off":
                case "f":
                    return false;
                default:
                    return null;
            }
        }
    }
}
