using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace IndexTools
{
    /// <summary>How indexes are searched for a package (uv's <c>index-strategy</c>).</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum IndexStrategy
    {
        /// <summary>uv's default: stop at the first index that has the package.</summary>
        FirstIndex,
        /// <summary>Ask every index; the first index (in order) with a compatible version wins.</summary>
        UnsafeFirstMatch,
        /// <summary>Ask every index; the best compatible version across all indexes wins.</summary>
        UnsafeBestMatch,
    }

    /// <summary>What one index answered for one package.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum AttemptOutcome
    {
        Found,
        NotFound,
        Ignored,
        AuthFailed,
        Failed,
        Skipped,
    }

    /// <summary>Whether the search went on after an attempt.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum SearchDecision
    {
        Continue,
        Stop,
    }

    /// <summary>Why the search for a package ended.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum StopReason
    {
        Found,
        AuthenticationFailed,
        IndexError,
        NotFound,
        NoMatchingVersion,
    }
}
