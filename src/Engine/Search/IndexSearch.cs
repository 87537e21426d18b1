using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.Engine.Search
{
    /// <summary>
    /// uv's multi-index search. One instance serves many packages: the page source (HTTP, behind a cache) and its
    /// connections are shared.
    /// </summary>
    public sealed class IndexSearch
    {
        public IndexSearch(IndexSettings settings, IProjectPageSource source, SearchOptions? options = null, ISearchListener? listener = null)
        {
            throw new NotImplementedException("engine issue");
        }

        /// <summary>Resolves one requirement (<c>requests&gt;=2,&lt;3</c> or a plain name). Throws FormatException for an unparsable requirement.</summary>
        public Task<PackageResolution> ResolveAsync(string requirement, CancellationToken cancellationToken)
        {
            throw new NotImplementedException("engine issue");
        }

        /// <summary>
        /// Resolves many requirements concurrently (bounded by <see cref="SearchOptions.Concurrency"/>) and yields each
        /// result in input order as soon as it and every earlier one are known.
        /// </summary>
        public IAsyncEnumerable<PackageResolution> ResolveManyAsync(IEnumerable<string> requirements, CancellationToken cancellationToken)
        {
            throw new NotImplementedException("engine issue");
        }
    }
}
