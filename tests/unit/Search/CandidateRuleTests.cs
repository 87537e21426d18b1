using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.Engine.Versions;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.Search
{
    /// <summary>uv 0.12's candidate rules (version_map.rs, candidate_selector.rs, prerelease.rs) over real HTTP on loopback.</summary>
    public class CandidateRuleTests
    {
        private static PackageFile F(string filename, string? requiresPython = null, string? uploaded = "2025-06-01T00:00:00Z", bool yanked = false)
        {
            return new PackageFile(filename)
            {
                RequiresPython = requiresPython,
                UploadTime = uploaded is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(uploaded, System.Globalization.CultureInfo.InvariantCulture),
                Yanked = yanked,
            };
        }

        private static async Task<PackageResolution> Resolve(IndexFixture fixture, string requirement, SearchOptions? options = null, SelectionPolicy? selection = null, IndexStrategy strategy = IndexStrategy.FirstIndex, Func<IndexDefinition, IndexDefinition>? configure = null, IndexFixture? second = null)
        {
            await using var h = second is null ? await SearchHarness.StartAsync(fixture) : await SearchHarness.StartAsync(fixture, second);
            var indexes = new List<IndexDefinition> { h.Index(fixture.Name, configure: configure) };
            if (second is not null)
            {
                indexes.Add(h.Index(second.Name));
            }

            var settings = SearchHarness.Settings(strategy, indexes.ToArray());
            if (selection is not null)
            {
                settings.Selection = selection;
            }

            return await h.Search(settings, options: options).ResolveAsync(requirement, CancellationToken.None);
        }

        [Fact]
        public async Task Wheels_for_another_platform_are_not_candidates_and_the_reason_names_the_tags()
        {
            var index = new IndexFixture("pypi").Add("fastlib",
                F("fastlib-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"),
                F("fastlib-2.0-cp311-cp311-win_amd64.whl"));

            var linux = await Resolve(index, "fastlib", new SearchOptions { PythonVersion = "3.11", Platform = "linux" });
            Assert.Equal("1.0", linux.Version);
            Assert.Contains("2.0 is not a candidate: win_amd64 wheels only; target 3.11 on linux", linux.Attempts[0].Reason);
            Assert.StartsWith("Python 3.11 on linux", linux.Target);

            var windows = await Resolve(index, "fastlib", new SearchOptions { PythonVersion = "3.11", Platform = "windows" });
            Assert.Equal("2.0", windows.Version);

            // Universal (no -Platform): every platform counts, as uv lock resolves.
            var universal = await Resolve(index, "fastlib");
            Assert.Equal("2.0", universal.Version);
            Assert.Contains("universal", universal.Target);
        }

        [Fact]
        public async Task Cpython_wheels_for_another_python_only_say_so()
        {
            var index = new IndexFixture("pypi").Add("native",
                F("native-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"),
                F("native-2.0-cp313-cp313-manylinux_2_17_x86_64.whl"));

            var result = await Resolve(index, "native", new SearchOptions { PythonVersion = "3.11", Platform = "linux" });
            Assert.Equal("1.0", result.Version);
            Assert.Contains("2.0 is not a candidate: cp313-cp313 wheels only; target 3.11 on linux", result.Attempts[0].Reason);

            // Universal with requires-python >=3.12 (a project's): cp311 is below the range, cp313 fits.
            var target = TargetEnvironment.Create(null, null, ">=3.12", "pyproject.toml:3");
            var project = await Resolve(index, "native", new SearchOptions { Target = target });
            Assert.Equal("2.0", project.Version);
            var old = await Resolve(index, "native<2", new SearchOptions { Target = target });
            Assert.Equal(StopReason.NoMatchingVersion, old.StopReason);
            Assert.Contains("1.0 is not a candidate: cp311-cp311 wheels only; target requires-python >=3.12, universal", old.Attempts[0].Reason);
        }

        [Fact]
        public async Task A_projects_requires_python_limits_its_dependencies_by_lower_bound_as_uv_does()
        {
            var index = new IndexFixture("pypi").Add("modern",
                F("modern-1.0.tar.gz", ">=3.8"),
                F("modern-2.0.tar.gz", ">=3.12"),
                F("modern-3.0.tar.gz", "<3.10"));

            var target = TargetEnvironment.Create(null, null, ">=3.10", "pyproject.toml:3");
            var result = await Resolve(index, "modern<3", new SearchOptions { Target = target });
            Assert.Equal("1.0", result.Version);
            Assert.Contains("2.0 is not a candidate: requires-python >=3.12; target requires-python >=3.10, universal", result.Attempts[0].Reason);

            // uv compares lower bounds only: "<3.10" has none, so 3.0 stays a candidate for a >=3.10 project.
            var upper = await Resolve(index, "modern", new SearchOptions { Target = target });
            Assert.Equal("3.0", upper.Version);
        }

        [Fact]
        public async Task Exclude_newer_drops_later_uploads_and_files_without_upload_time()
        {
            var index = new IndexFixture("pypi").Add("dated",
                F("dated-1.0.tar.gz", uploaded: "2025-01-01T00:00:00Z"),
                F("dated-2.0.tar.gz", uploaded: "2026-03-01T00:00:00Z"),
                F("dated-2.0-py3-none-any.whl", uploaded: "2026-03-02T00:00:00Z"),
                F("dated-1.5.tar.gz", uploaded: null));
            var cutoff = SelectionValues.ParseExcludeNewer("2026-01-01T00:00:00Z", DateTimeOffset.UtcNow)!.Value;
            var selection = new SelectionPolicy { ExcludeNewer = new SettingValue<DateTimeOffset>(cutoff, "2026-01-01T00:00:00Z", "pyproject.toml:7 [tool.uv] exclude-newer") };

            var result = await Resolve(index, "dated", selection: selection);
            Assert.Equal("1.0", result.Version);
            Assert.Contains("2.0 is not a candidate: 2 files excluded by exclude-newer 2026-01-01T00:00:00Z", result.Attempts[0].Reason);

            var noTime = await Resolve(index, "dated==1.5", selection: selection);
            Assert.Equal(StopReason.NoMatchingVersion, noTime.StopReason);
            Assert.Contains("1 file excluded by exclude-newer 2026-01-01T00:00:00Z (some without upload-time)", noTime.Attempts[0].Reason);

            // A per-index exclude-newer = false turns the global cutoff off for that index.
            var off = await Resolve(index, "dated", selection: selection, configure: d => d with { ExcludeNewer = new SettingValue<DateTimeOffset?>(null, "false", "pyproject.toml:12") });
            Assert.Equal("2.0", off.Version);

            // exclude-newer-package wins over the index and global values.
            var perPackage = new SelectionPolicy
            {
                ExcludeNewer = selection.ExcludeNewer,
                ExcludeNewerPackage = new Dictionary<string, SettingValue<DateTimeOffset?>> { ["dated"] = new SettingValue<DateTimeOffset?>(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "2026-03-01T12:00:00Z", "pyproject.toml:9") },
            };
            var package = await Resolve(index, "dated", selection: perPackage);
            Assert.Equal("2.0", package.Version); // the sdist is older than the package cutoff, the wheel is not
        }

        [Theory]
        [InlineData(PrereleaseMode.IfNecessary, "lib", "1.0")]
        [InlineData(PrereleaseMode.IfNecessary, "lib>=2.0b1", "2.0b1")]
        [InlineData(PrereleaseMode.IfNecessary, "lib>=1.0b1", "1.0")]
        [InlineData(PrereleaseMode.Allow, "lib", "2.0b1")]
        [InlineData(PrereleaseMode.Disallow, "lib>=2.0b1", null)]
        [InlineData(PrereleaseMode.Explicit, "lib>=2.0b1", "2.0b1")]
        [InlineData(PrereleaseMode.Explicit, "lib>1.0", null)]
        [InlineData(PrereleaseMode.IfNecessaryOrExplicit, "lib>1.0", "2.0b1")]
        public async Task Prerelease_modes_follow_uv_012(PrereleaseMode mode, string requirement, string? expected)
        {
            var index = new IndexFixture("pypi").Add("lib", F("lib-1.0.tar.gz"), F("lib-2.0b1.tar.gz"));
            var selection = new SelectionPolicy { Prerelease = new SettingValue<PrereleaseMode>(mode, SelectionValues.Text(mode), "env: UV_PRERELEASE") };
            var result = await Resolve(index, requirement, selection: selection);
            Assert.Equal(expected, result.Version);
            if (expected is null)
            {
                Assert.Contains("pre-releases are not candidates: prerelease = " + SelectionValues.Text(mode), result.Hint, StringComparison.OrdinalIgnoreCase);
            }
        }

        [Theory]
        [InlineData(ResolutionMode.Highest, "3.0")]
        [InlineData(ResolutionMode.Lowest, "1.0")]
        [InlineData(ResolutionMode.LowestDirect, "1.0")]
        public async Task Resolution_modes_walk_from_the_top_or_the_bottom(ResolutionMode mode, string expected)
        {
            var index = new IndexFixture("pypi").Add("walk", F("walk-1.0.tar.gz"), F("walk-2.0.tar.gz"), F("walk-3.0.tar.gz"), F("walk-0.5.tar.gz", yanked: true));
            var selection = new SelectionPolicy { Resolution = new SettingValue<ResolutionMode>(mode, SelectionValues.Text(mode), "env: UV_RESOLUTION") };
            var result = await Resolve(index, "walk", selection: selection);
            Assert.Equal(expected, result.Version);
        }

        [Fact]
        public async Task Lowest_under_unsafe_best_match_takes_the_lowest_across_indexes()
        {
            var first = new IndexFixture("internal").Add("shared", F("shared-2.0.tar.gz"));
            var second = new IndexFixture("pypi").Add("shared", F("shared-1.0.tar.gz"), F("shared-3.0.tar.gz"));
            var selection = new SelectionPolicy { Resolution = new SettingValue<ResolutionMode>(ResolutionMode.Lowest, "lowest", "env: UV_RESOLUTION") };
            var result = await Resolve(first, "shared", selection: selection, strategy: IndexStrategy.UnsafeBestMatch, second: second);
            Assert.Equal("1.0", result.Version);
            Assert.Equal("pypi", result.Index);
        }

        [Fact]
        public async Task Yanked_files_are_candidates_only_when_pinned()
        {
            var index = new IndexFixture("pypi").Add("gone", F("gone-1.0.tar.gz"), F("gone-2.0.tar.gz", yanked: true));
            Assert.Equal("1.0", (await Resolve(index, "gone")).Version);
            Assert.Equal("2.0", (await Resolve(index, "gone==2.0")).Version);
            Assert.Contains("2.0 is not a candidate: yanked", (await Resolve(index, "gone")).Attempts[0].Reason);
        }

        [Fact]
        public async Task Legacy_sdist_extensions_are_not_candidates_for_uv()
        {
            var index = new IndexFixture("pypi").Add("old", F("old-1.0.tar.gz"), F("old-2.0.tar.bz2"));
            var result = await Resolve(index, "old");
            Assert.Equal("1.0", result.Version);
            Assert.Contains("2.0 is not a candidate: sdist .tar.bz2 is not a PEP 625 source distribution", result.Attempts[0].Reason);
        }

        [Theory]
        [InlineData("2026-01-01T00:00:00Z", "2026-01-01T00:00:00+00:00")]
        [InlineData("2026-01-01T02:00:00+02:00", "2026-01-01T00:00:00+00:00")]
        [InlineData("7 days", "2026-06-08T00:00:00+00:00")]
        [InlineData("P1W", "2026-06-08T00:00:00+00:00")]
        [InlineData("24h", "2026-06-14T00:00:00+00:00")]
        public void Exclude_newer_values_are_read_as_uv_reads_them(string text, string expected)
        {
            var now = DateTimeOffset.Parse("2026-06-15T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
            var parsed = SelectionValues.ParseExcludeNewer(text, now, TimeZoneInfo.Utc);
            Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed);
        }

        [Fact]
        public void A_date_means_the_whole_day_and_months_are_refused()
        {
            var now = DateTimeOffset.UtcNow;
            Assert.Equal(DateTimeOffset.Parse("2026-01-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), SelectionValues.ParseExcludeNewer("2026-01-01", now, TimeZoneInfo.Utc));
            Assert.Null(SelectionValues.ParseExcludeNewer("false", now));
            Assert.Contains("months or years", Assert.Throws<FormatException>(() => SelectionValues.ParseExcludeNewer("2 months", now)).Message);
            Assert.Contains("'soon'", Assert.Throws<FormatException>(() => SelectionValues.ParseExcludeNewer("soon", now)).Message);
        }

        [Fact]
        public void Settings_come_from_the_environment_before_the_project_file_and_errors_name_file_and_line()
        {
            var dir = Path.Combine(Path.GetTempPath(), "indextools-selection-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var file = Path.Combine(dir, "pyproject.toml");
                File.WriteAllText(file, "[project]\nname = \"app\"\nversion = \"1\"\n\n[tool.uv]\nexclude-newer = \"2026-01-01T00:00:00Z\"\nprerelease = \"allow\"\nresolution = \"lowest\"\n\n[[tool.uv.index]]\nname = \"internal\"\nurl = \"https://internal.example.test/simple\"\nexclude-newer = false\n");
                var request = new ConfigurationRequest { StartPath = dir };
                var fromFile = ConfigurationLoader.Load(request, SearchHarness.Environment());
                Assert.Equal("2026-01-01T00:00:00Z", fromFile.Selection.ExcludeNewer!.Text);
                Assert.Contains("pyproject.toml:6", fromFile.Selection.ExcludeNewer.Source);
                Assert.Equal(PrereleaseMode.Allow, fromFile.Selection.Prerelease!.Value);
                Assert.Equal(ResolutionMode.Lowest, fromFile.Selection.Resolution!.Value);
                Assert.Null(fromFile.Indexes[0].ExcludeNewer!.Value);

                var fromEnv = ConfigurationLoader.Load(request, SearchHarness.Environment(("UV_PRERELEASE", "disallow"), ("UV_RESOLUTION", "highest"), ("UV_EXCLUDE_NEWER", "2025-01-01T00:00:00Z")));
                Assert.Equal(PrereleaseMode.Disallow, fromEnv.Selection.Prerelease!.Value);
                Assert.Equal("env: UV_PRERELEASE", fromEnv.Selection.Prerelease.Source);
                Assert.Equal(ResolutionMode.Highest, fromEnv.Selection.Resolution!.Value);
                Assert.Equal("2025-01-01T00:00:00Z", fromEnv.Selection.ExcludeNewer!.Text);

                var bad = Assert.Throws<IndexConfigurationException>(() => ConfigurationLoader.Load(request, SearchHarness.Environment(("UV_PRERELEASE", "sometimes"))));
                Assert.Contains("'sometimes'", bad.Message);

                var before = File.ReadAllBytes(file);
                File.WriteAllText(file, "[tool.uv]\nresolution = \"newest\"\n");
                var fileError = Assert.Throws<IndexConfigurationException>(() => ConfigurationLoader.Load(request, SearchHarness.Environment()));
                Assert.Contains("pyproject.toml:2", fileError.Message);
                Assert.Contains("newest", fileError.Message);
                Assert.NotEmpty(before);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
