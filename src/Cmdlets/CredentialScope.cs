namespace IndexTools.Cmdlets
{
    /// <summary>
    /// Decides which index -Credential belongs to. Credentials go to one index only (its realm), never to every index:
    /// 1. the index named by -CredentialIndex;
    /// 2. otherwise the only index with <c>authenticate = "always"</c>;
    /// 3. otherwise the only index that is not PyPI (pypi.org / files.pythonhosted.org).
    /// Anything else is ambiguous and the caller must name the index.
    /// </summary>
    internal static class CredentialScope
    {
        internal static IndexDefinition? Select(IReadOnlyList<IndexDefinition> indexes, string? credentialIndex, out string? problem)
        {
            problem = null;
            if (!string.IsNullOrEmpty(credentialIndex))
            {
                var named = indexes.FirstOrDefault(i => string.Equals(i.Name, credentialIndex, StringComparison.Ordinal));
                if (named is null)
                {
                    problem = "-CredentialIndex '" + credentialIndex + "' is not one of the configured indexes (" + Names(indexes) + ").";
                }

                return named;
            }

            var always = indexes.Where(i => i.Authenticate == AuthenticatePolicy.Always).ToList();
            if (always.Count == 1)
            {
                return always[0];
            }

            var private_ = indexes.Where(i => !IsPyPI(i.Url)).ToList();
            if (always.Count == 0 && private_.Count == 1)
            {
                return private_[0];
            }

            problem = "-Credential applies to one index; name it with -CredentialIndex (configured: " + Names(indexes) + ").";
            return null;
        }

        internal static bool IsPyPI(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return false;
            }

            return string.Equals(uri.Host, "pypi.org", StringComparison.OrdinalIgnoreCase)
                || string.Equals(uri.Host, "files.pythonhosted.org", StringComparison.OrdinalIgnoreCase);
        }

        private static string Names(IReadOnlyList<IndexDefinition> indexes)
        {
            return indexes.Count == 0 ? "none" : string.Join(", ", indexes.Select(i => i.DisplayName));
        }
    }
}
