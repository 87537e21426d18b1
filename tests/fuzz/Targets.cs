using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IndexTools.Engine.Config;
using IndexTools.Engine.Environment;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;

namespace IndexTools.Fuzz
{
    /// <summary>A broken promise of the code under test (not an exception the code itself threw).</summary>
    public sealed class FuzzInvariantException : Exception
    {
        public FuzzInvariantException(string message)
            : base(message)
        {
        }
    }

    /// <summary>
    /// The fuzz targets. Each takes the raw input bytes, calls the engine, swallows only the exceptions the engine
    /// documents for bad input, and throws <see cref="FuzzInvariantException"/> when a result breaks a promise. Any other
    /// exception escapes and afl records the input as a crash.
    /// </summary>
    public static class Targets
    {
        private static readonly Uri PageUrl = new Uri("https://example.com/simple/example-pkg/");
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, false);

        // A selector byte below 0x08 at the start of an HTML input picks the content type; text inputs never start so.
        private static readonly string[] HtmlContentTypes =
        {
            "text/html", ProjectPageParser.HtmlMediaType, "text/html; charset=utf-8", "text/html; charset=iso-8859-1",
            "text/html; charset=utf-16", "text/html; charset=\"windows-1252\"", "Text/HTML ; Charset=UTF-8", "text/html; charset=bogus",
        };

        // Built on first use: instrumented engine code must not run before SharpFuzz has set up afl's shared memory.
        private static Pep440Version[]? _probeVersions;

        private static Pep440Version[] ProbeVersions => _probeVersions ??= new[]
        {
            Pep440Version.Parse("1.0"), Pep440Version.Parse("2.0a1"), Pep440Version.Parse("1.0+local.7"),
            Pep440Version.Parse("1!1.0.post1.dev2"), Pep440Version.Parse("0.0.0rc9"),
        };

        /// <summary>Set by <c>--replay</c> with <c>--outcomes</c>: receives "accepted" or the rejecting exception's kind per input.</summary>
        public static Action<string>? Outcome { get; set; }

        public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
        {
            ["html"] = Html,
            ["json"] = Json,
            ["flat"] = Flat,
            ["pep440"] = Pep440,
            ["toml-edit"] = TomlEdit,
            ["toml-load"] = TomlLoad,
        };

        public static void Html(byte[] input)
        {
            var contentType = "text/html";
            if (input.Length > 0 && input[0] < HtmlContentTypes.Length)
            {
                contentType = HtmlContentTypes[input[0]];
                input = input.AsSpan(1).ToArray();
            }

            ParsePage(input, contentType);
        }

        public static void Json(byte[] input) => ParsePage(input, ProjectPageParser.JsonMediaType);

        private static void ParsePage(byte[] input, string contentType)
        {
            ProjectPage page;
            try
            {
                page = ProjectPageParser.Parse(input, contentType, PageUrl, "example-pkg");
            }
            catch (ProjectPageFormatException ex)
            {
                CheckPageError(ex);
                Outcome?.Invoke("rejected");
                return;
            }

            // The stream overload must agree with the byte[] overload.
            ProjectPage again;
            try
            {
                again = ProjectPageParser.Parse(new MemoryStream(input), contentType, PageUrl, "example-pkg");
            }
            catch (ProjectPageFormatException ex)
            {
                throw new FuzzInvariantException("the stream overload failed where the byte[] overload succeeded: " + ex.Message);
            }

            CheckFiles(page.Files);
            Outcome?.Invoke(page.Files.Count == 0 ? "accepted, no files" : "accepted, with files");
            if (again.Files.Count != page.Files.Count)
            {
                throw new FuzzInvariantException("the stream and byte[] overloads read different file counts");
            }
        }

        public static void Flat(byte[] input)
        {
            IReadOnlyList<DistributionFile> files;
            try
            {
                files = FlatIndexReader.ParseHtml(new MemoryStream(input), PageUrl);
            }
            catch (ProjectPageFormatException ex)
            {
                CheckPageError(ex);
                Outcome?.Invoke("rejected");
                return;
            }

            CheckFiles(files);
            Outcome?.Invoke(files.Count == 0 ? "accepted, no files" : "accepted, with files");
            for (var i = 1; i < files.Count; i++)
            {
                if (string.CompareOrdinal(files[i - 1].Filename, files[i].Filename) > 0)
                {
                    throw new FuzzInvariantException("flat index files are not sorted by filename");
                }
            }
        }

