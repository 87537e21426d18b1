using System;
using System.Collections.Generic;
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
        }

        public string FilePath { get; }

        public string IndexName { get; }

        /// <summary>The current TOML text of ignore-error-codes (e.g. <c>[401]</c>), or null when absent.</summary>
        public string? OldValue { get; }

        /// <summary>The new TOML text, or null when the key is removed.</summary>
        public string? NewValue { get; }

        /// <summary>True when the file would not change.</summary>
        public bool IsNoOp => OldValue == NewValue;

        /// <summary>The file's bytes when read (Apply refuses if the file no longer has them).</summary>
        internal byte[] Original { get; }

        internal byte[] Updated { get; }

        public override string ToString()
        {
            return "ignore-error-codes of index '" + IndexName + "' in " + FilePath + ": " + (OldValue ?? "(absent)") + " -> " + (NewValue ?? "(removed)");
        }
    }

    /// <summary>Edits uv configuration files in place, byte-for-byte outside the changed value, atomically.</summary>
    public static class ConfigEditor
    {
        /// <summary>The file that defines <paramref name="indexName"/> for the given scope (project: the discovered project file; user: the user uv.toml, created when absent).</summary>
        public static string FindTargetFile(string startPath, ConfigScope scope, string indexName, EngineEnvironment environment)
        {
            throw new NotImplementedException("config issue");
        }

        /// <summary>Plans setting (<paramref name="codes"/> non-null, possibly empty) or removing (null) ignore-error-codes on one index. Never writes.</summary>
        public static EditPlan PlanIgnoreErrorCodes(string filePath, string indexName, IReadOnlyList<int>? codes)
        {
            throw new NotImplementedException("config issue");
        }

        /// <summary>Writes the plan atomically; refuses (IOException naming the file) when the file changed since it was read.</summary>
        public static void Apply(EditPlan plan)
        {
            throw new NotImplementedException("config issue");
        }
    }
}
