using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Projects
{
    /// <summary>One requirement read from a project file, a lock or a requirements file, with where it was written.</summary>
    public sealed class ProjectRequirement
    {
        public ProjectRequirement(Requirement requirement, string file, int? line, string origin, string? extra = null, string? group = null)
        {
            Requirement = requirement ?? throw new ArgumentNullException(nameof(requirement));
            File = file;
            Line = line;
            Origin = origin;
            Extra = extra;
            Group = group;
        }

        /// <summary>The optional-dependency group (extra) the requirement was read from; null otherwise.</summary>
        public string? Extra { get; }

        /// <summary>The dependency group being read when the requirement was met (the including group for include-group); null otherwise.</summary>
        public string? Group { get; }

        /// <summary>For a uv.lock entry: the registry URL it was locked from (the lock's text); null otherwise.</summary>
        public string? Registry { get; internal set; }

        /// <summary>The same requirement written again elsewhere (another extra or group), which may select another <c>[tool.uv.sources]</c> entry.</summary>
        public List<ProjectRequirement> AlsoRequiredBy { get; } = new List<ProjectRequirement>();

        /// <summary>The parsed requirement; its text (markers included) is <see cref="Versions.Requirement.Original"/>.</summary>
        public Requirement Requirement { get; }

        /// <summary>Full path of the file the requirement was read from.</summary>
        public string File { get; }

        /// <summary>1-based line, when known.</summary>
        public int? Line { get; }

        /// <summary>Where in the file: <c>[project].dependencies</c>, <c>[project.optional-dependencies].dev</c>, <c>[dependency-groups].test</c>, <c>uv.lock</c>, or <c>requirements</c>.</summary>
        public string Origin { get; }

        /// <summary><c>file:line</c> (the file name only), followed by the origin for TOML files: <c>pyproject.toml:12 [project].dependencies</c>; a lock entry reads <c>uv.lock:36</c>.</summary>
        public string Location
        {
            get
            {
                var name = System.IO.Path.GetFileName(File);
                var text = name + (Line.HasValue ? ":" + Line.Value : "");
                return Origin == RequirementsFileReader.OriginName || string.Equals(Origin, name, StringComparison.Ordinal) ? text : text + " " + Origin;
            }
        }

        public override string ToString() => Requirement.Original + " (" + Location + ")";
    }

    /// <summary>How serious a problem found while reading project input is.</summary>
    public enum ProjectProblemKind
    {
        /// <summary>The entry cannot be searched (a bad requirement, an unknown option, a missing include): an error.</summary>
        Error,
        /// <summary>The entry is valid but not searched on indexes (an editable, a direct URL, a path or git source): verbose.</summary>
        Skipped,
    }

    /// <summary>A line or entry that was not turned into a requirement, and why (file and line named).</summary>
    /// <param name="Kind">Whether the entry is an error or skipped.</param>
    /// <param name="ErrorKind">What kind of problem: InvalidRequirement, UnknownRequirementsOption, RequirementsIncludeNotFound, RequirementsIncludeCycle, UnknownExtra, UnknownDependencyGroup, DependencyGroupCycle, InvalidLockEntry, DirectReference, ... (the cmdlets map it to an ErrorId).</param>
    /// <param name="File">The file the entry is in.</param>
    /// <param name="Line">1-based line, when known.</param>
    /// <param name="Message">A plain sentence that starts with <c>file:line:</c>; no secrets (URLs redacted).</param>
    public sealed record ProjectProblem(ProjectProblemKind Kind, ErrorKind ErrorKind, string File, int? Line, string Message)
    {
        public string Location => File + (Line.HasValue ? ":" + Line.Value : "");

        public override string ToString() => Message;
    }

    /// <summary>
    /// An index option line of a requirements file (<c>--index-url</c>, <c>--extra-index-url</c>, <c>-i</c>,
    /// <c>--find-links</c>, <c>-f</c>, <c>--no-index</c>). Reported, never applied: these lines are read by
    /// <c>uv pip install -r</c>, but they are not part of uv's configuration, and the search here uses that configuration.
    /// </summary>
    /// <param name="File">The requirements file.</param>
    /// <param name="Line">1-based line of the option.</param>
    /// <param name="Option">The option's long name: <c>--index-url</c>, <c>--extra-index-url</c>, <c>--find-links</c> or <c>--no-index</c>.</param>
    /// <param name="Value">The option's value, credentials redacted; null for <c>--no-index</c>.</param>
    public sealed record RequirementsIndexOption(string File, int Line, string Option, string? Value);

    /// <summary>What was read from one project input: requirements in file order, problems, and reported index options.</summary>
    public sealed class ProjectInput
    {
        public ProjectInput(string path)
        {
            Path = path;
        }

        /// <summary>The file given (pyproject.toml, uv.lock, or the top requirements file).</summary>
        public string Path { get; }

        public List<ProjectRequirement> Requirements { get; } = new List<ProjectRequirement>();

        /// <summary>[project].requires-python as written, when the input is a pyproject.toml that has one.</summary>
        public string? RequiresPython { get; set; }

        /// <summary>Where requires-python was read (<c>pyproject.toml:4</c>).</summary>
        public string? RequiresPythonSource { get; set; }

        public List<ProjectProblem> Problems { get; } = new List<ProjectProblem>();

        public List<RequirementsIndexOption> IndexOptions { get; } = new List<RequirementsIndexOption>();

        /// <summary>Adds a requirement unless the same requirement text for the same package is already there (first origin wins).</summary>
        internal void Add(ProjectRequirement requirement)
        {
            foreach (var existing in Requirements)
            {
                if (string.Equals(existing.Requirement.NormalizedName, requirement.Requirement.NormalizedName, StringComparison.Ordinal)
                    && string.Equals(Canonical(existing.Requirement), Canonical(requirement.Requirement), StringComparison.Ordinal)
                    && string.Equals(existing.Registry, requirement.Registry, StringComparison.Ordinal))
                {
                    if (existing.Extra != requirement.Extra || existing.Group != requirement.Group)
                    {
                        existing.AlsoRequiredBy.Add(requirement);
                    }

                    return;
                }
            }

            Requirements.Add(requirement);
        }

        private static string Canonical(Requirement requirement)
        {
            return requirement.Original.Replace(" ", "").Replace("\t", "");
        }
    }
}