        private static void CheckPageError(ProjectPageFormatException ex)
        {
            if (string.IsNullOrEmpty(ex.Message) || ex.Message.Length > 300)
            {
                throw new FuzzInvariantException("a page error message must be one short sentence, got " + ex.Message.Length + " characters");
            }
        }

        private static void CheckFiles(IReadOnlyList<DistributionFile> files)
        {
            if (files is null)
            {
                throw new FuzzInvariantException("null file list");
            }

            foreach (var file in files)
            {
                if (file is null || file.Filename is null || file.Url is null)
                {
                    throw new FuzzInvariantException("a file with a null filename or URL");
                }

                // Every filename the page yields must be safe for the filename parser.
                DistributionFilename.TryParse(file.Filename, "example-pkg", out _);
                DistributionFilename.TryParse(file.Filename, null, out _);
            }
        }

        /// <summary>PEP 440/508: the whole input, and each of its lines, through the four parsers.</summary>
        public static void Pep440(byte[] input)
        {
            var text = Utf8.GetString(input);
            CheckText(text);
            var lines = text.Split('\n');
            if (lines.Length > 1)
            {
                foreach (var line in lines.Take(64))
                {
                    CheckText(line);
                }
            }
        }

        private static void CheckText(string text)
        {
            if (Pep440Version.TryParse(text, out var version))
            {
                CheckVersion(version!, text);
                Outcome?.Invoke("version");
            }

            if (VersionSpecifierSet.TryParse(text, out var set, out var error))
            {
                CheckSet(set!, text);
                Outcome?.Invoke("specifiers");
            }
            else if (string.IsNullOrEmpty(error))
            {
                throw new FuzzInvariantException("VersionSpecifierSet.TryParse failed without an error message");
            }

            if (Requirement.TryParse(text, out var requirement, out var requirementError))
            {
                if (string.IsNullOrEmpty(requirement!.Name) || string.IsNullOrEmpty(requirement.NormalizedName) || requirement.Specifiers is null || requirement.Extras is null)
                {
                    throw new FuzzInvariantException("a parsed requirement without name, specifiers or extras");
                }

                if (requirement.NormalizedName != PackageName.Normalize(requirement.Name))
                {
                    throw new FuzzInvariantException("requirement name '" + requirement.Name + "' normalizes to '" + PackageName.Normalize(requirement.Name) + "', not '" + requirement.NormalizedName + "'");
                }

                CheckSet(requirement.Specifiers, text);
                Outcome?.Invoke("requirement");
            }
            else if (string.IsNullOrEmpty(requirementError))
            {
                throw new FuzzInvariantException("Requirement.TryParse failed without an error message");
            }

            foreach (var expected in new[] { null, "example-pkg" })
            {
                if (DistributionFilename.TryParse(text, expected, out var filename))
                {
                    Outcome?.Invoke("filename");
                    if (filename!.Version is null || string.IsNullOrEmpty(filename.NormalizedName))
                    {
                        throw new FuzzInvariantException("a parsed filename without version or name");
                    }

                    // uv reads an sdist for an expected project by taking exactly the normalized name's length of the
                    // filename, so a name with runs of separators ("foo_-bar") only round-trips for wheels.
                    var roundTrips = filename.Kind == DistributionKind.Wheel || filename.Name.Length == filename.NormalizedName.Length;
                    if (roundTrips && (!DistributionFilename.TryParse(text, filename.NormalizedName, out var again) || again!.Version != filename.Version))
                    {
                        throw new FuzzInvariantException("filename '" + text + "' does not parse for its own project name '" + filename.NormalizedName + "'");
                    }
                }
            }
        }

        private static void CheckVersion(Pep440Version version, string source)
        {
            var printed = version.ToString();
            if (!Pep440Version.TryParse(printed, out var reparsed))
            {
                throw new FuzzInvariantException("version '" + source + "' prints as '" + printed + "', which does not parse");
            }

            if (reparsed is null || reparsed != version || version.CompareTo(reparsed) != 0 || reparsed.GetHashCode() != version.GetHashCode())
            {
                throw new FuzzInvariantException("version '" + source + "' prints as '" + printed + "', which parses to a different version");
            }

            if (reparsed.ToString() != printed)
            {
                throw new FuzzInvariantException("version '" + printed + "' is not a fixed point of ToString: '" + reparsed + "'");
            }

            foreach (var probe in ProbeVersions)
            {
                var order = Math.Sign(version.CompareTo(probe));
                if (order != -Math.Sign(probe.CompareTo(version)))
                {
                    throw new FuzzInvariantException("CompareTo is not antisymmetric for '" + printed + "' and '" + probe + "'");
                }
            }
        }

