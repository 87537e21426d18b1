using System.Globalization;
using System.Text;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using Tomlyn.Syntax;

namespace IndexTools.Engine.Config
{
    /// <summary>
    /// Creating a named [[index]] entry that carries ignore-error-codes, and converting an index-url / extra-index-url
    /// into one. uv's search order (uv-settings settings.rs, From&lt;IndexOptions&gt; for IndexLocations, with arrays
    /// combined project first, then user, then system by combine.rs): every [[index]] entry of every layer, then every
    /// extra-index-url of every layer, then index-url (the nearest layer's only); the first default = true entry (or that
    /// index-url) is searched last (index_url.rs IndexLocations::indexes). A conversion is planned only when the order
    /// uv searches stays the same, which is checked by loading the configuration with the planned bytes.
    /// </summary>
    public static partial class ConfigEditor
    {
        /// <summary>
        /// The file a new entry goes to: the user uv.toml (uv's path for the platform, which may not exist yet) or the
        /// project's configuration file (the uv.toml or pyproject.toml uv reads, else the project's pyproject.toml).
        /// </summary>
        public static string FindEntryFile(string startPath, ConfigScope scope, EngineEnvironment environment)
        {
            if (scope == ConfigScope.User)
            {
                return PlatformConfigPaths.UserConfigPath(environment)
                    ?? throw new IndexConfigurationException("No user configuration folder is known (set XDG_CONFIG_HOME or HOME, or APPDATA on Windows).") { Kind = ErrorKind.UserConfigNotFound };
            }

            var discovery = WorkspaceDiscovery.Discover(new ConfigurationRequest { StartPath = startPath }, environment);
            return discovery.Project?.Path ?? discovery.SourceFiles.FirstOrDefault()?.Path
                ?? throw new IndexConfigurationException("No project configuration (pyproject.toml or uv.toml) was found from " + WorkspaceDiscovery.StartDirectory(startPath, environment) + "; use -Scope User or -Path.") { Kind = ErrorKind.ProjectNotFound };
        }

        /// <summary>
        /// Plans giving the index at <paramref name="url"/> the name <paramref name="indexName"/> and ignore-error-codes
        /// <paramref name="codes"/> in <paramref name="filePath"/>. Never writes. When the file has an entry of that name and
        /// URL, only its ignore-error-codes change; when the URL is the file's index-url or one of its extra-index-url
        /// values, it becomes a named entry at the same search position (refused with SearchOrderWouldChange otherwise);
        /// else a new entry is appended (the file is created when absent). Never a second entry with the same name or URL
        /// (URLs compared as uv compares them). <paramref name="startPath"/> is where the search order is seen from.
        /// </summary>
        public static EditPlan PlanIndexEntry(string filePath, string indexName, string url, IReadOnlyList<int> codes, string startPath, EngineEnvironment environment)
        {
            if (codes is null)
            {
                throw new ArgumentNullException(nameof(codes));
            }

            var path = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, filePath));
            if (indexName is null || !ConfigValues.IsValidIndexName(indexName))
            {
                throw new IndexConfigurationException("'" + indexName + "' is not a valid index name (use ASCII letters, digits, '-', '_' and '.').", path, null, null, indexName) { Kind = ErrorKind.InvalidIndexName };
            }

            if (string.IsNullOrWhiteSpace(url) || url.Any(c => c < 0x20 || c == 0x7F))
            {
                throw new IndexConfigurationException("The index URL '" + UrlRedactor.Redact(url ?? "") + "' is empty or has control characters.", path, null, null, indexName) { Kind = ErrorKind.InvalidIndexUrl };
            }

            var isPyProject = string.Equals(Path.GetFileName(path), "pyproject.toml", StringComparison.OrdinalIgnoreCase);
            var exists = File.Exists(path);
            if (!exists && (isPyProject || Directory.Exists(path)))
            {
                throw new IndexConfigurationException("The configuration file " + path + " does not exist; IndexTools creates only a uv.toml, never a pyproject.toml.", path, null, null, indexName) { Kind = ErrorKind.ConfigFileNotFound };
            }

            var original = exists ? File.ReadAllBytes(path) : Array.Empty<byte>();
            var file = TomlFile.Parse(path, original);
            var directory = Path.GetDirectoryName(path) ?? ".";
            var wanted = ConfigFileSettings.ResolveLocation(url.Trim(), directory);
            var wantedUrl = IndexUrl.Parse(wanted);
            var owner = isPyProject ? file.Root.GetTable("tool.uv") : file.Root;
            var table = isPyProject ? "[[tool.uv.index]]" : "[[index]]";

