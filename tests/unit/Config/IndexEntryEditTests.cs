using System;
using System.IO;
using System.Linq;
using System.Text;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using Xunit;

namespace IndexTools.Tests.Config
{
    /// <summary>Set-IndexIgnoredCodes -Url: creating an [[index]] entry (and the user uv.toml) and converting index-url/extra-index-url.</summary>
    public class IndexEntryEditTests
    {
        private static readonly int[] Forbidden = { 403 };

        private static EditPlan PlanUser(ConfigTestFolder folder, string name, string url, int[]? codes = null)
        {
            return ConfigEditor.PlanIndexEntry(folder.UserFile, name, url, codes ?? Forbidden, folder.Project, folder.Environment());
        }

        private static IndexConfigurationException Refused(ConfigTestFolder folder, string path, string name, string url, string expectedId)
        {
            var before = File.Exists(path) ? File.ReadAllBytes(path) : null;
            var error = Assert.Throws<IndexConfigurationException>(() => ConfigEditor.PlanIndexEntry(path, name, url, Forbidden, folder.Project, folder.Environment()));
            Assert.Equal(expectedId, IndexTools.Cmdlets.ErrorTable.Of(error.Kind).Id);
            if (before is null)
            {
                Assert.False(File.Exists(path));
            }
            else
            {
                Assert.Equal(before, File.ReadAllBytes(path));
            }

            return error;
        }

        [Fact]
        public void CreatesTheUserFileAndItsFolderOnlyWhenApplied()
        {
            using var folder = new ConfigTestFolder();
            var uvDir = Path.GetDirectoryName(folder.UserFile)!;
            Assert.False(Directory.Exists(uvDir));

            var plan = PlanUser(folder, "corp", "https://corp.example/simple/");
            Assert.Equal(EditKind.CreateIndex, plan.Kind);
            Assert.True(plan.CreatesFile);
            Assert.Equal(new[] { "1. https://pypi.org/simple (default)" }, plan.SearchOrderBefore);
            Assert.Equal(new[] { "1. corp https://corp.example/simple/", "2. https://pypi.org/simple (default)" }, plan.SearchOrderAfter);
            Assert.False(Directory.Exists(uvDir)); // planning (-WhatIf) writes nothing

            ConfigEditor.Apply(plan);
            Assert.Equal("[[index]]\nname = \"corp\"\nurl = \"https://corp.example/simple/\"\nignore-error-codes = [403]\n", File.ReadAllText(folder.UserFile));

            var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
            var corp = settings.Indexes.Single(i => i.Name == "corp");
            Assert.Equal(new[] { 403 }, StatusCodePolicy.For(corp, settings.PolicyDefinitions, IndexStrategy.FirstIndex).IgnoredStatusCodes);
        }

        [Fact]
        public void AppendsToAFileWithoutTheEntryLeavingEveryOtherByte()
        {
            using var folder = new ConfigTestFolder();
            var before = "# my settings\r\nindex-strategy = \"first-index\"\r\n\r\n[[index]]\r\nname = \"other\"\r\nurl = \"https://other.example/simple\"  # keep\r\n\r\n[pip]\r\nno-cache = true";
            folder.Write(folder.UserFile, before);

            var plan = PlanUser(folder, "corp", "https://corp.example/simple");
            Assert.False(plan.CreatesFile);
            ConfigEditor.Apply(plan);

            var after = File.ReadAllText(folder.UserFile);
            Assert.StartsWith(before, after, StringComparison.Ordinal);
            Assert.Equal("\r\n\r\n[[index]]\r\nname = \"corp\"\r\nurl = \"https://corp.example/simple\"\r\nignore-error-codes = [403]\r\n", after.Substring(before.Length));
            var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
            Assert.Equal(new[] { "other", "corp", null }, settings.Indexes.Select(i => i.Name).ToArray());
        }

