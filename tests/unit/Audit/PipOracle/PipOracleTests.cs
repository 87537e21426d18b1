using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Audit;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Versions;
using IndexTools.IndexServer;
using IndexTools.Tests.Search;
using Xunit;
using Xunit.Abstractions;

namespace IndexTools.Tests.Audit.PipOracle
{
    /// <summary>
    /// The oracle: real <c>python3 -m pip download --no-deps</c> (pip 23.2.1 here) against the loopback index server, with real
    /// wheels (METADATA, WHEEL, RECORD) and real sdists whose in-tree backend pip builds offline. The file pip fetched (its URL
    /// names the index) must be the file IndexTools' pip column picks, for every scenario. pip is the judge, not our reading of it.
    /// </summary>
    public class PipOracleTests
    {
        private readonly ITestOutputHelper _output;

        public PipOracleTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private sealed class Scenario
        {
            public Scenario(string name, string requirement, params IndexFixture[] indexes)
            {
                Name = name;
                Requirement = requirement;
                Indexes = indexes;
            }

            public string Name { get; }

            public string Requirement { get; }

            /// <summary>uv's order; the last is the default index (pip's --index-url), the others become --extra-index-url.</summary>
            public IndexFixture[] Indexes { get; }

            public string? Python { get; set; }

            public string? Platform { get; set; }

            public bool Pre { get; set; }

            public override string ToString() => Name;
        }

        private static PackageFile F(string filename, string? requiresPython = null, bool yanked = false, bool bare = false)
        {
            return new PackageFile(filename) { RequiresPython = requiresPython, Yanked = yanked, BareYanked = bare };
        }

        private static IndexFixture Ix(string name, string project, params PackageFile[] files) => new IndexFixture(name).Add(project, files);

        private static IndexFixture Html(string name, string project, params PackageFile[] files)
        {
            var index = Ix(name, project, files);
            index.Behavior.Formats = "html";
            return index;
        }

