namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// A response body that is not a usable Simple API page: an unsupported or missing media type, malformed JSON,
    /// JSON of the wrong shape, a link uv would refuse (an unsupported hash algorithm), or a body larger than the limit.
    /// The message is one short sentence and never contains page content beyond a short, quoted token.
    /// </summary>
    public sealed class ProjectPageFormatException : Exception
    {
        public ProjectPageFormatException(string message)
            : base(message)
        {
        }

        public ProjectPageFormatException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