            // The same name or the same URL among this file's entries: edit that entry, or refuse.
            if (owner?.Find("index") is TomlEntry indexEntry)
            {
                if (!(indexEntry.Value is TomlArrayNode entries) || !entries.IsTableArray)
                {
                    throw new IndexConfigurationException(path + ":" + indexEntry.Value.Line + ": 'index' is written as an inline array; IndexTools adds entries only as " + table + " tables. Rewrite it as " + table + " tables or add the entry by hand.", path, indexEntry.Value.Line, indexEntry.Value.Column, indexName) { Kind = ErrorKind.UnsupportedConfigEdit };
                }

                foreach (var item in entries.Items.OfType<TomlTableNode>())
                {
                    var name = item.Get("name") is TomlScalar { Value: string n } ? n : null;
                    var itemUrl = item.Get("url") is TomlScalar { Value: string u } ? ConfigFileSettings.ResolveLocation(u, directory) : null;
                    var sameUrl = itemUrl != null && wantedUrl.SameAs(itemUrl);
                    if (name == indexName)
                    {
                        if (!sameUrl)
                        {
                            throw new IndexConfigurationException(path + ":" + item.Line + ": index '" + indexName + "' already exists with the URL " + UrlRedactor.Redact(itemUrl ?? "(none)") + ", not " + UrlRedactor.Redact(wanted) + "; choose another -Name, or leave out -Url to edit that entry.", path, item.Line, item.Column, indexName) { Kind = ErrorKind.IndexNameConflict };
                        }

                        return Plan(path, original, indexName, codes);
                    }

                    if (sameUrl)
                    {
                        var who = name is null ? "an unnamed " + table + " entry" : "the index '" + name + "'";
                        throw new IndexConfigurationException(path + ":" + item.Line + ": " + who + " already has the URL " + UrlRedactor.Redact(wanted) + "; a second entry for it would not be used for its ignore-error-codes (uv takes the first). " + (name is null ? "Give that entry a name" : "Run the command with -Name " + name) + " instead.", path, item.Line, item.Column, name ?? indexName) { Kind = ErrorKind.IndexUrlConflict };
                    }
                }
            }

            // The name must not exist in another layer either: uv keeps the first definition of a name.
            var discovery = WorkspaceDiscovery.Discover(new ConfigurationRequest { StartPath = startPath }, environment);
            foreach (var other in discovery.Files.Concat(discovery.SourceFiles).Where(f => !string.Equals(f.Path, path, StringComparison.Ordinal)))
            {
                if (other.Indexes.FirstOrDefault(i => i.Name == indexName) is IndexDefinition clash)
                {
                    throw new IndexConfigurationException(IndexPolicies.Located(clash.Source) + " already defines an index named '" + indexName + "' (uv keeps the first definition of a name, so one of the two would not be used). Choose another -Name, or edit that entry with -Path " + other.Path + ".", clash.Source.FilePath, clash.Source.Line, null, indexName) { Kind = ErrorKind.IndexNameConflict };
                }
            }

            // An index-url / extra-index-url of this file with the URL: convert it.
            var text = file.Text;
            var removeStart = -1;
            var removeEnd = -1;
            string? convertedFrom = null;
            string? literal = null;
            var isDefault = false;
            if (owner?.Find("extra-index-url") is TomlEntry extra && extra.Value is TomlArrayNode extraArray)
            {
                for (var i = 0; i < extraArray.Items.Count; i++)
                {
                    if (extraArray.Items[i] is TomlScalar { Value: string value } scalar && wantedUrl.SameAs(ConfigFileSettings.ResolveLocation(value, directory)))
                    {
                        literal = SourceText(text, scalar);
                        convertedFrom = "extra-index-url (line " + scalar.Line + ")";
                        (removeStart, removeEnd) = extraArray.Items.Count == 1
                            ? KeyRemoval(path, text, extra, owner.IsInline, indexName)
                            : ArrayItemRemoval(path, text, extraArray, i, indexName);
                        break;
                    }
                }
            }

            if (convertedFrom is null && owner?.Find("index-url") is TomlEntry indexUrl && indexUrl.Value is TomlScalar { Value: string indexUrlValue } indexUrlScalar
                && wantedUrl.SameAs(ConfigFileSettings.ResolveLocation(indexUrlValue, directory)))
            {
                literal = SourceText(text, indexUrlScalar);
                convertedFrom = "index-url (line " + indexUrlScalar.Line + ")";
                isDefault = true;
                (removeStart, removeEnd) = KeyRemoval(path, text, indexUrl, owner.IsInline, indexName);
            }

            var eol = file.LineEnding;
            var codesText = "[" + string.Join(", ", codes.Select(c => c.ToString(CultureInfo.InvariantCulture))) + "]";
            var body = new StringBuilder();
            body.Append(table).Append(eol)
                .Append("name = ").Append(BasicString(indexName)).Append(eol)
                .Append("url = ").Append(literal ?? BasicString(url.Trim())).Append(eol);
            if (isDefault)
            {
                body.Append("default = true").Append(eol);
            }