        private static void CheckSet(VersionSpecifierSet set, string source)
        {
            var printed = set.ToString();
            if (!VersionSpecifierSet.TryParse(printed, out var reparsed, out var error))
            {
                throw new FuzzInvariantException("specifiers '" + source + "' print as '" + printed + "', which does not parse: " + error);
            }

            if (reparsed!.ToString() != printed || reparsed.Specifiers.Count != set.Specifiers.Count)
            {
                throw new FuzzInvariantException("specifiers '" + printed + "' are not a fixed point of ToString");
            }

            foreach (var probe in ProbeVersions)
            {
                if (set.Contains(probe) != reparsed.Contains(probe) || set.Contains(probe, true) != reparsed.Contains(probe, true))
                {
                    throw new FuzzInvariantException("specifiers '" + source + "' and their printed form '" + printed + "' disagree on " + probe);
                }
            }
        }

        // ---- TOML ----------------------------------------------------------------------------------------------

        private const string IndexX = "[[tool.uv.index]]\nname = \"x\"\nurl = \"https://example.com/simple\"\n";

        private static readonly int[]?[] CodeChoices = { null, Array.Empty<int>(), new[] { 401, 403 }, new[] { 418 } };

        private static string? _workDirectory;

        private static string WorkDirectory()
        {
            if (_workDirectory is null)
            {
                var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
                _workDirectory = Path.Combine(root, "indextools-fuzz-" + System.Environment.ProcessId);
                Directory.CreateDirectory(_workDirectory);
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    try
                    {
                        Directory.Delete(_workDirectory, true);
                    }
                    catch (IOException)
                    {
                    }
                };
            }

