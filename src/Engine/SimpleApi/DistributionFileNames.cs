namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// Which file names can be distributions, by extension only, as uv's <c>DistExtension::from_path</c>
    /// (crates/uv-distribution-filename/src/extension.rs) decides: <c>.whl</c>, <c>.tar.gz</c>, <c>.zip</c>, <c>.tar</c>,
    /// <c>.tgz</c>, <c>.tbz</c>, <c>.txz</c>, <c>.tlz</c>, <c>.tar.bz2</c>, <c>.tar.xz</c>, <c>.tar.lz</c>,
    /// <c>.tar.lzma</c>, <c>.tar.zst</c>. The final extension is compared case-sensitively, the <c>.tar</c> before it
    /// case-insensitively, as uv does. Whether the name and version parse is the search's business.
    /// </summary>
    internal static class DistributionFileNames
    {
        private static readonly string[] SingleExtensions = { "whl", "zip", "tar", "tgz", "tbz", "txz", "tlz" };
        private static readonly string[] TarExtensions = { "gz", "bz2", "xz", "lz", "lzma", "zst" };

        internal static bool HasDistributionExtension(string filename)
        {
            var dot = filename.LastIndexOf('.');
            if (dot <= 0 || dot == filename.Length - 1)
            {
                return false;
            }

            var extension = filename.Substring(dot + 1);
            if (Array.IndexOf(SingleExtensions, extension) >= 0)
            {
                return true;
            }

            if (Array.IndexOf(TarExtensions, extension) < 0)
            {
                return false;
            }

            var stem = filename.Substring(0, dot);
            var innerDot = stem.LastIndexOf('.');
            return innerDot > 0 && string.Equals(stem.Substring(innerDot + 1), "tar", StringComparison.OrdinalIgnoreCase);
        }
    }
}
