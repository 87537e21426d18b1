namespace IndexTools.Cmdlets
{
    /// <summary>The configuration parameters Get-IndexStrategy and Resolve-PyPackage share, turned into engine calls.</summary>
    internal static class ConfigurationParameters
    {
        /// <summary>The engine's view of the machine, with PowerShell's current location as the current folder.</summary>
        internal static EngineEnvironment Environment(PSCmdlet cmdlet)
        {
            return EngineEnvironment.FromProcess(cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        }

        internal static ConfigurationRequest Request(
            PSCmdlet cmdlet,
            string? path,
            string? configFile,
            bool noConfig,
            string[]? indexes,
            string? defaultIndex,
            IndexStrategy? strategy)
        {
            return new ConfigurationRequest
            {
                // Both must exist (wildcards match one item): a missing -Path never falls back to discovery from its parents.
                StartPath = string.IsNullOrEmpty(path)
                    ? cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath
                    : PathParameters.Existing(cmdlet, path!, "Path"),
                ConfigFile = string.IsNullOrEmpty(configFile) ? null : PathParameters.Existing(cmdlet, configFile!, "ConfigFile", CmdletErrorKind.ConfigFilePathNotFound),
                NoConfig = noConfig,
                Indexes = indexes ?? Array.Empty<string>(),
                DefaultIndex = string.IsNullOrEmpty(defaultIndex) ? null : defaultIndex,
                Strategy = strategy,
            };
        }

        /// <summary>Loads the settings, or stops the command with a terminating error: nothing can be searched without them.</summary>
        internal static IndexSettings Load(PSCmdlet cmdlet, ConfigurationRequest request, EngineEnvironment environment)
        {
            IndexSettings settings;
            try
            {
                settings = ConfigurationLoader.Load(request, environment);
            }
            catch (Exception e)
            {
                var record = EngineErrors.FromException(e, request.ConfigFile ?? request.StartPath);
                if (record is null)
                {
                    throw;
                }

                cmdlet.ThrowTerminatingError(record);
                throw;
            }

            foreach (var warning in settings.Warnings)
            {
                cmdlet.WriteWarning(SecretScrubber.Scrub(warning));
            }

            // What was read, for -Verbose: files and index URLs (redacted), never a credential.
            cmdlet.WriteVerbose(settings.ConfigFiles.Count == 0
                ? "Configuration: no uv configuration file was read."
                : "Configuration: read " + string.Join(", ", settings.ConfigFiles) + ".");
            cmdlet.WriteVerbose("Configuration: index strategy " + settings.Strategy + " (" + settings.StrategySource + ").");
            foreach (var index in settings.Indexes)
            {
                cmdlet.WriteVerbose(SecretScrubber.Scrub("Configuration: index '" + index.DisplayName + "' " + index.DisplayUrl + " (" + index.Source + ")."));
            }

            return settings;
        }

        /// <summary>-Proxy, -NoProxy and -ProxyCredential over the environment's proxy settings (the same on every cmdlet).</summary>
        internal static HttpSettings ApplyProxy(HttpSettings http, Uri? proxy, bool noProxy, PSCredential? proxyCredential)
        {
            if (proxy != null)
            {
                http.Proxy = proxy;
            }

            if (noProxy)
            {
                http.NoProxy = true;
            }

            if (proxyCredential != null)
            {
                http.ProxyCredential = proxyCredential.GetNetworkCredential();
            }

            return http;
        }
    }
}
