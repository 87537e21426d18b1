using System;
using System.Management.Automation;
using IndexTools.Engine.Config;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Http;

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

        /// <summary>The read timeout of each HTTP request in seconds; 0: UV_HTTP_TIMEOUT, else 30.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>The configuration request for a start path (a folder or file) and this cmdlet's overrides.</summary>
        internal ConfigurationRequest SearchRequest(string? startPath)
        {
            return ConfigurationParameters.Request(this, startPath, ConfigFile, NoConfig.IsPresent, Index, DefaultIndex, IndexStrategy);
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
