using System;
using System.Management.Automation;
using IndexTools.Engine.Config;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Versions;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// The parameters every searching cmdlet shares (Resolve-PyPackage, Test-PyLock, Find-ShadowedPackage,
    /// Compare-IndexStrategy): which configuration to read and how to override it, the target Python and the HTTP
    /// timeout. Declared once so that they bind, complete and validate the same way everywhere.
    /// </summary>
    public abstract class SearchCmdlet : IndexToolsCmdlet
    {
        /// <summary>A uv.toml that replaces every discovered one (uv's --config-file).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfigFile { get; set; }

        /// <summary>Skip configuration discovery (uv's --no-config).</summary>
        [Parameter]
        public SwitchParameter NoConfig { get; set; }

        /// <summary>Indexes searched before the configured ones (uv's --index): URLs, configured names or name=url.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Index { get; set; }

        /// <summary>The index searched last instead of PyPI (uv's --default-index).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultIndex { get; set; }

        /// <summary>Overrides the configured index-strategy.</summary>
        [Parameter]
        public IndexStrategy? IndexStrategy { get; set; }

        /// <summary>Filters files by requires-python for this Python version.</summary>
        [Parameter]
        [ValidatePattern(@"^\d+(\.\d+){0,2}$")]
        public string? PythonVersion { get; set; }

        /// <summary>The target platform, as uv's --python-platform names it (linux, windows, macos, x86_64-manylinux_2_28, aarch64-apple-darwin, …).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Platform { get; set; }

        /// <summary>The read timeout of each HTTP request in seconds; 0: UV_HTTP_TIMEOUT, else 30.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>The configuration request for a start path (a folder or file) and this cmdlet's overrides.</summary>
        internal ConfigurationRequest SearchRequest(string? startPath)
        {
            return ConfigurationParameters.Request(this, startPath, ConfigFile, NoConfig.IsPresent, Index, DefaultIndex, IndexStrategy);
        }

        /// <summary>
        /// The target environment of this run: -PythonVersion and -Platform; without -PythonVersion, a project's
        /// requires-python bounds it (uv lock's universal view). Written to -Verbose. A bad value is a terminating
        /// InvalidTarget error naming it.
        /// </summary>
        internal TargetEnvironment SearchTarget(ProjectInput? input)
        {
            TargetEnvironment target;
            try
            {
                var requiresPython = PythonVersion is null ? input?.RequiresPython : null;
                target = TargetEnvironment.Create(PythonVersion, Platform, requiresPython, requiresPython is null ? null : input?.RequiresPythonSource);
            }
            catch (FormatException e)
            {
                var record = new ErrorRecord(e, "InvalidTarget", ErrorCategory.InvalidArgument, (object?)Platform ?? PythonVersion ?? input?.RequiresPython);
                record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Give -PythonVersion like 3.12 and -Platform as uv's --python-platform names it (linux, windows, macos, x86_64-manylinux_2_28, aarch64-apple-darwin, ...)." };
                ThrowTerminatingError(record);
                throw;
            }

            WriteVerbose("Target: " + target.Description + (PythonVersion is null && Platform is null && input?.RequiresPython is null ? " (assumed: neither -PythonVersion nor -Platform was given)" : "") + ".");
            return target;
        }

        /// <summary>One -Verbose line with uv's selection settings in effect and where each came from.</summary>
        internal void WriteSelectionVerbose(IndexTools.Engine.Indexes.IndexSettings settings, bool preRelease)
        {
            var selection = settings.Selection;
            var parts = new System.Collections.Generic.List<string>
            {
                "exclude-newer " + (selection.ExcludeNewer is null ? "none" : selection.ExcludeNewer.ToString()),
                "prerelease " + (preRelease ? "allow (parameter: PreRelease)" : selection.Prerelease?.ToString() ?? "if-necessary (default)"),
                "resolution " + (selection.Resolution?.ToString() ?? "highest (default)"),
            };
            foreach (var index in settings.Indexes)
            {
                if (index.ExcludeNewer is not null)
                {
                    parts.Add("exclude-newer on '" + index.DisplayName + "' " + index.ExcludeNewer);
                }
            }

            WriteVerbose("Selection: " + string.Join("; ", parts) + ".");
        }

        /// <summary>HTTP settings from the environment (uv's variables) with -TimeoutSec applied.</summary>
        internal HttpSettings SearchHttpSettings(EngineEnvironment environment)
        {
            var http = HttpSettings.FromEnvironment(environment);
            if (TimeoutSec > 0)
            {
                http.Timeout = TimeSpan.FromSeconds(TimeoutSec);
            }

            return http;
        }
    }
}
