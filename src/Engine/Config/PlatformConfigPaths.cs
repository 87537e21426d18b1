using IndexTools.Engine.Environment;

namespace IndexTools.Engine.Config
{
    /// <summary>Where uv looks for the user's and the system's uv.toml on this platform (uv-dirs, uv-settings).</summary>
    public static class PlatformConfigPaths
    {
        /// <summary>uv's user configuration file: <c>$XDG_CONFIG_HOME/uv/uv.toml</c> or <c>~/.config/uv/uv.toml</c>; <c>%APPDATA%\uv\uv.toml</c> on Windows.</summary>
        public static string? UserConfigPath(EngineEnvironment environment)
        {
            string? dir;
            if (environment.IsWindows)
            {
                dir = environment.Get("APPDATA") ?? (string.IsNullOrEmpty(environment.HomeDirectory) ? null : Path.Combine(environment.HomeDirectory, "AppData", "Roaming"));
            }
            else
            {
                var xdg = environment.Get("XDG_CONFIG_HOME");
                dir = xdg != null && Path.IsPathRooted(xdg) ? xdg
                    : string.IsNullOrEmpty(environment.HomeDirectory) ? null : Path.Combine(environment.HomeDirectory, ".config");
            }

            return dir is null ? null : Path.Combine(dir, "uv", "uv.toml");
        }

        /// <summary>uv's system configuration file, when one exists: the first <c>$XDG_CONFIG_DIRS/uv/uv.toml</c> (default /etc/xdg), else <c>/etc/uv/uv.toml</c>; <c>%SYSTEMDRIVE%\ProgramData\uv\uv.toml</c> on Windows.</summary>
        public static string? SystemConfigPath(EngineEnvironment environment)
        {
            if (environment.IsWindows)
            {
                var drive = environment.Get("SYSTEMDRIVE");
                var programData = drive != null ? Path.Combine(drive + "\\", "ProgramData") : environment.Get("PROGRAMDATA");
                if (programData is null)
                {
                    return null;
                }

                var candidate = Path.Combine(programData, "uv", "uv.toml");
                return File.Exists(candidate) ? candidate : null;
            }

            var dirs = environment.Get("XDG_CONFIG_DIRS") ?? "/etc/xdg";
            foreach (var dir in dirs.Split(':'))
            {
                if (dir.Length == 0)
                {
                    break;
                }

                var candidate = Path.Combine(dir, "uv", "uv.toml");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return File.Exists("/etc/uv/uv.toml") ? "/etc/uv/uv.toml" : null;
        }
    }
}
