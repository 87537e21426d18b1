using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;
using IndexTools.Engine.Config;
using Xunit;

namespace IndexTools.Tests.Config
{
    /// <summary>Generated files: the edit changes the target value and nothing else, and re-parsing gives the new codes.</summary>
    public class ConfigEditorPropertyTests
    {
        private sealed class Case
        {
            public string Original = "";
            public string Expected = "";
            public bool Bom;
            public bool PyProject;
            public string Target = "";
            public int[]? Codes;
        }

        private static Case Build(int seed)
        {
            var random = new Random(seed);
            var nl = random.Next(2) == 0 ? "\r\n" : "\n";
            var pyproject = random.Next(2) == 0;
            var header = pyproject ? "[[tool.uv.index]]" : "[[index]]";
            var count = random.Next(1, 5);
            var target = random.Next(count);
            int[]? codes = random.Next(4) == 0 ? null : Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(100, 600)).ToArray();
            var newValue = codes is null ? null : "[" + string.Join(", ", codes) + "]";
            string Comment() => random.Next(3) == 0 ? "   # note " + random.Next(1000) : "";
            var tables = 0;
            string Filler()
            {
                tables++;
                switch (random.Next(6))
                {
                    case 0: return "# comment " + random.Next(100) + nl;
                    case 1: return nl;
                    case 2: return "[tool.inline" + tables + "]" + nl + "pkg" + random.Next(9) + " = { index = \"i0\", marker = \"python_version > '3'\" }" + Comment() + nl;
                    case 3: return "[tool.other" + tables + "]" + nl + "values = [1, 2, { a = 'b' }]" + nl;
                    default: return "";
                }
            }

            string Codes()
            {
                switch (random.Next(4))
                {
                    case 0: return "[]";
                    case 1: return "[ 401,403 ]";
                    case 2: return "[" + nl + "  500," + nl + "  # why" + nl + "  502," + nl + "]";
                    default: return "[429]";
                }
            }

            var original = new StringBuilder();
            var expected = new StringBuilder();
            void Both(string text)
            {
                original.Append(text);
                expected.Append(text);
            }

            if (pyproject)
            {
                Both("[project]" + nl + "name = \"gen\"" + nl + nl);
            }

            for (var i = 0; i < count; i++)
            {
                Both(Filler());
                Both(header + Comment() + nl);
                var keys = new List<string> { "name = \"i" + i + "\"", random.Next(2) == 0 ? "url = 'https://i" + i + ".example/simple'" : "url = \"https://i" + i + ".example/simple\"" };
                if (random.Next(3) == 0)
                {
                    keys.Add("explicit = " + (random.Next(2) == 0 ? "true" : "false"));
                }

                var hasCodes = random.Next(2) == 0;
                var codesAt = hasCodes ? random.Next(keys.Count + 1) : -1;
                for (var k = 0; k <= keys.Count; k++)
                {
                    if (k == codesAt)
                    {
                        var comment = Comment();
                        var value = Codes();
                        original.Append("ignore-error-codes = " + value + comment + nl);
                        if (i != target)
                        {
                            expected.Append("ignore-error-codes = " + value + comment + nl);
                        }
                        else if (newValue != null)
                        {
                            expected.Append("ignore-error-codes = " + newValue + comment + nl);
                        }
                    }

                    if (k < keys.Count)
                    {
                        Both(keys[k] + Comment() + nl);
                    }
                }

                if (i == target && !hasCodes && newValue != null)
                {
                    expected.Append("ignore-error-codes = " + newValue + nl);
                }

                if (random.Next(3) == 0)
                {
                    Both(nl + "# trailing block comment" + nl);
                }
            }

            Both(Filler());
            return new Case
            {
                Original = original.ToString(),
                Expected = expected.ToString(),
                Bom = random.Next(2) == 0,
                PyProject = pyproject,
                Target = "i" + target,
                Codes = codes,
            };
        }

        private static byte[] Encode(string text, bool bom)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray() : bytes;
        }

        [Fact]
        public void OnlyTheTargetValueChanges()
        {
            Gen.Int[0, int.MaxValue].Sample(seed =>
            {
                var c = Build(seed);
                var path = "/virtual/" + (c.PyProject ? "pyproject.toml" : "uv.toml");
                var plan = ConfigEditor.Plan(path, Encode(c.Original, c.Bom), c.Target, c.Codes);
                Assert.Equal(Encode(c.Expected, c.Bom), plan.Updated);

                var reparsed = ConfigEditor.FindIndexTable(TomlFile.Parse(path, plan.Updated), c.Target);
                Assert.NotNull(reparsed);
                var value = reparsed!.Get("ignore-error-codes");
                if (c.Codes is null)
                {
                    Assert.Null(value);
                }
                else
                {
                    var array = Assert.IsType<TomlArrayNode>(value);
                    Assert.Equal(c.Codes, array.Items.Select(n => (int)(long)((TomlScalar)n).Value!).ToArray());
                }
            }, iter: 500);
        }
    }
}
