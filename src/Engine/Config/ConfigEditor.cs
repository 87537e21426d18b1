using System.Globalization;
using System.Text;
using IndexTools.Engine.Indexes;
using Tomlyn.Syntax;
using IndexTools.Engine.Environment;

namespace IndexTools.Engine.Config
{
    /// <summary>Which file an edit goes to when the caller names a scope instead of a path.</summary>
    public enum ConfigScope
    {
        /// <summary>The project's pyproject.toml or uv.toml (the file uv reads for the project).</summary>
        Project,
        /// <summary>The user-level uv.toml.</summary>
        User,
    }

    /// <summary>What an <see cref="EditPlan"/> changes.</summary>
    public enum EditKind
    {
        /// <summary>ignore-error-codes of an existing [[index]] entry.</summary>
        IgnoreErrorCodes,
        /// <summary>A new [[index]] entry (and the file, when it does not exist).</summary>
        CreateIndex,
        /// <summary>An index-url / extra-index-url turned into a named [[index]] entry at the same search position.</summary>
        ConvertIndex,
    }

    /// <summary>A planned edit: what would change, computed without writing. <see cref="ConfigEditor.Apply"/> writes it.</summary>
    public sealed class EditPlan
    {
        public EditPlan(string filePath, string indexName, string? oldValue, string? newValue, byte[] original, byte[] updated)
        {
            FilePath = filePath;
            IndexName = indexName;
            OldValue = oldValue;
            NewValue = newValue;
            Original = original;
            Updated = updated;
            var full = Path.GetFullPath(filePath);
            ResolvedPath = ConfigFileLock.ResolvePath(full);
            HardLinkCount = File.Exists(ResolvedPath) && UnixFileSystem.Stat(ResolvedPath) is UnixFileStatus status && status.IsRegularFile
                ? (int)Math.Min(status.Links, int.MaxValue)
                : 1;
        }

        public string FilePath { get; }

        public string IndexName { get; }

        /// <summary>The current TOML text of ignore-error-codes (e.g. <c>[401]</c>), or null when absent.</summary>
        public string? OldValue { get; }

        /// <summary>The new TOML text, or null when the key is removed.</summary>
        public string? NewValue { get; }

        /// <summary>
        /// The file the edit writes: <see cref="FilePath"/> with every symbolic link resolved. A pyproject.toml that is a link
        /// is edited where it points (as editors do) and stays a link.
        /// </summary>
        public string ResolvedPath { get; }

        /// <summary>
        /// How many names (hard links) the file has (1 where it cannot be told). An edit writes a new file and renames it over
        /// the old one, so with more than one the other names would keep the old content: <see cref="ConfigEditor.Apply(EditPlan)"/>
        /// refuses unless <see cref="AllowBreakingHardLinks"/> is set.
        /// </summary>
        public int HardLinkCount { get; }

        /// <summary>The caller's consent (Set-IndexIgnoredCodes -Force) to break the file's hard links by the edit.</summary>
        public bool AllowBreakingHardLinks { get; set; }

        /// <summary>True when the file would not change.</summary>
        public bool IsNoOp => OldValue == NewValue;

        /// <summary>What the plan does: set ignore-error-codes on an entry, create an entry, or convert an index-url/extra-index-url into one.</summary>
        public EditKind Kind { get; internal set; }

        /// <summary>True when the file does not exist yet: Apply creates it (and its folder).</summary>
        public bool CreatesFile { get; internal set; }

        /// <summary>For a conversion: the key the URL was given with (<c>extra-index-url</c> or <c>index-url</c>) and its line.</summary>
        public string? ConvertedFrom { get; internal set; }

        /// <summary>The entry's URL, redacted (create and convert).</summary>
        public string? Url { get; internal set; }

        /// <summary>The indexes uv searches, in order, before and after the edit (create and convert), as <c>1. name url</c>.</summary>
        public IReadOnlyList<string> SearchOrderBefore { get; internal set; } = Array.Empty<string>();

        public IReadOnlyList<string> SearchOrderAfter { get; internal set; } = Array.Empty<string>();

        /// <summary>Other definitions of the same URL in the configuration (file:line), and whether the new entry governs it after the edit.</summary>
        public IReadOnlyList<string> SameUrlElsewhere { get; internal set; } = Array.Empty<string>();

        /// <summary>After the edit, the entry whose ignore-error-codes govern the URL (the first configured index whose URL matches).</summary>
        public string? GoverningEntry { get; internal set; }

        /// <summary>True when, after the edit, the new or converted entry is the one whose ignore-error-codes apply to its URL.</summary>
        public bool Governs { get; internal set; } = true;

