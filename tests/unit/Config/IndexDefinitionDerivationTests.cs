using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Versions;
using Xunit;

namespace IndexTools.Tests.Config
{
    /// <summary>
    /// Every field of an index definition survives each derivation the configuration makes of it: a configured index
    /// named by <c>-Index name</c> / <c>-DefaultIndex name</c> / <c>UV_INDEX</c> / <c>UV_DEFAULT_INDEX</c>, and an index
    /// only <c>[tool.uv.sources]</c> pins packages to. The fields are found by reflection, so a new property is covered
    /// without touching this test; a derivation that rebuilds the definition field by field and forgets one fails here.
    /// </summary>
    public class IndexDefinitionDerivationTests
    {
        private const string Project = "[project]\nname = \"app\"\nversion = \"0.1.0\"\n";

        /// <summary>An index that sets every key ConfigFileSettings reads, each to a value other than its default.</summary>
        private const string EveryField = @"
[[tool.uv.index]]
name = ""corp""
url = ""https://pkgs.example.com/simple""
explicit = true
format = ""flat""
authenticate = ""always""
ignore-error-codes = [401, 418]
exclude-newer = ""2024-01-02T00:00:00Z""
cache-control = { api = ""max-age=60"", files = ""max-age=3600"" }
publish-url = ""https://pkgs.example.com/upload""
";

        private static readonly PropertyInfo[] Fields = typeof(IndexDefinition)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();

        /// <summary>The properties a derivation means to change; every other one must be the original's.</summary>
        private static readonly string[] CallerChanges = { nameof(IndexDefinition.Source), nameof(IndexDefinition.IsDefault), nameof(IndexDefinition.IsExplicit) };

        private static readonly string[] PinChanges = { nameof(IndexDefinition.IsDefault), nameof(IndexDefinition.IsExplicit) };

        [Fact]
        public void The_test_sees_every_field_of_the_definition()
        {
            // Guards the reflection itself: it must see the settable fields, not only the computed ones.
            var names = Fields.Select(p => p.Name).ToArray();
            foreach (var expected in new[] { "Name", "Url", "Source", "IsDefault", "IsExplicit", "Format", "Authenticate", "IgnoreErrorCodes", "IgnoreErrorCodesSource", "CacheControlApi", "CacheControlFiles", "PublishUrl", "ExcludeNewer" })
            {
                Assert.Contains(expected, names);
            }
        }

        [Fact]
        public void The_definition_cannot_be_changed_after_it_is_built()
        {
            foreach (var property in Fields.Where(p => p.SetMethod != null))
            {
                var modifiers = property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers();
                Assert.True(
                    modifiers.Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit"),
                    "IndexDefinition." + property.Name + " has a setter that is not init-only");
            }
        }

        [Fact]
        public void A_caller_naming_a_configured_index_keeps_every_field_of_it()
        {
            var original = Populated();
            var source = Provenance.FromParameter("Index");
            foreach (var isDefault in new[] { false, true })
            {
                var derived = original.AsCallerIndex(source, isDefault);
                AssertCarried(original, derived, CallerChanges, "AsCallerIndex");
                Assert.Same(source, derived.Source);
                Assert.Equal(isDefault, derived.IsDefault);
                Assert.False(derived.IsExplicit);
            }
        }

        [Fact]
        public void A_pinned_index_outside_the_search_list_keeps_every_field_of_it()
        {
            var original = Populated();
            var derived = original.AsPinnedTarget();
            AssertCarried(original, derived, PinChanges, "AsPinnedTarget");
            Assert.False(derived.IsDefault);
            Assert.True(derived.IsExplicit);
        }

