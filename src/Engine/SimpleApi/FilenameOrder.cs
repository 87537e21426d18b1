using System.Buffers;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// The order of an HTML page's files: by filename, ordinal (UTF-16 code units, as uv's byte order of the same
    /// names), stable so that duplicate names keep page order.
    /// <para>
    /// Filenames on one page share a long prefix (the project name, often the version and the Python tag), so a
    /// comparison sort spends most of its time comparing characters that are equal. This is a most-significant-digit
    /// sort instead: the next few characters after what a group has in common are packed into one 64-bit key, the keys
    /// are sorted as numbers, and only a group whose keys are equal goes on to the next characters. A page already in
    /// order (PyPI lists files by version, then filename, which is often filename order) is returned as it is.
    /// </para>
    /// </summary>
    internal static class FilenameOrder
    {
        /// <summary>Groups this small are sorted by comparing the rest of the names directly.</summary>
        private const int SmallGroup = 12;

        internal static IReadOnlyList<DistributionFile> Sort(List<DistributionFile> files)
        {
            if (files is null)
            {
                throw new ArgumentNullException(nameof(files));
            }

            var count = files.Count;
            var inOrder = true;
            for (var i = 1; i < count && inOrder; i++)
            {
                inOrder = string.CompareOrdinal(files[i - 1].Filename, files[i].Filename) <= 0;
            }

            if (inOrder)
            {
                return files;
            }

            // Working arrays from the pool and the list permuted in place: a 15,000-file page would otherwise allocate
            // four large-object arrays per parse, and the large-object heap's budget is what starts full collections.
            var names = ArrayPool<string>.Shared.Rent(count);
            var order = ArrayPool<int>.Shared.Rent(count);
            var keys = ArrayPool<ulong>.Shared.Rent(count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    names[i] = files[i].Filename;
                }

                SortedOrder(names, count, order, keys);
                Permute(files, order, count);
            }
            finally
            {
                ArrayPool<string>.Shared.Return(names, clearArray: true);
                ArrayPool<int>.Shared.Return(order);
                ArrayPool<ulong>.Shared.Return(keys);
            }

            return files;
        }

        /// <summary>
        /// The positions of <paramref name="names"/> in stable ordinal order: <c>names[result[0]]</c> is the least, and
        /// equal names appear in ascending position.
        /// </summary>
        internal static int[] SortedOrder(IReadOnlyList<string> names)
        {
            var copy = new string[names.Count];
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] = names[i];
            }

            var order = new int[copy.Length];
            SortedOrder(copy, copy.Length, order, new ulong[copy.Length]);
            return order;
        }

        private static void SortedOrder(string[] names, int count, int[] order, ulong[] keys)
        {
            for (var i = 0; i < count; i++)
            {
                order[i] = i;
            }

            if (count < 2)
            {
                return;
            }

            var groups = new Stack<Group>();
            groups.Push(new Group(0, count, CommonPrefixLength(names, count)));
            while (groups.Count > 0)
            {
                var group = groups.Pop();
                if (group.Length <= SmallGroup)
                {
                    InsertionSort(names, order, group);
                    continue;
                }

                // Every name of the group has at least group.Offset characters, and those are equal. The key holds the
                // next characters, each as (code unit + 1) so that 0 means "the name has ended": 7 of 9 bits while all of
                // them are below 511, else 3 of 21 bits. Either way a key compares as the characters do.
                var wide = HasWideCharacter(names, order, group, 7);
                var width = wide ? 3 : 7;
                var bits = wide ? 21 : 9;
                var end = group.Start + group.Length;
                for (var i = group.Start; i < end; i++)
                {
                    keys[i] = Pack(names[order[i]], group.Offset, width, bits);
                }

                Array.Sort(keys, order, group.Start, group.Length);

                for (var i = group.Start; i < end;)
                {
                    var j = i + 1;
                    while (j < end && keys[j] == keys[i])
                    {
                        j++;
                    }

                    if (j - i > 1)
                    {
                        if ((keys[i] & ((1UL << bits) - 1)) == 0)
                        {
                            // The names ended inside this key and are equal: page order.
                            Array.Sort(order, i, j - i);
                        }
                        else
                        {
                            groups.Push(new Group(i, j - i, group.Offset + width));
                        }
                    }

                    i = j;
                }
            }
        }

        /// <summary>Puts <c>files[order[k]]</c> at position k, following each cycle of the permutation once.</summary>
        private static void Permute(List<DistributionFile> files, int[] order, int count)
        {
            for (var start = 0; start < count; start++)
            {
                if (order[start] < 0 || order[start] == start)
                {
                    continue;
                }

                var held = files[start];
                var at = start;
                while (true)
                {
                    var from = order[at];
                    order[at] = ~from;
                    if (from == start)
                    {
                        files[at] = held;
                        break;
                    }

                    files[at] = files[from];
                    at = from;
                }
            }
        }

        private static int CommonPrefixLength(string[] names, int count)
        {
            var first = names[0];
            var length = first.Length;
            for (var i = 1; i < count && length > 0; i++)
            {
                var name = names[i];
                var max = Math.Min(length, name.Length);
                var k = 0;
                while (k < max && name[k] == first[k])
                {
                    k++;
                }

                length = k;
            }

            return length;
        }

        private static bool HasWideCharacter(string[] names, int[] order, Group group, int width)
        {
            var end = group.Start + group.Length;
            for (var i = group.Start; i < end; i++)
            {
                var name = names[order[i]];
                var stop = Math.Min(name.Length, group.Offset + width);
                for (var k = group.Offset; k < stop; k++)
                {
                    if (name[k] >= 511)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static ulong Pack(string name, int offset, int width, int bits)
        {
            ulong key = 0;
            for (var k = 0; k < width; k++)
            {
                var at = offset + k;
                key = (key << bits) | (at < name.Length ? (ulong)name[at] + 1 : 0);
            }

            return key;
        }

        private static void InsertionSort(string[] names, int[] order, Group group)
        {
            var end = group.Start + group.Length;
            for (var i = group.Start + 1; i < end; i++)
            {
                var item = order[i];
                var j = i - 1;
                while (j >= group.Start && Compare(names, order[j], item, group.Offset) > 0)
                {
                    order[j + 1] = order[j];
                    j--;
                }

                order[j + 1] = item;
            }
        }

        /// <summary>Names at <paramref name="a"/> and <paramref name="b"/>, equal before <paramref name="offset"/>; ties by position.</summary>
        private static int Compare(string[] names, int a, int b, int offset)
        {
            var byName = names[a].AsSpan(offset).SequenceCompareTo(names[b].AsSpan(offset));
            return byName != 0 ? byName : a.CompareTo(b);
        }

        private readonly record struct Group(int Start, int Length, int Offset);
    }
}