        [Fact]
        public void AnEntryWithTheNameAndUrlOnlyGetsItsCodesSet()
        {
            using var folder = new ConfigTestFolder();
            var before = "[[index]]\nname = \"corp\"\nurl = \"https://user:pw@corp.example/simple\"\n";
            folder.Write(folder.UserFile, before);

            // Compared as uv compares index URLs: credentials and a trailing slash do not count.
            var plan = PlanUser(folder, "corp", "https://corp.example/simple/");
            Assert.Equal(EditKind.IgnoreErrorCodes, plan.Kind);
            ConfigEditor.Apply(plan);
            Assert.Equal(before + "ignore-error-codes = [403]\n", File.ReadAllText(folder.UserFile));

            var again = PlanUser(folder, "corp", "https://corp.example/simple");
            Assert.True(again.IsNoOp);
        }

        [Fact]
        public void NeverASecondEntryWithTheSameNameOrUrl()
        {
            using var folder = new ConfigTestFolder();
            folder.Write(folder.UserFile, "[[index]]\nname = \"corp\"\nurl = \"https://corp.example/simple\"\n\n[[index]]\nurl = \"https://anon.example/simple\"\n");

            var name = Refused(folder, folder.UserFile, "corp", "https://elsewhere.example/simple", "IndexNameConflict");
            Assert.Contains(folder.UserFile + ":1:", name.Message);

            var url = Refused(folder, folder.UserFile, "corp2", "HTTPS://CORP.example/simple/", "IndexUrlConflict");
            Assert.Contains("-Name corp", url.Message);

            var unnamed = Refused(folder, folder.UserFile, "anon", "https://anon.example/simple", "IndexUrlConflict");
            Assert.Contains(folder.UserFile + ":5:", unnamed.Message);
        }

        [Fact]
        public void TheNameInAnotherLayerIsRefusedNamingItsFileAndLine()
        {
            using var folder = new ConfigTestFolder();
            var project = folder.Write(Path.Combine(folder.Project, "pyproject.toml"), "[project]\nname = \"app\"\nversion = \"1\"\n\n[[tool.uv.index]]\nname = \"corp\"\nurl = \"https://project.example/simple\"\n");
            var error = Refused(folder, folder.UserFile, "corp", "https://corp.example/simple", "IndexNameConflict");
            Assert.Contains(project + ":5", error.Message);
        }

        [Fact]
        public void ConvertsAnExtraIndexUrlAtTheSamePosition()
        {
            using var folder = new ConfigTestFolder();
            var before = "# user-wide\nextra-index-url = [\"https://corp.example/simple\"]  # corp\nindex-url = \"https://mirror.example/simple\"\n";
            folder.Write(folder.UserFile, before);

            var plan = PlanUser(folder, "corp", "https://corp.example/simple");
            Assert.Equal(EditKind.ConvertIndex, plan.Kind);
            Assert.Equal("extra-index-url (line 2)", plan.ConvertedFrom);
            Assert.Equal(new[] { "1. https://corp.example/simple", "2. https://mirror.example/simple (default)" }, plan.SearchOrderBefore);
            Assert.Equal(new[] { "1. corp https://corp.example/simple", "2. https://mirror.example/simple (default)" }, plan.SearchOrderAfter);
            ConfigEditor.Apply(plan);

            Assert.Equal("# user-wide\nindex-url = \"https://mirror.example/simple\"\n\n[[index]]\nname = \"corp\"\nurl = \"https://corp.example/simple\"\nignore-error-codes = [403]\n", File.ReadAllText(folder.UserFile));
        }

        [Fact]
        public void ConvertsTheFirstOfSeveralExtraIndexUrlsKeepingTheOthers()
        {
            using var folder = new ConfigTestFolder();
            folder.Write(folder.UserFile, "extra-index-url = [\n    \"https://a.example/simple\",\n    'https://b.example/simple',\n]\n");

            ConfigEditor.Apply(PlanUser(folder, "a", "https://a.example/simple"));
            Assert.Equal("extra-index-url = [\n    'https://b.example/simple',\n]\n\n[[index]]\nname = \"a\"\nurl = \"https://a.example/simple\"\nignore-error-codes = [403]\n", File.ReadAllText(folder.UserFile));

            // Now b is the first extra-index-url and follows every entry: it converts too, keeping its literal.
            ConfigEditor.Apply(PlanUser(folder, "b", "https://b.example/simple", new[] { 401, 403 }));
            var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
            Assert.Equal(new[] { "a", "b", null }, settings.Indexes.Select(i => i.Name).ToArray());
            Assert.Contains("url = 'https://b.example/simple'\n", File.ReadAllText(folder.UserFile));
        }