        [Fact]
        public void The_fixture_file_sets_every_field_so_the_loader_tests_below_cover_them_all()
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + EveryField);
            var configured = Assert.Single(Load(folder, new ConfigurationRequest()).Definitions!, d => d.Name == "corp");
            var blank = new IndexDefinition(null, "https://blank.example/simple", Provenance.Default);
            // IsDefault and IsExplicit are what every derivation sets: the fixture need not set them.
            foreach (var property in Fields.Where(p => p.SetMethod != null && !(CallerChanges.Contains(p.Name) && PinChanges.Contains(p.Name))))
            {
                Assert.False(
                    Same(property.GetValue(blank), property.GetValue(configured)),
                    "the fixture [[tool.uv.index]] does not set IndexDefinition." + property.Name + ": add its key to EveryField");
            }
        }

        [Theory]
        [InlineData("Index")]
        [InlineData("DefaultIndex")]
        [InlineData("UV_INDEX")]
        [InlineData("UV_DEFAULT_INDEX")]
        public void Naming_a_configured_index_through_the_loader_keeps_every_field(string how)
        {
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + EveryField);
            var configured = Assert.Single(Load(folder, new ConfigurationRequest()).Definitions!, d => d.Name == "corp");

            var request = new ConfigurationRequest();
            var env = new List<(string, string)>();
            switch (how)
            {
                case "Index": request.Indexes = new[] { "corp" }; break;
                case "DefaultIndex": request.DefaultIndex = "corp"; break;
                default: env.Add((how, "corp")); break;
            }

            var settings = Load(folder, request, env.ToArray());
            var isDefault = how.Contains("Default", StringComparison.Ordinal) || how.Contains("DEFAULT", StringComparison.Ordinal);
            var derived = (isDefault ? settings.Indexes.Where(i => i.IsDefault) : settings.Indexes.Where(i => i.Name == "corp")).First();
            AssertCarried(configured, derived, CallerChanges, how + " corp");
            Assert.Equal(how.StartsWith("UV_", StringComparison.Ordinal) ? ProvenanceKind.Environment : ProvenanceKind.Parameter, derived.Source.Kind);
            Assert.Equal(isDefault, derived.IsDefault);
            Assert.False(derived.IsExplicit);
        }

        [Fact]
        public void An_index_only_a_source_pins_to_keeps_every_field_through_the_loader()
        {
            // --no-config: the project's own indexes are not searched, but [tool.uv.sources] still pins to them.
            using var folder = new ConfigTestFolder();
            folder.Write("work/project/pyproject.toml", Project + EveryField + "\n[tool.uv.sources]\nacme = { index = \"corp\" }\n");
            var request = new ConfigurationRequest { NoConfig = true, StartPath = folder.Project };
            var environment = folder.Environment();

            // The definition as the loader found it in the project's sources (what the pin derives from).
            var pinnedFrom = Assert.Single(WorkspaceDiscovery.Discover(request, environment).SourceFiles.SelectMany(f => f.Indexes), d => d.Name == "corp");

            var settings = ConfigurationLoader.Load(request, environment);
            Assert.Equal("corp", settings.PinnedIndexes["acme"]);
            var derived = Assert.Single(settings.Indexes, d => d.Name == "corp");
            AssertCarried(pinnedFrom, derived, PinChanges, "pin");
            Assert.True(derived.IsExplicit);
            Assert.False(derived.IsDefault);
        }

        private static IndexSettings Load(ConfigTestFolder folder, ConfigurationRequest request, params (string, string)[] env)
        {
            request.StartPath = folder.Project;
            return ConfigurationLoader.Load(request, folder.Environment(env));
        }

        private static void AssertCarried(IndexDefinition original, IndexDefinition derived, string[] changes, string derivation)
        {
            Assert.NotSame(original, derived);
            foreach (var property in Fields.Where(p => !changes.Contains(p.Name)))
            {
                Assert.True(
                    Same(property.GetValue(original), property.GetValue(derived)),
                    derivation + " dropped IndexDefinition." + property.Name + " (original: " + Show(property.GetValue(original)) + ", derived: " + Show(property.GetValue(derived)) + ")");
            }
        }

        /// <summary>A definition whose every init-only field holds a value other than its default, set by reflection.</summary>
        private static IndexDefinition Populated()
        {
            var definition = new IndexDefinition("corp", "https://pkgs.example.com/simple", new Provenance(ProvenanceKind.File, "pyproject.toml:3", "/p/pyproject.toml", 3));
            foreach (var property in Fields.Where(p => p.SetMethod != null && p.Name != nameof(IndexDefinition.Source)))
            {
                var value = SampleFor(property);
                Assert.False(Same(property.GetValue(definition), value), "the sample of IndexDefinition." + property.Name + " is its default: pick another");
                property.SetValue(definition, value);
            }

            return definition;
        }

        private static object SampleFor(PropertyInfo property)
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(bool))
            {
                return true;
            }

            if (type.IsEnum)
            {
                return Enum.GetValues(type).Cast<object>().Last();
            }

            if (type == typeof(string))
            {
                return "sample-" + property.Name;
            }

            if (type == typeof(IReadOnlyList<int>))
            {
                return new[] { 401, 418 };
            }

            if (type == typeof(Provenance))
            {
                return new Provenance(ProvenanceKind.File, "sample " + property.Name, "/p/uv.toml", 9);
            }

            if (type == typeof(SettingValue<DateTimeOffset?>))
            {
                return new SettingValue<DateTimeOffset?>(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), "2024-01-02", "pyproject.toml:9");
            }

            throw new InvalidOperationException("IndexDefinition." + property.Name + " is of a type this test has no sample for (" + property.PropertyType + "): add one to SampleFor");
        }

        /// <summary>The same value: the same object, or equal (lists element by element).</summary>
        private static bool Same(object? a, object? b)
        {
            if (ReferenceEquals(a, b))
            {
                return true;
            }

            if (a is null || b is null)
            {
                return false;
            }

            if (a is IEnumerable<int> x && b is IEnumerable<int> y)
            {
                return x.SequenceEqual(y);
            }

            // Two loads build their own Provenance and SettingValue objects: equal when every public property is.
            var type = a.GetType();
            if (type == b.GetType() && (type == typeof(Provenance) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(SettingValue<>))))
            {
                return type.GetProperties(BindingFlags.Public | BindingFlags.Instance).All(p => Same(p.GetValue(a), p.GetValue(b)));
            }

            return a.Equals(b);
        }

        private static string Show(object? value) => value is null ? "null" : value is IEnumerable<int> list ? "[" + string.Join(", ", list) + "]" : value.ToString() ?? "";
    }
}
