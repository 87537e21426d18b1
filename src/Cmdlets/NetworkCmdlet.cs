namespace IndexTools.Cmdlets
{
    /// <summary>
    /// The parameters of every cmdlet that talks to an index (the searching cmdlets through <see cref="SearchCmdlet"/>, and
    /// Test-PyIndex): the credential for one index, the proxy and the read timeout. Declared once, so that they bind and
    /// validate the same way everywhere and refuse the same contradictions with the same errors; turned into the
    /// <see cref="SearchSessionOptions"/> the command's <see cref="SearchSession"/> is built from.
    /// </summary>
    public abstract class NetworkCmdlet : IndexToolsCmdlet
    {
        internal NetworkCmdlet()
        {
        }

        /// <summary>The read timeout of each HTTP request in seconds; 0: UV_HTTP_TIMEOUT, else 30.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>Credentials for one index: the one named by -CredentialIndex, else the only index that needs them (see CredentialScope).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The proxy for every request (over HTTPS_PROXY / HTTP_PROXY / ALL_PROXY).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>No proxy at all, whatever the environment says.</summary>
        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        /// <summary>The index -Credential is for, when the cmdlet takes -CredentialIndex (each declares it in its own parameter sets).</summary>
        internal abstract string? CredentialIndexName { get; }

        /// <summary>Refuses the network parameters that contradict one another (the same errors on every network cmdlet).</summary>
        protected override void BeginProcessing()
        {
            if (NoProxy.IsPresent && (Proxy != null || ProxyCredential != null))
            {
                ThrowTerminatingError(ErrorTable.Record(CmdletErrorKind.ProxyParameterConflict, new ArgumentException("-NoProxy cannot be combined with -Proxy or -ProxyCredential."), Proxy));
            }

            if (CredentialIndexName != null && Credential is null)
            {
                ThrowTerminatingError(ErrorTable.Record(CmdletErrorKind.CredentialIndexWithoutCredential, new ArgumentException("-CredentialIndex names the index -Credential is for; give -Credential too."), CredentialIndexName));
            }
        }

        /// <summary>HTTP settings from the environment (uv's variables) with -TimeoutSec, -Proxy, -NoProxy and -ProxyCredential applied.</summary>
        internal HttpSettings NetworkHttpSettings(EngineEnvironment environment)
        {
            var http = HttpSettings.FromEnvironment(environment);
            if (TimeoutSec > 0)
            {
                http.Timeout = TimeSpan.FromSeconds(TimeoutSec);
            }

            return ConfigurationParameters.ApplyProxy(http, Proxy, NoProxy.IsPresent, ProxyCredential);
        }

        /// <summary>The session options every network cmdlet starts from: HTTP with proxy and timeout, the settings, and -Credential for <paramref name="credentialTarget"/>.</summary>
        internal SearchSessionOptions NetworkSessionOptions(EngineEnvironment environment, IndexSettings settings, IndexDefinition? credentialTarget)
        {
            return new SearchSessionOptions(environment, NetworkHttpSettings(environment))
            {
                Settings = settings,
                ParameterCredentials = ParameterCredentials(credentialTarget),
            };
        }

        /// <summary>-Credential keyed by its index (name, else URL), as the session's parameter source looks it up; empty without -Credential.</summary>
        private IReadOnlyDictionary<string, IndexCredential> ParameterCredentials(IndexDefinition? index)
        {
            var indexCredentials = new Dictionary<string, IndexCredential>(StringComparer.Ordinal);
            if (Credential != null && index != null)
            {
                WriteVerbose("-Credential applies to index '" + index.DisplayName + "' only.");
                var network = Credential.GetNetworkCredential();
                indexCredentials[index.Name ?? index.Url] = new IndexCredential(network.UserName, network.Password);
            }

            return indexCredentials;
        }

        /// <summary>
        /// The index -Credential is for (<see cref="CredentialScope"/>: the one -CredentialIndex names, else the only one that
        /// needs credentials); null without -Credential. Stops the command (terminating error) when it cannot tell.
        /// </summary>
        internal IndexDefinition? CredentialTarget(IReadOnlyList<IndexDefinition> indexes)
        {
            if (Credential is null)
            {
                return null;
            }

            var index = CredentialScope.Select(indexes, CredentialIndexName, out var problem);
            if (index is null)
            {
                var record = ErrorTable.Record(CmdletErrorKind.CredentialIndexAmbiguous, new ArgumentException(problem), CredentialIndexName, message: problem);
                ThrowTerminatingError(record);
            }

            return index;
        }

        /// <summary>Opens the session on the worker: the wire log goes to -Debug, credential warnings to the warning stream.</summary>
        internal static SearchSession OpenSession(SearchSessionOptions options, PipelineEvents events, Action<string>? warning = null)
        {
            options.Debug = events.DebugWriter;
            options.Warning = warning ?? events.Warning;
            options.Retry = events.ShowsProgress ? new RetryProgress(events).On : (Action<RetryNotice>?)null;
            var session = SearchSession.Open(options);
            session.Credentials.Preload();
            return session;
        }
    }
}
