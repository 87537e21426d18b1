using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.Engine.Versions;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.Search
{
    /// <summary>
    /// -UvVersion for the rules that decide the version and the credentials: uv 0.12.0's pre-release rewrite (#19993),
    /// prerelease-package (0.12.1, #20837), uv's credential store (0.8.15, #15570) and its path-boundary prefix match
    /// (0.11.9, #19154), each on both sides of its boundary, over real HTTP on loopback.
    /// </summary>
    public sealed class UvReleaseRuleTests : IDisposable
    {
        private const string Secret = "st0re-Secret-19154";
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "indextools-rules-" + Guid.NewGuid().ToString("N"));

        public UvReleaseRuleTests()
        {
            Directory.CreateDirectory(_dir);
        }

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private static IndexFixture MainIndex() => new IndexFixture
        {
            Name = "main",
            Packages =
            {
                // Stable 1.0.0 and a newer pre-release: a range above every stable version.
                ["late"] = new List<string> { "late-1.0.0-py3-none-any.whl", "late-2.1.0b1-py3-none-any.whl" },
                // A requirement naming a pre-release, with a stable version that satisfies it too.
                ["named"] = new List<string> { "named-1.0.0-py3-none-any.whl", "named-2.0.0b1-py3-none-any.whl" },
                // Only pre-releases.
                ["early"] = new List<string> { "early-1.0.0a1-py3-none-any.whl", "early-1.0.0b2-py3-none-any.whl" },
                ["plain"] = new List<string> { "plain-1.0.0-py3-none-any.whl", "plain-2.0.0b1-py3-none-any.whl" },
            },
        };

        private static SearchOptions Uv(string version) => new SearchOptions { UvRules = UvRules.Parse(version) };

        [Theory]
        [InlineData("0.12.0", "late>=2.0", "2.1.0b1")]
        [InlineData("0.12.5", "late>=2.0", "2.1.0b1")]
        [InlineData("0.11.33", "late>=2.0", null)]
        [InlineData("0.6.17", "late>=2.0", null)]
        [InlineData("0.12.5", "named>=1.0b1", "1.0.0")]
        [InlineData("0.11.33", "named>=1.0b1", "2.0.0b1")]
        [InlineData("0.11.33", "early", "1.0.0b2")]
        [InlineData("0.12.5", "early", "1.0.0b2")]
        [InlineData("0.11.33", "plain", "1.0.0")]
        [InlineData("0.12.5", "plain", "1.0.0")]
        [InlineData("0.11.33", "plain!=1.0.0a1", "1.0.0")]
        public async Task The_default_prerelease_mode_prefers_stable_from_0_12_and_was_if_necessary_or_explicit_before(string version, string requirement, string? expected)
        {
            await using var h = await SearchHarness.StartAsync(MainIndex());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("main"));

            var result = await h.Search(settings, options: Uv(version)).ResolveAsync(requirement, CancellationToken.None);

            Assert.Equal(version, result.UvVersion);
            if (expected is null)
            {
                Assert.False(result.Resolved);
                Assert.Equal(StopReason.NoMatchingVersion, result.StopReason);
                Assert.Contains("Matching pre-releases are not candidates: prerelease = if-necessary-or-explicit", result.Hint);
                Assert.Contains("uv " + version + " takes pre-releases only for a package that lists no stable version", result.Hint);
            }
            else
            {
                Assert.True(result.Resolved, result.Hint);
                Assert.Equal(expected, result.Version);
                Assert.Equal("main", result.Index);
            }
        }

        [Theory]
        [InlineData(PrereleaseMode.Explicit, "0.11.33", "named>=1.0b1", "2.0.0b1")]
        [InlineData(PrereleaseMode.Explicit, "0.12.5", "named>=1.0b1", "1.0.0")]
        [InlineData(PrereleaseMode.Explicit, "0.11.33", "late>=2.0", null)]
        [InlineData(PrereleaseMode.Explicit, "0.12.5", "late>=2.0", null)]
        [InlineData(PrereleaseMode.IfNecessary, "0.11.33", "named>=1.0b1", "1.0.0")]
        [InlineData(PrereleaseMode.IfNecessary, "0.11.33", "late>=2.0", null)]
        [InlineData(PrereleaseMode.IfNecessary, "0.12.5", "late>=2.0", "2.1.0b1")]
        [InlineData(PrereleaseMode.IfNecessaryOrExplicit, "0.12.5", "named>=1.0b1", "1.0.0")]
        [InlineData(PrereleaseMode.IfNecessaryOrExplicit, "0.11.33", "named>=1.0b1", "2.0.0b1")]
        [InlineData(PrereleaseMode.Disallow, "0.11.33", "early", null)]
        [InlineData(PrereleaseMode.Disallow, "0.12.5", "early", null)]
        [InlineData(PrereleaseMode.Allow, "0.11.33", "plain", "2.0.0b1")]
        [InlineData(PrereleaseMode.Allow, "0.12.5", "plain", "2.0.0b1")]
        public async Task Each_configured_prerelease_mode_selects_as_the_release_did(PrereleaseMode mode, string version, string requirement, string? expected)
        {
            await using var h = await SearchHarness.StartAsync(MainIndex());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("main"));
            settings.Selection.Prerelease = new SettingValue<PrereleaseMode>(mode, SelectionValues.Text(mode), "/test/pyproject.toml:3");

            var result = await h.Search(settings, options: Uv(version)).ResolveAsync(requirement, CancellationToken.None);

            if (expected is null)
            {
                Assert.Equal(StopReason.NoMatchingVersion, result.StopReason);
                Assert.Contains("prerelease = " + SelectionValues.Text(mode) + " (/test/pyproject.toml:3)", result.Hint);
            }
            else
            {
                Assert.True(result.Resolved, result.Hint);
                Assert.Equal(expected, result.Version);
            }
        }

        [Theory]
        [InlineData("0.12.0", "1.0.0")]
        [InlineData("0.12.1", "2.0.0b1")]
        [InlineData("0.12.5", "2.0.0b1")]
        public async Task Prerelease_package_applies_from_0_12_1(string version, string expected)
        {
            await using var h = await SearchHarness.StartAsync(MainIndex());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("main"));
            settings.Selection.Prerelease = new SettingValue<PrereleaseMode>(PrereleaseMode.Disallow, "disallow", "/test/pyproject.toml:3");
            settings.Selection.PrereleasePackage = new Dictionary<string, SettingValue<PrereleaseMode>>
            {
                ["plain"] = new SettingValue<PrereleaseMode>(PrereleaseMode.Allow, "allow", "/test/pyproject.toml:4"),
            };

            var plain = await h.Search(settings, options: Uv(version)).ResolveAsync("plain", CancellationToken.None);
            var other = await h.Search(settings, options: Uv(version)).ResolveAsync("named", CancellationToken.None);

            Assert.Equal(expected, plain.Version);
            // The global mode (disallow) still applies to the other packages.
            Assert.Equal("1.0.0", other.Version);
        }

        [Fact]
        public async Task Comparing_0_11_33_with_0_12_5_names_the_prerelease_rewrite()
        {
            await using var h = await SearchHarness.StartAsync(MainIndex());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("main"));
            var client = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(SearchHarness.Environment(), null));
            var comparer = new UvVersionComparer(settings, client, new SearchOptions(), UvRules.Parse("0.11.33"), UvRules.Parse("0.12.5"));

            var results = new List<UvVersionComparison>();
            await foreach (var c in comparer.CompareManyAsync(new[] { Requirement.Parse("late>=2.0"), Requirement.Parse("named>=1.0b1"), Requirement.Parse("plain") }, CancellationToken.None))
            {
                results.Add(c);
            }

            Assert.Equal("NoMatchingVersion", results[0].ResultA);
            Assert.Equal("2.1.0b1 from main", results[0].ResultB);
            Assert.True(results[0].VersionChanged);
            Assert.Contains(results[0].Why, w => w.Contains("uv 0.11.33 finds no candidate, uv 0.12.5 takes 2.1.0b1") && w.Contains("astral-sh/uv#19993"));

            Assert.Equal("2.0.0b1 from main", results[1].ResultA);
            Assert.Equal("1.0.0 from main", results[1].ResultB);
            Assert.False(results[1].IndexChanged);
            Assert.Contains(results[1].Why, w => w.Contains("The same index offers both") && w.Contains("astral-sh/uv#19993"));

            Assert.False(results[2].Differs);
            Assert.Empty(results[2].Why);
        }

        [Fact]
        public void Prerelease_package_is_read_as_uv_0_12_5_reads_it_merged_key_by_key_project_first()
        {
            using var folder = new Config.ConfigTestFolder();
            folder.Write(Path.Combine(folder.Project, "pyproject.toml"),
                "[project]\nname = \"app\"\nversion = \"1\"\n\n[tool.uv]\nprerelease-package = { Numpy = \"allow\", scipy = \"if-necessary-or-explicit\" }\n");
            folder.Write(folder.UserFile, "prerelease = \"disallow\"\nprerelease-package = { numpy = \"disallow\", pandas = \"explicit\" }\n");
            var request = new Engine.Config.ConfigurationRequest { StartPath = folder.Project };

            var settings = Engine.Config.ConfigurationLoader.Load(request, folder.Environment(("UV_PRERELEASE", "if-necessary")));

            var packages = settings.Selection.PrereleasePackage;
            Assert.Equal(new[] { "numpy", "pandas", "scipy" }, packages.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal(PrereleaseMode.Allow, packages["numpy"].Value);
            Assert.Contains("pyproject.toml:6", packages["numpy"].Source);
            Assert.Equal(PrereleaseMode.Explicit, packages["pandas"].Value);
            Assert.Contains("uv.toml:2", packages["pandas"].Source);
            Assert.Equal(PrereleaseMode.IfNecessaryOrExplicit, packages["scipy"].Value);
            // UV_PRERELEASE sets the global mode only (uv has no variable for prerelease-package); package modes win over it.
            Assert.Equal("env: UV_PRERELEASE", settings.Selection.Prerelease!.Source);
            Assert.Equal(PrereleaseMode.Allow, settings.Selection.PrereleaseFor("numpy"));
            Assert.Equal(PrereleaseMode.IfNecessary, settings.Selection.PrereleaseFor("flask"));
            // uv 0.12 warns about the deprecated alias, naming where it was set.
            Assert.Contains(settings.Warnings, w => w.Contains("`if-necessary-or-explicit` pre-release mode is deprecated") && w.Contains("pyproject.toml:6"));
        }

        [Theory]
        [InlineData("prerelease-package = { numpy = \"sometimes\" }", "'sometimes'")]
        [InlineData("prerelease-package = \"allow\"", "must be a table")]
        [InlineData("prerelease-package = { \"-numpy\" = \"allow\" }", "not a valid package name")]
        [InlineData("prerelease-package = { numpy = 1 }", "prerelease-package.numpy")]
        public void A_bad_prerelease_package_is_an_error_naming_file_and_line(string line, string expected)
        {
            using var folder = new Config.ConfigTestFolder();
            var file = folder.Write(Path.Combine(folder.Project, "uv.toml"), "index-strategy = \"first-index\"\n" + line + "\n");
            var before = File.ReadAllBytes(file);
            var request = new Engine.Config.ConfigurationRequest { StartPath = folder.Project };

            var error = Assert.Throws<IndexConfigurationException>(() => Engine.Config.ConfigurationLoader.Load(request, folder.Environment()));

            Assert.Contains("uv.toml:2", error.Message);
            Assert.Contains(expected, error.Message);
            Assert.Equal(before, File.ReadAllBytes(file));
        }

        private static IndexFixture Team(string name) => new IndexFixture
        {
            Name = name,
            Packages = { ["acme"] = new List<string> { "acme-1.0.0-py3-none-any.whl" } },
            Behavior = new IndexBehavior { Username = "store-user", Password = Secret },
        };

        private void WriteStore(string service)
        {
            File.WriteAllText(Path.Combine(_dir, "credentials.toml"), "[[credential]]\nservice = \"" + service + "\"\nusername = \"store-user\"\npassword = \"" + Secret + "\"\n");
        }

        [Theory]
        [InlineData("0.11.8", true)]
        [InlineData("0.11.9", false)]
        [InlineData("0.12.5", false)]
        public async Task A_store_service_covers_a_longer_path_segment_only_before_0_11_9(string version, bool sent)
        {
            // The service /team is a string prefix of /team-b/simple/acme/, not a path-segment prefix of it.
            await using var h = await SearchHarness.StartAsync(Team("team-b"));
            WriteStore(h.Server.BaseUrl.AbsoluteUri + "team");
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("team-b"));
            var environment = SearchHarness.Environment(("UV_CREDENTIALS_DIR", _dir));

            var result = await h.Search(settings, environment, Uv(version)).ResolveAsync("acme", CancellationToken.None);

            if (sent)
            {
                Assert.True(result.Resolved, result.Hint);
                Assert.Equal("uv-store", result.Attempts[0].CredentialSource);
            }
            else
            {
                Assert.Equal(StopReason.AuthenticationFailed, result.StopReason);
                Assert.Equal(401, result.Attempts[0].StatusCode);
                Assert.Equal("none", result.Attempts[0].CredentialSource);
            }

            Assert.DoesNotContain(Secret, string.Join("\n", result.Attempts.Select(a => a.Reason)) + result.Hint);
        }

        [Theory]
        [InlineData("0.8.14", false)]
        [InlineData("0.8.15", true)]
        [InlineData("0.12.5", true)]
        public async Task The_uv_credential_store_is_a_source_from_0_8_15(string version, bool read)
        {
            await using var h = await SearchHarness.StartAsync(Team("team"));
            WriteStore(h.Server.IndexUrl("team").AbsoluteUri);
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("team"));
            var environment = SearchHarness.Environment(("UV_CREDENTIALS_DIR", _dir));

            var result = await h.Search(settings, environment, Uv(version)).ResolveAsync("acme", CancellationToken.None);

            Assert.Equal(read, result.Resolved);
            Assert.Equal(read ? "uv-store" : "none", result.Attempts[0].CredentialSource);
        }

        [Fact]
        public async Task Comparing_0_11_8_with_0_12_5_names_the_path_boundary_of_the_store()
        {
            await using var h = await SearchHarness.StartAsync(Team("team-b"));
            WriteStore(h.Server.BaseUrl.AbsoluteUri + "team");
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("team-b"));
            var environment = SearchHarness.Environment(("UV_CREDENTIALS_DIR", _dir));
            var a = UvRules.Parse("0.11.8");
            var b = UvRules.Latest;
            // Two releases, two runs: each with its own credential sources (as Compare-IndexStrategy's two sessions).
            using var clientA = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(environment, null, new CredentialOptions { UvRules = a }));
            using var clientB = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(environment, null, new CredentialOptions { UvRules = b }));
            var comparer = new UvVersionComparer(settings, clientA, clientB, new SearchOptions(), a, b);

            var comparison = await comparer.CompareAsync(Requirement.Parse("acme"), CancellationToken.None);

            Assert.Equal("1.0.0 from team-b", comparison.ResultA);
            Assert.Equal("AuthenticationFailed", comparison.ResultB);
            var why = Assert.Single(comparison.Why);
            Assert.Contains("got credentials from uv-store under uv 0.11.8 and from none under uv 0.12.5", why);
            Assert.Contains("astral-sh/uv#19154", why);
        }
    }
}