        private static IEnumerable<Scenario> Scenarios()
        {
            yield return new Scenario("highest version across indexes", "o1", Ix("internal", "o1", F("o1-1.0.tar.gz")), Ix("pypi", "o1", F("o1-2.0.tar.gz")));
            yield return new Scenario("same sdist on two indexes: a tie", "o2", Ix("internal", "o2", F("o2-1.0.tar.gz")), Ix("pypi", "o2", F("o2-1.0.tar.gz")));
            yield return new Scenario("same wheel on two indexes: a tie", "o3", Ix("internal", "o3", F("o3-1.0-py3-none-any.whl")), Ix("pypi", "o3", F("o3-1.0-py3-none-any.whl")));
            yield return new Scenario("a wheel beats the sdist of its version", "o4", Ix("internal", "o4", F("o4-1.0-py3-none-any.whl")), Ix("pypi", "o4", F("o4-1.0.tar.gz")));
            yield return new Scenario("a higher sdist beats a lower wheel", "o5", Ix("pypi", "o5", F("o5-1.0-py3-none-any.whl"), F("o5-1.1.tar.gz")));
            yield return new Scenario("a yanked newest is passed over", "o6", Ix("pypi", "o6", F("o6-1.0.tar.gz"), F("o6-2.0.tar.gz", yanked: true)));
            yield return new Scenario("a yanked version is taken for an == pin", "o7==2.0", Ix("pypi", "o7", F("o7-1.0.tar.gz"), F("o7-2.0.tar.gz", yanked: true)));
            yield return new Scenario("only yanked and no pin: nothing", "o8", Ix("pypi", "o8", F("o8-1.0.tar.gz", yanked: true)));
            yield return new Scenario("a bare data-yanked is not yanked for pip", "o9", Html("pypi", "o9", F("o9-1.0.tar.gz"), F("o9-2.0.tar.gz", yanked: true, bare: true)));
            yield return new Scenario("data-yanked with a value is yanked", "o10", Html("pypi", "o10", F("o10-1.0.tar.gz"), F("o10-2.0.tar.gz", yanked: true)));
            yield return new Scenario("a bare name takes a pre-release when nothing else exists", "o11", Ix("pypi", "o11", F("o11-1.0b1.tar.gz")));
            yield return new Scenario("a bare name prefers the stable release", "o12", Ix("pypi", "o12", F("o12-1.0.tar.gz"), F("o12-2.0b1.tar.gz")));
            yield return new Scenario("a specifier without a pre-release excludes pre-releases", "o13>=1.0", Ix("pypi", "o13", F("o13-0.5.tar.gz"), F("o13-2.0b1.tar.gz")));
            yield return new Scenario("a specifier naming a pre-release admits them", "o14>=2.0b1", Ix("pypi", "o14", F("o14-1.0.tar.gz"), F("o14-2.0b1.tar.gz"), F("o14-2.0b2.tar.gz")));
            yield return new Scenario("--pre", "o15", Ix("pypi", "o15", F("o15-1.0.tar.gz"), F("o15-2.0b1.tar.gz"))) { Pre = true };
            yield return new Scenario("requires-python above the running interpreter", "o16", Ix("pypi", "o16", F("o16-1.0.tar.gz", ">=3.8"), F("o16-2.0.tar.gz", ">=3.99")));
            yield return new Scenario("requires-python upper bound (uv ignores it, pip does not)", "o17", Ix("pypi", "o17", F("o17-1.0.tar.gz"), F("o17-2.0.tar.gz", "<3.4")));
            yield return new Scenario("an unparsable requires-python is ignored by pip", "o18", Ix("pypi", "o18", F("o18-1.0.tar.gz"), F("o18-2.0.tar.gz", "not a specifier")));
            yield return new Scenario("a wheel named for another project is skipped", "o19", Ix("pypi", "o19", F("o19-1.0.tar.gz"), F("other_project-3.0-py3-none-any.whl")));
            yield return new Scenario("a .tar.bz2 sdist is a candidate for pip", "o20", Ix("pypi", "o20", F("o20-1.0.tar.gz"), F("o20-2.0.tar.bz2")));
            yield return new Scenario("a .zip sdist", "o21", Ix("pypi", "o21", F("o21-0.9.tar.gz"), F("o21-1.0.zip")));
            yield return new Scenario("the higher build tag wins", "o22", Ix("pypi", "o22", F("o22-1.0-1-py3-none-any.whl"), F("o22-1.0-2-py3-none-any.whl")));
            yield return new Scenario("a build tag beats none", "o23", Ix("pypi", "o23", F("o23-1.0-py3-none-any.whl"), F("o23-1.0-1-py3-none-any.whl")));
            yield return new Scenario("three indexes tie", "o24", Ix("a", "o24", F("o24-1.0.tar.gz")), Ix("b", "o24", F("o24-1.0.tar.gz")), Ix("pypi", "o24", F("o24-1.0.tar.gz")));
            yield return new Scenario("a tie where the default index lists the wheel", "o25", Ix("internal", "o25", F("o25-1.0.tar.gz")), Ix("pypi", "o25", F("o25-1.0-py3-none-any.whl")));
            yield return new Scenario("an == pin across indexes", "o26==1.0", Ix("internal", "o26", F("o26-1.0.tar.gz")), Ix("pypi", "o26", F("o26-2.0.tar.gz"), F("o26-1.0.tar.gz")));
            yield return new Scenario("!= excludes", "o27!=2.0", Ix("pypi", "o27", F("o27-1.5.tar.gz"), F("o27-2.0.tar.gz")));
            yield return new Scenario("~= compatible release", "o28~=1.4", Ix("pypi", "o28", F("o28-1.4.tar.gz"), F("o28-1.9.tar.gz"), F("o28-2.0.tar.gz")));
            yield return new Scenario("a local version sorts above its public one", "o29", Ix("internal", "o29", F("o29-1.0+corp.tar.gz")), Ix("pypi", "o29", F("o29-1.0.tar.gz")));
            yield return new Scenario("a post release", "o30", Ix("pypi", "o30", F("o30-1.0.tar.gz"), F("o30-1.0.post1.tar.gz")));
            yield return new Scenario("a dev release alone", "o31", Ix("pypi", "o31", F("o31-1.0.dev1.tar.gz")));
            yield return new Scenario("an epoch", "o32", Ix("pypi", "o32", F("o32-2.0.tar.gz"), F("o32-1!0.5.tar.gz")));
            yield return new Scenario("names normalize", "o33-pkg", Ix("pypi", "o33-pkg", F("o33_pkg-1.0.tar.gz"), F("o33_pkg-1.1-py3-none-any.whl")));
            yield return new Scenario("a yanked wheel loses to the sdist of its version", "o34", Ix("pypi", "o34", F("o34-1.0-py3-none-any.whl", yanked: true), F("o34-1.0.tar.gz")));
            yield return new Scenario("requires-python in HTML", "o35", Html("internal", "o35", F("o35-1.0.tar.gz"), F("o35-2.0.tar.gz", ">=3.99")), Ix("pypi", "o35", F("o35-0.1.tar.gz")));
            yield return new Scenario("the running interpreter's wheel tags", "o36", Ix("pypi", "o36", F("o36-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"), F("o36-1.0.tar.gz"), F("o36-2.0-cp399-cp399-manylinux_2_17_x86_64.whl")));
            yield return new Scenario("target: exact CPython wheel over the pure one", "o37", Ix("pypi", "o37", F("o37-1.0-py3-none-any.whl"), F("o37-1.0-cp311-cp311-manylinux_2_28_x86_64.whl"))) { Python = "3.11", Platform = "x86_64-manylinux_2_28" };
            yield return new Scenario("target: pip's --platform manylinux_2_28 takes no manylinux_2_17 wheel", "o38", Ix("pypi", "o38", F("o38-0.9-py3-none-any.whl"), F("o38-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"))) { Python = "3.11", Platform = "linux" };
            yield return new Scenario("target: windows", "o39", Ix("pypi", "o39", F("o39-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"), F("o39-1.0-cp312-cp312-win_amd64.whl"), F("o39-0.5-py3-none-any.whl"))) { Python = "3.12", Platform = "windows" };
            yield return new Scenario("target: cp313 wheels only for 3.11", "o40", Ix("pypi", "o40", F("o40-1.0-py3-none-any.whl"), F("o40-2.0-cp313-cp313-win_amd64.whl"))) { Python = "3.11", Platform = "windows" };
            yield return new Scenario("target: macOS arm64 takes an 11.0 wheel", "o41", Ix("pypi", "o41", F("o41-1.0-cp311-cp311-macosx_11_0_arm64.whl"), F("o41-0.1-py3-none-any.whl"))) { Python = "3.11", Platform = "macos" };
            yield return new Scenario("target: macOS arm64 takes a universal2 wheel", "o42", Ix("pypi", "o42", F("o42-1.0-cp311-cp311-macosx_10_9_universal2.whl"), F("o42-1.0-py3-none-any.whl"))) { Python = "3.11", Platform = "macos" };
            yield return new Scenario("target: abi3 over pure Python", "o43", Ix("pypi", "o43", F("o43-1.0-py3-none-any.whl"), F("o43-1.0-cp38-abi3-manylinux_2_28_x86_64.whl"))) { Python = "3.12", Platform = "linux" };
            yield return new Scenario("target: only-binary leaves an sdist-only package unresolved", "o44", Ix("pypi", "o44", F("o44-1.0.tar.gz"))) { Python = "3.11", Platform = "linux" };
            yield return new Scenario("target: requires-python against --python-version", "o45", Ix("pypi", "o45", F("o45-1.0-py3-none-any.whl", ">=3.8"), F("o45-2.0-py3-none-any.whl", ">=3.10"))) { Python = "3.9", Platform = "linux" };
            yield return new Scenario("target: ==3.11.* excludes 3.12", "o46", Ix("pypi", "o46", F("o46-1.0-py3-none-any.whl"), F("o46-2.0-py3-none-any.whl", "==3.11.*"))) { Python = "3.12", Platform = "windows" };
            yield return new Scenario("target: a platform with the running Python", "o47", Ix("pypi", "o47", F("o47-1.0-cp311-cp311-win_amd64.whl"), F("o47-0.1-py3-none-any.whl"))) { Platform = "windows" };
            yield return new Scenario("target: x86_64-manylinux2014 is --platform manylinux_2_17_x86_64, which takes no manylinux1 wheel", "o48", Ix("pypi", "o48", F("o48-1.0-cp311-cp311-manylinux1_x86_64.whl"), F("o48-0.1-py3-none-any.whl"))) { Python = "3.11", Platform = "x86_64-manylinux2014" };
        }

