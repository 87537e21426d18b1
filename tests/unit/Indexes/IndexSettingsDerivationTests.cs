using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Tests.Config;
using Xunit;

namespace IndexTools.Tests.Indexes
{
    /// <summary>
    /// The audit replays uv's three strategies on copies of the command's settings. A copy rebuilt setting by setting
    /// dropped what it did not name (the selection policy, conditional sources, keyring provider, file layers, warnings),
    /// so exclude-newer, prerelease and resolution were ignored in every replayed pick. The settings are compared by
    /// reflection, so a setting added later is covered without touching this test.
    /// </summary>
    public class IndexSettingsDerivationTests
    {
        private const string Project = @"[project]
name = ""app""
version = ""0.1.0""
dependencies = [""torch"", ""acme""]

[project.optional-dependencies]
cpu = [""torch""]

[tool.uv]
exclude-newer = ""2026-01-01T00:00:00Z""
prerelease = ""allow""
resolution = ""lowest""
keyring-provider = ""subprocess""
find-links = [""https://files.example.com/wheels/""]
index-strategy = ""unsafe-first-match""

[[tool.uv.index]]
name = ""internal""
url = ""https://pkgs.example.com/simple""

[[tool.uv.index]]
name = ""pytorch-cpu""
url = ""https://download.pytorch.org/whl/cpu""
explicit = true

[tool.uv.sources]
acme = { index = ""internal"" }
torch = [{ index = ""pytorch-cpu"", marker = ""sys_platform == 'linux'"" }]
";

        private static readonly PropertyInfo[] Settings = typeof(IndexSettings)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToArray();

        private static readonly string[] Changed = { nameof(IndexSettings.Strategy), nameof(IndexSettings.StrategySource) };

        private static IndexSettings Load(ConfigTestFolder folder)
        {
            folder.Write(Path.Combine(folder.Project, "pyproject.toml"), Project);
            return ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
        }

        [Fact]
        public void A_copy_under_another_strategy_carries_every_other_setting()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder);

            // The configuration really set what is compared (else an unset default would pass as carried).
            Assert.NotNull(settings.Selection.ExcludeNewer);
            Assert.NotNull(settings.Selection.Prerelease);
            Assert.NotNull(settings.Selection.Resolution);
            Assert.Contains("torch", settings.ConditionalSources.Keys);
            Assert.Contains("acme", settings.PinnedIndexes.Keys);
            Assert.Equal("subprocess", settings.KeyringProvider);
            Assert.NotEmpty(settings.FindLinks);

            var copy = settings.WithStrategy(IndexStrategy.UnsafeBestMatch, Provenance.Default);
            Assert.Equal(IndexStrategy.UnsafeBestMatch, copy.Strategy);
            Assert.Equal(IndexStrategy.UnsafeFirstMatch, settings.Strategy);
            foreach (var property in Settings.Where(p => !Changed.Contains(p.Name)))
            {
                var original = property.GetValue(settings);
                var carried = property.GetValue(copy);
                Assert.True(Equals(original, carried) || ReferenceEquals(original, carried), property.Name + " was not carried into the copy");
            }
        }

        [Fact]
        public void The_copy_resolves_each_policy_for_its_own_strategy()
        {
            using var folder = new ConfigTestFolder();
            var settings = Load(folder);
            var index = settings.Indexes.First(i => i.Name == "internal");

            var before = settings.PolicyOf(index);
            var copy = settings.WithStrategy(IndexStrategy.FirstIndex, Provenance.Default);
            Assert.NotSame(before, copy.PolicyOf(index));
            Assert.Same(before, settings.PolicyOf(index));
            Assert.Same(copy.PolicyOf(index), copy.PolicyOf(index));
        }
    }
}
