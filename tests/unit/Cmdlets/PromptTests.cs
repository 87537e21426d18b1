using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Threading.Tasks;
using IndexTools.Cmdlets;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.Cmdlets
{
    /// <summary>
    /// Issue 17.4 with a host that answers: the weakening question of Set-IndexIgnoredCodes defaults to No; a host that
    /// cannot prompt gets ConfirmationRequired naming -Force; Find-ShadowedPackage's -Confirm is the one question (its no
    /// asks nothing of any index, its yes is not followed by a second question) and -WhatIf asks nothing at all.
    /// </summary>
    public sealed class PromptTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "indextools-prompts-" + Guid.NewGuid().ToString("n"));

        public PromptTests()
        {
            Directory.CreateDirectory(_folder);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, true);
            }
            catch (IOException)
            {
            }
        }

        private string WriteProject(string internalUrl, string publicUrl)
        {
            var file = Path.Combine(_folder, "pyproject.toml");
            File.WriteAllText(file, "[project]\nname = \"app\"\nversion = \"0.1.0\"\n\n[tool.uv]\n\n[[tool.uv.index]]\nname = \"internal\"\nurl = \"" + internalUrl
                + "\"\n\n[[tool.uv.index]]\nname = \"pypi\"\nurl = \"" + publicUrl + "\"\ndefault = true\n");
            return file;
        }

        private static (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) Run(RecordingHost host, string command, string folder, params (string Name, object? Value)[] parameters)
        {
            var state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateCmdletEntry("Set-IndexIgnoredCodes", typeof(SetIndexIgnoredCodesCommand), null));
            state.Commands.Add(new SessionStateCmdletEntry("Find-ShadowedPackage", typeof(FindShadowedPackageCommand), null));
            using var runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(folder);
            using var shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddCommand(command);
            foreach (var (name, value) in parameters)
            {
                if (value is null)
                {
                    shell.AddParameter(name);
                }
                else
                {
                    shell.AddParameter(name, value);
                }
            }

            Collection<PSObject> output;
            try
            {
                output = shell.Invoke();
            }
            catch (RuntimeException e)
            {
                return (new Collection<PSObject>(), new[] { e.ErrorRecord });
            }

            return (output, shell.Streams.Error.ToList());
        }

        [Fact]
        public void The_weakening_question_defaults_to_No_and_Enter_changes_nothing()
        {
            var file = WriteProject("http://127.0.0.1:9/internal/simple/", "http://127.0.0.1:9/pypi/simple/");
            var before = File.ReadAllBytes(file);
            var host = new RecordingHost(answer: null); // null: take the default, as pressing Enter does
            var (_, errors) = Run(host, "Set-IndexIgnoredCodes", _folder, ("Name", "internal"), ("StatusCode", new[] { 401 }));

            Assert.Empty(errors);
            var prompt = Assert.Single(host.Prompts);
            Assert.Contains("Ignoring 401 on 'internal'", prompt.Message, StringComparison.Ordinal);
            Assert.Equal("&No", prompt.Choices[prompt.Default]);
            Assert.Equal(before, File.ReadAllBytes(file));
        }

        [Fact]
        public void Yes_to_the_weakening_question_writes_the_codes()
        {
            var file = WriteProject("http://127.0.0.1:9/internal/simple/", "http://127.0.0.1:9/pypi/simple/");
            var host = new RecordingHost(answer: 0);
            var (_, errors) = Run(host, "Set-IndexIgnoredCodes", _folder, ("Name", "internal"), ("StatusCode", new[] { 401 }));

            Assert.Empty(errors);
            Assert.Single(host.Prompts);
            Assert.Contains("ignore-error-codes = [401]", File.ReadAllText(file), StringComparison.Ordinal);
        }

        [Fact]
        public void A_host_that_cannot_prompt_gets_ConfirmationRequired_naming_Force_and_the_question()
        {
            var file = WriteProject("http://127.0.0.1:9/internal/simple/", "http://127.0.0.1:9/pypi/simple/");
            var before = File.ReadAllBytes(file);
            var host = new RecordingHost(answer: null, nonInteractive: true);
            var (_, errors) = Run(host, "Set-IndexIgnoredCodes", _folder, ("Name", "internal"), ("StatusCode", new[] { 401, 403 }));

            var error = Assert.Single(errors);
            Assert.Equal("ConfirmationRequired,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Ignoring 401 and 403 on 'internal'", error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Contains("-Force", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(file));

            // -Confirm in that host: the ShouldProcess question cannot be asked either; the error names -Confirm:$false.
            (_, errors) = Run(host, "Set-IndexIgnoredCodes", _folder, ("Name", "internal"), ("StatusCode", new[] { 404 }), ("Confirm", null));
            error = Assert.Single(errors);
            Assert.Equal("ConfirmationRequired,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand", error.FullyQualifiedErrorId);
            Assert.Contains("-Confirm:$false", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(file));
        }

        [Fact]
        public async Task Find_ShadowedPackage_Confirm_no_asks_nothing_and_yes_asks_once()
        {
            await using var server = await IndexServerHost.StartAsync(ServerFixture.Demo());
            WriteProject(server.IndexUrl("internal").ToString(), server.IndexUrl("pypi").ToString());
            var common = new (string, object?)[] { ("Name", new[] { "acme-utils" }), ("PublicIndex", new[] { "pypi" }), ("NoCache", null), ("Confirm", null) };

            var no = new RecordingHost(answer: 2);
            var (output, errors) = Run(no, "Find-ShadowedPackage", _folder, common);
            Assert.Empty(output);
            Assert.Empty(errors);
            var prompt = Assert.Single(no.Prompts);
            Assert.Contains("including the public 'pypi'", prompt.Message, StringComparison.Ordinal);
            Assert.Equal(0, server.CountRequests());

            var yes = new RecordingHost(answer: 0);
            (output, errors) = Run(yes, "Find-ShadowedPackage", _folder, common.Append(("IncludeUnshadowed", (object?)null)).ToArray());
            Assert.Empty(errors);
            Assert.Single(yes.Prompts); // -Confirm's yes covers the public question: no second prompt
            Assert.Single(output);
            Assert.True(server.CountRequests() > 0);
        }

        [Fact]
        public async Task Find_ShadowedPackage_WhatIf_says_what_it_would_ask_and_asks_no_index()
        {
            await using var server = await IndexServerHost.StartAsync(ServerFixture.Demo());
            WriteProject(server.IndexUrl("internal").ToString(), server.IndexUrl("pypi").ToString());
            var host = new RecordingHost(answer: 0);
            var (output, errors) = Run(host, "Find-ShadowedPackage", _folder, ("Name", new[] { "acme-utils", "acme-auth" }), ("PublicIndex", new[] { "pypi" }), ("NoCache", null), ("WhatIf", null));

            Assert.Empty(output);
            Assert.Empty(errors);
            Assert.Empty(host.Prompts);
            var line = Assert.Single(host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
            Assert.Contains("including the public 'pypi'", line, StringComparison.Ordinal);
            Assert.Contains("2 package name(s): acme-utils, acme-auth", line, StringComparison.Ordinal);
            Assert.Equal(0, server.CountRequests());
        }

        [Fact]
        public void Without_Force_a_host_that_cannot_prompt_stops_the_audit_with_ConfirmationRequired()
        {
            WriteProject("http://127.0.0.1:9/internal/simple/", "http://127.0.0.1:9/pypi/simple/");
            var host = new RecordingHost(answer: null, nonInteractive: true);
            var (output, errors) = Run(host, "Find-ShadowedPackage", _folder, ("Name", new[] { "acme-utils" }), ("PublicIndex", new[] { "pypi" }), ("NoCache", null));

            Assert.Empty(output);
            var error = Assert.Single(errors);
            Assert.Equal("ConfirmationRequired,IndexTools.Cmdlets.FindShadowedPackageCommand", error.FullyQualifiedErrorId);
            Assert.Contains("including the public 'pypi'", error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Contains("-Force", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        }

        internal sealed class Prompt
        {
            public string Message { get; set; } = "";

            public List<string> Choices { get; } = new List<string>();

            public int Default { get; set; }
        }

        /// <summary>A host whose prompts are recorded and answered with <c>answer</c> (null: the default); nonInteractive: every prompt fails as pwsh -NonInteractive's do.</summary>
        internal sealed class RecordingHost : PSHost
        {
            private readonly RecordingUI _ui;

            public RecordingHost(int? answer, bool nonInteractive = false)
            {
                _ui = new RecordingUI(answer, nonInteractive);
            }

            public List<Prompt> Prompts => _ui.Prompts;

            public List<string> Lines => _ui.Lines;

            public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

            public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

            public override Guid InstanceId { get; } = Guid.NewGuid();

            public override string Name => "RecordingHost";

            public override PSHostUserInterface UI => _ui;

            public override Version Version => new Version(1, 0);

            public override void EnterNestedPrompt() => throw new NotSupportedException();

            public override void ExitNestedPrompt() => throw new NotSupportedException();

            public override void NotifyBeginApplication()
            {
            }

            public override void NotifyEndApplication()
            {
            }

            public override void SetShouldExit(int exitCode)
            {
            }
        }

        internal sealed class RecordingUI : PSHostUserInterface
        {
            private readonly int? _answer;
            private readonly bool _nonInteractive;

            public RecordingUI(int? answer, bool nonInteractive)
            {
                _answer = answer;
                _nonInteractive = nonInteractive;
            }

            public List<Prompt> Prompts { get; } = new List<Prompt>();

            public List<string> Lines { get; } = new List<string>();

            public override PSHostRawUserInterface RawUI => null!;

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                if (_nonInteractive)
                {
                    throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.");
                }

                var prompt = new Prompt { Message = message, Default = defaultChoice };
                prompt.Choices.AddRange(choices.Select(c => c.Label));
                Prompts.Add(prompt);
                return _answer ?? defaultChoice;
            }

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

            public override string ReadLine() => throw new NotSupportedException();

            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();

            public override void Write(string value) => Lines.Add(value);

            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Add(value);

            public override void WriteLine(string value) => Lines.Add(value);

            public override void WriteDebugLine(string message)
            {
            }

            public override void WriteErrorLine(string value) => Lines.Add(value);

            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
            }

            public override void WriteVerboseLine(string message)
            {
            }

            public override void WriteWarningLine(string message) => Lines.Add("WARNING: " + message);
        }
    }
}
