using System;
using System.Collections;
using System.Collections.Generic;
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
}
