namespace IndexTools.Engine.Credentials
{
    /// <summary>The fix to suggest when an index refused credentials, for the source that supplied them (or for none).</summary>
    public static class CredentialHints
    {
        /// <summary>
        /// One sentence naming the fix for credentials from <paramref name="source"/> (url, env, netrc, uv-store, keyring, learned,
        /// parameter) that <paramref name="indexUrl"/> (redacted) refused. <paramref name="indexName"/> may be null.
        /// </summary>
        public static string Rejected(string source, string? indexName, string indexUrl)
        {
            var host = Uri.TryCreate(indexUrl, UriKind.Absolute, out var uri) ? uri.Host : "<host>";
            switch (source)
            {
                case "url":
                    return " Credentials from url (the index URL's user info) were sent and rejected: correct the user name and password in its URL (or remove them and use another source).";
                case "env":
                    return indexName is null
                        ? " Credentials from env were sent and rejected: check that they are valid and not expired."
                        : " Credentials from env (" + CredentialProvider.UsernameVariable(indexName) + " / " + CredentialProvider.PasswordVariable(indexName) + ") were sent and rejected: set them to a valid user name and password or token (not expired).";
                case "netrc":
                    return " Credentials from netrc (the entry for " + host + ") were sent and rejected: correct its line `machine " + host + " login <user> password <password>` (NETRC, else ~/.netrc).";
                case "uv-store":
                    return " Credentials from uv-store (what `uv auth login` stored for this URL) were sent and rejected: run `uv auth login " + indexUrl + "` again.";
                case "keyring":
                    return " Credentials from keyring were sent and rejected: check the keyring backend (`keyring get` for this URL; for Azure Artifacts artifacts-keyring and a fresh sign-in, for Google Artifact Registry keyrings.google-artifactregistry-auth and `gcloud auth login`).";
                case "learned":
                    return " Credentials from learned (another index on the same host and port supplied them earlier in this run) were sent and rejected: give this index its own"
                        + (indexName is null ? "" : " (" + CredentialProvider.UsernameVariable(indexName) + " / " + CredentialProvider.PasswordVariable(indexName) + ", ")
                        + (indexName is null ? " (" : "") + "`uv auth login " + indexUrl + "`, or a netrc entry).";
                case "parameter":
                    return " Credentials from parameter (-Credential) were sent and rejected: pass a valid credential for this index.";
                default:
                    return " Credentials from " + source + " were sent and rejected: check that they are valid and not expired.";
            }
        }

        /// <summary>Where credentials could come from when none were sent (uv's sources).</summary>
        public static string NoneSent(string? indexName, string indexUrl)
        {
            var sources = "`uv auth login " + indexUrl + "`, a netrc entry for its host, or keyring-provider = \"subprocess\" with a user name in the URL";
            return indexName is null
                ? " To authenticate, use " + sources + " (UV_INDEX_<NAME>_USERNAME/PASSWORD need a named index)."
                : " To authenticate, set " + CredentialProvider.UsernameVariable(indexName) + " and " + CredentialProvider.PasswordVariable(indexName) + ", or use " + sources + " (or pass -Credential).";
        }
    }
}
