using System;
using System.Linq;
using CsCheck;
using IndexTools.Engine.Versions;
using Xunit;

namespace IndexTools.Tests.Versions
{
    /// <summary>Examples written out in PEP 440 itself, plus property tests.</summary>
    public class Pep440Tests
    {
        [Theory]
        // PEP 440 "Normalization" section.
        [InlineData("1.1RC1", "1.1rc1")]
        [InlineData("1.0a1", "1.0a1")]
        [InlineData("1.1.a1", "1.1a1")]
        [InlineData("1.1-a1", "1.1a1")]
        [InlineData("1.1_a1", "1.1a1")]
        [InlineData("1.1a.1", "1.1a1")]
        [InlineData("1.1a-1", "1.1a1")]
        [InlineData("1.1alpha1", "1.1a1")]
        [InlineData("1.1beta2", "1.1b2")]
        [InlineData("1.1c3", "1.1rc3")]
        [InlineData("1.1pre3", "1.1rc3")]
        [InlineData("1.1preview3", "1.1rc3")]
        [InlineData("1.2a", "1.2a0")]
        [InlineData("1.2.post2", "1.2.post2")]
        [InlineData("1.2-post2", "1.2.post2")]
        [InlineData("1.2_post2", "1.2.post2")]
        [InlineData("1.2post2", "1.2.post2")]
        [InlineData("1.2.post-2", "1.2.post2")]
        [InlineData("1.2.post.2", "1.2.post2")]
        [InlineData("1.2.post", "1.2.post0")]
        [InlineData("1.0-1", "1.0.post1")]
        [InlineData("1.0.r4", "1.0.post4")]
        [InlineData("1.0.rev4", "1.0.post4")]
        [InlineData("1.2-dev2", "1.2.dev2")]
        [InlineData("1.2dev2", "1.2.dev2")]
        [InlineData("1.2.dev", "1.2.dev0")]
        [InlineData("1.0+ubuntu-1", "1.0+ubuntu.1")]
        [InlineData("1.0+ubuntu_1", "1.0+ubuntu.1")]
        [InlineData("1.0+UBUNTU.1", "1.0+ubuntu.1")]
        [InlineData("00", "0")]
        [InlineData("09000", "9000")]
        [InlineData("1.0.0100", "1.0.100")]
        [InlineData("v1.0", "1.0")]
        [InlineData("  1.0\n", "1.0")]
        [InlineData("1!2.0.post1.dev3+ubuntu.1", "1!2.0.post1.dev3+ubuntu.1")]
        [InlineData("2.0.0+cu121", "2.0.0+cu121")]
        [InlineData("1.0.0.0", "1.0.0.0")]
        [InlineData("0.0.20230101120000", "0.0.20230101120000")]
        public void NormalizesAsPep440Says(string text, string expected)
        {
            Assert.Equal(expected, Pep440Version.Parse(text).ToString());
        }

