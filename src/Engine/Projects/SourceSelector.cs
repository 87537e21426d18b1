using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Projects
{
    /// <summary>The <c>[tool.uv.sources]</c> list of one package whose entries depend on an extra, a group or a marker.</summary>
    /// <param name="Package">The package the list is for.</param>
    /// <param name="Entries">The list's entries, in file order.</param>
    /// <param name="FilePath">The pyproject.toml the list is written in.</param>
    public sealed record PackageSources(string Package, IReadOnlyList<SourceEntry> Entries, string FilePath);

    /// <summary>How one requirement is searched: on one index (a source entry applied) or by the normal search.</summary>
    /// <param name="Index">The index the package is pinned to; null for the normal search (no entry applies).</param>
    /// <param name="Entry">The entry that applied; null for the normal search.</param>
    /// <param name="Marker">The environments this choice is for, when it depends on a marker the target does not decide.</param>
    /// <param name="Reason">Which entry applied and why (or why none did), with the alternatives when the target leaves several open.</param>
    public sealed record SourceChoice(string? Index, SourceEntry? Entry, Marker? Marker, string Reason);

    /// <summary>
    /// uv's lowering of a requirement with a list of sources (uv-distribution/src/metadata/lowering.rs
    /// LoweredRequirement::from_requirement): entries for another extra or group are dropped; each remaining entry
    /// covers its marker; what no marker covers falls back to the normal search. Against a target environment the
    /// markers are evaluated and one choice remains; where the target leaves a marker open, every alternative is kept.
    /// </summary>
    public static class SourceSelector
    {
        /// <summary>
        /// <see cref="Choices"/> from every place the project requires <paramref name="requirement"/>: <paramref name="origin"/>
        /// and the entries that also require it (uv lowers each requirement on its own, lowering.rs), without repeats; null
        /// when the package has no conditional sources or <paramref name="origin"/> is null and no marker-only entry applies.
        /// The audits read this; Resolve-PyPackage keeps each place's choices apart, with its location.
        /// </summary>
        public static IReadOnlyList<SourceChoice>? ChoicesFor(IndexSettings settings, Requirement requirement, ProjectRequirement? origin, IReadOnlyDictionary<string, string>? markers)
        {
            var contexts = new List<(string? Extra, string? Group)> { (origin?.Extra, origin?.Group) };
            if (origin != null)
            {
                contexts.AddRange(origin.AlsoRequiredBy.Select(a => (a.Extra, a.Group)));
            }

            List<SourceChoice>? all = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (extra, group) in contexts)
            {
                var choices = Choices(settings, requirement, extra, group, markers);
                if (choices is null)
                {
                    return null;
                }

                all ??= new List<SourceChoice>();
                all.AddRange(choices.Where(c => seen.Add((c.Index ?? "") + "|" + c.Marker)));
            }

            return all;
        }

        /// <summary>The choices the target decides (no open marker) first, then the others, each group in its order.</summary>
        public static IReadOnlyList<SourceChoice> DecidedFirst(IReadOnlyList<SourceChoice>? choices) =>
            choices is null ? Array.Empty<SourceChoice>() : choices.OrderBy(c => c.Marker is null ? 0 : 1).ToArray();

        /// <summary>The choice a search for one target takes: the first of <see cref="DecidedFirst"/>; null for none.</summary>
        public static SourceChoice? Primary(IReadOnlyList<SourceChoice>? choices) => DecidedFirst(choices).FirstOrDefault();

        /// <summary>
        /// The searches for <paramref name="requirement"/> read from <paramref name="extra"/> or <paramref name="group"/>
        /// (both null for <c>[project].dependencies</c> or a name given directly). <paramref name="markers"/>: the target's
        /// marker values (a variable it lacks is open). Null when the package has no conditional sources.
        /// </summary>
        public static IReadOnlyList<SourceChoice>? Choices(IndexSettings settings, Requirement requirement, string? extra, string? group, IReadOnlyDictionary<string, string>? markers)
        {
            if (settings is null)
            {
                throw new ArgumentNullException(nameof(settings));
            }

            if (requirement is null)
            {
                throw new ArgumentNullException(nameof(requirement));
            }

            if (!settings.ConditionalSources.TryGetValue(requirement.NormalizedName, out var sources))
            {
                return null;
            }

            markers ??= new Dictionary<string, string>();
            extra = extra is null ? null : PackageName.Normalize(extra);
            group = group is null ? null : PackageName.Normalize(group);
            var fallbackName = FallbackName(settings);
            var alternatives = Alternatives(sources, fallbackName);
            var applicable = sources.Entries.Where(e => (e.Extra is null || e.Extra == extra) && (e.Group is null || e.Group == group)).ToList();
            var from = extra != null ? "extra '" + extra + "'" : group != null ? "group '" + group + "'" : "the project's dependencies";

            Marker? requirementMarker = null;
            if (requirement.Marker != null && Marker.TryParse(requirement.Marker, out var parsed, out _))
            {
                requirementMarker = parsed;
            }

            var result = new List<SourceChoice>();
            var open = new List<Marker>();
            var covered = false;
            foreach (var entry in applicable)
            {
                var marker = entry.Marker;
                var effective = marker is null ? requirementMarker : requirementMarker is null ? marker : marker.And(requirementMarker);
                var value = effective is null ? true : effective.Evaluate(markers);
                if (value == false || (value is null && effective!.IsDisjoint(effective)))
                {
                    continue;
                }

                var why = "[tool.uv.sources] " + sources.Package + " at " + entry.Source.Description + " (" + entry.Condition + ") applies to " + from
                    + (marker is null ? "" : value == true ? ", and the target matches the marker" : ", for targets where " + marker + " (the target does not decide it)");
                var target = entry.Index ?? entry.Kind;
                result.Add(new SourceChoice(entry.Index, entry, value == true ? null : marker, why + " → " + target + AlternativesText(alternatives)));
                if (value == true && marker is null)
                {
                    covered = true;
                }
                else if (value == true)
                {
                    covered = true;
                }
                else if (marker != null)
                {
                    open.Add(marker);
                }
            }

            if (!covered)
            {
                // What no applicable marker covers: the normal search (uv's "remaining" requirement).
                Marker? remaining = null;
                foreach (var marker in open)
                {
                    var negated = marker.Negate();
                    remaining = remaining is null ? negated : remaining.And(negated);
                }

                var satisfiable = remaining is null || !remaining.IsDisjoint(remaining);
                if (satisfiable && (remaining is null || remaining.Evaluate(markers) != false))
                {
                    string why;
                    if (applicable.Count == 0)
                    {
                        why = "no [tool.uv.sources] " + sources.Package + " entry applies to " + from + " (" + string.Join("; ", sources.Entries.Select(e => e.Condition)) + ")";
                    }
                    else if (open.Count == 0)
                    {
                        why = "the target matches no marker of [tool.uv.sources] " + sources.Package + " (" + string.Join("; ", applicable.Select(e => e.Condition)) + ")";
                    }
                    else
                    {
                        why = "for targets where " + remaining + ", no [tool.uv.sources] " + sources.Package + " entry applies";
                    }

                    result.Add(new SourceChoice(null, null, open.Count == 0 ? null : remaining, why + ": the normal search → " + fallbackName + AlternativesText(alternatives)));
                }
            }

            return result;
        }

        /// <summary>
        /// A lock entry whose name and version the lock also holds from another registry: searched on the configured index
        /// with the entry's registry URL (compared as <see cref="IndexUrl"/>s, a relative path taken from the lock's folder); the normal search
        /// when no named index has that URL.
        /// </summary>
        public static SourceChoice ForLockRegistry(IndexSettings settings, ProjectRequirement entry)
        {
            if (settings is null)
            {
                throw new ArgumentNullException(nameof(settings));
            }

            if (entry?.Registry is null)
            {
                throw new ArgumentException("The requirement is not a registry entry of a uv.lock.", nameof(entry));
            }

            var directory = System.IO.Path.GetDirectoryName(entry.File);
            var wanted = IndexUrl.Parse(entry.Registry, directory);
            var match = settings.Indexes.FirstOrDefault(i => i.Name != null && IndexUrl.Parse(i.Url, directory) == wanted);
            var shown = UrlRedactor.Redact(entry.Registry);
            return match is null
                ? new SourceChoice(null, null, null, "locked from " + shown + " (the lock has this version from another registry too); no configured index has that URL: the normal search")
                : new SourceChoice(match.Name, null, null, "locked from " + shown + " (the lock has this version from another registry too) → " + match.Name);
        }

        /// <summary>Each entry's condition and index, then what happens otherwise: <c>extra 'cpu' → pytorch-cpu, extra 'gpu' → pytorch-cu128, none → pypi</c>.</summary>
        public static string Alternatives(PackageSources sources, string fallbackName)
        {
            if (sources is null)
            {
                throw new ArgumentNullException(nameof(sources));
            }

            var parts = sources.Entries.Select(e => Short(e) + " → " + (e.Index ?? e.Kind)).ToList();
            parts.Add("none → " + fallbackName);
            return string.Join(", ", parts);
        }

        private static string AlternativesText(string alternatives) => " (alternatives: " + alternatives + ")";

        private static string Short(SourceEntry entry)
        {
            var parts = new List<string>();
            if (entry.Extra != null)
            {
                parts.Add(entry.Extra);
            }

            if (entry.Group != null)
            {
                parts.Add("group " + entry.Group);
            }

            if (entry.Marker != null)
            {
                parts.Add(entry.Marker.ToString());
            }

            return parts.Count == 0 ? "always" : string.Join(" and ", parts);
        }

        /// <summary>What the normal search is called: the first index it searches (pypi for the implicit default).</summary>
        private static string FallbackName(IndexSettings settings)
        {
            var first = settings.Indexes.FirstOrDefault(i => !i.IsExplicit);
            if (first is null)
            {
                return "no index";
            }

            if (first.Name is null && first.IndexUrl == IndexUrl.PyPi)
            {
                return "pypi";
            }

            return first.DisplayName;
        }
    }
}
