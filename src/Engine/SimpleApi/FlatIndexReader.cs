namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// A flat index (uv's <c>--find-links</c> / <c>format = "flat"</c>, crates/uv-client/src/flat_index.rs): an HTML page
    /// of links to files of any project, a local HTML file, or a local folder of distribution files. The readers return
    /// every file; choosing the files of one project (by parsing the filenames) is the search's work.
    /// </summary>
    public static class FlatIndexReader
    {
        /// <summary>
        /// Every link of an HTML page, parsed as uv parses a Simple page (see <see cref="ProjectPageParser"/>): filenames
        /// from the URL path, hashes from fragments, relative URLs resolved against the first &lt;base href&gt; or
        /// <paramref name="pageUrl"/>, sorted by filename. The body is decoded as UTF-8, lossily.
        /// </summary>
        public static IReadOnlyList<DistributionFile> ParseHtml(Stream content, Uri pageUrl) =>
            ParseHtml(content, pageUrl, null, ProjectPageParser.DefaultMaxBytes);

        /// <summary>As <see cref="ParseHtml(Stream, Uri)"/>, honouring the Content-Type charset and a size limit.</summary>
        public static IReadOnlyList<DistributionFile> ParseHtml(Stream content, Uri pageUrl, string? contentType, long maxBytes)
        {
            CheckUrl(pageUrl);
            using var buffer = PageBuffer.Read(content, maxBytes);
            return ProjectPageParser.Guard(() =>
            {
                var html = PageText.HtmlBytes(buffer.Array, buffer.Length, contentType, out var start, out var length);
                return HtmlPageParser.Parse(html, start, length, pageUrl).Files;
            });
        }

        /// <summary>
        /// The distribution files directly in <paramref name="folderPath"/> (not in subfolders), as <c>file://</c> URLs,
        /// sorted by filename. Like uv, it skips folders (and links to folders) and names that are not wheels or source
        /// distributions by extension; nothing else is known about a file in a folder (no hashes, no requires-python).
        /// Throws <see cref="DirectoryNotFoundException"/> / <see cref="IOException"/> when the folder cannot be read: uv
        /// fails the whole operation for an unreadable find-links folder.
        /// </summary>
        public static IReadOnlyList<DistributionFile> ListDirectory(string folderPath)
        {
            if (folderPath == null)
            {
                throw new ArgumentNullException(nameof(folderPath));
            }

            var folder = new DirectoryInfo(Path.GetFullPath(folderPath));
            if (!folder.Exists)
            {
                throw new DirectoryNotFoundException($"The flat index folder '{folderPath}' does not exist.");
            }

            var files = new List<DistributionFile>();
            foreach (var entry in folder.EnumerateFiles())
            {
                if (!DistributionFileNames.HasDistributionExtension(entry.Name) || IsLinkToFolder(entry))
                {
                    continue;
                }

                files.Add(new DistributionFile(entry.Name, new Uri(entry.FullName).AbsoluteUri));
            }

            return files.OrderBy(f => f.Filename, StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// A local find-links entry as uv reads it: a folder is listed (<see cref="ListDirectory"/>), a file is read as an
        /// HTML page whose links resolve against the file's own URL (strict UTF-8, as uv's <c>read_to_string</c>).
        /// </summary>
        public static IReadOnlyList<DistributionFile> ReadLocal(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            var fullPath = Path.GetFullPath(path);
            if (Directory.Exists(fullPath))
            {
                return ListDirectory(fullPath);
            }

            using var stream = File.OpenRead(fullPath);
            using var buffer = PageBuffer.Read(stream, ProjectPageParser.DefaultMaxBytes);
            var url = new Uri(fullPath);
            return ProjectPageParser.Guard(() =>
            {
                PageText.CheckStrictUtf8(buffer.Array, buffer.Length, out var start, out var length);
                return HtmlPageParser.Parse(buffer.Array, start, length, url).Files;
            });
        }

        internal static void CheckUrl(Uri pageUrl)
        {
            if (pageUrl == null)
            {
                throw new ArgumentNullException(nameof(pageUrl));
            }

            if (!pageUrl.IsAbsoluteUri)
            {
                throw new ArgumentException("The page URL must be absolute.", nameof(pageUrl));
            }
        }

        private static bool IsLinkToFolder(FileInfo entry)
        {
            // EnumerateFiles already leaves out folders; a symbolic link to a folder is left out here too.
            try
            {
                return (entry.Attributes & FileAttributes.Directory) != 0 || Directory.Exists(entry.FullName);
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