        [Fact]
        public void ConvertsAnIndexUrlIntoADefaultEntry()
        {
            using var folder = new ConfigTestFolder();
            var project = folder.Write(Path.Combine(folder.Project, "pyproject.toml"), "[project]\nname = \"app\"\nversion = \"1\"\n\n[tool.uv]\nindex-url = \"https://corp.example/simple\"\nextra-index-url = [\"https://x.example/simple\"]\n");

            var plan = ConfigEditor.PlanIndexEntry(project, "corp", "https://corp.example/simple", Forbidden, folder.Project, folder.Environment());
            Assert.Equal(plan.SearchOrderBefore, plan.SearchOrderAfter.Select(l => l.Replace("corp https", "https")).ToArray());
            ConfigEditor.Apply(plan);
            Assert.Equal("[project]\nname = \"app\"\nversion = \"1\"\n\n[tool.uv]\nextra-index-url = [\"https://x.example/simple\"]\n\n[[tool.uv.index]]\nname = \"corp\"\nurl = \"https://corp.example/simple\"\ndefault = true\nignore-error-codes = [403]\n", File.ReadAllText(project));
            var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
            Assert.True(settings.Indexes.Last().IsDefault);
            Assert.Equal("corp", settings.Indexes.Last().Name);
        }

        [Fact]
        public void RefusesAConversionThatWouldChangeTheOrderWithinTheFile()
        {
            using var folder = new ConfigTestFolder();
            folder.Write(folder.UserFile, "extra-index-url = [\"https://a.example/simple\", \"https://b.example/simple\"]\n");
            var error = Refused(folder, folder.UserFile, "b", "https://b.example/simple", "SearchOrderWouldChange");
            Assert.Contains("Before: 1. https://a.example/simple; 2. https://b.example/simple", error.Message);
            Assert.Contains("After: 1. b https://b.example/simple; 2. https://a.example/simple", error.Message);
        }

        [Fact]
        public void RefusesAConversionThatWouldMoveTheIndexAheadOfALaterLayersEntry()
        {
            using var folder = new ConfigTestFolder();
            // The system file's [[index]] is searched before the user's extra-index-url (entries before every
            // extra-index-url, across layers); as a user entry the URL would move ahead of it.
            folder.Write(folder.SystemFile, "[[index]]\nname = \"site\"\nurl = \"https://site.example/simple\"\n");
            folder.Write(folder.UserFile, "extra-index-url = [\"https://corp.example/simple\"]\n");
            Refused(folder, folder.UserFile, "corp", "https://corp.example/simple", "SearchOrderWouldChange");
        }

        [Fact]
        public void RefusesMakingAUserIndexUrlTheDefaultOverAProjectIndexUrl()
        {
            using var folder = new ConfigTestFolder();
            folder.Write(Path.Combine(folder.Project, "uv.toml"), "index-url = \"https://project.example/simple\"\n");
            folder.Write(folder.UserFile, "index-url = \"https://corp.example/simple\"\n");

            // The project's index-url replaces the user's; a user default = true entry would replace the project's.
            Refused(folder, folder.UserFile, "corp", "https://corp.example/simple", "SearchOrderWouldChange");
        }

        [Fact]
        public void AnInlineIndexArrayIsNotExtended()
        {
            using var folder = new ConfigTestFolder();
            folder.Write(folder.UserFile, "index = [{ name = \"x\", url = \"https://x.example/simple\" }]\n");
            Refused(folder, folder.UserFile, "corp", "https://corp.example/simple", "UnsupportedConfigEdit");
        }

        [Fact]
        public void ApplyRefusesWhenTheFileAppearedAfterThePlan()
        {
            using var folder = new ConfigTestFolder();
            var plan = PlanUser(folder, "corp", "https://corp.example/simple");
            folder.Write(folder.UserFile, "# written meanwhile\n");
            Assert.Throws<IOException>(() => ConfigEditor.Apply(plan));
            Assert.Equal("# written meanwhile\n", File.ReadAllText(folder.UserFile));
        }

