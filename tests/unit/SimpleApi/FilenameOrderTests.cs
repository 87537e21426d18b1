using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using IndexTools.Engine.SimpleApi;
using Xunit;

namespace IndexTools.Tests.SimpleApi
{
    /// <summary>The HTML page's file order: a stable ordinal sort by filename, checked against LINQ's.</summary>
    public class FilenameOrderTests
    {
        // Characters that make the packed keys' edge cases: NUL (a character, not "ended"), the 9-bit limit (510/511),
        // high code units and surrogate halves, '-' and '.' (which order a release's wheels and sdist).
        private static readonly char[] Alphabet = { '\0', '-', '.', '0', '1', '9', 'a', 'z', '_', '\u00e9', (char)510, (char)511, '\u4e00', '\ud83d', '\ude00', '\uffff' };

        private static readonly Gen<string> Piece = Gen.OneOf(
            Gen.Const("fastnum-"),
            Gen.Const("1.2.3"),
            Gen.Const("-cp310-cp310-manylinux_2_17_x86_64.whl"),
            Gen.Const(".tar.gz"),
            Gen.Int[0, Alphabet.Length - 1].Array[0, 3].Select(ix => new string(ix.Select(i => Alphabet[i]).ToArray())));

        private static readonly Gen<string> Name = Piece.Array[0, 6].Select(parts => string.Concat(parts));

        private static int[] Expected(IReadOnlyList<string> names) =>
            Enumerable.Range(0, names.Count).OrderBy(i => names[i], StringComparer.Ordinal).ToArray();

        [Fact]
        public void MatchesAStableOrdinalSortOfAnyNames()
        {
            Name.Array[0, 300].Sample(
                names => Assert.Equal(Expected(names), FilenameOrder.SortedOrder(names)),
                iter: 2000);
        }

        [Fact]
        public void MatchesItOnLargeGroupsThatShareLongPrefixes()
        {
            // Many names per group, so the packed-key path (not only the small-group comparisons) decides.
            var names = new List<string>();
            var random = new Random(7);
            for (var i = 0; i < 5000; i++)
            {
                var tail = new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
                names.Add("fastnum-" + random.Next(0, 3) + ".0-cp31" + random.Next(0, 3) + tail);
            }

            Assert.Equal(Expected(names), FilenameOrder.SortedOrder(names));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(13)]
        [InlineData(2000)]
        public void EqualNamesKeepTheirPositions(int count)
        {
            var names = Enumerable.Repeat("same-1.0.tar.gz", count).ToArray();
            Assert.Equal(Enumerable.Range(0, count), FilenameOrder.SortedOrder(names));
        }

        [Fact]
        public void ANulCharacterSortsAfterTheEndOfAShorterName()
        {
            // "a" < "a\0" < "a\0\0" in ordinal order: the key must not read an ended name as NULs.
            var names = Enumerable.Range(0, 40).Select(i => "a" + new string('\0', (39 - i) % 5)).ToArray();
            Assert.Equal(Expected(names), FilenameOrder.SortedOrder(names));
        }

        [Fact]
        public void SortsTheListInPlaceFollowingEveryCycle()
        {
            Name.Array[2, 200].Sample(
                names =>
                {
                    var files = names.Select((n, i) => new DistributionFile(n, "https://x/" + i)).ToList();
                    var expected = Expected(names).Select(i => "https://x/" + i).ToList();
                    var sorted = FilenameOrder.Sort(files);
                    Assert.Equal(expected, sorted.Select(f => f.Url));
                },
                iter: 500);
        }

        [Fact]
        public void APageAlreadyInOrderIsReturnedAsItIs()
        {
            var files = new List<DistributionFile>
            {
                new DistributionFile("p-1.0-py3-none-any.whl", "https://x/1"),
                new DistributionFile("p-1.0.tar.gz", "https://x/2"),
                new DistributionFile("p-1.1.tar.gz", "https://x/3"),
            };

            Assert.Same(files, FilenameOrder.Sort(files));
        }
    }
}
