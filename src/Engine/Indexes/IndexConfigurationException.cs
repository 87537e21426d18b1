namespace IndexTools.Engine.Indexes
{
    /// <summary>
    /// A configuration value is invalid or makes the operation impossible. The message names the file, line,
    /// column, index or value (never a secret).
    /// </summary>
    public sealed class IndexConfigurationException : Exception
    {
        public IndexConfigurationException(string message, string? filePath = null, int? line = null, int? column = null, string? indexName = null)
            : base(Security.SecretScrubber.Scrub(message))
        {
            FilePath = filePath;
            Line = line;
            Column = column;
            IndexName = indexName;
        }

        public IndexConfigurationException(string message, Exception inner)
            : base(Security.SecretScrubber.Scrub(message), inner)
        {
        }

        public string? FilePath { get; }

        public int? Line { get; }

        public int? Column { get; }

        public string? IndexName { get; }

        /// <summary>What kind of error this is; the cmdlets map it to its ErrorId, category and recommended action (ErrorTable).</summary>
        public ErrorKind Kind { get; internal set; } = ErrorKind.InvalidIndexConfiguration;
    }
}
