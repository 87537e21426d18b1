using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace IndexTools.ParseBench
{
    /// <summary>One file of the generated project, as both pages describe it.</summary>
    internal sealed class GeneratedFile
    {
        public string Filename = string.Empty;
        public string Url = string.Empty;
        public string Sha256 = string.Empty;
        public string? MetadataSha256;
        public string? RequiresPython;
        public bool Yanked;
        public string? YankedReason;
        public long Size;
        public DateTimeOffset UploadTime;
    }

    /// <summary>
    /// Builds a deterministic project page the size of a big real one (~5 MB of PEP 503 HTML) and its PEP 691 JSON twin,
    /// shaped like what pypi.org serves: releases of a compiled project, each with an sdist and wheels for several
    /// CPython versions and platforms, absolute files.pythonhosted.org URLs with <c>#sha256=</c> fragments,
    /// <c>data-requires-python</c> with <c>&amp;gt;=</c> / <c>&amp;lt;</c>, a few yanked releases (with and without a
    /// reason), and in JSON the PEP 700 fields (size, upload-time, versions).
    /// </summary>
    /// <remarks>
    /// Shape "pypi" adds the core-metadata attributes pypi.org puts on every wheel link (<c>data-dist-info-metadata</c>,
    /// <c>data-core-metadata</c>; <c>core-metadata</c> / <c>data-dist-info-metadata</c> / <c>provenance</c> in JSON).
    /// Shape "lean" leaves them out, as simpler indexes (pypiserver, devpi, a static mirror) do: fewer bytes per file, so
    /// the same kept objects weigh more against the input.
    /// </remarks>
    internal static class PageGenerator
    {
        internal const string ProjectName = "fastnum";
        internal const int TargetHtmlBytes = 5_000_000;

        private static readonly string[] Pythons = { "cp39-cp39", "cp310-cp310", "cp311-cp311", "cp312-cp312", "cp313-cp313" };

        private static readonly string[] Platforms =
        {
            "manylinux_2_17_x86_64.manylinux2014_x86_64",
            "manylinux_2_17_aarch64.manylinux2014_aarch64",
            "musllinux_1_2_x86_64",
            "macosx_10_9_x86_64",
            "macosx_11_0_arm64",
            "win_amd64",
            "win32",
        };

        private static readonly string?[] RequiresPythons = { null, ">=3.7", ">=3.8", ">=3.9", ">=3.9,<3.14", ">=3.10" };

        internal static List<GeneratedFile> Files(string shape)
        {
            var random = new SplitMix(0x1D3E_7001);
            var files = new List<GeneratedFile>();
            var withMetadata = shape == "pypi";
            var htmlBytes = 400;
            var upload = new DateTimeOffset(2015, 3, 1, 9, 0, 0, TimeSpan.Zero);
            for (var release = 0; htmlBytes < TargetHtmlBytes; release++)
            {
                var version = $"{release / 100}.{release / 10 % 10}.{release % 10}";
                var requiresPython = RequiresPythons[Math.Min(release / 80, RequiresPythons.Length - 1)];
                var yanked = release % 47 == 13;
                var yankedReason = yanked && release % 2 == 0 ? "Broken wheels for macOS, use " + version + ".post1" : (yanked ? string.Empty : null);
                upload = upload.AddHours(30 + random.Next(200)).AddMilliseconds(random.Next(1_000_000));

                var names = new List<string> { $"{ProjectName}-{version}.tar.gz" };
                foreach (var python in Pythons)
                {
                    foreach (var platform in Platforms)
                    {
                        names.Add($"{ProjectName}-{version}-{python}-{platform}.whl");
                    }
                }

                if (release % 5 == 0)
                {
                    names.Add($"{ProjectName}-{version}-py3-none-any.whl");
                }

                foreach (var name in names)
                {
                    var blake = random.Hex(64);
                    var file = new GeneratedFile
                    {
                        Filename = name,
                        Url = $"https://files.pythonhosted.org/packages/{blake.Substring(0, 2)}/{blake.Substring(2, 2)}/{blake.Substring(4)}/{name}",
                        Sha256 = random.Hex(64),
                        MetadataSha256 = withMetadata && name.EndsWith(".whl", StringComparison.Ordinal) ? random.Hex(64) : null,
                        RequiresPython = requiresPython,
                        Yanked = yanked,
                        YankedReason = yanked && yankedReason!.Length > 0 ? yankedReason : null,
                        Size = 200_000 + random.Next(30_000_000),
                        UploadTime = upload.AddSeconds(random.Next(3600)).AddTicks(random.Next(1_000_000) * 10L),
                    };
                    files.Add(file);
                    htmlBytes += HtmlLine(file).Length;
                }
            }

            return files;
        }

        internal static string Html(List<GeneratedFile> files)
        {
            var sb = new StringBuilder(TargetHtmlBytes + 4096);
            sb.Append("<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.3\">\n")
                .Append("    <meta name=\"pypi:project-status\" content=\"active\">\n")
                .Append("    <title>Links for ").Append(ProjectName).Append("</title>\n  </head>\n  <body>\n")
                .Append("    <h1>Links for ").Append(ProjectName).Append("</h1>\n");
            foreach (var file in files)
            {
                sb.Append(HtmlLine(file));
            }

            sb.Append("</body>\n</html>\n<!--SERIAL 26251117-->");
            return sb.ToString();
        }

        internal static string Json(List<GeneratedFile> files)
        {
            var sb = new StringBuilder(TargetHtmlBytes * 2);
            sb.Append("{\"alternate-locations\":[],\"files\":[");
            var first = true;
            var versions = new List<string>();
            foreach (var file in files)
            {
                sb.Append(first ? string.Empty : ",");
                first = false;
                sb.Append('{');
                if (file.MetadataSha256 != null)
                {
                    sb.Append("\"core-metadata\":{\"sha256\":\"").Append(file.MetadataSha256).Append("\"},");
                    sb.Append("\"data-dist-info-metadata\":{\"sha256\":\"").Append(file.MetadataSha256).Append("\"},");
                }

                sb.Append("\"filename\":\"").Append(file.Filename).Append("\",");
                sb.Append("\"hashes\":{\"sha256\":\"").Append(file.Sha256).Append("\"},");
                if (file.MetadataSha256 != null)
                {
                    sb.Append("\"provenance\":null,");
                }

                sb.Append("\"requires-python\":").Append(file.RequiresPython == null ? "null" : "\"" + file.RequiresPython + "\"").Append(',');
                sb.Append("\"size\":").Append(file.Size.ToString(CultureInfo.InvariantCulture)).Append(',');
                sb.Append("\"upload-time\":\"").Append(file.UploadTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append("\",");
                sb.Append("\"url\":\"").Append(file.Url).Append("\",");
                sb.Append("\"yanked\":").Append(!file.Yanked ? "false" : file.YankedReason == null ? "true" : "\"" + file.YankedReason + "\"");
                sb.Append('}');

                var version = VersionOf(file.Filename);
                if (versions.Count == 0 || versions[versions.Count - 1] != version)
                {
                    versions.Add(version);
                }
            }

            sb.Append("],\"meta\":{\"_last-serial\":26251117,\"api-version\":\"1.3\"},\"name\":\"").Append(ProjectName)
                .Append("\",\"project-status\":{\"status\":\"active\"},\"versions\":[");
            for (var i = 0; i < versions.Count; i++)
            {
                sb.Append(i == 0 ? "\"" : ",\"").Append(versions[i]).Append('"');
            }

            sb.Append("]}");
            return sb.ToString();
        }

        private static string HtmlLine(GeneratedFile file)
        {
            var sb = new StringBuilder(512);
            sb.Append("    <a href=\"").Append(file.Url).Append("#sha256=").Append(file.Sha256).Append('"');
            if (file.RequiresPython != null)
            {
                sb.Append(" data-requires-python=\"").Append(file.RequiresPython.Replace(">", "&gt;").Replace("<", "&lt;")).Append('"');
            }

            if (file.Yanked)
            {
                sb.Append(file.YankedReason == null ? " data-yanked=\"\"" : " data-yanked=\"" + file.YankedReason + "\"");
            }

            if (file.MetadataSha256 != null)
            {
                sb.Append(" data-dist-info-metadata=\"sha256=").Append(file.MetadataSha256).Append('"');
                sb.Append(" data-core-metadata=\"sha256=").Append(file.MetadataSha256).Append('"');
            }

            sb.Append('>').Append(file.Filename).Append("</a><br />\n");
            return sb.ToString();
        }

        private static string VersionOf(string filename)
        {
            var rest = filename.Substring(ProjectName.Length + 1);
            var end = rest.EndsWith(".tar.gz", StringComparison.Ordinal) ? rest.Length - 7 : rest.IndexOf('-');
            return rest.Substring(0, end);
        }

        /// <summary>A small seeded generator, so the pages are the same on every machine and runtime.</summary>
        private sealed class SplitMix
        {
            private ulong _state;

            internal SplitMix(ulong seed)
            {
                _state = seed;
            }

            internal ulong NextUInt64()
            {
                var z = _state += 0x9E3779B97F4A7C15UL;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }

            internal int Next(int max) => (int)(NextUInt64() % (ulong)max);

            internal string Hex(int length)
            {
                var chars = new char[length];
                for (var i = 0; i < length; i += 16)
                {
                    var value = NextUInt64();
                    for (var j = 0; j < 16 && i + j < length; j++)
                    {
                        chars[i + j] = "0123456789abcdef"[(int)(value >> (j * 4)) & 0xF];
                    }
                }

                return new string(chars);
            }
        }
    }
}