            body.Append("ignore-error-codes = ").Append(codesText).Append(eol);

            var kept = removeStart >= 0 ? text.Substring(0, removeStart) + text.Substring(removeEnd) : text;
            var separator = kept.Trim().Length == 0 ? "" : kept.EndsWith(eol + eol, StringComparison.Ordinal) ? "" : kept.EndsWith("\n", StringComparison.Ordinal) ? eol : eol + eol;
            var updatedText = kept + separator + body;
            var bom = file.HasBom ? new byte[] { 0xEF, 0xBB, 0xBF } : Array.Empty<byte>();
            var updated = bom.Concat(Encoding.UTF8.GetBytes(updatedText)).ToArray();
            var kind = convertedFrom is null ? EditKind.CreateIndex : EditKind.ConvertIndex;
            Verify(path, updated, isPyProject, indexName, wanted, isDefault, codes, convertedFrom != null ? wanted : null, directory);

            var request = new ConfigurationRequest { StartPath = startPath };
            var before = ConfigurationLoader.LoadWith(request, environment, path, exists ? original : null);
            var after = ConfigurationLoader.LoadWith(request, environment, path, updated);
            var plan = new EditPlan(path, indexName, null, codesText, original, updated)
            {
                Kind = kind,
                CreatesFile = !exists,
                ConvertedFrom = convertedFrom,
                Url = UrlRedactor.Redact(wanted),
                SearchOrderBefore = Describe(before),
                SearchOrderAfter = Describe(after),
                SameUrlElsewhere = before.PolicyDefinitions.Where(d => d.IndexUrl == wantedUrl && !(kind == EditKind.ConvertIndex && string.Equals(d.Source.FilePath, path, StringComparison.Ordinal) && d.Name is null))
                    .Select(d => IndexPolicies.Located(d.Source)).ToArray(),
            };

            var governing = after.PolicyDefinitions.FirstOrDefault(d => d.IndexUrl == wantedUrl);
            plan.GoverningEntry = governing is null ? null : IndexPolicies.Located(governing.Source);
            plan.Governs = governing != null && governing.Name == indexName && string.Equals(governing.Source.FilePath, path, StringComparison.Ordinal);

            if (kind == EditKind.ConvertIndex && !SameOrder(before, after))
            {
                throw new IndexConfigurationException(
                    path + ": converting " + convertedFrom + " " + UrlRedactor.Redact(wanted) + " into " + table + " '" + indexName + "' would change the order uv searches, so the file was left unchanged. "
                    + "uv searches every [[index]] entry (project, then user, then system) before any extra-index-url, and index-url (or the first default = true entry) last."
                    + " Before: " + string.Join("; ", plan.SearchOrderBefore) + ". After: " + string.Join("; ", plan.SearchOrderAfter) + "."
                    + " Convert the indexes searched before it first, or edit the file by hand.",
                    path,
                    null,
                    null,
                    indexName)
                { Kind = ErrorKind.SearchOrderWouldChange };
            }