        /// <summary>The file's bytes when read (Apply refuses if the file no longer has them).</summary>
        internal byte[] Original { get; }

        internal byte[] Updated { get; }

        public override string ToString()
        {
            if (Kind == EditKind.CreateIndex)
            {
                return "new index '" + IndexName + "' (" + Url + ") in " + FilePath + (CreatesFile ? " (new file)" : "") + ": ignore-error-codes = " + NewValue;
            }

            if (Kind == EditKind.ConvertIndex)
            {
                return ConvertedFrom + " " + Url + " in " + FilePath + " -> index '" + IndexName + "' with ignore-error-codes = " + NewValue;
            }

            return "ignore-error-codes of index '" + IndexName + "' in " + FilePath + ": " + (OldValue ?? "(absent)") + " -> " + (NewValue ?? "(removed)");
        }
    }

    /// <summary>
    /// Thrown when the file to edit has more than one name (hard links): the edit replaces the file, so the other names would
    /// keep the old content. Set-IndexIgnoredCodes -Force edits it anyway (<see cref="EditPlan.AllowBreakingHardLinks"/>).
    /// </summary>
    public sealed class HardLinkedFileException : IOException
    {
        public HardLinkedFileException(string filePath, int links)
            : base("Refusing to edit " + filePath + ": the file has " + links + " hard links (other names for the same file). The edit writes a new file in its place, so the "
                + (links - 1) + " other name" + (links == 2 ? "" : "s") + " would keep the old content. Run the command again with -Force to edit it anyway (the link is broken), or edit the file by hand.")
        {
            FilePath = filePath;
            Links = links;
        }

        public string FilePath { get; }

        public int Links { get; }
    }

    /// <summary>Edits uv configuration files in place, byte-for-byte outside the changed value, atomically.</summary>
    public static partial class ConfigEditor
    {
        /// <summary>The file that defines <paramref name="indexName"/> for the given scope (project: the discovered project file; user: the user uv.toml, created when absent).</summary>
        public static string FindTargetFile(string startPath, ConfigScope scope, string indexName, EngineEnvironment environment)
        {
            if (scope == ConfigScope.User)
            {
                return PlatformConfigPaths.UserConfigPath(environment)
                    ?? throw new IndexConfigurationException("No user configuration folder is known (set XDG_CONFIG_HOME, or APPDATA on Windows).") { Kind = ErrorKind.UserConfigNotFound };
            }

            var discovery = WorkspaceDiscovery.Discover(new ConfigurationRequest { StartPath = startPath }, environment);
            var candidates = new List<ConfigFileSettings>();
            if (discovery.Project != null)
            {
                candidates.Add(discovery.Project);
            }

            candidates.AddRange(discovery.SourceFiles);
            foreach (var file in candidates)
            {
                foreach (var index in file.Indexes)
                {
                    if (index.Name == indexName)
                    {
                        return file.Path;
                    }
                }
            }

            var searched = candidates.Count == 0 ? "no project configuration was found from " + WorkspaceDiscovery.StartDirectory(startPath, environment) : "searched " + string.Join(", ", candidates.Select(c => c.Path).Distinct());
            throw new IndexConfigurationException("No index named '" + indexName + "' is defined in the project's configuration (" + searched + ").", null, null, null, indexName) { Kind = ErrorKind.IndexNotFound };
        }

        /// <summary>Plans setting (<paramref name="codes"/> non-null, possibly empty) or removing (null) ignore-error-codes on one index. Never writes.</summary>
        public static EditPlan PlanIgnoreErrorCodes(string filePath, string indexName, IReadOnlyList<int>? codes)
        {
            var path = Path.GetFullPath(filePath);
            if (!File.Exists(path))
            {
                throw new IndexConfigurationException("The configuration file " + path + " does not exist, so it defines no index '" + indexName + "'.", path, null, null, indexName) { Kind = ErrorKind.IndexNotFound };
            }

            var original = File.ReadAllBytes(path);
            return Plan(path, original, indexName, codes);
        }