        [Fact]
        public void ExposesTheSegments()
        {
            var v = Pep440Version.Parse("1!2.0.3rc4.post5.dev6+Ubuntu-7");
            Assert.Equal(1, v.Epoch);
            Assert.Equal(new long[] { 2, 0, 3 }, v.Release.ToArray());
            Assert.Equal("rc", v.PreLabel);
            Assert.Equal(4L, v.PreNumber);
            Assert.Equal(5L, v.Post);
            Assert.Equal(6L, v.Dev);
            Assert.Equal("ubuntu.7", v.Local);
            Assert.True(v.IsPreRelease && v.IsPostRelease && v.IsDevRelease && v.IsLocal);
            Assert.Equal("1!2.0.3", v.BaseVersion.ToString());
            Assert.Equal("1!2.0.3rc4.post5.dev6", v.PublicVersion.ToString());

            var plain = Pep440Version.Parse("1.0");
            Assert.Null(plain.PreLabel);
            Assert.Null(plain.PreNumber);
            Assert.Null(plain.Post);
            Assert.Null(plain.Dev);
            Assert.Null(plain.Local);
            Assert.False(plain.IsPreRelease || plain.IsPostRelease || plain.IsDevRelease || plain.IsLocal);
            Assert.Same(plain, plain.BaseVersion);
            Assert.True(Pep440Version.Parse("1.0.dev1").IsPreRelease);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("1.0.")]
        [InlineData("1..0")]
        [InlineData("1.0-")]
        [InlineData("1.0+")]
        [InlineData("1.0+a..b")]
        [InlineData("1.0a1a2")]
        [InlineData("1.0.dev1.post1")]
        [InlineData("french toast")]
        [InlineData("1.0 a1")]
        [InlineData("9223372036854775808")]
        [InlineData("1.0.post9223372036854775808")]
        public void RejectsInvalidVersionsWithTheTextInTheMessage(string text)
        {
            Assert.False(Pep440Version.TryParse(text, out var version));
            Assert.Null(version);
            var ex = Assert.Throws<FormatException>(() => Pep440Version.Parse(text));
            Assert.Contains("'" + text + "'", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void OrdersThePep440SummaryExample()
        {
            // PEP 440, "Summary of permitted suffixes and relative ordering", plus local versions.
            var ordered = new[]
            {
                "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
                "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
                "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1",
            };
            var parsed = ordered.Select(Pep440Version.Parse).ToArray();
            for (var i = 0; i < parsed.Length; i++)
            {
                for (var j = 0; j < parsed.Length; j++)
                {
                    Assert.Equal(i.CompareTo(j), Math.Sign(parsed[i].CompareTo(parsed[j])));
                }
            }

            Assert.Equal(ordered, parsed.Reverse().OrderBy(v => v).Select(v => v.ToString()).ToArray());
        }

        [Theory]
        [InlineData("1.0", "1.0.0")]
        [InlineData("1", "1.0.0.0")]
        [InlineData("1.0rc1", "1.0c1")]
        [InlineData("1.0+ubuntu-1", "1.0+ubuntu.1")]
        [InlineData("1.0+01", "1.0+1")]
        [InlineData("0!1.0", "1.0")]
        [InlineData("v1.0.post0", "1.0-0")]
        public void EqualVersions(string left, string right)
        {
            var a = Pep440Version.Parse(left);
            var b = Pep440Version.Parse(right);
            Assert.Equal(a, b);
            Assert.True(a == b);
            Assert.Equal(0, a.CompareTo(b));
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }

        [Theory]
        // Local segments: alphanumeric before numeric, numbers by value, strings lexically, shorter first.
        [InlineData("1.0+abc", "1.0+1")]
        [InlineData("1.0+2", "1.0+10")]
        [InlineData("1.0+abc", "1.0+abd")]
        [InlineData("1.0+abc", "1.0+abc.1")]
        [InlineData("1.0+a.b", "1.0+a.1")]
        [InlineData("1.0+ab", "1.0+abc")]
        [InlineData("1.0+9", "1.0+10.0")]
        [InlineData("1.0", "1.0+0")]
        [InlineData("2.0+cu118", "2.0+cu121")]
        [InlineData("1.0.post1", "1.0.1")]
        [InlineData("1!0.1", "1!0.2")]
        [InlineData("2.0", "1!0.1")]
        [InlineData("1.0.dev1", "1.0a1.dev1")]
        [InlineData("1.0a1.post1", "1.0a2.dev1")]
        [InlineData("1.0.post1.dev1", "1.0.post1")]
        public void LessThan(string smaller, string larger)
        {
            var a = Pep440Version.Parse(smaller);
            var b = Pep440Version.Parse(larger);
            Assert.True(a < b, $"{smaller} < {larger}");
            Assert.True(b > a);
            Assert.True(a != b);
        }

        // ----- property tests -----

        private static readonly Gen<string> Sep = Gen.OneOfConst("", ".", "-", "_");

        /// <summary>A version as components, rendered canonically and with random legal spellings.</summary>
        private static readonly Gen<(string Canonical, string Variant)> Versions =
            Gen.Select(
                Gen.Int[0, 2],
                Gen.Long[0, 30].Array[1, 4],
                Gen.Int[0, 3],
                Gen.Long[0, 5],
                Gen.Select(Gen.Int[-1, 3], Gen.Int[-1, 3], Gen.Int[0, 3]),
                (epoch, release, pre, preN, rest) => (epoch, release, pre, preN, post: rest.Item1, dev: rest.Item2, local: rest.Item3))
            .SelectMany(p => Gen.Select(Sep, Sep, Gen.OneOfConst("v", "V", ""), Gen.Int[0, 2], Gen.Bool, (s1, s2, v, spelling, upper) =>
            {
                var releaseText = string.Join(".", p.release);
                var preLabels = new[] { "a", "b", "rc" };
                var preSpellings = new[] { new[] { "a", "alpha", "A" }, new[] { "b", "beta", "B" }, new[] { "rc", "c", "pre" } };
                var locals = new[] { "", "ubuntu.1", "cu121", "abc.5.x" };
                var canonical = (p.epoch > 0 ? p.epoch + "!" : "") + releaseText
                    + (p.pre < 3 ? preLabels[p.pre] + p.preN : "")
                    + (p.post >= 0 ? ".post" + p.post : "")
                    + (p.dev >= 0 ? ".dev" + p.dev : "")
                    + (p.local > 0 ? "+" + locals[p.local] : "");
                var variant = v + (p.epoch > 0 ? p.epoch + "!" : "") + releaseText
                    + (p.pre < 3 ? s1 + preSpellings[p.pre][spelling] + s2 + p.preN : "")
                    + (p.post >= 0 ? s1 + (upper ? "POST" : "post") + s2 + p.post : "")
                    + (p.dev >= 0 ? s2 + (upper ? "DEV" : "dev") + s1 + p.dev : "")
                    + (p.local > 0 ? "+" + (upper ? locals[p.local].ToUpperInvariant().Replace('.', '-') : locals[p.local]) : "");
                return (canonical, variant);
            }));

        [Fact]
        public void AnySpellingParsesToTheCanonicalForm()
        {
            Versions.Sample(pair =>
            {
                var variant = Pep440Version.Parse(pair.Variant);
                Assert.Equal(pair.Canonical, variant.ToString());
                Assert.Equal(Pep440Version.Parse(pair.Canonical), variant);
            }, iter: 3000);
        }

        [Fact]
        public void ParseOfToStringRoundTripsAndNormalizationIsIdempotent()
        {
            Versions.Sample(pair =>
            {
                var once = Pep440Version.Parse(pair.Variant);
                var twice = Pep440Version.Parse(once.ToString());
                Assert.Equal(once.ToString(), twice.ToString());
                Assert.Equal(once, twice);
                Assert.Equal(once.GetHashCode(), twice.GetHashCode());
            }, iter: 3000);
        }

        [Fact]
        public void OrderingIsATotalOrder()
        {
            var triples = Gen.Select(Versions, Versions, Versions);
            triples.Sample(t =>
            {
                var a = Pep440Version.Parse(t.Item1.Variant);
                var b = Pep440Version.Parse(t.Item2.Variant);
                var c = Pep440Version.Parse(t.Item3.Variant);

                // Antisymmetric, consistent with equality and hashing.
                Assert.Equal(Math.Sign(a.CompareTo(b)), -Math.Sign(b.CompareTo(a)));
                Assert.Equal(a.CompareTo(b) == 0, a.Equals(b));
                if (a.Equals(b))
                {
                    Assert.Equal(a.GetHashCode(), b.GetHashCode());
                }

                // Transitive.
                if (a.CompareTo(b) <= 0 && b.CompareTo(c) <= 0)
                {
                    Assert.True(a.CompareTo(c) <= 0, $"{a} <= {b} <= {c}");
                }

                // The public part orders first; a local label only breaks ties.
                if (a.PublicVersion.CompareTo(b.PublicVersion) < 0)
                {
                    Assert.True(a.CompareTo(b) < 0);
                }
            }, iter: 3000);
        }
    }
}
