using IndexTools.Engine.Indexes;
using IndexTools.Engine.Projects;
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
    internal sealed record Sourced<T>(T Value, Provenance Source);

    /// <summary>One table of a <c>[tool.uv.sources]</c> value: where it sends the package, and when it applies.</summary>
    /// <param name="Kind">index, git, url, path or workspace.</param>
    /// <param name="Index">The index name for an index source; null for the other kinds.</param>
    /// <param name="Marker">The entry's <c>marker</c>, when it has one.</param>
    /// <param name="Extra">The <c>extra</c> the entry is limited to (normalized), when any.</param>
    /// <param name="Group">The dependency <c>group</c> the entry is limited to (normalized), when any.</param>
    /// <param name="Source">file:line of the entry's table.</param>
    public sealed record SourceEntry(string Kind, string? Index, Marker? Marker, string? Extra, string? Group, Provenance Source)
    {
        /// <summary>Where the <c>index</c> value is written (for errors about it).</summary>
        internal (int Line, int Column) IndexPosition { get; set; }

        /// <summary>True when the entry has an extra, a group or a marker.</summary>
        public bool IsConditional => Marker != null || Extra != null || Group != null;

        /// <summary>When it applies: <c>extra = 'gpu'</c>, <c>group = 'cuda'</c>, <c>marker = "sys_platform == 'linux'"</c> (joined by "and"), or "always".</summary>
        public string Condition
        {
            get
            {
                var parts = new List<string>();
                if (Extra != null)
                {
                    parts.Add("extra = '" + Extra + "'");
                }

                if (Group != null)
                {
                    parts.Add("group = '" + Group + "'");
                }

                if (Marker != null)
                {
                    parts.Add("marker = \"" + Marker + "\"");
                }

                return parts.Count == 0 ? "always" : string.Join(" and ", parts);
            }
        }
    }

    /// <summary>The <c>[tool.uv.sources]</c> value of one package: one table or a list of them.</summary>
    internal sealed record SourcePin(string Package, IReadOnlyList<SourceEntry> Entries, string FilePath, int Line, int Column)
    {
        /// <summary>Every index the entries name, in order.</summary>
        public IReadOnlyList<string> AllIndexes => Entries.Where(e => e.Index != null).Select(e => e.Index!).ToList();

        /// <summary>True when the package always comes from one index (a single entry with no extra, group or marker).</summary>
        public bool IsUnconditionalIndex => Entries.Count == 1 && Entries[0].Index != null && !Entries[0].IsConditional;
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

        /// <summary>[tool.uv] prerelease-package (uv 0.12.1+): per package (normalized name), its pre-release mode.</summary>
        public Dictionary<string, SettingValue<PrereleaseMode>> PrereleasePackage { get; } = new Dictionary<string, SettingValue<PrereleaseMode>>(StringComparer.Ordinal);

        /// <summary>[tool.uv] resolution.</summary>
        public SettingValue<ResolutionMode>? Resolution { get; private set; }
        /// <summary>uv's <c>keyring-provider</c>: "disabled" or "subprocess".</summary>
        public Sourced<string>? KeyringProvider { get; private set; }

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

        /// <summary>uv's PackageName rule (uv-normalize): letters and digits at both ends, letters, digits, '.', '_' and '-' between.</summary>
        private static readonly System.Text.RegularExpressions.Regex ValidPackageName = new System.Text.RegularExpressions.Regex(
            "^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>The keys uv 0.12.5 accepts in uv.toml and [tool.uv] (uv-settings/src/settings.rs OptionsWire, deny_unknown_fields).</summary>
        internal static readonly string[] KnownFields =
        {
            "required-version",
            "system-certs",
            "native-tls",
            "offline",
            "no-cache",
            "cache-dir",
            "preview",
            "preview-features",
            "python-preference",
            "python-downloads",
            "concurrent-downloads",
            "concurrent-builds",
            "concurrent-installs",
            "index",
            "index-url",
            "extra-index-url",
            "no-index",
            "find-links",
            "index-strategy",
            "keyring-provider",
            "http-proxy",
            "https-proxy",
            "no-proxy",
            "allow-insecure-host",
            "resolution",
            "prerelease",
            "prerelease-package",
            "fork-strategy",
            "dependency-metadata",
            "config-settings",
            "config-settings-package",
            "no-build-isolation",
            "no-build-isolation-package",
            "extra-build-dependencies",
            "extra-build-variables",
            "exclude-newer",
            "exclude-newer-package",
            "link-mode",
            "compile-bytecode",
            "no-sources",
            "no-sources-package",
            "upgrade",
            "upgrade-package",
            "reinstall",
            "reinstall-package",
            "no-build",
            "no-build-package",
            "no-binary",
            "no-binary-package",
            "torch-backend",
            "python-install-mirror",
            "pypy-install-mirror",
            "python-downloads-json-url",
            "publish-url",
            "trusted-publishing",
            "check-url",
            "add-bounds",
            "audit",
            "pip",
            "cache-keys",
            "override-dependencies",
            "exclude-dependencies",
            "constraint-dependencies",
            "build-constraint-dependencies",
            "environments",
            "required-environments",
            "conflicts",
            "workspace",
            "sources",
            "managed",
            "package",
            "default-groups",
            "dependency-groups",
            "dev-dependencies",
            "build-backend",
        };

        /// <summary>
        /// Set for a pyproject.toml whose [tool.uv] has a key uv does not know: uv warns ("Failed to parse ... during settings
        /// discovery") and skips the file's settings, walking on to the parent folders (uv-settings/src/lib.rs).
        /// </summary>
        public string? SettingsProblem { get; private set; }

        private void CheckFields(TomlTableNode uv)
        {
            foreach (var entry in uv.Entries)
            {
                if (Array.IndexOf(KnownFields, entry.Key) >= 0)
                {
                    continue;
                }

                var node = entry.Value;
                var line = entry.KeyValue?.Span.Start.Line + 1 ?? node.Line;
                var column = entry.KeyValue?.Span.Start.Column + 1 ?? node.Column;
                if (line <= 0)
                {
                    // A table made by a dotted header ([tool.uv] makes "tool"): the first header under it.
                    foreach (var table in File.Document.Tables)
                    {
                        if (table.Name != null && TomlFile.KeyParts(table.Name)[0] == entry.Key)
                        {
                            line = table.Span.Start.Line + 1;
                            column = table.Span.Start.Column + 1;
                            break;
                        }
                    }
                }

                var expected = "unknown field `" + entry.Key + "`, expected one of " + string.Join(", ", KnownFields.Select(f => "`" + f + "`"));
                if (IsPyProject)
                {
                    SettingsProblem = Path + ":" + line + ":" + column + ": uv warns \"Failed to parse `pyproject.toml` during settings discovery\": [tool.uv] " + expected
                        + ". uv then ignores this file's [tool.uv] settings and looks in the parent folders.";
                    continue;
                }

                var hint = entry.Key == "tool" || entry.Key == "project"
                    ? ". A uv.toml holds uv's settings at its top level (index-url, [[index]], ...), without [tool.uv]; [" + entry.Key + "] belongs in a pyproject.toml: is this a pyproject.toml saved as uv.toml?"
                    : "";
                throw new IndexConfigurationException(
                    Path + ":" + line + ":" + column + ": uv refuses this file: Failed to parse: `" + System.IO.Path.GetFileName(Path) + "`: " + expected + hint,
                    Path,
                    line,
                    column,
                    entry.Key)
                { Kind = ErrorKind.UnknownConfigField };
            }
        }

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
            CheckFields(uv);
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
                    throw Error(ErrorKind.InvalidIndexStrategy, strategy, "unknown index-strategy '" + text + "' (expected first-index, unsafe-first-match or unsafe-best-match)");
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
                    throw Error(ErrorKind.InvalidConfigValue, excludeNewerPackage, "exclude-newer-package must be a table of package = cutoff", excludeNewerPackage.Text);
                }

                foreach (var entry in packages.Entries)
                {
                    ExcludeNewerPackage[PackageName.Normalize(entry.Key)] = ReadExcludeNewer(entry.Value, "exclude-newer-package." + entry.Key, scalarLabel + "exclude-newer-package." + entry.Key);
                }
            }

            if (uv.Get("prerelease") is TomlNode prerelease)
            {
                Prerelease = ReadChoice<PrereleaseMode>(prerelease, "prerelease", scalarLabel, SelectionValues.TryParsePrerelease, "disallow, allow, if-necessary, explicit or if-necessary-or-explicit");
            }

            if (uv.Get("prerelease-package") is TomlNode prereleasePackage)
            {
                // uv 0.12.1 (#20837): a table of package = mode; names are uv's PackageName (validated, normalized).
                if (!(prereleasePackage is TomlTableNode packages))
                {
                    throw Error(ErrorKind.InvalidConfigValue, prereleasePackage, "prerelease-package must be a table of package = mode (e.g. prerelease-package = { numpy = \"allow\" })", prereleasePackage.Text);
                }

                foreach (var entry in packages.Entries)
                {
                    if (!ValidPackageName.IsMatch(entry.Key))
                    {
                        throw Error(ErrorKind.InvalidConfigValue, entry.Value, "prerelease-package: '" + entry.Key + "' is not a valid package name", entry.Key);
                    }

                    var text = RequireString(entry.Value, "prerelease-package." + entry.Key);
                    if (!SelectionValues.TryParsePrerelease(text, out var mode) || text.Trim() != text)
                    {
                        throw Error(ErrorKind.InvalidConfigValue, entry.Value, "unknown prerelease-package mode '" + text + "' for '" + entry.Key + "' (expected disallow, allow, if-necessary, explicit or if-necessary-or-explicit)");
                    }

                    // Two spellings of one name (Numpy, numpy): the later one, as serde fills uv's map.
                    PrereleasePackage[PackageName.Normalize(entry.Key)] = new SettingValue<PrereleaseMode>(mode, text, FileSource(scalarLabel + "prerelease-package." + entry.Key, entry.Value).Detail);
                }
            }

            if (uv.Get("resolution") is TomlNode resolution)
            {
                Resolution = ReadChoice<ResolutionMode>(resolution, "resolution", scalarLabel, SelectionValues.TryParseResolution, "highest, lowest or lowest-direct");
            }

            if (uv.Get("keyring-provider") is TomlNode keyring)
            {
                var text = RequireString(keyring, "keyring-provider");
                if (text != "disabled" && text != "subprocess")
                {
                    throw Error(ErrorKind.InvalidKeyringProvider, keyring, "unknown keyring-provider '" + text + "' (expected disabled or subprocess)");
                }

                KeyringProvider = new Sourced<string>(text, FileSource(scalarLabel + "keyring-provider", keyring));
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
                        throw Error(ErrorKind.InvalidConfigValue, entry.Value, "Failed to parse: `uv.toml`. The `" + key + "` field is not allowed in a `uv.toml` file. `" + key + "` is only applicable in the context of a project, and should be placed in a `pyproject.toml` file instead.", entry.Key);
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
                    throw Error(ErrorKind.InvalidConfigValue, item, "each index must be a table", item.Text);
                }

                var index = ParseIndex(table);
                if (index.Name != null && !seenNames.Add(index.Name))
                {
                    // uv-workspace/src/pyproject.rs deserialize_index_vec: duplicate names are an error in pyproject.toml.
                    if (IsPyProject)
                    {
                        throw Error(ErrorKind.DuplicateIndexName, table.Get("name") ?? table, "duplicate index name '" + index.Name + "'", index.Name);
                    }

                    Warnings.Add(Path + ": index name '" + index.Name + "' is defined more than once; the first definition wins.");
                }

                if (index.IsDefault)
                {
                    if (seenDefault && IsPyProject)
                    {
                        throw Error(ErrorKind.MultipleDefaultIndexes, table.Get("default") ?? table, "found multiple indexes with default = true; only one index may be marked as default", "true");
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
                    throw Error(ErrorKind.InvalidIndexName, nameNode, "invalid index name '" + name + "' (use ASCII letters, digits, '-', '_' and '.')", name);
                }
            }

            var urlNode = table.Get("url");
            if (urlNode is null)
            {
                throw Error(ErrorKind.InvalidConfigValue, table, "index " + (name is null ? "" : "'" + name + "' ") + "has no 'url'", name ?? "");
            }

            var url = ResolveLocation(RequireString(urlNode, "url"), Dir);
            var label = IndexTableLabel + (name is null ? " '" + UrlRedactor.Redact(url) + "'" : " '" + name + "'");
            // Built first (its constructor registers the URL's secret before any error can name the index), then one
            // field a key: each key's line below is the whole of reading it.
            var index = new IndexDefinition(name, url, FileSource(" " + label, table));
            if (table.Get("default") is TomlNode def)
            {
                index = index with { IsDefault = RequireBool(def, "default") };
            }

            if (table.Get("explicit") is TomlNode exp)
            {
                index = index with { IsExplicit = RequireBool(exp, "explicit") };
                if (index.IsExplicit && name is null)
                {
                    throw Error(ErrorKind.InvalidConfigValue, exp, "an index with explicit = true requires a name: " + UrlRedactor.Redact(url), "true");
                }
            }

            if (table.Get("format") is TomlNode format)
            {
                var text = RequireString(format, "format");
                index = index with
                {
                    Format = text == "simple" ? IndexFormat.Simple
                        : text == "flat" ? IndexFormat.Flat
                        : throw Error(ErrorKind.InvalidConfigValue, format, "unknown index format '" + text + "' (expected simple or flat)", text),
                };
            }

            if (table.Get("authenticate") is TomlNode auth)
            {
                var text = RequireString(auth, "authenticate");
                index = index with
                {
                    Authenticate = text == "auto" ? AuthenticatePolicy.Auto
                        : text == "always" ? AuthenticatePolicy.Always
                        : text == "never" ? AuthenticatePolicy.Never
                        : throw Error(ErrorKind.InvalidConfigValue, auth, "unknown authenticate policy '" + text + "' (expected auto, always or never)", text),
                };
            }

            if (table.Get("publish-url") is TomlNode publish)
            {
                index = index with { PublishUrl = RequireString(publish, "publish-url") };
            }

            if (table.Get("ignore-error-codes") is TomlNode codesNode)
            {
                if (!(codesNode is TomlArrayNode codes) || codes.IsTableArray)
                {
                    throw Error(ErrorKind.InvalidIgnoreErrorCode, codesNode, "ignore-error-codes must be an array of HTTP status codes", codesNode.Text);
                }

                var list = new List<int>();
                foreach (var code in codes.Items)
                {
                    // uv's parser: a u16 that http's StatusCode::from_u16 takes (100 to 999).
                    if (!(code is TomlScalar { Value: long value }) || !StatusCodePolicy.IsValidStatusCode(value))
                    {
                        throw Error(ErrorKind.InvalidIgnoreErrorCode, code, code.Text + " is not a valid HTTP status code (" + StatusCodePolicy.MinStatusCode + "-" + StatusCodePolicy.MaxStatusCode + ")", code.Text);
                    }

                    list.Add((int)value);
                }

                index = index with { IgnoreErrorCodes = list, IgnoreErrorCodesSource = FileSource(" " + label + " ignore-error-codes", codesNode) };
            }

            if (table.Get("exclude-newer") is TomlNode indexExcludeNewer)
            {
                index = index with { ExcludeNewer = ReadExcludeNewer(indexExcludeNewer, "exclude-newer", " " + label + " exclude-newer") };
            }

            if (table.Get("cache-control") is TomlNode cacheNode)
            {
                if (!(cacheNode is TomlTableNode cache))
                {
                    throw Error(ErrorKind.InvalidConfigValue, cacheNode, "cache-control must be a table with 'api' and/or 'files'", cacheNode.Text);
                }

                if (cache.Get("api") is TomlNode api)
                {
                    index = index with { CacheControlApi = RequireHeaderValue(api, "cache-control.api") };
                }

                if (cache.Get("files") is TomlNode files)
                {
                    index = index with { CacheControlFiles = RequireHeaderValue(files, "cache-control.files") };
                }
            }

            // Other keys (hash-algorithm, exclude-newer, keys of newer uv versions) are tolerated, as uv's IndexWire does.
            return index;
        }

        /// <summary>The fields a source table may have (uv-workspace/src/pyproject.rs, Source's CatchAll, deny_unknown_fields).</summary>
        private static readonly string[] SourceFields =
        {
            "git", "subdirectory", "rev", "tag", "branch", "lfs", "url", "path", "editable", "package", "index", "workspace", "marker", "extra", "group",
        };

        private void ParseSources(TomlNode node)
        {
            if (!(node is TomlTableNode table))
            {
                throw Error(ErrorKind.InvalidConfigValue, node, "[tool.uv.sources] must be a table", node.Text);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in table.Entries)
            {
                var package = PackageName.Normalize(entry.Key);
                if (!seen.Add(package))
                {
                    throw Error(ErrorKind.InvalidSource, entry.Value, "duplicate sources for package `" + package + "`", entry.Key);
                }

                var entries = new List<SourceEntry>();
                if (entry.Value is TomlArrayNode array)
                {
                    if (array.Items.Count == 0)
                    {
                        throw Error(ErrorKind.InvalidSource, array, "Must provide at least one source", entry.Key);
                    }

                    foreach (var item in array.Items)
                    {
                        entries.Add(ParseSource(entry.Key, item));
                    }

                    CheckDisjoint(entry.Key, array, entries);
                }
                else
                {
                    entries.Add(ParseSource(entry.Key, entry.Value));
                }

                Sources.Add(new SourcePin(package, entries, Path, entry.Value.Line, entry.Value.Column));
            }
        }

        /// <summary>One source table, refused as uv's Source deserializer refuses it (same wording).</summary>
        private SourceEntry ParseSource(string package, TomlNode node)
        {
            if (!(node is TomlTableNode source))
            {
                throw Error(ErrorKind.InvalidSource, node, "invalid type: expected a single source (as a map) or list of sources", node.Text);
            }

            foreach (var field in source.Entries)
            {
                if (Array.IndexOf(SourceFields, field.Key) < 0)
                {
                    throw Error(ErrorKind.InvalidSource, field.Value, "unknown field `" + field.Key + "`, expected one of " + string.Join(", ", SourceFields.Select(f => "`" + f + "`")), field.Key);
                }
            }

            var extra = source.Get("extra") is TomlNode extraNode ? PackageName.Normalize(RequireString(extraNode, "extra")) : null;
            var group = source.Get("group") is TomlNode groupNode ? PackageName.Normalize(RequireString(groupNode, "group")) : null;
            if (extra != null && group != null)
            {
                throw Error(ErrorKind.InvalidSource, source, "cannot specify both `extra` and `group`", package);
            }

            Marker? marker = null;
            if (source.Get("marker") is TomlNode markerNode)
            {
                var text = RequireString(markerNode, "marker");
                if (!Marker.TryParse(text, out marker, out var problem))
                {
                    throw Error(ErrorKind.InvalidSource, markerNode, problem ?? "invalid marker", text);
                }

                // An empty marker is uv's MarkerTree::TRUE (the entry always applies).
                if (text.Trim().Length == 0)
                {
                    marker = null;
                }
            }

            var kinds = new[] { "git", "url", "path", "index", "workspace" }.Where(k => source.Get(k) != null).ToList();
            if (kinds.Count == 0)
            {
                throw Error(ErrorKind.InvalidSource, source, "expected one of `git`, `url`, `path`, `index`, or `workspace`", package);
            }

            if (kinds.Count > 1)
            {
                throw Error(ErrorKind.InvalidSource, source.Get(kinds[1])!, "cannot specify both `" + kinds[0] + "` and `" + kinds[1] + "`", package);
            }

            string? index = null;
            if (kinds[0] == "index")
            {
                var indexNode = source.Get("index")!;
                index = RequireString(indexNode, "index");
                if (!ConfigValues.IsValidIndexName(index))
                {
                    throw Error(ErrorKind.InvalidIndexName, indexNode, "invalid index name '" + index + "' in [tool.uv.sources] " + package, index);
                }

                foreach (var other in new[] { "rev", "tag", "branch", "editable", "package" })
                {
                    if (source.Get(other) is TomlNode otherNode)
                    {
                        throw Error(ErrorKind.InvalidSource, otherNode, "cannot specify both `index` and `" + other + "`", package);
                    }
                }
            }

            var indexValue = source.Get("index");
            return new SourceEntry(kinds[0], index, marker, extra, group, FileSource(" [tool.uv.sources] " + package, source))
            {
                IndexPosition = indexValue is null ? (source.Line, source.Column) : (indexValue.Line, indexValue.Column),
            };
        }

        /// <summary>uv's Sources::try_from: neighbouring entries for the same extra and group must have disjoint markers.</summary>
        private void CheckDisjoint(string package, TomlArrayNode array, List<SourceEntry> entries)
        {
            for (var i = 0; i + 1 < entries.Count; i++)
            {
                var left = entries[i];
                var right = entries[i + 1];
                if (left.Extra != right.Extra || left.Group != right.Group)
                {
                    continue;
                }

                if (left.Marker is null || right.Marker is null)
                {
                    throw Error(ErrorKind.InvalidSource, array.Items[i + 1], "When multiple sources are provided, each source must include a platform marker (e.g., `marker = \"sys_platform == 'linux'\"`)", package);
                }

                if (!left.Marker.IsDisjoint(right.Marker))
                {
                    var hint = left.Marker.Negate().And(right.Marker);
                    throw Error(ErrorKind.InvalidSource, array.Items[i + 1],
                        "Source markers must be disjoint, but the following markers overlap: `" + left.Marker + "` and `" + right.Marker + "`. hint: replace `" + right.Marker + "` with `" + hint + "`",
                        package);
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
                    throw Error(ErrorKind.InvalidConfigValue, node, key + " takes a date, a timestamp, a duration or false, not true");
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
                throw Error(ErrorKind.InvalidConfigValue, node, e.Message, text);
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
                    throw Error(ErrorKind.InvalidConfigValue, node, key + " must be a valid HTTP header value", text);
                }
            }

            return text;
        }

        private delegate bool ParseChoice<T>(string text, out T value);

        /// <summary>
        /// A string setting with a closed set of values (prerelease, resolution): the parsed value with its text and file:line,
        /// or InvalidConfigValue naming the values uv accepts (<paramref name="expected"/>).
        /// </summary>
        private SettingValue<T> ReadChoice<T>(TomlNode node, string key, string scalarLabel, ParseChoice<T> parse, string expected)
        {
            var text = RequireString(node, key);
            if (!parse(text, out var value))
            {
                throw Error(ErrorKind.InvalidConfigValue, node, "unknown " + key + " '" + text + "' (expected " + expected + ")");
            }

            return new SettingValue<T>(value, text, FileSource(scalarLabel + key, node).Detail);
        }

        private string RequireString(TomlNode node, string key)
        {
            if (node is TomlScalar { Value: string text })
            {
                return text;
            }

            throw Error(ErrorKind.InvalidConfigValue, node, key + " must be a string", node.Text);
        }

        private bool RequireBool(TomlNode node, string key)
        {
            if (node is TomlScalar { Value: bool value })
            {
                return value;
            }

            throw Error(ErrorKind.InvalidConfigValue, node, key + " must be true or false", node.Text);
        }

        private TomlArrayNode RequireArray(TomlNode node, string key)
        {
            if (node is TomlArrayNode array)
            {
                return array;
            }

            throw Error(ErrorKind.InvalidConfigValue, node, key + " must be an array", node.Text);
        }

        private IndexConfigurationException Error(ErrorKind kind, TomlNode node, string problem, string? value = null)
        {
            var shown = value ?? node.Text;
            return new IndexConfigurationException(
                Path + ":" + node.Line + ":" + node.Column + ": " + problem + " (value: " + UrlRedactor.Redact(shown) + ")",
                Path,
                node.Line,
                node.Column)
            { Kind = kind };
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