        internal static EditPlan Plan(string path, byte[] original, string indexName, IReadOnlyList<int>? codes)
        {
            if (codes != null)
            {
                foreach (var code in codes)
                {
                    if (!StatusCodePolicy.IsValidStatusCode(code))
                    {
                        throw new IndexConfigurationException(code + " is not a valid HTTP status code (" + StatusCodePolicy.MinStatusCode + "-" + StatusCodePolicy.MaxStatusCode + ").", path, null, null, indexName) { Kind = ErrorKind.InvalidIgnoreErrorCode };
                    }
                }
            }

            var file = TomlFile.Parse(path, original);
            var table = FindIndexTable(file, indexName)
                ?? throw new IndexConfigurationException(path + ": no index named '" + indexName + "' is defined in this file.", path, null, null, indexName) { Kind = ErrorKind.IndexNotFound };

            var newValue = codes is null ? null : "[" + string.Join(", ", codes.Select(c => c.ToString(CultureInfo.InvariantCulture))) + "]";
            var entry = table.Find("ignore-error-codes");
            var text = file.Text;
            string? oldValue = null;
            int start;
            int end;
            string replacement;
            if (entry?.KeyValue?.Value is ValueSyntax oldSyntax)
            {
                oldValue = text.Substring(oldSyntax.Span.Offset, oldSyntax.Span.Length);
                if (newValue != null)
                {
                    start = oldSyntax.Span.Offset;
                    end = start + oldSyntax.Span.Length;
                    replacement = newValue;
                }
                else
                {
                    (start, end) = RemovalRange(text, entry.KeyValue, table.IsInline);
                    replacement = "";
                }
            }
            else if (entry != null)
            {
                throw new IndexConfigurationException(path + ": ignore-error-codes of index '" + indexName + "' is written in a form IndexTools cannot edit.", path, entry.Value.Line, entry.Value.Column, indexName) { Kind = ErrorKind.UnsupportedConfigEdit };
            }
            else if (newValue is null)
            {
                return new EditPlan(path, indexName, null, null, original, original);
            }
            else
            {
                (start, replacement) = Insertion(file, table, "ignore-error-codes = " + newValue);
                end = start;
            }

            if (oldValue == newValue)
            {
                return new EditPlan(path, indexName, oldValue, newValue, original, original);
            }

            var bom = file.HasBom ? 3 : 0;
            var byteStart = bom + Encoding.UTF8.GetByteCount(text.Substring(0, start));
            var byteEnd = bom + Encoding.UTF8.GetByteCount(text.Substring(0, end));
            var middle = Encoding.UTF8.GetBytes(replacement);
            var updated = new byte[byteStart + middle.Length + (original.Length - byteEnd)];
            Buffer.BlockCopy(original, 0, updated, 0, byteStart);
            Buffer.BlockCopy(middle, 0, updated, byteStart, middle.Length);
            Buffer.BlockCopy(original, byteEnd, updated, byteStart + middle.Length, original.Length - byteEnd);

            // Prove the edit says what we meant before anyone writes it.
            var check = FindIndexTable(TomlFile.Parse(path, updated), indexName);
            var now = check?.Get("ignore-error-codes");
            var ok = check != null && (codes is null
                ? now is null
                : now is TomlArrayNode array && array.Items.Select(i => i is TomlScalar { Value: long v } ? (int)v : -1).SequenceEqual(codes));
            if (!ok)
            {
                throw new IndexConfigurationException(path + ": the edit of ignore-error-codes of index '" + indexName + "' could not be verified; the file was left unchanged.", path, null, null, indexName) { Kind = ErrorKind.UnsupportedConfigEdit };
            }

            return new EditPlan(path, indexName, oldValue, newValue, original, updated);
        }

