namespace IndexTools.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Sets or removes ignore-error-codes on one [[tool.uv.index]] entry, in place.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IndexIgnoredCodes", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = CodesSet)]
    [OutputType(typeof(IndexPolicy))]
    public sealed class SetIndexIgnoredCodesCommand : IndexToolsCmdlet
    {
        // Two sets only: -Path and -Scope are in both (exclusive, checked per record), so that a piped IndexPolicy can
        // still bind Path by property name after -Reset or -StatusCode chose the set.
        private const string CodesSet = "Codes";
        private const string ResetSet = "Reset";

        private bool _yesToAll;
        private bool _noToAll;

        /// <summary>
        /// The index to edit. Null or empty is accepted from the pipeline so that a Test-PyIndex or Get-IndexStrategy row
        /// for an index without a name (the implicit PyPI default, a URL given with -Index) is skipped when there is
        /// nothing to set for it, and reported as IndexNameRequired when there is.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [AllowNull]
        [AllowEmptyString]
        public string Name { get; set; } = "";

        /// <summary>The codes to ignore; bound from a Test-PyIndex result's RecommendedIgnoreErrorCodes on the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = CodesSet, ValueFromPipelineByPropertyName = true)]
        [Alias("RecommendedIgnoreErrorCodes")]
        [AllowEmptyCollection]
        [AllowNull]
        [ValidateStatusCodes]
        public int[]? StatusCode { get; set; } = Array.Empty<int>();

        /// <summary>
        /// The index's URL: the entry named -Name is created with it when the file has none (the user uv.toml too, when
        /// absent), or the file's index-url / extra-index-url with this URL becomes that entry at the same search position.
        /// Never bound from the pipeline (piped URLs are redacted).
        /// </summary>
        [Parameter(ParameterSetName = CodesSet)]
        [ValidateNotNullOrEmpty]
        public string? Url { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ResetSet)]
        public SwitchParameter Reset { get; set; }

        /// <summary>
        /// The pyproject.toml or uv.toml to edit, or a project folder: in a folder the file is found as uv finds it (uv.toml
        /// before pyproject.toml, walking up to the workspace), as if the command ran there. A path that does not exist is
        /// an error (with -Url, a uv.toml not yet there in an existing folder is created). A piped IndexPolicy or Test-PyIndex
        /// result gives its ConfigFile (the file that defines the index) when -Path is not given.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Path { get; set; }

        /// <summary>
        /// The piped object itself, read for its ConfigFile (IndexPolicy, Test-PyIndex results): the file to edit when -Path
        /// is not given. Not an alias of -Path: -ConfigFile means uv's --config-file on every other cmdlet.
        /// </summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Project (default) or User; not with -Path.</summary>
        [Parameter]
        [ValidateSet("Project", "User")]
        public string? Scope { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            if (string.IsNullOrEmpty(Name))
            {
                if (!Reset.IsPresent && StatusCode is null)
                {
                    WriteVerbose("An index without a name has nothing recommended; skipped.");
                    return;
                }

                WriteError(ErrorTable.Record(
                    CmdletErrorKind.IndexNameRequired,
                    new ArgumentException("Only a named [[tool.uv.index]] entry can be edited; this index has no name (the implicit PyPI default, or a URL given with -Index)."),
                    Name));
                return;
            }

            var environment = ConfigurationParameters.Environment(this);
            var here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            var pathValue = string.IsNullOrEmpty(Path) ? PipedConfigFile() : Path;
            var byPath = !string.IsNullOrEmpty(pathValue);
            if (byPath && Scope != null)
            {
                WriteError(ErrorTable.Record(CmdletErrorKind.PathAndScopeConflict, new ArgumentException("Give either -Path (or a piped IndexPolicy's ConfigFile) or -Scope, not both."), pathValue));
                return;
            }

            if (!Reset.IsPresent && StatusCode is null)
            {
                // A piped Test-PyIndex result without a recommendation: nothing to set for this index.
                WriteVerbose("'" + Name + "': no status codes to set (nothing recommended); nothing to change.");
                return;
            }

            string? pathFile = null;
            if (byPath)
            {
                // With -Url a uv.toml may be created; anything else must exist. Per record: one bad piped path does not stop the rest.
                var problem = PathParameters.Find(this, pathValue!, "Path", CmdletErrorKind.PathNotFound, allowNew: Url != null, out pathFile);
                if (problem != null)
                {
                    WriteError(problem);
                    return;
                }

                if (Directory.Exists(pathFile))
                {
                    // A project folder: the file is chosen there as uv chooses it, as if the command ran in that folder.
                    here = pathFile!;
                    byPath = false;
                    pathFile = null;
                }
            }

            int[]? codes = Reset.IsPresent ? null : StatusCode!.Distinct().OrderBy(c => c).ToArray();

            string file;
            EditPlan plan;
            ConfigFileLock? editLock = null;
            try
            {
                var scope = string.Equals(Scope, "User", StringComparison.OrdinalIgnoreCase) ? ConfigScope.User : ConfigScope.Project;
                file = byPath
                    ? pathFile!
                    : Url != null
                        ? ConfigEditor.FindEntryFile(here, scope, environment)
                        : ConfigEditor.FindTargetFile(here, scope, Name, environment);

                // Held from the read to the write: a concurrent Set-IndexIgnoredCodes on the same file waits, so no update is lost.
                editLock = ConfigFileLock.Acquire(file);
                plan = Url != null
                    ? ConfigEditor.PlanIndexEntry(file, Name, Url, codes!, byPath ? System.IO.Path.GetDirectoryName(file) ?? here : here, environment)
                    : ConfigEditor.PlanIgnoreErrorCodes(file, Name, codes);
            }
            catch (Exception e)
            {
                editLock?.Dispose();
                WriteEngineError(e, Name);
                return;
            }

            using (editLock)
            {
                if (!Edit(plan, codes, byPath, here, environment, editLock!))
                {
                    return;
                }
            }

            if (PassThru.IsPresent)
            {
                var policy = ReadPolicy(plan.FilePath, byPath ? plan.FilePath : here, environment);
                if (policy != null)
                {
                    WriteObject(policy);
                }
            }
        }

        /// <summary>The ConfigFile of a piped IndexPolicy / Test-PyIndex result; null for anything else.</summary>
        private string? PipedConfigFile()
        {
            var value = InputObject?.Properties["ConfigFile"]?.Value;
            if (value is PSObject wrapped)
            {
                value = wrapped.BaseObject;
            }

            return value as string;
        }

        /// <summary>Confirms and writes the plan under the held lock; false when nothing should follow (declined, failed).</summary>
        private bool Edit(EditPlan plan, int[]? codes, bool byPath, string here, EngineEnvironment environment, ConfigFileLock editLock)
        {
            var target = TargetText(plan.FilePath, Name);
            var action = codes is null ? "Remove ignore-error-codes" : "Set ignore-error-codes = " + CodesText(codes);
            if (plan.Kind != EditKind.IgnoreErrorCodes)
            {
                target = plan.FilePath + (plan.CreatesFile ? " (new file)" : "");
                action = (plan.Kind == EditKind.CreateIndex
                    ? "Create [[index]] '" + Name + "' (" + plan.Url + ")"
                    : "Convert " + plan.ConvertedFrom + " " + plan.Url + " into [[index]] '" + Name + "'")
                    + " with ignore-error-codes = " + CodesText(codes!);
                if (plan.Kind == EditKind.CreateIndex && plan.Governs && plan.SameUrlElsewhere.Count > 0)
                {
                    WriteWarning("'" + Name + "': " + plan.Url + " is also defined at " + string.Join(", ", plan.SameUrlElsewhere.ToArray())
                        + "; the new entry comes first in uv's definition order, so its ignore-error-codes govern that URL there too, and it is searched from its new position (see -WhatIf).");
                }

                if (!plan.Governs && plan.GoverningEntry != null)
                {
                    WriteWarning("'" + Name + "': " + plan.GoverningEntry + " defines " + plan.Url + " first, so its ignore-error-codes govern that URL here, not the new entry's (uv takes the first configured index whose URL matches).");
                }
            }

            if (!plan.IsNoOp && plan.HardLinkCount > 1)
            {
                // The edit replaces the file: its other names (hard links) would keep the old content. Only with -Force.
                if (!Force.IsPresent)
                {
                    WriteEngineError(new HardLinkedFileException(plan.FilePath, plan.HardLinkCount), plan.FilePath);
                    return false;
                }

                plan.AllowBreakingHardLinks = true;
                WriteWarning(plan.FilePath + " has " + plan.HardLinkCount + " hard links: -Force edits it anyway, which breaks the link (the other names keep the old content).");
            }

            if (plan.IsNoOp)
            {
                WriteVerbose(target + ": ignore-error-codes is already " + (plan.OldValue ?? "absent") + "; nothing to change.");
            }
            else if ((plan.Kind == EditKind.IgnoreErrorCodes
                ? Prompts.ShouldProcess(this, target, action, out var cannotConfirm)
                : Prompts.ShouldProcess(this, OrderText(action, target, plan), "Are you sure you want to perform this action?" + System.Environment.NewLine + OrderText(action, target, plan), "Confirm", out cannotConfirm)) is bool confirmed)
            {
                if (!confirmed)
                {
                    return false;
                }

                var pytorch = plan.Kind == EditKind.IgnoreErrorCodes ? IsPyTorchIndex(plan.FilePath, byPath ? plan.FilePath : here, environment) : StatusCodePolicy.IsPyTorch(Url ?? "");
                if (Weakens(codes) && !Force.IsPresent && !pytorch)
                {
                    var query = "Ignoring " + string.Join(" and ", codes!.Where(c => c == 401 || c == 403).Select(c => c.ToString()).ToArray())
                        + " on '" + Name + "' lets the search continue to later indexes when this index refuses a request, "
                        + "which weakens protection against dependency confusion. Continue?";

                    // Defaults to No: pressing Enter keeps the protection (issue 17.4).
                    var answer = Prompts.Confirm(this, query, "Weaken dependency-confusion protection", defaultYes: false, ref _yesToAll, ref _noToAll, "-Force", out var cannotAsk);
                    if (answer is null)
                    {
                        WriteError(cannotAsk!);
                        return false;
                    }

                    if (answer == false)
                    {
                        return false;
                    }
                }

                try
                {
                    ConfigEditor.Apply(plan, editLock);
                }
                catch (Exception e)
                {
                    WriteEngineError(e, plan.FilePath);
                    return false;
                }
            }
            else
            {
                // The host could not ask the ShouldProcess question (-Confirm in a non-interactive session).
                WriteError(cannotConfirm!);
                return false;
            }

            return true;
        }

        /// <summary>The -WhatIf text: <c>Performing the operation ... on target ...</c>, with the search order before and after for a new or converted entry.</summary>
        internal static string OrderText(string action, string target, EditPlan plan)
        {
            var text = "Performing the operation \"" + action + "\" on target \"" + target + "\".";
            if (plan.Kind == EditKind.IgnoreErrorCodes)
            {
                return text;
            }

            var nl = System.Environment.NewLine;
            return text + nl + "Search order before:" + nl + string.Concat(plan.SearchOrderBefore.Select(l => "  " + l + nl))
                + "Search order after:" + nl + string.Join(nl, plan.SearchOrderAfter.Select(l => "  " + l).ToArray());
        }

        /// <summary><c>/p/pyproject.toml [[tool.uv.index]] 'internal'</c>: file and index, as ShouldProcess shows it.</summary>
        internal static string TargetText(string file, string indexName)
        {
            return file + " [[tool.uv.index]] '" + indexName + "'";
        }

        /// <summary><c>[401, 403]</c>, as TOML writes it.</summary>
        internal static string CodesText(int[] codes)
        {
            return "[" + string.Join(", ", codes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()) + "]";
        }

        internal static bool Weakens(int[]? codes)
        {
            return codes != null && (codes.Contains(401) || codes.Contains(403));
        }

        private bool IsPyTorchIndex(string file, string startPath, EngineEnvironment environment)
        {
            var definition = FindIndex(file, startPath, environment);
            return definition != null
                && Uri.TryCreate(definition.Url, UriKind.Absolute, out var uri)
                && string.Equals(uri.Host, "download.pytorch.org", StringComparison.OrdinalIgnoreCase);
        }

        private IndexDefinition? FindIndex(string file, string startPath, EngineEnvironment environment)
        {
            IndexSettings settings;
            try
            {
                settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = startPath }, environment);
            }
            catch (IndexConfigurationException)
            {
                return null;
            }

            return settings.Indexes.FirstOrDefault(i => string.Equals(i.Name, Name, StringComparison.Ordinal) && string.Equals(i.Source.FilePath, file, StringComparison.Ordinal))
                ?? settings.Indexes.FirstOrDefault(i => string.Equals(i.Name, Name, StringComparison.Ordinal));
        }

        private IndexPolicy? ReadPolicy(string file, string startPath, EngineEnvironment environment)
        {
            try
            {
                var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = startPath }, environment);
                var policies = IndexPolicies.Describe(settings);
                return policies.FirstOrDefault(p => string.Equals(p.Name, Name, StringComparison.Ordinal) && string.Equals(p.ConfigFile, file, StringComparison.Ordinal))
                    ?? policies.FirstOrDefault(p => string.Equals(p.Name, Name, StringComparison.Ordinal));
            }
            catch (Exception e)
            {
                WriteEngineError(e, file);
                return null;
            }
        }

        private void WriteEngineError(Exception exception, object target)
        {
            var record = EngineErrors.FromException(exception, target);
            if (record is null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception).Throw();
            }

            WriteError(record);
        }
    }

    /// <summary>
    /// -StatusCode's check: every code uv's parser takes (StatusCode::from_u16: 100..999). Null passes (unlike ValidateRange) so that a piped Test-PyIndex
    /// result whose RecommendedIgnoreErrorCodes is null is skipped instead of failing the binding.
    /// </summary>
    internal sealed class ValidateStatusCodesAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if (arguments is null)
            {
                return;
            }

            var values = arguments is System.Collections.IEnumerable list && !(arguments is string) ? list.Cast<object>() : new[] { arguments };
            foreach (var value in values)
            {
                var code = LanguagePrimitives.ConvertTo<int>(value is PSObject wrapped ? wrapped.BaseObject : value);
                if (!Engine.Indexes.StatusCodePolicy.IsValidStatusCode(code))
                {
                    throw new ValidationMetadataException("The status code " + code + " is not between " + Engine.Indexes.StatusCodePolicy.MinStatusCode + " and " + Engine.Indexes.StatusCodePolicy.MaxStatusCode + " (what uv accepts in ignore-error-codes).");
                }
            }
        }
    }
}
