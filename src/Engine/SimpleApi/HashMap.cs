using System.Collections;
using System.Collections.ObjectModel;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// A small read-only algorithm → digest map. Pages list one or two hashes per file, so a short array with a
    /// linear, ordinal lookup costs far less than a Dictionary for each of thousands of files.
    /// </summary>
    internal sealed class HashMap : IReadOnlyDictionary<string, string>
    {
        internal static readonly IReadOnlyDictionary<string, string> Empty =
            new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

        private readonly KeyValuePair<string, string>[] _items;

        private HashMap(KeyValuePair<string, string>[] items)
        {
            _items = items;
        }

        public int Count => _items.Length;

        public IEnumerable<string> Keys
        {
            get
            {
                foreach (var item in _items)
                {
                    yield return item.Key;
                }
            }
        }

        public IEnumerable<string> Values
        {
            get
            {
                foreach (var item in _items)
                {
                    yield return item.Value;
                }
            }
        }

        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        /// <summary>Builds a map; a later value for the same algorithm replaces the earlier one.</summary>
        internal static IReadOnlyDictionary<string, string> From(List<KeyValuePair<string, string>>? items)
        {
            if (items == null || items.Count == 0)
            {
                return Empty;
            }

            var distinct = new List<KeyValuePair<string, string>>(items.Count);
            foreach (var item in items)
            {
                var index = distinct.FindIndex(existing => string.Equals(existing.Key, item.Key, StringComparison.Ordinal));
                if (index >= 0)
                {
                    distinct[index] = item;
                }
                else
                {
                    distinct.Add(item);
                }
            }

            return new HashMap(distinct.ToArray());
        }

        internal static IReadOnlyDictionary<string, string> Single(string algorithm, string digest) =>
            new HashMap(new[] { new KeyValuePair<string, string>(algorithm, digest) });

        /// <summary>
        /// A one-entry map for a digest given as UTF-8 bytes: a lower-case hex SHA-256 (what nearly every file on a page
        /// has) is kept as 32 bytes instead of a 64-character string; anything else as a string.
        /// </summary>
        internal static IReadOnlyDictionary<string, string> Single(string algorithm, ReadOnlySpan<byte> digest) =>
            algorithm == "sha256" && Sha256Map.TryCreate(digest, out var compact)
                ? compact
                : Single(algorithm, System.Text.Encoding.UTF8.GetString(digest.ToArray()));

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, out string value)
        {
            foreach (var item in _items)
            {
                if (string.Equals(item.Key, key, StringComparison.Ordinal))
                {
                    value = item.Value;
                    return true;
                }
            }

            value = null!;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// <c>{ "sha256": digest }</c> for a lower-case hex digest, held as four 64-bit words (56 bytes in all instead of
    /// about 216 for a map, an array and a 64-character string). The digest string is made on first read and kept.
    /// </summary>
    internal sealed class Sha256Map : IReadOnlyDictionary<string, string>
    {
        private const string Algorithm = "sha256";
        private readonly ulong _w0;
        private readonly ulong _w1;
        private readonly ulong _w2;
        private readonly ulong _w3;
        private string? _digest;

        private Sha256Map(ulong w0, ulong w1, ulong w2, ulong w3)
        {
            _w0 = w0;
            _w1 = w1;
            _w2 = w2;
            _w3 = w3;
        }

        public int Count => 1;

        public IEnumerable<string> Keys => new[] { Algorithm };

        public IEnumerable<string> Values => new[] { Digest };

        /// <summary>The digest as the page wrote it (lower-case hex).</summary>
        internal string Digest => _digest ??= Format();

        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        internal static bool TryCreate(ReadOnlySpan<byte> hex, out IReadOnlyDictionary<string, string> map)
        {
            map = null!;
            if (hex.Length != 64
                || !TryWord(hex.Slice(0, 16), out var w0) || !TryWord(hex.Slice(16, 16), out var w1)
                || !TryWord(hex.Slice(32, 16), out var w2) || !TryWord(hex.Slice(48, 16), out var w3))
            {
                return false;
            }

            map = new Sha256Map(w0, w1, w2, w3);
            return true;
        }

        public bool ContainsKey(string key) => string.Equals(key, Algorithm, StringComparison.Ordinal);

        public bool TryGetValue(string key, out string value)
        {
            if (ContainsKey(key))
            {
                value = Digest;
                return true;
            }

            value = null!;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            yield return new KeyValuePair<string, string>(Algorithm, Digest);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private static bool TryWord(ReadOnlySpan<byte> hex, out ulong word)
        {
            word = 0;
            foreach (var b in hex)
            {
                uint digit;
                if ((uint)(b - '0') <= 9)
                {
                    digit = (uint)(b - '0');
                }
                else if ((uint)(b - 'a') <= 5)
                {
                    digit = (uint)(b - 'a' + 10);
                }
                else
                {
                    // Upper case or not hex: kept as a string, so it reads back exactly as written.
                    return false;
                }

                word = (word << 4) | digit;
            }

            return true;
        }

        private string Format()
        {
            var chars = new char[64];
            Write(chars, 0, _w0);
            Write(chars, 16, _w1);
            Write(chars, 32, _w2);
            Write(chars, 48, _w3);
            return new string(chars);
        }

        private static void Write(char[] chars, int at, ulong word)
        {
            for (var i = 15; i >= 0; i--)
            {
                var digit = (int)(word & 0xF);
                chars[at + i] = (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);
                word >>= 4;
            }
        }
    }
}