        /// <summary>
        /// Writes the plan atomically under the file's edit lock (<see cref="ConfigFileLock"/>); refuses (IOException naming
        /// the file) when the file changed since it was read. To make read-plan-write one step that concurrent edits cannot
        /// interleave, take the lock before planning and use <see cref="Apply(EditPlan, ConfigFileLock)"/>.
        /// </summary>
        public static void Apply(EditPlan plan)
        {
            if (plan is null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            using (var held = ConfigFileLock.Acquire(plan.FilePath))
            {
                ApplyLocked(plan);
            }
        }

        /// <summary>Writes the plan while the caller holds the file's edit lock, taken before the plan was made.</summary>
        public static void Apply(EditPlan plan, ConfigFileLock heldLock)
        {
            if (plan is null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (heldLock is null || !heldLock.IsHeld || !string.Equals(heldLock.ResolvedPath, ConfigFileLock.ResolvePath(Path.GetFullPath(plan.FilePath)), StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The edit lock given does not belong to " + plan.FilePath + ".");
            }

            ApplyLocked(plan);
        }

        /// <summary>
        /// Plans and applies an ignore-error-codes edit as one step under the file's edit lock: concurrent edits of the
        /// same file wait for each other and none is lost. <paramref name="confirm"/> (may be null) sees the plan and
        /// returns false to leave the file alone. Returns the plan (a no-op plan is never written).
        /// </summary>
        public static EditPlan UpdateIgnoreErrorCodes(string filePath, string indexName, IReadOnlyList<int>? codes, Func<EditPlan, bool>? confirm = null, TimeSpan? lockTimeout = null)
        {
            using (var held = ConfigFileLock.Acquire(filePath, lockTimeout))
            {
                var plan = PlanIgnoreErrorCodes(filePath, indexName, codes);
                if (!plan.IsNoOp && (confirm is null || confirm(plan)))
                {
                    ApplyLocked(plan);
                }

                return plan;
            }
        }

        private static void ApplyLocked(EditPlan plan)
        {
            if (plan.CreatesFile)
            {
                CreateLocked(plan);
                return;
            }

            var path = plan.FilePath;
            var directory = Path.GetDirectoryName(path) ?? ".";
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException("Cannot write " + path + ": the folder " + directory + " does not exist.");
            }

            // A link is edited where it points, and stays a link: the new file is written beside the target and renamed over it.
            var target = ConfigFileLock.ResolvePath(Path.GetFullPath(path));
            var targetDirectory = Path.GetDirectoryName(target) ?? directory;

            byte[] current;
            try
            {
                current = File.ReadAllBytes(path);
            }
            catch (FileNotFoundException)
            {
                throw new IOException("Refusing to edit " + path + ": the file was removed since it was read.");
            }

            if (!current.AsSpan().SequenceEqual(plan.Original))
            {
                throw new IOException("Refusing to edit " + path + ": the file changed since it was read. Read it again and retry.");
            }

            if (plan.Updated.AsSpan().SequenceEqual(plan.Original))
            {
                return;
            }

            if ((File.GetAttributes(path) & FileAttributes.ReadOnly) != 0)
            {
                throw new UnauthorizedAccessException("Cannot write " + path + ": the file is read-only.");
            }

            var status = UnixFileSystem.Stat(target);
            if (status is UnixFileStatus linked && linked.Links > 1 && !plan.AllowBreakingHardLinks)
            {
                throw new HardLinkedFileException(path, (int)Math.Min(linked.Links, int.MaxValue));
            }

            var temp = Path.Combine(targetDirectory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(plan.Updated, 0, plan.Updated.Length);
                    stream.Flush(true);
                }

                CopyUnixFileMode(target, temp);
                KeepOwner(path, target, temp, status);
                File.Replace(temp, target, null);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                TryDelete(temp);
                if (ex is HardLinkedFileException)
                {
                    throw;
                }

                throw new IOException("Cannot write " + path + ": " + ex.Message, ex);
            }
        }

        /// <summary>
        /// The replacement keeps the file's owner and group (root editing another user's uv.toml leaves it theirs): the new
        /// file is given them before it is renamed into place. When that is not allowed (a user who is not in the file's
        /// group), the edit is refused and the file left as it was, rather than changing who owns it.
        /// </summary>
        private static void KeepOwner(string path, string target, string temp, UnixFileStatus? original)
        {
            if (original is not UnixFileStatus wanted || UnixFileSystem.Stat(temp) is not UnixFileStatus written)
            {
                return;
            }

            if (written.Uid == wanted.Uid && written.Gid == wanted.Gid)
            {
                return;
            }

            var error = UnixFileSystem.Chown(temp, wanted.Uid, wanted.Gid);
            if (error != null)
            {
                throw new IOException("cannot keep its owner and group (uid " + wanted.Uid + ", gid " + wanted.Gid + ") on the edited file: " + error + "; the file was left unchanged.");
            }

            // chown clears the set-id bits: give the permission bits back as they were.
            UnixFileSystem.Chmod(temp, wanted.Permissions);
        }

        private static readonly System.Reflection.MethodInfo? GetUnixFileMode =
            typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });

        private static readonly System.Reflection.MethodInfo? SetUnixFileMode =
            GetUnixFileMode is null ? null : typeof(File).GetMethods().FirstOrDefault(m => m.Name == "SetUnixFileMode" && m.GetParameters().Length == 2 && m.GetParameters()[0].ParameterType == typeof(string));