        [Fact]
        public async Task Pips_pick_is_the_file_pip_downloads()
        {
            var scenarios = Scenarios().ToList();
            Assert.True(scenarios.Count >= 40);
            var work = Path.Combine(Path.GetTempPath(), "indextools-pip-oracle-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            try
            {
                MakeSdists(scenarios, work);
                var failures = new ConcurrentBag<string>();
                var fetched = new ConcurrentBag<string>();
                using var gate = new SemaphoreSlim(4);
                await Task.WhenAll(scenarios.Select(async (scenario, n) =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        var problem = await RunAsync(scenario, Path.Combine(work, "s" + n), fetched);
                        if (problem is not null)
                        {
                            failures.Add(scenario.Name + ": " + problem);
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
                foreach (var failure in failures)
                {
                    _output.WriteLine(failure);
                }

                foreach (var line in fetched.OrderBy(f => f, StringComparer.Ordinal))
                {
                    _output.WriteLine(line);
                }

                // Not vacuous: pip fetched a file in nearly every scenario (a few expect nothing).
                Assert.True(fetched.Count(f => !f.EndsWith(": nothing", StringComparison.Ordinal)) >= 40, "pip fetched too few files:\n" + string.Join("\n", fetched));
                Assert.True(failures.IsEmpty, failures.Count + " of " + scenarios.Count + " scenarios differ from pip:\n" + string.Join("\n", failures.OrderBy(f => f, StringComparer.Ordinal)));
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        /// <summary>Builds every sdist the scenarios list with python3 (tar.gz, tar.bz2, zip) and has the server serve them.</summary>
        private static void MakeSdists(List<Scenario> scenarios, string work)
        {
            var sdists = scenarios.SelectMany(s => s.Indexes).SelectMany(i => i.Files.Keys)
                .Where(f => f.EndsWith(".tar.gz", StringComparison.Ordinal) || f.EndsWith(".tar.bz2", StringComparison.Ordinal) || f.EndsWith(".zip", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal).ToList();
            var list = Path.Combine(work, "sdists.json");
            File.WriteAllText(list, JsonSerializer.Serialize(sdists));
            var outDir = Path.Combine(work, "sdists");
            Directory.CreateDirectory(outDir);
            var (code, _, error) = Run("python3", new[] { Path.Combine(AppContext.BaseDirectory, "Audit", "PipOracle", "make_sdists.py"), list, outDir }, work);
            Assert.True(code == 0, "make_sdists.py failed: " + error);
            foreach (var sdist in sdists)
            {
                PackageFile.SetBody(sdist, File.ReadAllBytes(Path.Combine(outDir, sdist)));
            }
        }

        /// <summary>Runs pip and IndexTools' pip model on one scenario; null when they agree, else what differs.</summary>
        private static async Task<string?> RunAsync(Scenario scenario, string folder, ConcurrentBag<string> fetched)
        {
            Directory.CreateDirectory(folder);
            var fixture = new ServerFixture();
            fixture.Indexes.AddRange(scenario.Indexes);
            await using var server = await IndexServerHost.StartAsync(fixture);

            // IndexTools: the audit's pip column over real HTTP.
            var definitions = scenario.Indexes.Select((ix, i) => new IndexDefinition(ix.Name, server.IndexUrl(ix.Name).ToString(), Provenance.Default) { IsDefault = i == scenario.Indexes.Length - 1 }).ToArray();
            var settings = new IndexSettings(definitions, IndexStrategy.FirstIndex, Provenance.Default);
            var target = TargetEnvironment.Create(scenario.Python, scenario.Platform);
            using var client = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(SearchHarness.Environment(), null));
            var audit = new ShadowAudit(settings, client, new ShadowAuditOptions { Target = target, AllowPreRelease = scenario.Pre, PublicIndexes = definitions.Select(d => d.Name!).ToArray() });
            var audited = await audit.AuditAsync(Requirement.Parse(scenario.Requirement), CancellationToken.None);
            var ours = audited.Picks.Single(p => p.Strategy == "PipMergeAll");
            server.ClearRequests();

            // pip itself.
            var args = new List<string>
            {
                "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--disable-pip-version-check", "-q", "--no-build-isolation",
                "-d", Path.Combine(folder, "dl"),
                "--index-url", server.IndexUrl(scenario.Indexes[scenario.Indexes.Length - 1].Name).ToString(),
            };
            foreach (var extra in scenario.Indexes.Take(scenario.Indexes.Length - 1))
            {
                args.Add("--extra-index-url");
                args.Add(server.IndexUrl(extra.Name).ToString());
            }

            if (scenario.Python is not null || scenario.Platform is not null)
            {
                if (scenario.Python is not null)
                {
                    args.Add("--python-version");
                    args.Add(scenario.Python);
                }

                if (scenario.Platform is not null)
                {
                    args.Add("--platform");
                    args.Add(target.PlatformTags[0]);
                }

                args.Add("--only-binary=:all:");
            }

            if (scenario.Pre)
            {
                args.Add("--pre");
            }

            args.Add(scenario.Requirement);
            var (code, stdout, stderr) = await Task.Run(() => Run("python3", args, folder));
            var downloads = server.Requests.Where(r => r.Kind == RequestKind.File).OrderBy(r => r.Sequence).ToList();
            var pipFile = downloads.Count == 0 ? null : Uri.UnescapeDataString(downloads[0].Path.Substring(downloads[0].Path.LastIndexOf('/') + 1));
            var pipIndex = downloads.Count == 0 ? null : downloads[0].Index;
            if (code != 0 && downloads.Count > 0)
            {
                return "pip fetched " + pipFile + " from '" + pipIndex + "' and then failed (exit " + code + "): " + stderr.Trim();
            }

            var theirs = pipFile is null ? "nothing (exit " + code + ")" : pipFile + " from '" + pipIndex + "'";
            fetched.Add(scenario.Name + ": " + (pipFile is null ? "nothing" : theirs));
            var mine = ours.File is null ? "nothing (" + ours.StopReason + ")" : ours.File + " from '" + ours.Index + "'";
            if (pipFile is null && ours.File is null)
            {
                return code != 0 ? null : "pip exited 0 without fetching a file";
            }

            return pipFile == ours.File && pipIndex == ours.Index ? null : "pip took " + theirs + ", IndexTools says " + mine + " [" + ours.Reason + "]";
        }

        private static (int Code, string Stdout, string Stderr) Run(string exe, IEnumerable<string> args, string workingDirectory)
        {
            var start = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            // pip reads no user or site configuration and no proxy: loopback only.
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PIP_", StringComparison.OrdinalIgnoreCase) || k.EndsWith("_proxy", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(key);
            }

            start.Environment["PIP_CONFIG_FILE"] = "/dev/null";
            start.Environment["PIP_NO_INPUT"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120000))
            {
                process.Kill(true);
                return (-1, "", "timed out");
            }

            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
