using IndexTools.Engine.SimpleApi;

namespace IndexTools.Engine.Versions
{
    /// <summary>
    /// A wheel or source distribution filename read as uv reads it (crates/uv-distribution-filename):
    /// <c>{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl</c>, or <c>{name}-{version}.{ext}</c> for the
    /// sdist extensions uv accepts. Anything else (<c>.egg</c>, <c>.exe</c>, <c>.msi</c>, <c>.rpm</c>, metadata files)
    /// is not a distribution and is skipped.
    /// </summary>
    public sealed class DistributionFilename
    {
        // uv's SourceDistExtension names, in the order uv lists them (extension.rs).
        private static readonly string[] SdistExtensions =
        {
            "tar.gz", "zip", "tar.bz2", "tar.lz", "tar.lzma", "tar.xz", "tar.zst", "tar", "tbz", "tgz", "tlz", "txz",
        };

        private static readonly string[] NoTags = new string[0];

        private DistributionFilename(string filename, string name, string normalizedName, Pep440Version version, string versionText, DistributionKind kind)
        {
            Filename = filename;
            Name = name;
            NormalizedName = normalizedName;
            Version = version;
            VersionText = versionText;
            Kind = kind;
        }

        /// <summary>The filename as given.</summary>
        public string Filename { get; }

        /// <summary>The project name as written in the filename.</summary>
        public string Name { get; }

        /// <summary>The PEP 503 normalized project name.</summary>
        public string NormalizedName { get; }

        public Pep440Version Version { get; }

        /// <summary>The version exactly as written in the filename.</summary>
        public string? VersionText { get; }

        public DistributionKind Kind { get; }

        /// <summary>The sdist extension without its leading dot (<c>tar.gz</c>, <c>zip</c>, …), or <c>whl</c>.</summary>
        public string Extension { get; private set; } = "whl";

        /// <summary>Wheels: the optional build tag (starts with a digit), else null.</summary>
        public string? BuildTag { get; private set; }

        /// <summary>Wheels: the python tags (<c>cp312</c>, <c>py3</c>, …); empty for sdists.</summary>
        public IReadOnlyList<string> PythonTags { get; private set; } = NoTags;

        /// <summary>Wheels: the ABI tags (<c>cp312</c>, <c>abi3</c>, <c>none</c>, …); empty for sdists.</summary>
        public IReadOnlyList<string> AbiTags { get; private set; } = NoTags;

        /// <summary>Wheels: the platform tags (<c>manylinux_2_17_x86_64</c>, <c>any</c>, …); empty for sdists.</summary>
        public IReadOnlyList<string> PlatformTags { get; private set; } = NoTags;

        /// <summary>
        /// Reads a filename listed on the page of <paramref name="expectedNormalizedName"/>, as uv's
        /// <c>DistFilename::try_from_filename</c> does: false for files that are not wheels or sdists, for sdists of
        /// another project, and for unparsable versions, tags or names. Like uv, a wheel is read by its own name
        /// (which may differ from the expected one; compare <see cref="NormalizedName"/> if that matters).
        /// With no expected name (flat indexes), an sdist is split at its last '-', as uv's
        /// <c>try_from_normalized_filename</c> does.
        /// </summary>
        public static bool TryParse(string filename, string? expectedNormalizedName, out DistributionFilename? result)
        {
            result = null;
            if (string.IsNullOrEmpty(filename))
            {
                return false;
            }

            if (filename.EndsWith(".whl", StringComparison.Ordinal))
            {
                return TryParseWheel(filename, out result);
            }

            var extension = SdistExtension(filename);
            if (extension == null)
            {
                return false;
            }

            return TryParseSdist(filename, extension, expectedNormalizedName, out result);
        }

        public override string ToString() => Filename;

        private static string? SdistExtension(string filename)
        {
            // As Rust's Path::extension: the text after the last '.', none for a name that starts with its only '.'.
            var dot = filename.LastIndexOf('.');
            if (dot <= 0)
            {
                return null;
            }

            var last = filename.Substring(dot + 1);
            switch (last)
            {
                case "zip":
                case "tar":
                case "tgz":
                case "tbz":
                case "txz":
                case "tlz":
                    return last;
                case "gz":
                case "bz2":
                case "xz":
                case "lz":
                case "lzma":
                case "zst":
                    // Only after a ".tar" stem (compared case-insensitively, as uv does).
                    var stem = filename.Substring(0, dot);
                    var stemDot = stem.LastIndexOf('.');
                    if (stemDot > 0 && string.Equals(stem.Substring(stemDot + 1), "tar", StringComparison.OrdinalIgnoreCase))
                    {
                        return "tar." + last;
                    }

                    return null;
                default:
                    return null;
            }
        }