        /// <summary>
        /// The replacement file keeps the original's permission bits (a user uv.toml with mode 600 stays 600). The API
        /// exists on .NET 7+ (where PowerShell 7 runs) but not in netstandard2.0, hence reflection; on Windows and
        /// .NET Framework there is nothing to copy.
        /// </summary>
        private static void CopyUnixFileMode(string from, string to)
        {
            if (GetUnixFileMode is null || SetUnixFileMode is null || System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
            {
                return;
            }

            var mode = GetUnixFileMode.Invoke(null, new object[] { from });
            SetUnixFileMode.Invoke(null, new[] { to, mode });
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        internal static TomlTableNode? FindIndexTable(TomlFile file, string indexName)
        {
            var isPyProject = string.Equals(Path.GetFileName(file.Path), "pyproject.toml", StringComparison.OrdinalIgnoreCase);
            var owner = isPyProject ? file.Root.GetTable("tool.uv") : file.Root;
            if (owner?.Get("index") is TomlArrayNode array)
            {
                foreach (var item in array.Items)
                {
                    if (item is TomlTableNode table && table.Get("name") is TomlScalar { Value: string name } && name == indexName)
                    {
                        return table;
                    }
                }
            }

            return null;
        }

        /// <summary>The characters to delete to remove a key: its whole line in a table, or the item and one comma in an inline table.</summary>
        private static (int Start, int End) RemovalRange(string text, KeyValueSyntax keyValue, bool inline)
        {
            if (!inline)
            {
                var start = keyValue.Span.Offset;
                while (start > 0 && (text[start - 1] == ' ' || text[start - 1] == '\t'))
                {
                    start--;
                }

                var end = LineEnd(text, keyValue.Value!.Span.Offset + keyValue.Value.Span.Length);

                // The file's last line, without a final newline: the line ending before it goes too, so that a file
                // that ended without a newline still does (the inverse of Insertion, which adds one before the key).
                if (end >= text.Length && !text.EndsWith("\n", StringComparison.Ordinal))
                {
                    if (start > 0 && text[start - 1] == '\n')
                    {
                        start--;
                        if (start > 0 && text[start - 1] == '\r')
                        {
                            start--;
                        }
                    }
                }

                return (start, end);
            }

            var item = (InlineTableItemSyntax)keyValue.Parent!;
            var items = (SyntaxList<InlineTableItemSyntax>)item.Parent!;
            var position = -1;
            for (var i = 0; i < items.ChildrenCount; i++)
            {
                if (ReferenceEquals(items.GetChild(i), item))
                {
                    position = i;
                }
            }

            var valueEnd = keyValue.Value!.Span.Offset + keyValue.Value.Span.Length;
            if (item.Comma is SyntaxToken comma)
            {
                // `key = v, next` → `next`
                var next = items.GetChild(position + 1)!.KeyValue!.Span.Offset;
                return (keyValue.Span.Offset, next);
            }

            if (position > 0)
            {
                // `prev, key = v }` → `prev }`
                var previousComma = items.GetChild(position - 1)!.Comma!;
                return (previousComma.Span.Offset, valueEnd);
            }

            return (keyValue.Span.Offset, valueEnd);
        }

        /// <summary>
        /// The end of the physical line a key/value ends on, past its newline: the comment after the value belongs to
        /// that line (the last line of a file without a final newline ends at the end of the text).
        /// </summary>
        private static int LineEnd(string text, int valueEnd)
        {
            var newline = text.IndexOf('\n', valueEnd);
            return newline < 0 ? text.Length : newline + 1;
        }

        /// <summary>Where and what to insert to add a new key to an index table.</summary>
        private static (int Offset, string Text) Insertion(TomlFile file, TomlTableNode table, string line)
        {
            var text = file.Text;
            if (table.IsInline)
            {
                var inline = (InlineTableSyntax)table.Header!;
                var last = inline.Items.GetChild(inline.Items.ChildrenCount - 1)!;
                var valueEnd = last.KeyValue!.Value!.Span.Offset + last.KeyValue.Value.Span.Length;
                return (valueEnd, ", " + line);
            }

            var header = (TableSyntaxBase)table.Header!;
            KeyValueSyntax? lastKeyValue = null;
            foreach (var keyValue in header.Items)
            {
                lastKeyValue = keyValue;
            }

            if (lastKeyValue is null)
            {
                var headerEnd = header.EndOfLineToken is SyntaxToken headerEol ? headerEol.Span.Offset + headerEol.Span.Length : header.CloseBracket!.Span.Offset + header.CloseBracket.Span.Length;
                var afterNewline = headerEnd > 0 && text[headerEnd - 1] == '\n';
                return afterNewline ? (headerEnd, line + file.LineEnding) : (headerEnd, file.LineEnding + line);
            }

            var lineStart = lastKeyValue.Span.Offset;
            while (lineStart > 0 && (text[lineStart - 1] == ' ' || text[lineStart - 1] == '\t'))
            {
                lineStart--;
            }

            var indent = text.Substring(lineStart, lastKeyValue.Span.Offset - lineStart);
            var end = LineEnd(text, lastKeyValue.Value!.Span.Offset + lastKeyValue.Value.Span.Length);

            if (end > 0 && text[end - 1] == '\n')
            {
                return (end, indent + line + file.LineEnding);
            }

            return (end, file.LineEnding + indent + line);
        }
    }
}
