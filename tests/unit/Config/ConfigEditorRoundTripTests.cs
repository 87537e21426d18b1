using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;
using IndexTools.Engine.Config;
using Xunit;

namespace IndexTools.Tests.Config
{
    /// <summary>
    /// Set-IndexIgnoredCodes then -Reset gives back the original bytes, over the shapes real files have: no final newline,
    /// CRLF, comments after values, inline tables, dotted keys, a BOM.
    /// </summary>
    public class ConfigEditorRoundTripTests
    {
        private sealed class Shape
        {
            public string Text = "";
            public bool PyProject;
            public bool Bom;
            public string Target = "";
            public int[] Codes = Array.Empty<int>();
            public string Description = "";
        }

        private static Shape Build(int seed)
        {
            var random = new Random(seed);
            var nl = random.Next(2) == 0 ? "\r\n" : "\n";
            var pyproject = random.Next(2) == 0;
            var count = random.Next(1, 4);
            var target = random.Next(count);
            var layout = random.Next(3); // 0: [[index]] tables, 1: one inline array, 2: dotted keys inside the tables
            string Comment() => random.Next(2) == 0 ? "  # note " + random.Next(100) : "";
            var text = new StringBuilder();
            if (pyproject)
            {
                text.Append("[project]").Append(nl).Append("name = \"shape\"").Append(Comment()).Append(nl).Append(nl);
            }

            var prefix = pyproject ? "tool.uv." : "";
            if (layout == 1)
            {
                if (pyproject)
                {
                    text.Append("[tool.uv]").Append(nl);
                }

                text.Append("index = [").Append(nl);
                for (var i = 0; i < count; i++)
                {
                    var url = random.Next(2) == 0 ? "'https://i" + i + ".example/simple'" : "\"https://i" + i + ".example/simple\"";
                    var spacing = random.Next(2) == 0 ? " " : "";
                    text.Append("  {").Append(spacing).Append("name = \"i").Append(i).Append("\", url = ").Append(url);
                    if (random.Next(3) == 0)
                    {
                        text.Append(", explicit = true");
                    }

                    text.Append(spacing).Append("},").Append(Comment()).Append(nl);
                }

                text.Append("]").Append(Comment());
            }
            else
            {
                for (var i = 0; i < count; i++)
                {
                    if (i > 0 || pyproject)
                    {
                        text.Append(nl);
                    }

                    text.Append("[[").Append(prefix).Append("index]]").Append(Comment()).Append(nl);
                    text.Append("name = \"i").Append(i).Append("\"").Append(Comment()).Append(nl);
                    text.Append("url = \"https://i").Append(i).Append(".example/simple\"").Append(Comment());
                    if (layout == 2)
                    {
                        text.Append(nl).Append("cache-control.api = \"max-age=").Append(random.Next(600)).Append("\"").Append(Comment());
                    }

                    if (i < count - 1)
                    {
                        text.Append(nl);
                    }
                }
            }

            var finalNewline = random.Next(2) == 0;
            if (finalNewline)
            {
                text.Append(nl);
            }

            return new Shape
            {
                Text = text.ToString(),
                PyProject = pyproject,
                Bom = random.Next(4) == 0,
                Target = "i" + target,
                Codes = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(100, 600)).ToArray(),
                Description = (nl == "\r\n" ? "CRLF" : "LF") + ", " + (finalNewline ? "final newline" : "no final newline") + ", layout " + layout + (pyproject ? ", pyproject" : ", uv.toml"),
            };
        }

        private static byte[] Encode(Shape shape)
        {
            var bytes = Encoding.UTF8.GetBytes(shape.Text);
            return shape.Bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray() : bytes;
        }

        [Fact]
        public void SetThenResetGivesBackTheOriginalBytes()
        {
            Gen.Int[0, int.MaxValue].Sample(seed =>
            {
                var shape = Build(seed);
                var path = "/virtual/" + (shape.PyProject ? "pyproject.toml" : "uv.toml");
                var original = Encode(shape);
                var set = ConfigEditor.Plan(path, original, shape.Target, shape.Codes);
                Assert.False(set.IsNoOp);
                var reset = ConfigEditor.Plan(path, set.Updated, shape.Target, null);
                if (!reset.Updated.SequenceEqual(original))
                {
                    Assert.Fail(shape.Description + ": after Set and Reset\n" + Encoding.UTF8.GetString(reset.Updated) + "\n--- differs from ---\n" + shape.Text);
                }
            }, iter: 1000);
        }

        [Theory]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://a/simple\"")]
        [InlineData("[[index]]\r\nname = \"a\"\r\nurl = \"https://a/simple\"  # the mirror")]
        [InlineData("[[index]]\r\nname = \"a\"\r\nurl = \"https://a/simple\"  # the mirror\r\n")]
        [InlineData("index = [{ name = \"a\", url = \"https://a/simple\" }]")]
        [InlineData("[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\ncache-control.files = \"max-age=60\"")]
        public void NamedShapesRoundTrip(string text)
        {
            var original = Encoding.UTF8.GetBytes(text);
            var set = ConfigEditor.Plan("/virtual/uv.toml", original, "a", new[] { 401, 403 });
            Assert.Contains("ignore-error-codes = [401, 403]", Encoding.UTF8.GetString(set.Updated));
            Assert.Equal(original, ConfigEditor.Plan("/virtual/uv.toml", set.Updated, "a", null).Updated);
        }
    }
}
