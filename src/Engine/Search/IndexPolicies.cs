using System.Collections.Generic;
using System.Linq;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Search
{
    /// <summary>Describes the effective index list: one <see cref="IndexPolicy"/> per index in search order.</summary>
    public static class IndexPolicies
    {
        public static IReadOnlyList<IndexPolicy> Describe(IndexSettings settings)
        {
            var result = new List<IndexPolicy>(settings.Indexes.Count + settings.FindLinks.Count);
            var order = 0;
            foreach (var index in settings.Indexes.Concat(settings.FindLinks))
            {
                order++;
                var policy = StatusCodePolicy.For(index, settings.Indexes, settings.Strategy);
                result.Add(new IndexPolicy
                {
                    Order = order,
                    Name = index.Name,
                    Url = index.DisplayUrl,
                    Strategy = settings.Strategy,
                    StrategySource = settings.StrategySource.Description,
                    Default = index.IsDefault,
                    Explicit = index.IsExplicit,
                    Format = index.Format == IndexFormat.Flat ? "flat" : "simple",
                    Authenticate = index.Authenticate.ToString().ToLowerInvariant(),
                    IgnoredStatusCodes = policy.IgnoredStatusCodes.ToArray(),
                    PolicySource = policy.Source,
                    StopsOn = policy.StopsOn.ToArray(),
                    Source = index.Source.Description,
                    ConfigFile = index.Source.FilePath,
                });
            }

            return result;
        }
    }
}
