namespace IndexTools
{
    /// <summary>An index that pip's own settings define and uv ignores (uv reads neither pip.conf nor PIP_INDEX_URL).</summary>
    public sealed class PipIndexSetting
    {
        /// <summary>index-url or extra-index-url.</summary>
        public string Setting { get; set; } = "";

        /// <summary>The URL, credentials redacted.</summary>
        public string Url { get; set; } = "";

        /// <summary>Where it is set: <c>env: PIP_INDEX_URL</c>, or a file and section (<c>/etc/pip.conf [global]</c>).</summary>
        public string Source { get; set; } = "";

        public override string ToString() => Setting + " " + Url + " (" + Source + ")";
    }
}
