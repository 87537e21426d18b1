namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// A Simple index that is a local folder (a <c>file://</c> index URL), read as uv's <c>fetch_local_simple_detail</c>
    /// (crates/uv-client/src/registry_client.rs) reads it: the project page is <c>&lt;root&gt;/&lt;name&gt;/index.html</c>,
    /// parsed as PEP 503 HTML with links relative to <c>&lt;root&gt;/&lt;name&gt;/</c>; when that file does not exist the
    /// index does not have the project.
    /// </summary>
    public static class LocalIndexReader
    {
        /// <summary>
        /// The page of <paramref name="normalizedName"/>, or null when <c>&lt;root&gt;/&lt;name&gt;/index.html</c> does not
        /// exist (uv: "not found", the search moves on). A folder without index.html is "not found" too, as in uv.
        /// Throws <see cref="ProjectPageFormatException"/> for a page that is not UTF-8 or that uv would refuse, and
        /// <see cref="IOException"/> when the file exists but cannot be read.
        /// </summary>
        public static ProjectPage? ReadProject(string rootFolder, string normalizedName) =>
            ReadProject(rootFolder, normalizedName, listFilesWithoutIndexHtml: false);

        /// <summary>
        /// As <see cref="ReadProject(string, string)"/>; with <paramref name="listFilesWithoutIndexHtml"/>, a project folder
        /// without index.html gives a page (Format "flat") of the distribution files in it instead of null. uv does not
        /// do this; it is for callers that want to show what such a folder holds.
        /// </summary>
        public static ProjectPage? ReadProject(string rootFolder, string normalizedName, bool listFilesWithoutIndexHtml)
        {
            if (rootFolder == null)
            {
                throw new ArgumentNullException(nameof(rootFolder));
            }

            if (string.IsNullOrEmpty(normalizedName))
            {
                throw new ArgumentException("A project name is required.", nameof(normalizedName));
            }

            if (normalizedName.IndexOfAny(new[] { '/', '\\' }) >= 0 || normalizedName == "." || normalizedName == "..")
            {
                throw new ArgumentException("The project name must be a single path segment.", nameof(normalizedName));
            }

            var projectFolder = Path.Combine(Path.GetFullPath(rootFolder), normalizedName);
            var indexFile = Path.Combine(projectFolder, "index.html");
            if (!File.Exists(indexFile))
            {
                if (listFilesWithoutIndexHtml && Directory.Exists(projectFolder))
                {
                    return new ProjectPage(normalizedName, FlatIndexReader.ListDirectory(projectFolder)) { Format = "flat" };
                }

                return null;
            }

            FileStream stream;
            try
            {
                stream = File.OpenRead(indexFile);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }

            using (stream)
            {
                using var buffer = PageBuffer.Read(stream, ProjectPageParser.DefaultMaxBytes);
                var baseUrl = new Uri(projectFolder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
                return ProjectPageParser.Guard(() =>
                {
                    PageText.CheckStrictUtf8(buffer.Array, buffer.Length, out var start, out var length);
                    return ProjectPageParser.ToPage(HtmlPageParser.Parse(buffer.Array, start, length, baseUrl), normalizedName);
                });
            }
        }
    }
}
