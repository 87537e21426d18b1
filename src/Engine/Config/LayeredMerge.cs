using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Config
{
    /// <summary>
    /// The layered merge: the discovered files, the caller's parameters and the environment combined with uv's
    /// precedence into the settings the search runs on (uv-settings/src/settings.rs, uv-distribution-types/src/index_url.rs).
    /// Every scalar goes through <see cref="LayeredSetting"/>: parameter, then environment, then the first file.
    /// </summary>
    internal static class LayeredMerge
    {
        public static IndexSettings Merge(ConfigurationRequest request, EngineEnvironment environment, Discovery discovery)
        {
            var warnings = new List<string>(discovery.Warnings);
            foreach (var file in discovery.Files.Concat(discovery.SourceFiles).Distinct())
            {
                warnings.AddRange(file.Warnings);
            }

            var configured = discovery.Files.SelectMany(f => f.Indexes).ToList();
            var cwd = environment.CurrentDirectory;
            var cli = IndexArguments.FromCaller(request, environment, configured, warnings);

            // Order (uv-settings/src/settings.rs From<IndexOptions> for IndexLocations): index (caller, then files),
            // then extra-index-url (caller, then files), then index-url (caller over files).
            var all = new List<IndexDefinition>(cli);
            all.AddRange(configured);
            all.AddRange(IndexArguments.ExtraIndexUrls(environment));
            foreach (var file in discovery.Files)
            {
                foreach (var url in file.ExtraIndexUrls)
                {
                    all.Add(new IndexDefinition(null, url.Value, url.Source));
                }
            }

            var indexUrl = LayeredSetting.Resolve<Sourced<string>>(
                null,
                environment,
                "UV_INDEX_URL",
                text => new Sourced<string>(ConfigFileSettings.ResolveLocation(text, cwd), Provenance.FromEnvironment("UV_INDEX_URL")),
                discovery.Files.Select(f => f.IndexUrl));
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
            var findLinks = IndexArguments.FindLinks(request, environment).ToList();
            foreach (var file in discovery.Files)
            {
                foreach (var link in file.FindLinks)
                {
                    findLinks.Add(IndexArguments.Flat(link.Value, link.Source));
                }
            }

            ordered.Add(defaultIndex ?? new IndexDefinition(null, ConfigurationLoader.PyPiUrl, Provenance.Default) { IsDefault = true });

            var strategy = LayeredSetting.Resolve(
                LayeredSetting.FromParameter(request.Strategy, "IndexStrategy"),
                environment,
                "UV_INDEX_STRATEGY",
                text => new Sourced<IndexStrategy>(
                    LayeredSetting.Known<IndexStrategy>("UV_INDEX_STRATEGY", text, (string t, out IndexStrategy s) => ConfigValues.TryParseStrategy(t.Trim(), out s), "index strategy", "first-index, unsafe-first-match or unsafe-best-match", ErrorKind.InvalidIndexStrategy),
                    Provenance.FromEnvironment("UV_INDEX_STRATEGY")),
                discovery.Files.Select(f => f.Strategy));

            // A value UV_NO_INDEX does not read as a boolean says nothing: the files decide.
            var noIndex = LayeredSetting.Resolve(
                LayeredSetting.FromParameter(request.NoIndex, "NoIndex"),
                environment,
                "UV_NO_INDEX",
                text => ConfigValues.ParseBoolish(text) is bool value ? new Sourced<bool>(value, Provenance.FromEnvironment("UV_NO_INDEX")) : null,
                discovery.Files.Select(f => f.NoIndex));

            var selection = Selection(discovery.Files, environment);
            foreach (var deprecated in new[] { selection.Prerelease }.Concat(selection.PrereleasePackage.Values).Where(m => m != null && m.Value == PrereleaseMode.IfNecessaryOrExplicit))
            {
                // uv 0.12 (settings.rs warn_if_deprecated_prerelease_mode) warns and reads it as if-necessary.
                warnings.Add("The `if-necessary-or-explicit` pre-release mode is deprecated and will be removed in a future release. Use `if-necessary` instead. (" + deprecated!.Source + ")");
            }

            // keyring-provider: no parameter; UV_KEYRING_PROVIDER over the first file that sets it (uv's clap env over its settings).
            var keyring = LayeredSetting.Resolve<Sourced<string>>(
                null,
                environment,
                "UV_KEYRING_PROVIDER",
                text => new Sourced<string>(
                    LayeredSetting.Known<string>("UV_KEYRING_PROVIDER", text, ParseKeyringProvider, "keyring provider", "disabled or subprocess", ErrorKind.InvalidKeyringProvider),
                    Provenance.FromEnvironment("UV_KEYRING_PROVIDER")),
                discovery.Files.Select(f => f.KeyringProvider));

            var configFiles = discovery.Files.Select(f => f.Path).Concat(discovery.SourceFiles.Select(f => f.Path)).Distinct(StringComparer.Ordinal).ToList();
            var layers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in discovery.Files.Concat(discovery.SourceFiles))
            {
                if (!layers.ContainsKey(file.Path))
                {
                    layers[file.Path] = LayerName(file.Origin);
                }
            }

            return new IndexSettings(ordered, strategy?.Value ?? IndexStrategy.FirstIndex, strategy?.Source ?? Provenance.Default)
            {
                Definitions = all,
                FileLayers = layers,
                PinnedIndexes = pinned,
                ConditionalSources = conditional,
                FindLinks = findLinks,
                NoIndex = noIndex?.Value ?? false,
                Selection = selection,
                KeyringProvider = keyring?.Value ?? "disabled",
                KeyringProviderSource = keyring?.Source ?? Provenance.Default,
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

            // UV_EXCLUDE_NEWER=false or a file's exclude-newer = false (a null cutoff) sets it as much as a date does: no cutoff.
            var cutoff = LayeredSetting.Resolve<SettingValue<DateTimeOffset?>>(null, environment, "UV_EXCLUDE_NEWER", ExcludeNewerFromEnvironment, files.Select(f => f.ExcludeNewer));
            policy.ExcludeNewer = cutoff?.Value is DateTimeOffset value ? new SettingValue<DateTimeOffset>(value, cutoff.Text, cutoff.Source) : null;

            var packages = new Dictionary<string, SettingValue<DateTimeOffset?>>(StringComparer.Ordinal);
            foreach (var file in files.Reverse())
            {
                foreach (var entry in file.ExcludeNewerPackage)
                {
                    packages[entry.Key] = entry.Value;
                }
            }

            policy.ExcludeNewerPackage = packages;

            policy.Prerelease = SelectionSetting<PrereleaseMode>(environment, "UV_PRERELEASE", SelectionValues.TryParsePrerelease, "prerelease", "disallow, allow, if-necessary, explicit or if-necessary-or-explicit", files.Select(f => f.Prerelease));
            policy.Resolution = SelectionSetting<ResolutionMode>(environment, "UV_RESOLUTION", SelectionValues.TryParseResolution, "resolution", "highest, lowest or lowest-direct", files.Select(f => f.Resolution));

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

        /// <summary>UV_EXCLUDE_NEWER: blank says nothing; a date, a duration or <c>false</c> (no cutoff); anything else is an error naming the variable.</summary>
        private static SettingValue<DateTimeOffset?>? ExcludeNewerFromEnvironment(string text)
        {
            if (text.Trim().Length == 0)
            {
                return null;
            }

            DateTimeOffset? cutoff;
            try
            {
                cutoff = SelectionValues.ParseExcludeNewer(text, DateTimeOffset.UtcNow);
            }
            catch (FormatException e)
            {
                throw new IndexConfigurationException("UV_EXCLUDE_NEWER: " + e.Message) { Kind = ErrorKind.InvalidConfigValue };
            }

            return new SettingValue<DateTimeOffset?>(cutoff, text.Trim(), "env: UV_EXCLUDE_NEWER");
        }

        /// <summary>prerelease or resolution: its variable (UV_PRERELEASE, UV_RESOLUTION; blank says nothing, a value it does
        /// not know is an error naming it), else the first file that sets it.</summary>
        private static SettingValue<T>? SelectionSetting<T>(EngineEnvironment environment, string variable, SettingParser<T> parse, string what, string expected, IEnumerable<SettingValue<T>?> fromFiles)
        {
            return LayeredSetting.Resolve(
                null,
                environment,
                variable,
                text => text.Trim().Length == 0 ? null : new SettingValue<T>(LayeredSetting.Known(variable, text, parse, what, expected, ErrorKind.InvalidConfigValue), text.Trim(), "env: " + variable),
                fromFiles);
        }

        private static bool ParseKeyringProvider(string text, out string value)
        {
            value = text.Trim().ToLowerInvariant();
            return value == "disabled" || value == "subprocess";
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

    }
}
