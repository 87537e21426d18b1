using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Config
{
    /// <summary>
    /// Finds the indexes pip's own settings define: <c>PIP_INDEX_URL</c>, <c>PIP_EXTRA_INDEX_URL</c>, and <c>index-url</c> /
    /// <c>extra-index-url</c> in the <c>[global]</c> and <c>[install]</c> sections of the pip configuration files pip reads
    /// (pip/_internal/configuration.py): global (<c>$XDG_CONFIG_DIRS/pip/pip.conf</c>, <c>/etc/pip.conf</c>; Windows
    /// <c>%ProgramData%\pip\pip.ini</c>), user (<c>~/.pip/pip.conf</c>, <c>$XDG_CONFIG_HOME/pip/pip.conf</c> or
    /// <c>~/.config/pip/pip.conf</c>, <c>~/Library/Application Support/pip/pip.conf</c>; Windows <c>~\pip\pip.ini</c>,
    /// <c>%APPDATA%\pip\pip.ini</c>), site (<c>$VIRTUAL_ENV/pip.conf</c>, <c>pip.ini</c> on Windows) and
    /// <c>PIP_CONFIG_FILE</c>. <c>PIP_CONFIG_FILE=/dev/null</c> (or <c>nul</c>) turns the files off, as in pip.
    /// uv reads none of these (docs/pip/compatibility.md), which is why they are reported, not used.
    /// URLs come back redacted; a value is never returned with its credentials.
    /// </summary>
    public static class PipSettingsReader
    {
        private static readonly string[] Sections = { "global", "install" };

        public static IReadOnlyList<PipIndexSetting> Read(EngineEnvironment environment)
        {
            if (environment is null)
            {
                throw new ArgumentNullException(nameof(environment));
            }

            var found = new List<PipIndexSetting>();
            foreach (var file in ConfigFiles(environment))
            {
                string text;
                try
                {
                    if (!File.Exists(file))
                    {
                        continue;
                    }

                    text = File.ReadAllText(file);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    continue;
                }

                found.AddRange(Parse(text, file));
            }

            AddEnvironment(found, environment, "PIP_INDEX_URL", "index-url");
            AddEnvironment(found, environment, "PIP_EXTRA_INDEX_URL", "extra-index-url");
            return found;
        }

        /// <summary>The pip configuration files in pip's load order (global, user, site, PIP_CONFIG_FILE); existing or not.</summary>
        public static IReadOnlyList<string> ConfigFiles(EngineEnvironment environment)
        {
            var files = new List<string>();
            var configFile = environment.Get("PIP_CONFIG_FILE");
            if (configFile != null && (configFile == "/dev/null" || string.Equals(configFile, "nul", StringComparison.OrdinalIgnoreCase)))
            {
                return files;
            }

            var home = environment.HomeDirectory;
            if (environment.IsWindows)
            {
                var programData = environment.Get("ProgramData") ?? environment.Get("PROGRAMDATA");
                if (!string.IsNullOrEmpty(programData))
                {
                    files.Add(Path.Combine(programData, "pip", "pip.ini"));
                }

                files.Add(Path.Combine(home, "pip", "pip.ini"));
                var appData = environment.Get("APPDATA");
                if (!string.IsNullOrEmpty(appData))
                {
                    files.Add(Path.Combine(appData, "pip", "pip.ini"));
                }
            }
            else
            {
                var dirs = environment.Get("XDG_CONFIG_DIRS");
                foreach (var dir in (string.IsNullOrEmpty(dirs) ? "/etc/xdg" : dirs!).Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    files.Add(Path.Combine(dir, "pip", "pip.conf"));
                }

                files.Add("/etc/pip.conf");
                files.Add(Path.Combine(home, ".pip", "pip.conf"));
                var xdgHome = environment.Get("XDG_CONFIG_HOME");
                files.Add(Path.Combine(string.IsNullOrEmpty(xdgHome) ? Path.Combine(home, ".config") : xdgHome!, "pip", "pip.conf"));
                files.Add(Path.Combine(home, "Library", "Application Support", "pip", "pip.conf"));
            }

            var venv = environment.Get("VIRTUAL_ENV");
            if (!string.IsNullOrEmpty(venv))
            {
                files.Add(Path.Combine(venv, environment.IsWindows ? "pip.ini" : "pip.conf"));
            }

            if (!string.IsNullOrEmpty(configFile))
            {
                files.Add(configFile!);
            }

            return files.Distinct(environment.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// The index settings of one pip configuration file, INI as Python's configparser reads it: <c>[section]</c>,
        /// <c>key = value</c> or <c>key: value</c>, full-line comments (<c>#</c>, <c>;</c>), indented continuation lines,
        /// keys case-insensitive with <c>_</c> equal to <c>-</c> (pip normalizes them). Values hold one URL or several
        /// separated by whitespace or newlines.
        /// </summary>
        public static IReadOnlyList<PipIndexSetting> Parse(string text, string source)
        {
            var result = new List<PipIndexSetting>();
            string? section = null;
            string? key = null;
            var value = new List<string>();

            void Flush()
            {
                if (section != null && key != null && Sections.Contains(section) && (key == "index-url" || key == "extra-index-url"))
                {
                    foreach (var url in value.SelectMany(v => v.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)))
                    {
                        result.Add(new PipIndexSetting { Setting = key, Url = UrlRedactor.Redact(url), Source = source + " [" + section + "]" });
                    }
                }

                key = null;
                value.Clear();
            }

            foreach (var raw in (text ?? "").Replace("\r\n", "\n").Split('\n'))
            {
                var trimmed = raw.Trim();
                var indented = raw.Length > 0 && (raw[0] == ' ' || raw[0] == '\t');
                if (trimmed.Length == 0)
                {
                    continue;
                }

                if (trimmed[0] == '#' || trimmed[0] == ';')
                {
                    continue;
                }

                if (indented && key != null)
                {
                    value.Add(trimmed);
                    continue;
                }

                if (trimmed[0] == '[' && trimmed.EndsWith("]", StringComparison.Ordinal))
                {
                    Flush();
                    section = trimmed.Substring(1, trimmed.Length - 2).Trim().ToLowerInvariant();
                    continue;
                }

                var separator = trimmed.IndexOfAny(new[] { '=', ':' });
                if (separator <= 0)
                {
                    continue;
                }

                Flush();
                key = trimmed.Substring(0, separator).Trim().ToLowerInvariant().Replace('_', '-');
                var first = trimmed.Substring(separator + 1).Trim();
                if (first.Length > 0)
                {
                    value.Add(first);
                }
            }

            Flush();
            return result;
        }

        /// <summary>One warning sentence for the settings found, or null when there are none. No secrets (URLs are redacted).</summary>
        public static string? Warning(IReadOnlyList<PipIndexSetting> settings)
        {
            if (settings is null || settings.Count == 0)
            {
                return null;
            }

            return "pip settings define " + (settings.Count == 1 ? "an index" : settings.Count + " indexes") + " that uv ignores: "
                + string.Join("; ", settings.Select(s => s.Setting + " " + s.Url + " (" + s.Source + ")").ToArray())
                + ". uv reads neither pip.conf nor PIP_INDEX_URL/PIP_EXTRA_INDEX_URL; define these indexes as [[tool.uv.index]] entries or UV_INDEX / UV_DEFAULT_INDEX if uv should search them.";
        }

        private static void AddEnvironment(List<PipIndexSetting> found, EngineEnvironment environment, string variable, string setting)
        {
            var value = environment.Get(variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                return;
            }

            foreach (var url in value!.Split(new[] { ' ', '\t', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries))
            {
                found.Add(new PipIndexSetting { Setting = setting, Url = UrlRedactor.Redact(url), Source = "env: " + variable });
            }
        }
    }
}