        [Fact]
        public void AUserEntryShadowedByAProjectEntryIsReportedWithBothFilesAndLines()
        {
            using var folder = new ConfigTestFolder();
            var project = folder.Write(Path.Combine(folder.Project, "pyproject.toml"), "[project]\nname = \"app\"\nversion = \"1\"\n\n[[tool.uv.index]]\nname = \"internal\"\nurl = \"https://corp.example/simple/\"\n");
            folder.Write(folder.UserFile, "[[index]]\nname = \"corp\"\nurl = \"https://corp.example/simple\"\nignore-error-codes = [403]\n");

            var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
            var warning = Assert.Single(IndexPolicies.ShadowWarnings(settings));
            Assert.StartsWith("User setting " + folder.UserFile + ":4 [[index]] 'corp' ignore-error-codes = [403] has no effect", warning);
            Assert.Contains("the project entry " + project + ":5 [[tool.uv.index]] 'internal' defines the same URL first", warning);

            var internalPolicy = IndexPolicies.Describe(settings).First(p => p.Name == "internal");
            Assert.Empty(internalPolicy.IgnoredStatusCodes);
            Assert.Equal(project + ":5 [[tool.uv.index]] 'internal'", internalPolicy.GoverningEntry);
            Assert.Equal(new[] { folder.UserFile + ":1 [[index]] 'corp'" }, internalPolicy.OtherDefinitions);

            // The user's entry is still searched (another name), with the project entry's policy.
            var corpPolicy = IndexPolicies.Describe(settings).First(p => p.Name == "corp");
            Assert.Empty(corpPolicy.IgnoredStatusCodes);
        }

        [Fact]
        public void AUserEntryGovernsAProjectExtraIndexUrlForTheSameUrl()
        {
            using var folder = new ConfigTestFolder();
            folder.Write(Path.Combine(folder.Project, "uv.toml"), "extra-index-url = [\"https://corp.example/simple\"]\n");
            folder.Write(folder.UserFile, "[[index]]\nname = \"corp\"\nurl = \"https://corp.example/simple\"\nignore-error-codes = [403]\n");

            // Every [[index]] entry precedes every extra-index-url, so the user's entry is the first definition of the URL.
            var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
            Assert.Empty(IndexPolicies.ShadowWarnings(settings));
            var policies = IndexPolicies.Describe(settings);
            Assert.All(policies.Where(p => p.Url == "https://corp.example/simple"), p =>
            {
                Assert.Equal(new[] { 403 }, p.IgnoredStatusCodes);
                Assert.Equal(folder.UserFile, p.PolicyFile);
                Assert.Equal(4, p.PolicyLine);
            });
        }

        [Fact]
        public void AUserEntryForAProjectExtraIndexUrlGovernsItAndSaysWhereElseItIsDefined()
        {
            using var folder = new ConfigTestFolder();
            var project = folder.Write(Path.Combine(folder.Project, "uv.toml"), "extra-index-url = [\"https://x.example/simple\", \"https://corp.example/simple\"]\n");
            var plan = PlanUser(folder, "corp", "https://corp.example/simple");
            Assert.Equal(EditKind.CreateIndex, plan.Kind);
            Assert.True(plan.Governs);
            Assert.Equal(new[] { project + ":1 extra-index-url" }, plan.SameUrlElsewhere);
            Assert.Equal("1. corp https://corp.example/simple", plan.SearchOrderAfter[0]);
        }

        [Fact]
        public void AUserEntryWarnsAboutTheProjectEntryThatWillShadowIt()
        {
            using var folder = new ConfigTestFolder();
            var project = folder.Write(Path.Combine(folder.Project, "pyproject.toml"), "[project]\nname = \"app\"\nversion = \"1\"\n\n[[tool.uv.index]]\nname = \"internal\"\nurl = \"https://corp.example/simple\"\n");
            var plan = PlanUser(folder, "corp", "https://corp.example/simple");
            Assert.False(plan.Governs);
            Assert.Equal(project + ":5 [[tool.uv.index]] 'internal'", plan.GoverningEntry);
            Assert.Equal(new[] { project + ":5 [[tool.uv.index]] 'internal'" }, plan.SameUrlElsewhere);
        }
    }
}
