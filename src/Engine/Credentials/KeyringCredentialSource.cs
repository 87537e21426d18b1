using System.Diagnostics;
using System.Text;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Credentials
{
    /// <summary>
    /// uv's <c>keyring-provider = "subprocess"</c> (crates/uv-auth/src/keyring.rs <c>fetch</c> / <c>fetch_subprocess</c>, asked from
    /// middleware.rs <c>fetch_credentials</c>):
    /// <list type="bullet">
    /// <item>only with a known username (from the URL or <c>UV_INDEX_&lt;NAME&gt;_USERNAME</c>), or without one when the index has
    /// <c>authenticate = "always"</c>; otherwise uv skips the keyring ("use `authenticate = always` to force");</item>
    /// <item>service names in order, until one answers: the index URL (no user info; the request URL for no index), then
    /// <c>host[:port]</c>, then for a non-https URL <c>scheme://host[:port]</c>;</item>
    /// <item>with a username: <c>keyring get &lt;service&gt; &lt;username&gt;</c>, the password is stdout with trailing white space
    /// trimmed; without: <c>keyring get &lt;service&gt; --mode creds</c>, stdout's first line is the username, the second the
    /// password;</item>
    /// <item>a non-zero exit is "no credential"; an empty password is used, with a warning, as uv does.</item>
    /// </list>
    /// Unlike uv, the process is bounded by the HTTP read timeout (uv waits for it without limit) and its stderr is never shown.
    /// </summary>
    internal sealed class KeyringCredentialSource : ICredentialSource
    {
        private readonly EngineEnvironment _environment;
        private readonly TimeSpan _timeout;
        private readonly Action<string> _warn;
        private readonly Action<string>? _debug;
        private readonly Action<string> _secret;
        private readonly Lazy<string?> _executable;
        private int _warnedMissing;
        private int _warnedMode;

        public KeyringCredentialSource(EngineEnvironment environment, TimeSpan timeout, Action<string> warn, Action<string>? debug, Action<string> secret)
        {
            _environment = environment;
            _timeout = timeout > TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan ? timeout : TimeSpan.FromSeconds(30);
            _warn = warn;
            _debug = debug;
            _secret = secret;
            _executable = new Lazy<string?>(FindExecutable);
        }

        public CredentialSourceKind Kind => CredentialSourceKind.Keyring;

        public CredentialStage Stage => CredentialStage.Fetched;

        public IndexCredential? Find(CredentialQuery query)
        {
            var username = query.Username;
            if (username is null && !(query.Always && query.Index != null))
            {
                _debug?.Invoke("Skipping keyring fetch for " + UrlRedactor.Redact(query.Url.AbsoluteUri) + " without username; use `authenticate = always` to force");
                return null;
            }

            Uri target = query.Url;
            if (query.Index != null && CredentialProvider.TryHttpUri(query.Index.Url) is Uri indexUri)
            {
                target = indexUri;
            }

            target = new UriBuilder(target) { UserName = "", Password = "" }.Uri;
            var services = new List<string> { target.AbsoluteUri };
            var host = target.IsDefaultPort ? target.Host : target.Host + ":" + target.Port;
            services.Add(host);
            if (target.Scheme != Uri.UriSchemeHttps)
            {
                services.Add(target.Scheme + "://" + host);
            }

            foreach (var service in services)
            {
                var found = Ask(service, username);
                if (found != null)
                {
                    return found;
                }
            }

            return null;
        }

        private IndexCredential? Ask(string service, string? username)
        {
            var executable = _executable.Value;
            if (executable is null)
            {
                if (System.Threading.Interlocked.Exchange(ref _warnedMissing, 1) == 0)
                {
                    _warn("keyring-provider is \"subprocess\", but no `keyring` executable is on PATH: credentials stored in a keyring are not found. Install it (pip install keyring, plus your backend such as artifacts-keyring or keyrings.google-artifactregistry-auth) or set keyring-provider = \"disabled\".");
                }

                return null;
            }

            var shown = "keyring get " + service + " " + (username ?? "--mode creds");
            _debug?.Invoke("Running `" + shown + "`");
            var start = new ProcessStartInfo(executable)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
                StandardOutputEncoding = new UTF8Encoding(false, true),
            };
            start.Arguments = username != null
                ? "get " + Quote(service) + " " + Quote(username)
                : "get " + Quote(service) + " --mode creds";

            start.Environment.Clear();
            foreach (var pair in _environment.Variables)
            {
                start.Environment[pair.Key] = pair.Value;
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("no process");
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                _warn("Failure running the `keyring` command (" + executable + "): " + ex.GetType().Name + ". The keyring is not asked.");
                return null;
            }

            using (process)
            {
                process.StandardInput.Close();
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit((int)Math.Min(int.MaxValue, _timeout.TotalMilliseconds)))
                {
                    try
                    {
                        process.Kill();
                    }
                    catch (Exception ex) when (ex is InvalidOperationException || ex is System.ComponentModel.Win32Exception)
                    {
                    }

                    _warn("`" + shown + "` did not answer within " + _timeout.TotalSeconds + " s and was stopped; the keyring gave no credential (uv would wait for it).");
                    return null;
                }

                string output;
                string errors;
                try
                {
                    output = stdout.GetAwaiter().GetResult();
                    errors = stderr.GetAwaiter().GetResult();
                }
                catch (DecoderFallbackException)
                {
                    _warn("Failed to parse the response of `" + shown + "`: it is not UTF-8. The keyring gave no credential.");
                    return null;
                }

                if (process.ExitCode != 0)
                {
                    if (errors.IndexOf("unrecognized arguments: --mode", StringComparison.Ordinal) >= 0)
                    {
                        if (System.Threading.Interlocked.Exchange(ref _warnedMode, 1) == 0)
                        {
                            _warn("Attempted to fetch credentials using the `keyring` command, but it does not support `--mode creds`; upgrade to `keyring>=v25.2.1` or provide a username");
                        }
                    }
                    else
                    {
                        _debug?.Invoke("`" + shown + "` exited with code " + process.ExitCode + ": no credential");
                    }

                    return null;
                }

                if (username != null)
                {
                    var password = output.TrimEnd();
                    Security.SecretScrubber.Register(password);
                    _secret(password);
                    if (password.Length == 0)
                    {
                        _warn("Got empty password for `" + username + "@" + service + "` from `keyring` command");
                    }
                    else if (password.IndexOf('\n') >= 0 || password.IndexOf('\r') >= 0)
                    {
                        _warn("`" + shown + "` printed more than one line; uv sends all of it (line breaks included) as the password, and so does IndexTools. Check the keyring backend.");
                    }

                    return new IndexCredential(username, password);
                }

                var lines = SplitLines(output);
                if (lines.Count == 0)
                {
                    return null;
                }

                if (lines.Count < 2)
                {
                    _warn("Got username without password for `" + service + "` from `keyring` command");
                    return null;
                }

                Security.SecretScrubber.Register(lines[1]);
                _secret(lines[1]);
                if (lines[1].Length == 0)
                {
                    _warn("Got empty password for `" + lines[0] + "@" + service + "` from `keyring` command");
                }

                return new IndexCredential(lines[0], lines[1]);
            }
        }

        /// <summary>One argument quoted for <see cref="ProcessStartInfo.Arguments"/> (the MSVC rules .NET also parses on Unix).</summary>
        internal static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                return argument;
            }

            var builder = new StringBuilder("\"");
            var backslashes = 0;
            foreach (var c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                if (c == '"')
                {
                    builder.Append('\\', (backslashes * 2) + 1).Append('"');
                }
                else
                {
                    builder.Append('\\', backslashes).Append(c);
                }

                backslashes = 0;
            }

            builder.Append('\\', backslashes * 2).Append('"');
            return builder.ToString();
        }

        /// <summary>Rust's <c>str::lines</c>: split on '\n', a trailing '\r' dropped, no final empty line.</summary>
        private static List<string> SplitLines(string text)
        {
            var lines = new List<string>(text.Split('\n'));
            if (lines.Count > 0 && lines[lines.Count - 1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].EndsWith("\r", StringComparison.Ordinal))
                {
                    lines[i] = lines[i].Substring(0, lines[i].Length - 1);
                }
            }

            return lines;
        }

        /// <summary>`keyring` on the environment's PATH (with PATHEXT on Windows), as the OS would find it.</summary>
        private string? FindExecutable()
        {
            var path = _environment.Get("PATH");
            if (path is null)
            {
                return null;
            }

            var extensions = _environment.IsWindows
                ? (_environment.Get("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries)
                : new[] { "" };
            foreach (var dir in path.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var extension in extensions)
                {
                    string candidate;
                    try
                    {
                        candidate = Path.Combine(dir.Trim('"'), "keyring" + extension);
                    }
                    catch (ArgumentException)
                    {
                        continue;
                    }

                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }

            return null;
        }
    }
}
