using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Config
{
    /// <summary>Discovers uv's configuration and merges it with uv's precedence into the settings the search runs on.</summary>
    public static class ConfigurationLoader
    {
        /// <summary>PyPI, the implicit default index.</summary>
        public const string PyPiUrl = "https://pypi.org/simple";

        /// <summary>Throws <see cref="IndexConfigurationException"/> (naming file, line, column, value) for invalid configuration.</summary>
        public static IndexSettings Load(ConfigurationRequest request, EngineEnvironment environment)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            var discovery = Discover(request, environment);
            return Merge(request, environment, discovery);
        }

        /// <summary>Index names defined in the configuration seen from <paramref name="startPath"/> (for tab completion; never throws, never touches the network).</summary>
        public static IReadOnlyList<string> ListIndexNames(string startPath, EngineEnvironment environment)
        {
            var names = new List<string>();
            try
            {
                var discovery = Discover(new ConfigurationRequest { StartPath = startPath }, environment);
                foreach (var file in discovery.Files.Concat(discovery.SourceFiles))
                {
                    foreach (var index in file.Indexes)
                    {
                        if (index.Name != null && !names.Contains(index.Name, StringComparer.Ordinal))
                        {
                            names.Add(index.Name);
                        }
                    }
                }
            }
            catch (Exception)
            {
                // Completion must never fail: a broken file simply offers no names.
            }

            return names;
        }

        /// <summary>The start folder: <paramref name="startPath"/> made absolute against the environment's current folder (a file's folder for a file).</summary>
        internal static string StartDirectory(string startPath, EngineEnvironment environment)
        {
            var full = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, string.IsNullOrEmpty(startPath) ? "." : startPath));
            if (File.Exists(full))
            {
                full = Path.GetDirectoryName(full) ?? full;
            }

            return full;
        }

        /// <summary>
        /// The settings uv would see if <paramref name="path"/> held <paramref name="content"/> instead of what is on disk
        /// (a planned edit, checked before it is written). A file discovery does not see (a user uv.toml not yet created, a
        /// file given by path) takes its place in its layer: the user file after the project, another file alone.
        /// </summary>
        internal static IndexSettings LoadWith(ConfigurationRequest request, EngineEnvironment environment, string path, byte[]? content)
        {
            var full = Path.GetFullPath(path);
            var discovery = Discover(request, environment);
            var isPyProject = string.Equals(Path.GetFileName(full), "pyproject.toml", StringComparison.OrdinalIgnoreCase);
            var user = UserConfigPath(environment);
            var isUser = user != null && string.Equals(Path.GetFullPath(user), full, StringComparison.Ordinal);
            var known = discovery.Files.Concat(discovery.SourceFiles).Any(f => string.Equals(f.Path, full, StringComparison.Ordinal));
            if (!known && !isUser)
            {
                discovery = new Discovery();
            }

            ConfigFileSettings? replacement = null;
            if (content != null)
            {
                var origin = isUser ? ConfigOrigin.User : discovery.Files.FirstOrDefault(f => string.Equals(f.Path, full, StringComparison.Ordinal))?.Origin ?? ConfigOrigin.ConfigFile;
                replacement = ConfigFileSettings.From(TomlFile.Parse(full, content), isPyProject, origin);
            }

            void Replace(List<ConfigFileSettings> list)
            {
                var at = list.FindIndex(f => string.Equals(f.Path, full, StringComparison.Ordinal));
                if (at >= 0)
                {
                    if (replacement is null)
                    {
                        list.RemoveAt(at);
                    }
                    else
                    {
                        list[at] = replacement;
                    }
                }
            }

            var wasInFiles = discovery.Files.Any(f => string.Equals(f.Path, full, StringComparison.Ordinal));
            Replace(discovery.Files);
            Replace(discovery.SourceFiles);
            if (!wasInFiles && replacement != null && (isUser ? request.ConfigFile is null && !request.NoConfig : !known))
            {
                var position = isUser ? discovery.Files.Count(f => f.Origin == ConfigOrigin.Project) : discovery.Files.Count;
                discovery.Files.Insert(position, replacement);
            }

            if (discovery.Project != null && string.Equals(discovery.Project.Path, full, StringComparison.Ordinal))
            {
                discovery.Project = replacement;
            }

            return Merge(request, environment, discovery);
        }

        internal sealed class Discovery
        {
            /// <summary>Files whose settings apply, project first, then user, then system (or the one --config-file).</summary>
            public List<ConfigFileSettings> Files { get; } = new List<ConfigFileSettings>();

            /// <summary>pyproject.toml files whose <c>[tool.uv.sources]</c> and indexes pin packages (member first, then workspace root).</summary>
            public List<ConfigFileSettings> SourceFiles { get; } = new List<ConfigFileSettings>();

            public ConfigFileSettings? Project { get; set; }

            public string? WorkspaceRoot { get; set; }

            public List<string> Warnings { get; } = new List<string>();

            /// <summary>The folder every file setting's provenance is shown relative to: the workspace root, else the project's folder.</summary>
            public ProvenanceBase Base { get; } = new ProvenanceBase();
        }

        internal static Discovery Discover(ConfigurationRequest request, EngineEnvironment environment)
        {
            var result = new Discovery();
            var start = StartDirectory(request.StartPath, environment);

            // Workspace discovery (uv-workspace/src/workspace.rs Workspace::discover / find_workspace).
            var member = FindWorkspace(start, result.Base, out var root);
            if (member != null)
            {
                result.SourceFiles.Add(member);
                if (root != null && !ReferenceEquals(root, member))
                {
                    result.SourceFiles.Add(root);
                }
            }

            result.WorkspaceRoot = root != null ? Path.GetDirectoryName(root.Path) : null;
            result.Base.Directory = result.WorkspaceRoot ?? (member != null ? Path.GetDirectoryName(member.Path) : null);

            var configFile = request.ConfigFile ?? environment.Get("UV_CONFIG_FILE");
            var noConfig = request.NoConfig || ConfigValues.ParseBoolish(environment.Get("UV_NO_CONFIG")) == true;
            if (configFile != null)
            {
                var path = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, configFile));
                if (string.Equals(Path.GetFileName(path), "pyproject.toml", StringComparison.OrdinalIgnoreCase))
                {
                    result.Warnings.Add("The config file " + path + " should be a uv.toml file, not a pyproject.toml (uv reads it as uv.toml).");
                }

                if (!File.Exists(path))
                {
                    throw new IndexConfigurationException("The configuration file " + path + " does not exist.", path) { Kind = ErrorKind.ConfigFileNotFound };
                }

                result.Files.Add(ConfigFileSettings.Read(path, false, ConfigOrigin.ConfigFile, result.Base));
                return result;
            }

            if (noConfig)
            {
                return result;
            }

            // FilesystemOptions::find starts at the workspace root when there is a workspace.
            var project = FindProjectSettings(result.WorkspaceRoot ?? start, result.Warnings, result.Base);
            if (project != null)
            {
                result.Project = project;
                result.Files.Add(project);
                result.Base.Directory ??= Path.GetDirectoryName(project.Path);
            }

            var user = UserConfigPath(environment);
            if (user != null && File.Exists(user))
            {
                result.Files.Add(ConfigFileSettings.Read(user, false, ConfigOrigin.User, result.Base));
            }

            if (ConfigValues.ParseBoolish(environment.Get("UV_NO_SYSTEM_CONFIG")) != true)
            {
                var system = SystemConfigPath(environment);
                if (system != null)
                {
                    result.Files.Add(ConfigFileSettings.Read(system, false, ConfigOrigin.System, result.Base));
                }
            }

            return result;
        }

        /// <summary>uv's user configuration file: <c>$XDG_CONFIG_HOME/uv/uv.toml</c> or <c>~/.config/uv/uv.toml</c>; <c>%APPDATA%\uv\uv.toml</c> on Windows.</summary>
        public static string? UserConfigPath(EngineEnvironment environment)
        {
            string? dir;
            if (environment.IsWindows)
            {
                dir = environment.Get("APPDATA") ?? (string.IsNullOrEmpty(environment.HomeDirectory) ? null : Path.Combine(environment.HomeDirectory, "AppData", "Roaming"));
            }
            else
            {
                var xdg = environment.Get("XDG_CONFIG_HOME");
                dir = xdg != null && Path.IsPathRooted(xdg) ? xdg
                    : string.IsNullOrEmpty(environment.HomeDirectory) ? null : Path.Combine(environment.HomeDirectory, ".config");
            }

            return dir is null ? null : Path.Combine(dir, "uv", "uv.toml");
        }

        /// <summary>uv's system configuration file, when one exists: the first <c>$XDG_CONFIG_DIRS/uv/uv.toml</c> (default /etc/xdg), else <c>/etc/uv/uv.toml</c>; <c>%SYSTEMDRIVE%\ProgramData\uv\uv.toml</c> on Windows.</summary>
        public static string? SystemConfigPath(EngineEnvironment environment)
        {
            if (environment.IsWindows)
            {
                var drive = environment.Get("SYSTEMDRIVE");
                var programData = drive != null ? Path.Combine(drive + "\\", "ProgramData") : environment.Get("PROGRAMDATA");
                if (programData is null)
                {
                    return null;
                }

                var candidate = Path.Combine(programData, "uv", "uv.toml");
                return File.Exists(candidate) ? candidate : null;
            }

            var dirs = environment.Get("XDG_CONFIG_DIRS") ?? "/etc/xdg";
            foreach (var dir in dirs.Split(':'))
            {
                if (dir.Length == 0)
                {
                    break;
                }

                var candidate = Path.Combine(dir, "uv", "uv.toml");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return File.Exists("/etc/uv/uv.toml") ? "/etc/uv/uv.toml" : null;
        }

        /// <summary>
        /// The nearest pyproject.toml (the project) and the workspace root's pyproject.toml (the project itself when it is
        /// the root or not in a workspace). Null when no pyproject.toml is found or the project is not a uv project.
        /// </summary>
        private static ConfigFileSettings? FindWorkspace(string start, ProvenanceBase relativeTo, out ConfigFileSettings? root)
        {
            root = null;
            string? projectDir = null;
            for (var dir = start; dir != null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "pyproject.toml")))
                {
                    projectDir = dir;
                    break;
                }
            }

            if (projectDir is null)
            {
                return null;
            }

            var project = ConfigFileSettings.Read(Path.Combine(projectDir, "pyproject.toml"), true, ConfigOrigin.Project, relativeTo);
            if (project.IsUnmanaged)
            {
                return null;
            }

            if (project.WorkspaceMembers != null)
            {
                root = project;
                return project;
            }

            if (!project.HasProjectTable)
            {
                return null;
            }

            root = project;
            for (var dir = Path.GetDirectoryName(projectDir); dir != null; dir = Path.GetDirectoryName(dir))
            {
                var candidate = Path.Combine(dir, "pyproject.toml");
                if (!File.Exists(candidate))
                {
                    continue;
                }

                var parent = ConfigFileSettings.Read(candidate, true, ConfigOrigin.Project, relativeTo);
                if (parent.WorkspaceMembers != null
                    && Matches(parent.WorkspaceMembers, dir, projectDir)
                    && !Matches(parent.WorkspaceExclude, dir, projectDir))
                {
                    root = parent;
                }

                break;
            }

            return project;
        }

        private static bool Matches(IEnumerable<string> globs, string rootDir, string projectDir)
        {
            var relative = projectDir.Substring(rootDir.Length).TrimStart(Path.DirectorySeparatorChar, '/').Replace('\\', '/');
            foreach (var glob in globs)
            {
                var pattern = glob.Replace('\\', '/');
                while (pattern.StartsWith("./", StringComparison.Ordinal))
                {
                    pattern = pattern.Substring(2);
                }

                if (Regex.IsMatch(relative, GlobToRegex(pattern.TrimEnd('/'))))
                {
                    return true;
                }
            }

            return false;
        }

        private static string GlobToRegex(string glob)
        {
            var builder = new StringBuilder("^");
            for (var i = 0; i < glob.Length; i++)
            {
                var c = glob[i];
                if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
                {
                    builder.Append(".*");
                    i++;
                }
                else if (c == '*')
                {
                    builder.Append("[^/]*");
                }
                else if (c == '?')
                {
                    builder.Append("[^/]");
                }
                else
                {
                    builder.Append(Regex.Escape(c.ToString()));
                }
            }

            return builder.Append('$').ToString();
        }

        /// <summary>uv's FilesystemOptions::find: the nearest uv.toml, or pyproject.toml with [tool.uv], walking up.</summary>
        private static ConfigFileSettings? FindProjectSettings(string start, List<string> warnings, ProvenanceBase relativeTo)
        {
            for (var dir = start; dir != null; dir = Path.GetDirectoryName(dir))
            {
                var uvToml = Path.Combine(dir, "uv.toml");
                var pyproject = Path.Combine(dir, "pyproject.toml");
                if (File.Exists(uvToml))
                {
                    var settings = ConfigFileSettings.Read(uvToml, false, ConfigOrigin.Project, relativeTo);
                    if (File.Exists(pyproject))
                    {
                        try
                        {
                            if (ConfigFileSettings.Read(pyproject, true, ConfigOrigin.Project).HasUvTable)
                            {
                                warnings.Add(uvToml + " takes precedence over the [tool.uv] table of " + pyproject + ", whose settings are ignored.");
                            }
                        }
                        catch (IndexConfigurationException)
                        {
                            // uv only reads the pyproject.toml here to warn; a broken one changes nothing.
                        }
                    }

                    return settings;
                }

                if (File.Exists(pyproject))
                {
                    var settings = ConfigFileSettings.Read(pyproject, true, ConfigOrigin.Project, relativeTo);
                    if (settings.SettingsProblem != null)
                    {
                        warnings.Add(settings.SettingsProblem);
                        continue;
                    }

                    if (settings.HasUvTable)
                    {
                        return settings;
                    }
                }
            }

            return null;
        }

        private static IndexSettings Merge(ConfigurationRequest request, EngineEnvironment environment, Discovery discovery)
        {
            var warnings = new List<string>(discovery.Warnings);
            foreach (var file in discovery.Files.Concat(discovery.SourceFiles).Distinct())
            {
                warnings.AddRange(file.Warnings);
            }

            var configured = discovery.Files.SelectMany(f => f.Indexes).ToList();
            var cwd = environment.CurrentDirectory;

            // Caller-given indexes: --default-index first, then --index (uv-cli/src/options.rs IndexArgs::resolve).
            var cli = new List<IndexDefinition>();
            string? defaultArg;
            Provenance defaultSource;
            if (request.DefaultIndex != null)
            {
                defaultArg = request.DefaultIndex;
                defaultSource = Provenance.FromParameter("DefaultIndex");
            }
            else
            {
                defaultArg = environment.Get("UV_DEFAULT_INDEX");
                defaultSource = Provenance.FromEnvironment("UV_DEFAULT_INDEX");
            }

            if (defaultArg != null)
            {
                cli.Add(ParseIndexArgument(defaultArg, true, defaultSource, configured, cwd, warnings));
            }

            if (request.Indexes.Count > 0)
            {
                foreach (var value in request.Indexes)
                {
                    cli.Add(ParseIndexArgument(value, false, Provenance.FromParameter("Index"), configured, cwd, warnings));
                }
            }
            else if (environment.Get("UV_INDEX") is string uvIndex)
            {
                foreach (var value in uvIndex.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    cli.Add(ParseIndexArgument(value, false, Provenance.FromEnvironment("UV_INDEX"), configured, cwd, warnings));
                }
            }

            // Order (uv-settings/src/settings.rs From<IndexOptions> for IndexLocations): index (caller, then files),
            // then extra-index-url (caller, then files), then index-url (caller over files).
            var all = new List<IndexDefinition>(cli);
            all.AddRange(configured);
            if (environment.Get("UV_EXTRA_INDEX_URL") is string extra)
            {
                foreach (var url in extra.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    all.Add(new IndexDefinition(null, ConfigFileSettings.ResolveLocation(url, cwd), Provenance.FromEnvironment("UV_EXTRA_INDEX_URL")));
                }
            }

            foreach (var file in discovery.Files)
            {
                foreach (var url in file.ExtraIndexUrls)
                {
                    all.Add(new IndexDefinition(null, url.Value, url.Source));
                }
            }

            var indexUrl = environment.Get("UV_INDEX_URL") is string envIndexUrl
                ? new Sourced<string>(ConfigFileSettings.ResolveLocation(envIndexUrl, cwd), Provenance.FromEnvironment("UV_INDEX_URL"))
                : discovery.Files.Select(f => f.IndexUrl).FirstOrDefault(u => u != null);
            if (indexUrl != null)
            {
                all.Add(new IndexDefinition(null, indexUrl.Value, indexUrl.Source) { IsDefault = true });
            }

            // configured_indexes(): the first index of a name wins; the first default wins (uv-distribution-types/src/index_url.rs).
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var ordered = new List<IndexDefinition>();
            IndexDefinition? defaultIndex = null;
            foreach (var index in all)
            {
                if (index.Name != null && !seen.Add(index.Name))
                {
                    warnings.Add("Index '" + index.Name + "' from " + index.Source.Description + " is shadowed by the earlier index of the same name.");
                    continue;
                }

                if (index.IsDefault)
                {
                    if (defaultIndex != null)
                    {
                        warnings.Add("Index '" + index.DisplayName + "' from " + index.Source.Description + " is marked default, but '" + defaultIndex.DisplayName + "' is the default; uv does not search it.");
                        continue;
                    }

                    defaultIndex = index;
                    continue;
                }

                ordered.Add(index);
            }

            // Packages pinned to an index by [tool.uv.sources]; the index is looked up among caller-given indexes,
            // then the project's, then the workspace root's (uv-distribution/src/metadata/lowering.rs). A list with
            // extras, groups or markers is kept whole: which entry applies depends on the requirement and the target.
            var pinned = new Dictionary<string, string>(StringComparer.Ordinal);
            var conditional = new Dictionary<string, PackageSources>(StringComparer.Ordinal);
            var pinnedSeen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in discovery.SourceFiles)
            {
                foreach (var pin in file.Sources)
                {
                    if (!pinnedSeen.Add(pin.Package))
                    {
                        continue; // A member's own source overrides the workspace root's.
                    }

                    foreach (var entry in pin.Entries.Where(e => e.Index != null))
                    {
                        var name = entry.Index!;
                        var target = cli.FirstOrDefault(i => i.Name == name)
                            ?? discovery.SourceFiles.SelectMany(f => f.Indexes).FirstOrDefault(i => i.Name == name);
                        if (target is null)
                        {
                            var (line, column) = entry.IndexPosition;
                            throw new IndexConfigurationException(
                                pin.FilePath + ":" + line + ":" + column + ": package '" + pin.Package + "' references an undeclared index '" + name + "' (value: " + name + ")",
                                pin.FilePath,
                                line,
                                column,
                                name)
                            { Kind = ErrorKind.UnknownSourceIndex };
                        }

                        // An index that the search list lacks (uv.toml masks pyproject.toml, --config-file, --no-config)
                        // is still used for the packages pinned to it.
                        if (!ordered.Concat(defaultIndex is null ? Enumerable.Empty<IndexDefinition>() : new[] { defaultIndex }).Any(i => i.Name == target.Name))
                        {
                            ordered.Add(target.AsPinnedTarget());
                        }
                    }

                    if (pin.IsUnconditionalIndex)
                    {
                        pinned[pin.Package] = pin.Entries[0].Index!;
                    }
                    else if (pin.Entries.Any(e => e.Index != null))
                    {
                        conditional[pin.Package] = new PackageSources(pin.Package, pin.Entries, pin.FilePath);
                    }
                }
            }

            // find-links: --find-links (or UV_FIND_LINKS), then the files' find-links. They are not part of the ordered
            // index list: uv merges their files with whatever the index search finds (uv-resolver provider.rs).
            var findLinks = new List<IndexDefinition>();
            if (request.FindLinks.Count > 0)
            {
                foreach (var link in request.FindLinks)
                {
                    findLinks.Add(Flat(ConfigFileSettings.ResolveLocation(link, cwd), Provenance.FromParameter("FindLinks")));
                }
            }
            else if (environment.Get("UV_FIND_LINKS") is string envLinks)
            {
                foreach (var link in envLinks.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    findLinks.Add(Flat(ConfigFileSettings.ResolveLocation(link.Trim(), cwd), Provenance.FromEnvironment("UV_FIND_LINKS")));
                }
            }

            foreach (var file in discovery.Files)
            {
                foreach (var link in file.FindLinks)
                {
                    findLinks.Add(Flat(link.Value, link.Source));
                }
            }

            ordered.Add(defaultIndex ?? new IndexDefinition(null, PyPiUrl, Provenance.Default) { IsDefault = true });

            // Scalars: parameter, then environment, then the first file (project, user, system).
            IndexStrategy strategy = IndexStrategy.FirstIndex;
            var strategySource = Provenance.Default;
            if (request.Strategy is IndexStrategy requested)
            {
                strategy = requested;
                strategySource = Provenance.FromParameter("IndexStrategy");
            }
            else if (environment.Get("UV_INDEX_STRATEGY") is string envStrategy)
            {
                if (!ConfigValues.TryParseStrategy(envStrategy.Trim(), out strategy))
                {
                    throw new IndexConfigurationException("UV_INDEX_STRATEGY: unknown index strategy '" + envStrategy + "' (expected first-index, unsafe-first-match or unsafe-best-match)") { Kind = ErrorKind.InvalidIndexStrategy };
                }

                strategySource = Provenance.FromEnvironment("UV_INDEX_STRATEGY");
            }
            else if (discovery.Files.Select(f => f.Strategy).FirstOrDefault(s => s != null) is Sourced<IndexStrategy> fileStrategy)
            {
                strategy = fileStrategy.Value;
                strategySource = fileStrategy.Source;
            }

            bool noIndex;
            if (request.NoIndex is bool requestedNoIndex)
            {
                noIndex = requestedNoIndex;
            }
            else if (ConfigValues.ParseBoolish(environment.Get("UV_NO_INDEX")) is bool envNoIndex)
            {
                noIndex = envNoIndex;
            }
            else
            {
                noIndex = discovery.Files.Select(f => f.NoIndex).FirstOrDefault(n => n != null)?.Value ?? false;
            }

            var selection = Selection(discovery.Files, environment);
            foreach (var deprecated in new[] { selection.Prerelease }.Concat(selection.PrereleasePackage.Values).Where(m => m != null && m.Value == PrereleaseMode.IfNecessaryOrExplicit))
            {
                // uv 0.12 (settings.rs warn_if_deprecated_prerelease_mode) warns and reads it as if-necessary.
                warnings.Add("The `if-necessary-or-explicit` pre-release mode is deprecated and will be removed in a future release. Use `if-necessary` instead. (" + deprecated!.Source + ")");
            }

            // keyring-provider: UV_KEYRING_PROVIDER over the first file that sets it (uv's clap env over its settings).
            var keyringProvider = "disabled";
            var keyringSource = Provenance.Default;
            if (environment.Get("UV_KEYRING_PROVIDER") is string envKeyring)
            {
                var value = envKeyring.Trim().ToLowerInvariant();
                if (value != "disabled" && value != "subprocess")
                {
                    throw new IndexConfigurationException("UV_KEYRING_PROVIDER: unknown keyring provider '" + envKeyring + "' (expected disabled or subprocess)") { Kind = ErrorKind.InvalidKeyringProvider };
                }

                keyringProvider = value;
                keyringSource = Provenance.FromEnvironment("UV_KEYRING_PROVIDER");
            }
            else if (discovery.Files.Select(f => f.KeyringProvider).FirstOrDefault(k => k != null) is Sourced<string> fileKeyring)
            {
                keyringProvider = fileKeyring.Value;
                keyringSource = fileKeyring.Source;
            }

            var configFiles = discovery.Files.Select(f => f.Path).Concat(discovery.SourceFiles.Select(f => f.Path)).Distinct(StringComparer.Ordinal).ToList();
            var layers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in discovery.Files.Concat(discovery.SourceFiles))
            {
                if (!layers.ContainsKey(file.Path))
                {
                    layers[file.Path] = LayerName(file.Origin);
                }
            }

            return new IndexSettings(ordered, strategy, strategySource)
            {
                Definitions = all,
                FileLayers = layers,
                PinnedIndexes = pinned,
                ConditionalSources = conditional,
                FindLinks = findLinks,
                NoIndex = noIndex,
                Selection = selection,
                KeyringProvider = keyringProvider,
                KeyringProviderSource = keyringSource,
                ProjectFile = discovery.Project?.Path ?? discovery.SourceFiles.FirstOrDefault()?.Path,
                ConfigFiles = configFiles,
                Warnings = warnings,
            };
        }

        /// <summary>
        /// exclude-newer, prerelease and resolution: the environment (UV_EXCLUDE_NEWER, UV_PRERELEASE, UV_RESOLUTION, which uv
        /// reads as its command-line options) before the first file that sets each (project, user, system).
        /// </summary>
        private static SelectionPolicy Selection(IReadOnlyList<ConfigFileSettings> files, EngineEnvironment environment)
        {
            var policy = new SelectionPolicy();
            if (environment.Get("UV_EXCLUDE_NEWER") is string envCutoff && envCutoff.Trim().Length > 0)
            {
                DateTimeOffset? cutoff;
                try
                {
                    cutoff = SelectionValues.ParseExcludeNewer(envCutoff, DateTimeOffset.UtcNow);
                }
                catch (FormatException e)
                {
                    throw new IndexConfigurationException("UV_EXCLUDE_NEWER: " + e.Message) { Kind = ErrorKind.InvalidConfigValue };
                }

                policy.ExcludeNewer = cutoff is DateTimeOffset value ? new SettingValue<DateTimeOffset>(value, envCutoff.Trim(), "env: UV_EXCLUDE_NEWER") : null;
            }
            else if (files.Select(f => f.ExcludeNewer).FirstOrDefault(e => e != null) is SettingValue<DateTimeOffset?> fileCutoff && fileCutoff.Value is DateTimeOffset fileValue)
            {
                policy.ExcludeNewer = new SettingValue<DateTimeOffset>(fileValue, fileCutoff.Text, fileCutoff.Source);
            }

            var packages = new Dictionary<string, SettingValue<DateTimeOffset?>>(StringComparer.Ordinal);
            foreach (var file in files.Reverse())
            {
                foreach (var entry in file.ExcludeNewerPackage)
                {
                    packages[entry.Key] = entry.Value;
                }
            }

            policy.ExcludeNewerPackage = packages;

            policy.Prerelease = EnvironmentOrFirstFile<PrereleaseMode>(environment, "UV_PRERELEASE", SelectionValues.TryParsePrerelease,
                "prerelease", "disallow, allow, if-necessary, explicit or if-necessary-or-explicit", files.Select(f => f.Prerelease));
            policy.Resolution = EnvironmentOrFirstFile<ResolutionMode>(environment, "UV_RESOLUTION", SelectionValues.TryParseResolution,
                "resolution", "highest, lowest or lowest-direct", files.Select(f => f.Resolution));

            // prerelease-package (uv 0.12.1): no environment variable; the files' tables merge key by key, the first file
            // (project, user, system) that names a package deciding it (uv's Combine for PrereleasePackage).
            var prereleasePackages = new Dictionary<string, SettingValue<PrereleaseMode>>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                foreach (var entry in file.PrereleasePackage)
                {
                    if (!prereleasePackages.ContainsKey(entry.Key))
                    {
                        prereleasePackages[entry.Key] = entry.Value;
                    }
                }
            }

            policy.PrereleasePackage = prereleasePackages;

            return policy;
        }

        private delegate bool SettingParser<T>(string text, out T value);

        /// <summary>uv's precedence for a scalar selection setting: the environment variable when set (a value it does not
        /// know is an error naming the variable), else the first file (project, user, system) that sets it.</summary>
        private static SettingValue<T>? EnvironmentOrFirstFile<T>(EngineEnvironment environment, string variable, SettingParser<T> parse,
            string what, string expected, IEnumerable<SettingValue<T>?> fromFiles)
        {
            if (environment.Get(variable) is string text && text.Trim().Length > 0)
            {
                if (!parse(text, out var value))
                {
                    throw new IndexConfigurationException(variable + ": unknown " + what + " '" + text + "' (expected " + expected + ")") { Kind = ErrorKind.InvalidConfigValue };
                }

                return new SettingValue<T>(value, text.Trim(), "env: " + variable);
            }

            return fromFiles.FirstOrDefault(v => v != null);
        }

        private static string LayerName(ConfigOrigin origin)
        {
            switch (origin)
            {
                case ConfigOrigin.User: return "user";
                case ConfigOrigin.System: return "system";
                case ConfigOrigin.ConfigFile: return "config-file";
                default: return "project";
            }
        }

        private static IndexDefinition Flat(string location, Provenance source)
        {
            return new IndexDefinition(null, location, source) { Format = IndexFormat.Flat };
        }

        /// <summary>A caller-given index: a configured name, <c>name=url</c>, or a URL/path (uv-cli/src/lib.rs IndexArg).</summary>
        private static IndexDefinition ParseIndexArgument(string value, bool isDefault, Provenance source, List<IndexDefinition> configured, string cwd, List<string> warnings)
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
