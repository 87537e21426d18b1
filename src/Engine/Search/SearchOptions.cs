namespace IndexTools.Engine.Search
{
    /// <summary>Knobs of one search run (beyond the configuration).</summary>
    public sealed class SearchOptions
    {
        /// <summary>Allow pre-releases even when the requirement does not ask for one (uv's --prerelease allow).</summary>
        public bool AllowPreRelease { get; set; }

        /// <summary>Only files whose requires-python admits this version are candidates (e.g. "3.12"); null: no filter.</summary>
        public string? PythonVersion { get; set; }

        /// <summary>How many packages are resolved at once (uv's download concurrency default, 50).</summary>
        public int Concurrency { get; set; } = 50;

        /// <summary>How many indexes are asked at once for one package under the unsafe strategies (uv: 8).</summary>
        public int IndexConcurrency { get; set; } = 8;
    }
}
