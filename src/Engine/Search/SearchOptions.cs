using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Search
{
    /// <summary>Knobs of one search run (beyond the configuration).</summary>
    public sealed class SearchOptions
    {
        /// <summary>Allow pre-releases even when the requirement does not ask for one (uv's --prerelease allow).</summary>
        public bool AllowPreRelease { get; set; }

        /// <summary>Only files whose requires-python admits this version are candidates (e.g. "3.12"); null: no filter.</summary>
        public string? PythonVersion { get; set; }

        /// <summary>The platform, as uv's --python-platform names it (linux, windows, macos, x86_64-manylinux_2_28, …); null: universal.</summary>
        public string? Platform { get; set; }

        /// <summary>The target environment; when null it is built from <see cref="PythonVersion"/> and <see cref="Platform"/>.</summary>
        public Versions.TargetEnvironment? Target { get; set; }

        /// <summary>The target these options describe: <see cref="Target"/>, else one made from PythonVersion and Platform (FormatException for bad values).</summary>
        public Versions.TargetEnvironment ResolveTarget() => Target ?? Versions.TargetEnvironment.Create(PythonVersion, Platform);

        /// <summary>How many packages are resolved at once (uv's download concurrency default, 50).</summary>
        public int Concurrency { get; set; } = 50;

        /// <summary>How many indexes are asked at once for one package under the unsafe strategies (uv: 8).</summary>
        public int IndexConcurrency { get; set; } = 8;

        /// <summary>Which uv release's rules decide the index and the stop (-UvVersion); default the reference, uv 0.12.5.</summary>
        public UvRules UvRules { get; set; } = UvRules.Latest;
    }
}