            return plan;
        }

        /// <summary>Writes a plan that creates its file: the folder is created, the file must still be absent, the write is a rename.</summary>
        private static void CreateLocked(EditPlan plan)
        {
            var path = plan.FilePath;
            var directory = Path.GetDirectoryName(path) ?? ".";
            string temp = "";
            try
            {
                Directory.CreateDirectory(directory);
                if (File.Exists(path))
                {
                    throw new IOException("Refusing to create " + path + ": the file was created since it was read. Run the command again.");
                }

                temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(plan.Updated, 0, plan.Updated.Length);
                    stream.Flush(true);
                }

                File.Move(temp, path); // fails when the file appeared in the meantime: nothing is overwritten
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                if (temp.Length > 0)
                {
                    TryDelete(temp);
                }

                throw new IOException("Cannot create " + path + ": " + ex.Message, ex);
            }
        }

        private static void Verify(string path, byte[] updated, bool isPyProject, string indexName, string url, bool isDefault, IReadOnlyList<int> codes, string? removedUrl, string directory)
        {
            bool ok;
            var removed = removedUrl is null ? null : IndexUrl.Parse(removedUrl);
            try
            {
                var parsed = TomlFile.Parse(path, updated);
                var settings = ConfigFileSettings.From(parsed, isPyProject, ConfigOrigin.Project);
                var entry = settings.Indexes.FirstOrDefault(i => i.Name == indexName);
                ok = entry != null
                    && entry.IndexUrl.SameAs(url)
                    && entry.IsDefault == isDefault
                    && !entry.IsExplicit
                    && entry.IgnoreErrorCodes != null && entry.IgnoreErrorCodes.SequenceEqual(codes)
                    && (removed is null
                        || !settings.ExtraIndexUrls.Any(u => removed.SameAs(u.Value)) && !(settings.IndexUrl != null && removed.SameAs(settings.IndexUrl.Value)));
            }
            catch (IndexConfigurationException)
            {
                ok = false;
            }

            if (!ok)
            {
                throw new IndexConfigurationException(path + ": the new entry '" + indexName + "' could not be verified (the file is written in a form IndexTools cannot extend); the file was left unchanged.", path, null, null, indexName) { Kind = ErrorKind.UnsupportedConfigEdit };
            }
        }

        /// <summary>The search order as shown to users: <c>1. corp https://corp/simple</c>, <c>(default)</c> marked.</summary>
        private static IReadOnlyList<string> Describe(IndexSettings settings)
        {
            var lines = new List<string>();
            var order = 0;
            foreach (var index in settings.Indexes)
            {
                order++;
                lines.Add(order.ToString(CultureInfo.InvariantCulture) + ". " + (index.Name is null ? index.DisplayUrl : index.Name + " " + index.DisplayUrl)
                    + (index.IsDefault ? " (default)" : "") + (index.IsExplicit ? " (explicit)" : ""));
            }

            return lines;
        }

        /// <summary>The same indexes, in the same order, with the same default/explicit meaning (names may differ: a conversion adds one).</summary>
        private static bool SameOrder(IndexSettings before, IndexSettings after)
        {
            return before.Indexes.Count == after.Indexes.Count
                && before.Indexes.Zip(after.Indexes, (a, b) => a.IndexUrl == b.IndexUrl && a.IsDefault == b.IsDefault && a.IsExplicit == b.IsExplicit && (a.Name is null || a.Name == b.Name)).All(x => x);
        }

        private static string SourceText(string text, TomlNode node)
        {
            var span = node.Syntax!.Span;
            return text.Substring(span.Offset, span.Length).Trim();
        }

        private static (int Start, int End) KeyRemoval(string path, string text, TomlEntry entry, bool inline, string indexName)
        {
            if (entry.KeyValue is null)
            {
                throw new IndexConfigurationException(path + ":" + entry.Value.Line + ": '" + entry.Key + "' is written in a form IndexTools cannot edit.", path, entry.Value.Line, entry.Value.Column, indexName) { Kind = ErrorKind.UnsupportedConfigEdit };
            }

            return RemovalRange(text, entry.KeyValue, inline);
        }

        /// <summary>One value of a multi-value array: its whole line when it has one to itself, else the value and one comma.</summary>
        private static (int Start, int End) ArrayItemRemoval(string path, string text, TomlArrayNode array, int position, string indexName)
        {
            if (!(array.Syntax is ArraySyntax syntax) || syntax.Items.ChildrenCount != array.Items.Count)
            {
                throw new IndexConfigurationException(path + ":" + array.Line + ": extra-index-url is written in a form IndexTools cannot edit.", path, array.Line, array.Column, indexName) { Kind = ErrorKind.UnsupportedConfigEdit };
            }

            var item = syntax.Items.GetChild(position)!;
            var start = item.Value!.Span.Offset;
            var end = item.Comma is SyntaxToken comma ? comma.Span.Offset + comma.Span.Length : start + item.Value.Span.Length;
            if (item.Comma is null)
            {
                // The last value without a trailing comma: take the previous value's comma with it.
                var previous = syntax.Items.GetChild(position - 1)!;
                start = previous.Comma!.Span.Offset;
                return (start, end);
            }

            var lineStart = start;
            while (lineStart > 0 && (text[lineStart - 1] == ' ' || text[lineStart - 1] == '\t'))
            {
                lineStart--;
            }

            var lineEnd = end;
            while (lineEnd < text.Length && (text[lineEnd] == ' ' || text[lineEnd] == '\t'))
            {
                lineEnd++;
            }

            var ownLine = (lineStart == 0 || text[lineStart - 1] == '\n') && (lineEnd == text.Length || text[lineEnd] == '\n' || text[lineEnd] == '\r');
            if (ownLine)
            {
                if (lineEnd < text.Length && text[lineEnd] == '\r')
                {
                    lineEnd++;
                }

                if (lineEnd < text.Length && text[lineEnd] == '\n')
                {
                    lineEnd++;
                }

                return (lineStart, lineEnd);
            }

            return (start, lineEnd);
        }

        /// <summary>A TOML basic string: quotes, backslashes and control characters escaped.</summary>
        private static string BasicString(string value)
        {
            var builder = new StringBuilder("\"");
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    default:
                        if (c < 0x20 || c == 0x7F)
                        {
                            builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }
    }
}