            return _workDirectory;
        }

        /// <summary>
        /// Input layout: an optional selector byte below 0x10 (bit 0: prepend an index "x"; bits 1-2: the codes to
        /// set, or null to remove), then the file. Without a selector: prepend, set [401, 403].
        /// </summary>
        public static void TomlEdit(byte[] input)
        {
            var selector = 5;
            if (input.Length > 0 && input[0] < 0x10)
            {
                selector = input[0];
                input = input.AsSpan(1).ToArray();
            }

            var bytes = (selector & 1) != 0 ? Encoding.UTF8.GetBytes(IndexX).Concat(input).ToArray() : input;
            var codes = CodeChoices[(selector >> 1) & 3];
            var directory = Path.Combine(WorkDirectory(), "edit");
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "pyproject.toml");
            File.WriteAllBytes(path, bytes);

            EditPlan plan;
            try
            {
                plan = ConfigEditor.PlanIgnoreErrorCodes(path, "x", codes);
            }
            catch (IndexConfigurationException ex)
            {
                CheckConfigError(ex);
                Outcome?.Invoke("rejected: " + ex.ErrorId);
                return;
            }

            var newValue = codes is null ? null : "[" + string.Join(", ", codes) + "]";
            if (plan.NewValue != newValue)
            {
                throw new FuzzInvariantException("the plan's new value is '" + plan.NewValue + "', not '" + newValue + "'");
            }

            Outcome?.Invoke(plan.IsNoOp ? "planned: no-op" : plan.OldValue is null ? "planned: add" : plan.NewValue is null ? "planned: remove" : "planned: replace");
            ConfigEditor.Apply(plan);
            var updated = File.ReadAllBytes(path);
            CheckEditShape(bytes, updated, plan);

            // The edited file must parse and say what was asked: planning the same edit again is a no-op.
            EditPlan again;
            try
            {
                again = ConfigEditor.PlanIgnoreErrorCodes(path, "x", codes);
            }
            catch (IndexConfigurationException ex)
            {
                throw new FuzzInvariantException("the edited file no longer plans: " + ex.Message);
            }

            if (!again.IsNoOp)
            {
                throw new FuzzInvariantException("planning the same edit on the edited file is not a no-op: " + again);
            }

            if (Tomlyn.Parsing.SyntaxParser.Parse(Encoding.UTF8.GetString(updated), "pyproject.toml", true).HasErrors)
            {
                throw new FuzzInvariantException("the edited file has TOML errors");
            }
        }

        /// <summary>The edited file equals the input except one contiguous range, no larger than the edit allows.</summary>
        private static void CheckEditShape(byte[] original, byte[] updated, EditPlan plan)
        {
            if (plan.IsNoOp)
            {
                if (!original.AsSpan().SequenceEqual(updated))
                {
                    throw new FuzzInvariantException("a no-op plan changed the file");
                }

                return;
            }

            var prefix = 0;
            var limit = Math.Min(original.Length, updated.Length);
            while (prefix < limit && original[prefix] == updated[prefix])
            {
                prefix++;
            }

            var suffix = 0;
            while (suffix < limit - prefix && original[original.Length - 1 - suffix] == updated[updated.Length - 1 - suffix])
            {
                suffix++;
            }

            var removed = original.Length - prefix - suffix;
            var inserted = updated.Length - prefix - suffix;
            var oldBytes = plan.OldValue is null ? 0 : Encoding.UTF8.GetByteCount(plan.OldValue);
            var newBytes = plan.NewValue is null ? 0 : Encoding.UTF8.GetByteCount(plan.NewValue);
            var removedText = Encoding.UTF8.GetString(original, prefix, removed);
            var insertedText = Encoding.UTF8.GetString(updated, prefix, inserted);
            if (plan.OldValue != null && plan.NewValue != null)
            {
                // Replacing a value: only bytes of the old value go, only bytes of the new value come.
                if (removed > oldBytes || inserted > newBytes || updated.Length - original.Length != newBytes - oldBytes)
                {
                    throw new FuzzInvariantException("replacing the value changed bytes outside it: removed '" + removedText + "', inserted '" + insertedText + "'");
                }
            }
            else if (plan.OldValue != null)
            {
                // Removing the key: nothing is inserted; the removed text holds the key's line (or inline item) only.
                if (inserted != 0 || removed < oldBytes || removedText.Count(c => c == '=') > plan.OldValue.Count(c => c == '=') + 1)
                {
                    throw new FuzzInvariantException("removing the key changed more than its entry: removed '" + removedText + "', inserted '" + insertedText + "'");
                }
            }
            else
            {
                // Adding the key: nothing is removed; the inserted text is the new line (plus indent and line ending).
                var line = "ignore-error-codes = " + plan.NewValue;
                if (removed != 0 || inserted < line.Length || inserted > line.Length + 2 + 256 || insertedText.Count(c => c == '=') != 1)
                {
                    throw new FuzzInvariantException("adding the key changed more than one entry: removed '" + removedText + "', inserted '" + insertedText + "'");
                }
            }
        }

        private static void CheckConfigError(IndexConfigurationException ex)
        {
            if (string.IsNullOrEmpty(ex.Message))
            {
                throw new FuzzInvariantException("an empty configuration error message");
            }

            if (ex.ErrorId == "TomlParseError" && !ex.Message.Contains("UTF-8") && !ex.Message.Contains("the TOML reader failed") && (ex.Line is null || ex.Column is null || ex.Line < 1 || ex.Column < 1))
            {
                throw new FuzzInvariantException("a TOML parse error without a line and column: " + ex.Message);
            }
        }

        /// <summary>Input: an optional selector byte below 0x10 (bit 0: uv.toml instead of pyproject.toml), then the file.</summary>
        public static void TomlLoad(byte[] input)
        {
            var selector = 0;
            if (input.Length > 0 && input[0] < 0x10)
            {
                selector = input[0];
                input = input.AsSpan(1).ToArray();
            }

            var directory = Path.Combine(WorkDirectory(), "load");
            var home = Path.Combine(WorkDirectory(), "home");
            Directory.CreateDirectory(directory);
            Directory.CreateDirectory(home);
            var name = (selector & 1) != 0 ? "uv.toml" : "pyproject.toml";
            var other = (selector & 1) != 0 ? "pyproject.toml" : "uv.toml";
            File.Delete(Path.Combine(directory, other));
            File.WriteAllBytes(Path.Combine(directory, name), input);

            var environment = new EngineEnvironment(
                new Dictionary<string, string>
                {
                    ["XDG_CONFIG_HOME"] = Path.Combine(home, "config"),
                    ["UV_NO_SYSTEM_CONFIG"] = "1",
                },
                home,
                directory,
                false);
            try
            {
                var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = directory }, environment);
                if (settings is null)
                {
                    throw new FuzzInvariantException("Load returned null");
                }

                Outcome?.Invoke("loaded");
            }
            catch (IndexConfigurationException ex)
            {
                CheckConfigError(ex);
                Outcome?.Invoke("rejected: " + ex.ErrorId);
            }

            // Tab completion reads the same files and must never throw.
            ConfigurationLoader.ListIndexNames(directory, environment);
        }
    }
}