        private static bool TryParseSdist(string filename, string extension, string? expectedNormalizedName, out DistributionFilename? result)
        {
            result = null;
            if (filename.Length <= extension.Length + 1)
            {
                return false;
            }

            var stemLength = filename.Length - extension.Length - 1;
            string name;
            int versionStart;
            if (expectedNormalizedName != null)
            {
                // The name part has exactly the expected name's length and normalizes to it character by character
                // (uv: normalized_package_name_matches), so "a-1-1.zip" for project "a" has version "1-1".
                var nameLength = expectedNormalizedName.Length;
                if (stemLength <= nameLength + 1 || filename[nameLength] != '-')
                {
                    return false;
                }

                for (var k = 0; k < nameLength; k++)
                {
                    var c = filename[k];
                    var mapped = c >= 'A' && c <= 'Z' ? (char)(c + 32) : (c == '_' || c == '.' ? '-' : c);
                    if (mapped != expectedNormalizedName[k])
                    {
                        return false;
                    }
                }

                name = filename.Substring(0, nameLength);
                versionStart = nameLength + 1;
            }
            else
            {
                var dash = filename.LastIndexOf('-', stemLength - 1);
                if (dash < 0)
                {
                    return false;
                }

                name = filename.Substring(0, dash);
                if (!Requirement.IsValidName(name))
                {
                    return false;
                }

                versionStart = dash + 1;
            }

            var versionSpan = filename.AsSpan(versionStart, stemLength - versionStart);
            if (!Pep440Version.TryParse(versionSpan, out var version))
            {
                return false;
            }

            result = new DistributionFilename(
                filename,
                name,
                expectedNormalizedName ?? PackageName.Normalize(name),
                version!,
                versionSpan.ToString(),
                DistributionKind.Sdist)
            {
                Extension = extension,
            };
            return true;
        }

        private static bool TryParseWheel(string filename, out DistributionFilename? result)
        {
            result = null;
            var stemLength = filename.Length - 4;

            // Five or six '-'-separated parts; the third of six is the build tag.
            Span<int> dashes = stackalloc int[6];
            var count = 0;
            for (var k = 0; k < stemLength; k++)
            {
                if (filename[k] == '-')
                {
                    if (count == 5)
                    {
                        return false; // more than six parts
                    }

                    dashes[count++] = k;
                }
            }

            if (count < 4)
            {
                return false;
            }

            var name = filename.Substring(0, dashes[0]);
            if (!Requirement.IsValidName(name))
            {
                return false;
            }

            var versionSpan = filename.AsSpan(dashes[0] + 1, dashes[1] - dashes[0] - 1);
            if (!Pep440Version.TryParse(versionSpan, out var version))
            {
                return false;
            }

            string? buildTag = null;
            var tagStart = 1;
            if (count == 5)
            {
                buildTag = filename.Substring(dashes[1] + 1, dashes[2] - dashes[1] - 1);
                if (!IsValidBuildTag(buildTag))
                {
                    return false;
                }

                tagStart = 2;
            }

            var python = SplitTags(filename, dashes[tagStart] + 1, dashes[tagStart + 1]);
            var abi = SplitTags(filename, dashes[tagStart + 1] + 1, dashes[tagStart + 2]);
            var platform = SplitTags(filename, dashes[tagStart + 2] + 1, stemLength);
            if (python == null || abi == null || platform == null)
            {
                return false;
            }

            result = new DistributionFilename(filename, name, PackageName.Normalize(name), version!, versionSpan.ToString(), DistributionKind.Wheel)
            {
                BuildTag = buildTag,
                PythonTags = python,
                AbiTags = abi,
                PlatformTags = platform,
            };
            return true;
        }

        private static bool IsValidBuildTag(string tag)
        {
            // uv build_tag.rs: not empty, starts with a digit, only ASCII letters, digits, '_' and '.'; the leading
            // number must fit in 64 bits.
            if (tag.Length == 0 || tag[0] < '0' || tag[0] > '9')
            {
                return false;
            }

            var digits = 0;
            while (digits < tag.Length && tag[digits] >= '0' && tag[digits] <= '9')
            {
                digits++;
            }

            if (!ulong.TryParse(tag.Substring(0, digits), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return false;
            }

            foreach (var c in tag)
            {
                if (!IsTagChar(c) && c != '.')
                {
                    return false;
                }
            }

            return true;
        }

        private static string[]? SplitTags(string filename, int start, int end)
        {
            // uv wheel.rs: a tag component is '.'-separated tags, each non-empty ASCII letters, digits and '_'.
            if (end <= start)
            {
                return null;
            }

            var parts = 1;
            for (var k = start; k < end; k++)
            {
                var c = filename[k];
                if (c == '.')
                {
                    if (k == start || k == end - 1 || filename[k - 1] == '.')
                    {
                        return null;
                    }

                    parts++;
                }
                else if (!IsTagChar(c))
                {
                    return null;
                }
            }

            var tags = new string[parts];
            var index = 0;
            var tagStart = start;
            for (var k = start; k <= end; k++)
            {
                if (k == end || filename[k] == '.')
                {
                    tags[index++] = filename.Substring(tagStart, k - tagStart);
                    tagStart = k + 1;
                }
            }

            return tags;
        }

        private static bool IsTagChar(char c) =>
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
}
