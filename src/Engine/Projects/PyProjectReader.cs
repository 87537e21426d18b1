using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Projects
{
    /// <summary>
    /// Reads a project's own dependencies from its pyproject.toml: <c>[project].dependencies</c>,
    /// <c>[project.optional-dependencies]</c> (PEP 621) and <c>[dependency-groups]</c> (PEP 735, with
    /// <c>{include-group = "..."}</c>). Packages that <c>[tool.uv.sources]</c> takes from git, a URL, a path or the
    /// workspace are not searched on indexes (uv does not search them either) and come back as Skipped problems.
    /// </summary>
    public static class PyProjectReader
    {
        /// <summary>
        /// <paramref name="extras"/> / <paramref name="groups"/>: null for all, empty for none, else the names to take
        /// (an unknown name is an error problem). Throws <see cref="IndexConfigurationException"/> (file, line, column)
        /// when the file is not valid TOML, FileNotFoundException when it does not exist.
        /// </summary>
        public static ProjectInput Read(string path, IReadOnlyCollection<string>? extras = null, IReadOnlyCollection<string>? groups = null)
        {
            if (path is null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            var full = System.IO.Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException("The project file " + full + " does not exist.", full);
            }

            var file = TomlFile.Read(full);
            var input = new ProjectInput(full);
            var nonIndexSources = NonIndexSources(file.Root);

            var project = file.Root.Get("project") as TomlTableNode;
            if (project?.Get("requires-python") is TomlScalar { Value: string requiresPython } requiresNode)
            {
                // The target's bound for the project's own dependencies (uv lock resolves for this range).
                input.RequiresPython = requiresPython;
                input.RequiresPythonSource = System.IO.Path.GetFileName(full) + ":" + requiresNode.Line;
            }
            if (project?.Get("dependencies") is TomlNode dependencies)
            {
                ReadList(input, full, dependencies, "[project].dependencies", nonIndexSources, null);
            }

            var optional = project?.Get("optional-dependencies") as TomlTableNode;
            var extraNames = optional?.Entries.Select(e => e.Key).ToList() ?? new List<string>();
            foreach (var wanted in Selected(extras, extraNames, input, full, optional, ErrorKind.UnknownExtra, "extra", "[project.optional-dependencies]"))
            {
                ReadList(input, full, optional!.Find(wanted)!.Value, "[project.optional-dependencies]." + wanted, nonIndexSources, wanted);
            }

            var dependencyGroups = file.Root.Get("dependency-groups") as TomlTableNode;
            var groupNames = dependencyGroups?.Entries.Select(e => e.Key).ToList() ?? new List<string>();
            foreach (var wanted in Selected(groups, groupNames, input, full, dependencyGroups, ErrorKind.UnknownDependencyGroup, "dependency group", "[dependency-groups]"))
            {
                ReadGroup(input, full, dependencyGroups!, wanted, new List<string>(), nonIndexSources, wanted);
            }

            return input;
        }

        /// <summary>The names to read, in file order; an asked-for name that the table does not have becomes a problem.</summary>
        private static IEnumerable<string> Selected(IReadOnlyCollection<string>? asked, List<string> present, ProjectInput input, string file, TomlTableNode? table, ErrorKind errorKind, string what, string tableName)
        {
            if (asked is null)
            {
                return present;
            }

            var result = new List<string>();
            foreach (var name in asked)
            {
                var match = present.FirstOrDefault(p => string.Equals(PackageName.Normalize(p), PackageName.Normalize(name), StringComparison.Ordinal));
                if (match is null)
                {
                    input.Problems.Add(new ProjectProblem(
                        ProjectProblemKind.Error,
                        errorKind,
                        file,
                        table?.Line > 0 ? table.Line : null,
                        file + ": the " + what + " '" + name + "' is not defined in " + tableName + (present.Count == 0 ? " (the table is empty or missing)." : " (defined: " + string.Join(", ", present) + ").")));
                }
                else if (!result.Contains(match))
                {
                    result.Add(match);
                }
            }

            return result;
        }

        private static void ReadGroup(ProjectInput input, string file, TomlTableNode groups, string name, List<string> stack, Dictionary<string, string> nonIndexSources, string loweringGroup)
        {
            var entry = groups.Entries.FirstOrDefault(e => string.Equals(PackageName.Normalize(e.Key), PackageName.Normalize(name), StringComparison.Ordinal));
            if (entry is null)
            {
                return;
            }

            stack.Add(PackageName.Normalize(entry.Key));
            var origin = "[dependency-groups]." + entry.Key;
            if (entry.Value is TomlArrayNode array)
            {
                foreach (var item in array.Items)
                {
                    if (item is TomlTableNode include)
                    {
                        if (include.Get("include-group") is TomlScalar { Value: string included })
                        {
                            var normalized = PackageName.Normalize(included);
                            if (stack.Contains(normalized))
                            {
                                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Error, ErrorKind.DependencyGroupCycle, file, Line(item),
                                    file + ":" + item.Line + ": dependency group '" + entry.Key + "' includes '" + included + "', which includes it again (" + string.Join(" -> ", stack) + " -> " + normalized + ")."));
                            }
                            else if (!groups.Entries.Any(e => string.Equals(PackageName.Normalize(e.Key), normalized, StringComparison.Ordinal)))
                            {
                                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Error, ErrorKind.UnknownDependencyGroup, file, Line(item),
                                    file + ":" + item.Line + ": dependency group '" + entry.Key + "' includes '" + included + "', which is not defined in [dependency-groups]."));
                            }
                            else
                            {
                                ReadGroup(input, file, groups, included, stack, nonIndexSources, loweringGroup);
                            }
                        }
                        else
                        {
                            input.Problems.Add(new ProjectProblem(ProjectProblemKind.Error, ErrorKind.InvalidDependencyGroup, file, Line(item),
                                file + ":" + item.Line + ": a table in dependency group '" + entry.Key + "' must be {include-group = \"<name>\"}."));
                        }
                    }
                    else
                    {
                        ReadItem(input, file, item, origin, nonIndexSources, null, loweringGroup);
                    }
                }
            }
            else
            {
                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Error, ErrorKind.InvalidDependencyGroup, file, Line(entry.Value),
                    file + ":" + entry.Value.Line + ": dependency group '" + entry.Key + "' must be an array."));
            }

            stack.RemoveAt(stack.Count - 1);
        }

        private static void ReadList(ProjectInput input, string file, TomlNode node, string origin, Dictionary<string, string> nonIndexSources, string? extra)
        {
            if (node is TomlArrayNode array)
            {
                foreach (var item in array.Items)
                {
                    ReadItem(input, file, item, origin, nonIndexSources, extra, null);
                }
            }
            else
            {
                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Error, ErrorKind.InvalidRequirement, file, Line(node),
                    file + ":" + node.Line + ": " + origin + " must be an array of requirement strings."));
            }
        }

        private static void ReadItem(ProjectInput input, string file, TomlNode item, string origin, Dictionary<string, string> nonIndexSources, string? extra, string? group)
        {
            if (!(item is TomlScalar { Value: string text }))
            {
                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Error, ErrorKind.InvalidRequirement, file, Line(item),
                    file + ":" + item.Line + ": " + origin + ": " + item.Text + " is not a requirement string."));
                return;
            }

            if (!Requirement.TryParse(text, out var requirement, out var error) || requirement is null)
            {
                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Error, ErrorKind.InvalidRequirement, file, Line(item),
                    file + ":" + item.Line + ": " + origin + ": " + (error ?? "'" + text + "' is not a valid requirement.")));
                return;
            }

            if (requirement.Url is not null)
            {
                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Skipped, ErrorKind.DirectReference, file, Line(item),
                    file + ":" + item.Line + ": '" + requirement.Name + "' is a direct URL reference; uv does not search indexes for it."));
                return;
            }

            if (nonIndexSources.TryGetValue(requirement.NormalizedName, out var kind))
            {
                input.Problems.Add(new ProjectProblem(ProjectProblemKind.Skipped, ErrorKind.NonIndexSource, file, Line(item),
                    file + ":" + item.Line + ": '" + requirement.Name + "' comes from a " + kind + " source in [tool.uv.sources]; uv does not search indexes for it."));
                return;
            }

            input.Add(new ProjectRequirement(requirement, file, Line(item), origin, extra is null ? null : PackageName.Normalize(extra), group is null ? null : PackageName.Normalize(group)));
        }

        /// <summary>Packages that [tool.uv.sources] takes from somewhere other than an index: name → git, url, path or workspace.</summary>
        private static Dictionary<string, string> NonIndexSources(TomlTableNode root)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!(root.GetTable("tool.uv.sources") is TomlTableNode sources))
            {
                return result;
            }

            foreach (var entry in sources.Entries)
            {
                // A source is a table or a list of tables (with markers); any non-index kind means "not only from an index".
                var tables = entry.Value is TomlArrayNode list ? list.Items.OfType<TomlTableNode>() : new[] { entry.Value as TomlTableNode }.Where(t => t != null).Select(t => t!);
                foreach (var table in tables)
                {
                    var kind = new[] { "git", "url", "path", "workspace" }.FirstOrDefault(k => table.Get(k) != null);
                    if (kind != null)
                    {
                        result[PackageName.Normalize(entry.Key)] = kind;
                        break;
                    }
                }
            }

            return result;
        }

        private static int? Line(TomlNode node) => node.Line > 0 ? node.Line : (int?)null;
    }
}
