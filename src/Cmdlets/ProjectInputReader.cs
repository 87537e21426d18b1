namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Resolve-PyPackage's project inputs (-Project, -ProjectPath, -RequirementsPath, -Lock) read through the engine,
    /// with every problem written as an error naming file:line, skipped entries as verbose lines, and index options of
    /// requirements files as a warning plus a <see cref="RequirementsFileOption"/> on the output.
    /// </summary>
    internal static class ProjectInputReader
    {
        /// <summary>
        /// What a piped FileInfo / DirectoryInfo names, as the parameter it stands for: a pyproject.toml, a uv.lock or a
        /// folder is a -ProjectPath, any other file a -RequirementsPath (the other of the two is null).
        /// </summary>
        internal static (string? ProjectPath, string? RequirementsPath) PipedFile(FileSystemInfo item)
        {
            var requirementsFile = item is FileInfo && !string.Equals(item.Name, "pyproject.toml", StringComparison.OrdinalIgnoreCase) && !ProjectLocator.IsLockFile(item.Name);
            return requirementsFile ? (null, item.FullName) : (item.FullName, null);
        }

        /// <summary>Null when nothing can be read (a terminating error has then been thrown).</summary>
        internal static ProjectInput? Read(PSCmdlet cmdlet, EngineEnvironment environment, bool project, string? projectPath, string? requirementsPath, bool lockFile, string[]? extras, string[]? groups)
        {
            ProjectInput input;
            object target = (object?)projectPath ?? (object?)requirementsPath ?? environment.CurrentDirectory;
            try
            {
                if (requirementsPath != null)
                {
                    var full = PathParameters.Existing(cmdlet, requirementsPath, "RequirementsPath", CmdletErrorKind.RequirementsPathNotFound);
                    target = full;
                    if (!File.Exists(full))
                    {
                        NotFound(cmdlet, full, "The requirements file " + full + " does not exist.");
                    }

                    input = RequirementsFileReader.Read(full);
                }
                else
                {
                    string file;
                    if (project)
                    {
                        file = lockFile
                            ? ProjectLocator.FindLock(environment.CurrentDirectory, environment)
                            : ProjectLocator.FindPyProject(environment.CurrentDirectory, environment);
                    }
                    else
                    {
                        file = ProjectLocator.ResolveProjectPath(PathParameters.Existing(cmdlet, projectPath!, "ProjectPath", CmdletErrorKind.ProjectPathNotFound), environment);
                        if (lockFile && !ProjectLocator.IsLockFile(file))
                        {
                            file = ProjectLocator.FindLock(Path.GetDirectoryName(file)!, environment);
                        }
                    }

                    target = file;
                    if (ProjectLocator.IsLockFile(file))
                    {
                        if (extras != null || groups != null)
                        {
                            cmdlet.WriteWarning("-Extra and -Group do not apply to a uv.lock: every registry package of the lock is resolved.");
                        }

                        input = UvLockReader.ReadRequirements(file);
                    }
                    else
                    {
                        input = PyProjectReader.Read(file, extras, groups);
                    }
                }
            }
            catch (FileNotFoundException e)
            {
                NotFound(cmdlet, e.FileName ?? target, e.Message);
                return null;
            }
            catch (Exception e)
            {
                var record = EngineErrors.FromException(e, target);
                if (record is null)
                {
                    throw;
                }

                cmdlet.ThrowTerminatingError(record);
                return null;
            }

            cmdlet.WriteVerbose("Read " + input.Requirements.Count + " requirement(s) from " + input.Path + ".");
            foreach (var problem in input.Problems)
            {
                if (problem.Kind == ProjectProblemKind.Skipped)
                {
                    cmdlet.WriteVerbose("Skipping " + problem.Message);
                    continue;
                }

                var record = EngineErrors.FromProblem(problem);
                cmdlet.WriteError(record);
            }

            foreach (var option in input.IndexOptions)
            {
                var where = option.File + ":" + option.Line;
                var message = where + ": '" + option.Option + (option.Value is null ? "" : " " + option.Value) + "' is not applied. uv pip install -r reads this line, "
                    + "but it is not part of uv's configuration (pyproject.toml, uv.toml, UV_* variables), which is what this search uses. "
                    + "To include that index here, pass it with -Index or -DefaultIndex, or declare it as a [[tool.uv.index]].";
                cmdlet.WriteWarning(SecretScrubber.Scrub(message));
                cmdlet.WriteObject(new RequirementsFileOption { File = option.File, Line = option.Line, Option = option.Option, Value = option.Value, Message = message });
            }

            return input;
        }

        private static void NotFound(PSCmdlet cmdlet, object target, string message)
        {
            var record = ErrorTable.Record(CmdletErrorKind.ProjectFileNotFound, new FileNotFoundException(message), target, message: message);
            cmdlet.ThrowTerminatingError(record);
        }
    }
}
