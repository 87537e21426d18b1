using System.Collections.ObjectModel;
using System.Management.Automation.Host;

namespace IndexTools.Cmdlets
{
    /// <summary>
    /// The questions IndexTools asks (confirmations), asked only where someone can answer. A host that cannot prompt
    /// (pwsh -NonInteractive, a host without UI, the console with its input redirected as in CI, where an empty line
    /// would take the default and end of input fails inside PowerShell) gets the command's own error instead of
    /// PowerShell's raw prompt failure: ConfirmationRequired, naming the question and the parameter that answers it.
    /// </summary>
    internal static class Prompts
    {
        /// <summary>
        /// Asks <paramref name="query"/> (Yes, Yes to All, No, No to All) with the given default; remembers the "to all"
        /// answers in <paramref name="yesToAll"/> / <paramref name="noToAll"/>. Null when the host cannot ask: the error
        /// to write or throw (naming <paramref name="bypass"/>) is in <paramref name="cannotAsk"/>.
        /// </summary>
        internal static bool? Confirm(PSCmdlet cmdlet, string query, string caption, bool defaultYes, ref bool yesToAll, ref bool noToAll, string bypass, out ErrorRecord? cannotAsk)
        {
            cannotAsk = null;
            if (yesToAll)
            {
                return true;
            }

            if (noToAll)
            {
                return false;
            }

            if (!CanPrompt(cmdlet))
            {
                cannotAsk = CannotAsk(cmdlet, query, bypass);
                return null;
            }

            var choices = new Collection<ChoiceDescription>
            {
                new ChoiceDescription("&Yes", "Continue with this operation."),
                new ChoiceDescription("Yes to &All", "Continue with this and every following operation of this command."),
                new ChoiceDescription("&No", "Skip this operation."),
                new ChoiceDescription("No to A&ll", "Skip this and every following operation of this command."),
            };
            int choice;
            try
            {
                choice = cmdlet.Host.UI.PromptForChoice(caption, query, choices, defaultYes ? 0 : 2);
            }
            catch (Exception e) when (IsPromptFailure(e))
            {
                cannotAsk = CannotAsk(cmdlet, query, bypass);
                return null;
            }

            switch (choice)
            {
                case 1:
                    yesToAll = true;
                    return true;
                case 0:
                    return true;
                case 3:
                    noToAll = true;
                    return false;
                default:
                    return false;
            }
        }

        /// <summary>
        /// <see cref="Cmdlet.ShouldProcess(string, string)"/> (WhatIf, Confirm) where a prompt it would show cannot be
        /// shown: null, with the error naming -Confirm:$false in <paramref name="cannotAsk"/>.
        /// </summary>
        internal static bool? ShouldProcess(PSCmdlet cmdlet, string target, string action, out ErrorRecord? cannotAsk)
        {
            return ShouldProcess(cmdlet, "Performing the operation \"" + action + "\" on target \"" + target + "\".", () => cmdlet.ShouldProcess(target, action), out cannotAsk);
        }

        /// <summary>As <see cref="ShouldProcess(PSCmdlet, string, string, out ErrorRecord?)"/> with ShouldProcess's three-text form.</summary>
        internal static bool? ShouldProcess(PSCmdlet cmdlet, string verboseDescription, string verboseWarning, string caption, out ErrorRecord? cannotAsk)
        {
            return ShouldProcess(cmdlet, verboseDescription, () => cmdlet.ShouldProcess(verboseDescription, verboseWarning, caption), out cannotAsk);
        }

        private static bool? ShouldProcess(PSCmdlet cmdlet, string question, Func<bool> ask, out ErrorRecord? cannotAsk)
        {
            cannotAsk = null;
            if (WouldConfirm(cmdlet) && !CanPrompt(cmdlet))
            {
                cannotAsk = CannotAsk(cmdlet, question, "-Confirm:$false");
                return null;
            }

            try
            {
                return ask();
            }
            catch (Exception e) when (IsPromptFailure(e))
            {
                cannotAsk = CannotAsk(cmdlet, question, "-Confirm:$false");
                return null;
            }
        }

        /// <summary>Whether ShouldProcess will ask: -Confirm given, or $ConfirmPreference at or below the command's ConfirmImpact (and no -WhatIf).</summary>
        private static bool WouldConfirm(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter w && w.IsPresent)
            {
                return false;
            }

            if (bound.TryGetValue("Confirm", out var confirm) && confirm is SwitchParameter c)
            {
                return c.IsPresent;
            }

            var impact = ConfirmImpact.Medium;
            foreach (var attribute in cmdlet.GetType().GetCustomAttributes(typeof(CmdletAttribute), true))
            {
                impact = ((CmdletAttribute)attribute).ConfirmImpact;
            }

            var preference = cmdlet.GetVariableValue("ConfirmPreference");
            if (preference is PSObject wrapped)
            {
                preference = wrapped.BaseObject;
            }

            var level = preference is ConfirmImpact direct ? direct
                : preference is string text && Enum.TryParse(text, true, out ConfirmImpact parsed) ? parsed
                : ConfirmImpact.High;
            return level != ConfirmImpact.None && impact >= level;
        }

        /// <summary>Whether -Confirm:$false was given explicitly (the user's "do not ask me").</summary>
        internal static bool ConfirmDeclined(PSCmdlet cmdlet) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && confirm is SwitchParameter c && !c.IsPresent;

        /// <summary>Whether -Confirm was given (ShouldProcess asked, and a true answer is the user's yes).</summary>
        internal static bool ConfirmRequested(PSCmdlet cmdlet) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && confirm is SwitchParameter c && c.IsPresent;

        /// <summary>
        /// False where a prompt cannot be answered: no host UI, or the console host reading redirected input (CI, a pipe
        /// into pwsh: an empty line would answer the default, end of input fails inside PowerShell).
        /// pwsh -NonInteractive is recognised by the failure PowerShell raises when asked.
        /// </summary>
        internal static bool CanPrompt(PSCmdlet cmdlet)
        {
            var host = cmdlet.Host;
            if (host?.UI is null)
            {
                return false;
            }

            try
            {
                return !(string.Equals(host.Name, "ConsoleHost", StringComparison.Ordinal) && Console.IsInputRedirected);
            }
            catch (Exception e) when (e is System.IO.IOException || e is PlatformNotSupportedException)
            {
                return true;
            }
        }

        private static bool IsPromptFailure(Exception e) =>
            e is PSInvalidOperationException || e is HostException || e is NotImplementedException || e is PSNotImplementedException || e is NullReferenceException
            || (e is MethodInvocationException && e.InnerException != null && IsPromptFailure(e.InnerException));

        private static ErrorRecord CannotAsk(PSCmdlet cmdlet, string question, string bypass)
        {
            var command = cmdlet.MyInvocation.MyCommand?.Name ?? "The command";
            var message = command + " needs a confirmation this host cannot ask (non-interactive, or its input is redirected): "
                + question.Replace(System.Environment.NewLine, " ").Replace("\n", " ") + " Nothing was done.";
            return ErrorTable.Record(CmdletErrorKind.ConfirmationRequired, new PSInvalidOperationException(message), null, detail: bypass, message: message);
        }
    }
}
