using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Search
{
    /// <summary>
    /// Describes the effective index list: one <see cref="IndexPolicy"/> per index in search order (an index URL
    /// configured twice is listed once, as uv asks it once), then one per find-links location, which is not a position
    /// in the search order (Order 0): its files are merged into every package's candidates. Flat indexes and find-links
    /// have no status-code policy.
    /// </summary>
    public static class IndexPolicies
    {
        /// <summary>
        /// One warning per group of differently written index names that uv maps to the same credential variables
        /// (crates/uv-distribution-types/src/index_name.rs <c>to_env_var</c>: letters and digits upper-cased, anything
        /// else '_'), e.g. <c>corp-a</c> and <c>corp_a</c> both read <c>UV_INDEX_CORP_A_USERNAME</c> / <c>_PASSWORD</c>:
        /// whatever those hold is sent to both indexes. uv does so too; the warning makes it visible.
        /// </summary>
        public static IReadOnlyList<string> CredentialNameCollisions(IndexSettings settings)
        {
            return settings.Indexes.Concat(settings.FindLinks)
                .Where(i => !string.IsNullOrEmpty(i.Name))
                .GroupBy(i => Credentials.CredentialProvider.ToEnvironmentName(i.Name!), System.StringComparer.Ordinal)
                .Select(g => new { Variable = g.Key, Names = g.Select(i => i.Name!).Distinct(System.StringComparer.Ordinal).ToList() })
                .Where(g => g.Names.Count > 1)
                .Select(g => "Indexes " + string.Join(" and ", g.Names.Select(n => "'" + n + "'")) + " read the same credential variables, UV_INDEX_"
                    + g.Variable + "_USERNAME and UV_INDEX_" + g.Variable + "_PASSWORD (uv maps every character other than a letter or digit to '_'): whatever they hold is sent to each of them. Rename one index if they need different credentials.")
                .ToList();
        }

        public static IReadOnlyList<IndexPolicy> Describe(IndexSettings settings, UvRules? rules = null)
        {
            var uv = rules ?? UvRules.Latest;
            var result = new List<IndexPolicy>(settings.Indexes.Count + settings.FindLinks.Count);
            var duplicates = IndexSearch.DuplicateUrls(settings.Indexes, uv);
            var order = 0;
            for (var i = 0; i < settings.Indexes.Count; i++)
            {
                if (duplicates.ContainsKey(i))
                {
                    continue;
                }

                result.Add(Describe(settings, settings.Indexes[i], ++order, findLinks: false, uv));
            }

            foreach (var location in settings.FindLinks)
            {
                result.Add(Describe(settings, location, 0, findLinks: true, uv));
            }

            return result;
        }

        private static IndexPolicy Describe(IndexSettings settings, IndexDefinition index, int order, bool findLinks, UvRules uv)
        {
            var policy = settings.PolicyOf(index, uv);
            var definitions = DefinitionsOf(index, settings);
            var governing = definitions.Count > 0 ? definitions[0] : null;
            var codesSource = policy.Applies && governing?.IgnoreErrorCodes != null && settings.Strategy == IndexStrategy.FirstIndex ? governing.IgnoreErrorCodesSource : null;
            return new IndexPolicy
            {
                Order = order,
                Name = index.Name,
                Url = index.DisplayUrl,
                Strategy = settings.Strategy,
                StrategySource = settings.StrategySource.Description,
                Default = index.IsDefault,
                Explicit = index.IsExplicit,
                Format = findLinks ? "find-links" : index.Format == IndexFormat.Flat ? "flat" : "simple",
                Authenticate = index.Authenticate.ToString().ToLowerInvariant(),
                HasStatusCodePolicy = policy.Applies,
                IgnoredStatusCodes = policy.IgnoredStatusCodes.ToArray(),
                PolicySource = policy.Source,
                PolicyFile = codesSource?.FilePath,
                PolicyLine = codesSource?.Line,
                GoverningEntry = governing is null || definitions.Count < 2 && ReferenceEquals(governing, index) ? null : Located(governing.Source),
                OtherDefinitions = definitions.Skip(1).Select(d => Located(d.Source)).ToArray(),
                StopsOn = policy.Applies ? policy.StopsOn.ToArray() : new int[0],
                Source = index.Source.Description,
                ConfigFile = index.Source.FilePath,
            };
        }

        /// <summary>
        /// Every definition whose URL is the index's (uv's is_same_index), in uv's definition order: the first governs the
        /// index's ignore-error-codes (uv-distribution-types index_url.rs IndexLocations::index_for_url).
        /// </summary>
        public static IReadOnlyList<IndexDefinition> DefinitionsOf(IndexDefinition index, IndexSettings settings)
        {
            if (index.Format == IndexFormat.Flat && !settings.PolicyDefinitions.Contains(index))
            {
                return Array.Empty<IndexDefinition>();
            }

            return settings.PolicyDefinitions.Where(d => d.IndexUrl == index.IndexUrl).ToList();
        }

        /// <summary>
        /// One warning per ignore-error-codes setting that has no effect because an earlier definition of the same URL
        /// (a project entry shadowing a user-level one, a user entry shadowing the system's) governs it, naming both files
        /// and lines. Each URL the search uses is looked at once.
        /// </summary>
        public static IReadOnlyList<string> ShadowWarnings(IndexSettings settings)
        {
            var warnings = new List<string>();
            var seen = new HashSet<IndexUrl>();
            foreach (var index in settings.Indexes)
            {
                if (!seen.Add(index.IndexUrl))
                {
                    continue;
                }

                var definitions = DefinitionsOf(index, settings);
                if (definitions.Count < 2)
                {
                    continue;
                }

                var governing = definitions[0];
                foreach (var shadowed in definitions.Skip(1))
                {
                    if (shadowed.IgnoreErrorCodes is null || SameCodes(shadowed.IgnoreErrorCodes, governing.IgnoreErrorCodes))
                    {
                        continue;
                    }

                    var where = Located(shadowed.IgnoreErrorCodesSource ?? shadowed.Source);
                    var layer = Layer(shadowed.Source, settings);
                    var governingLayer = Layer(governing.Source, settings);
                    var theirs = governing.IgnoreErrorCodes is null
                        ? "it has no ignore-error-codes, so " + (StatusCodePolicy.IsPyTorch(governing.Url) ? "403 is ignored (download.pytorch.org) and 401 stops the search" : "401 and 403 stop the search")
                        : "its ignore-error-codes = " + CodesText(governing.IgnoreErrorCodes) + " apply";
                    warnings.Add(
                        (layer is null ? "" : char.ToUpperInvariant(layer[0]) + layer.Substring(1) + " setting ")
                        + where + (shadowed.IgnoreErrorCodesSource is null ? " ignore-error-codes" : "") + " = " + CodesText(shadowed.IgnoreErrorCodes) + " has no effect on " + index.DisplayUrl
                        + ": " + (governingLayer is null ? "" : "the " + governingLayer + " entry ") + Located(governing.Source)
                        + " defines the same URL first, and uv takes ignore-error-codes from the first configured index whose URL matches; "
                        + theirs + ". Set them there (Set-IndexIgnoredCodes -Path " + (governing.Source.FilePath ?? "<file>") + (governing.Name is null ? "" : " -Name " + governing.Name) + ") or remove that entry.");
                }
            }

            return warnings;
        }

        /// <summary>
        /// <c>/p/pyproject.toml:12 [[tool.uv.index]] 'corp'</c>: the full path, line and setting of a file value (across layers a
        /// relative path would not say which file), else <see cref="Provenance.Detail"/>.
        /// </summary>
        public static string Located(Provenance source)
        {
            if (source.FilePath != null && source.Line is int line)
            {
                return source.FilePath + ":" + line + (source.Setting is null ? "" : " " + source.Setting);
            }

            return source.Detail;
        }

        private static string? Layer(Provenance source, IndexSettings settings)
        {
            return source.FilePath != null && settings.FileLayers.TryGetValue(source.FilePath, out var layer) ? layer : null;
        }

        private static bool SameCodes(IReadOnlyList<int> a, IReadOnlyList<int>? b)
        {
            return b != null && a.Distinct().OrderBy(c => c).SequenceEqual(b.Distinct().OrderBy(c => c));
        }

        private static string CodesText(IReadOnlyList<int> codes)
        {
            return "[" + string.Join(", ", codes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
        }
    }
}
