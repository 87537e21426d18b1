using System.Text;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// A forward-only scanner that finds start tags and their attributes in UTF-8 HTML, following the HTML tokenizer's
    /// rules closely enough for index pages: comments (<c>&lt;!-- ... --&gt;</c>, to the end of the text when unclosed),
    /// doctype and other markup declarations, end tags, and the raw text of <c>script</c> and <c>style</c> are skipped,
    /// so an <c>&lt;a</c> inside them is not a link. Attribute values may be double-, single- or unquoted, or absent. A tag
    /// still open at the end of the text is dropped, as browsers drop it. Every step moves forward, so the work is linear
    /// in the text length whatever the input.
    /// </summary>
    /// <remarks>
    /// It works on the bytes, never on a decoded copy of the page: every character the markup is made of is ASCII, and a
    /// UTF-8 byte of a non-ASCII character (or of an invalid sequence) is never an ASCII byte, so the tags, names and value
    /// boundaries are the same as in the decoded text. Only the values a caller keeps are decoded (<see cref="Decode"/>,
    /// lenient: an invalid sequence becomes U+FFFD, as decoding the whole page would make it). Tag and attribute names are
    /// compared ASCII-case-insensitively, as the HTML standard lowercases only ASCII letters.
    /// </remarks>
    internal sealed class HtmlTokenizer
    {
        private static readonly UTF8Encoding LenientUtf8 = new UTF8Encoding(false, false);

        private readonly byte[] _bytes;
        private readonly int _end;
        private readonly List<Attribute> _attributes = new List<Attribute>(8);
        private int _position;
        private byte[]? _rawTextEnd;
        private int _nameStart;
        private int _nameLength;

        /// <summary>Scans <paramref name="length"/> bytes of UTF-8 HTML in <paramref name="bytes"/> from <paramref name="start"/>.</summary>
        internal HtmlTokenizer(byte[] bytes, int start, int length)
        {
            _bytes = bytes;
            _position = start;
            _end = start + length;
        }

        private static readonly byte[] Script = Encoding.ASCII.GetBytes("script");
        private static readonly byte[] Style = Encoding.ASCII.GetBytes("style");

        internal byte[] Bytes => _bytes;

        internal int AttributeCount => _attributes.Count;

        /// <summary>Moves to the next start tag. False at the end of the text.</summary>
        internal bool NextStartTag()
        {
            if (_rawTextEnd != null)
            {
                SkipRawText(_rawTextEnd);
                _rawTextEnd = null;
            }

            var b = _bytes;
            var end = _end;
            while (_position < end)
            {
                var found = new ReadOnlySpan<byte>(b, _position, end - _position).IndexOf((byte)'<');
                var lt = found < 0 ? -1 : _position + found;
                if (lt < 0 || lt + 1 >= end)
                {
                    _position = end;
                    return false;
                }

                var next = b[lt + 1];
                if (next == (byte)'!')
                {
                    if (lt + 3 < end && b[lt + 2] == (byte)'-' && b[lt + 3] == (byte)'-')
                    {
                        _position = SkipComment(lt + 4);
                    }
                    else
                    {
                        _position = SkipPast((byte)'>', lt + 2);
                    }

                    continue;
                }

                if (next == (byte)'?')
                {
                    _position = SkipPast((byte)'>', lt + 2);
                    continue;
                }

                if (next == (byte)'/')
                {
                    if (lt + 2 < end && IsAsciiLetter(b[lt + 2]))
                    {
                        // An end tag: read it like a start tag so a '>' inside a quoted value does not end it early.
                        if (!ReadTag(lt + 2))
                        {
                            return false;
                        }
                    }
                    else
                    {
                        _position = SkipPast((byte)'>', lt + 2);
                    }

                    continue;
                }

                if (IsAsciiLetter(next))
                {
                    if (!ReadTag(lt + 1))
                    {
                        return false;
                    }

                    if (IsTag(Script))
                    {
                        _rawTextEnd = Script;
                    }
                    else if (IsTag(Style))
                    {
                        _rawTextEnd = Style;
                    }

                    return true;
                }

                _position = lt + 1;
            }

            return false;
        }

        /// <summary>True when the current tag's name is <paramref name="lowerCaseName"/> (ASCII lower case), in any ASCII case.</summary>
        internal bool IsTag(ReadOnlySpan<byte> lowerCaseName) =>
            EqualsIgnoreAsciiCase(new ReadOnlySpan<byte>(_bytes, _nameStart, _nameLength), lowerCaseName);

        /// <summary>The name of attribute <paramref name="index"/> (raw bytes).</summary>
        internal ReadOnlySpan<byte> AttributeName(int index) =>
            new ReadOnlySpan<byte>(_bytes, _attributes[index].NameStart, _attributes[index].NameLength);

        /// <summary>True when attribute <paramref name="index"/> has a value (possibly empty).</summary>
        internal bool HasValue(int index) => _attributes[index].ValueStart >= 0;

        /// <summary>The start (in <see cref="Bytes"/>) and length of the raw value of attribute <paramref name="index"/>.</summary>
        internal void GetValue(int index, out int start, out int length)
        {
            start = _attributes[index].ValueStart;
            length = _attributes[index].ValueLength;
        }

        /// <summary>The index of the first attribute of that name (ASCII lower case); -1 when absent.</summary>
        internal int Find(ReadOnlySpan<byte> lowerCaseName)
        {
            for (var i = 0; i < _attributes.Count; i++)
            {
                var attribute = _attributes[i];
                if (attribute.NameLength == lowerCaseName.Length
                    && EqualsIgnoreAsciiCase(new ReadOnlySpan<byte>(_bytes, attribute.NameStart, attribute.NameLength), lowerCaseName))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The raw (not entity-decoded) value of the first attribute of that name, decoded from UTF-8; null when absent or without a value.</summary>
        internal string? RawAttribute(ReadOnlySpan<byte> lowerCaseName)
        {
            var index = Find(lowerCaseName);
            if (index < 0 || !HasValue(index))
            {
                return null;
            }

            GetValue(index, out var start, out var length);
            return Decode(start, length);
        }

        /// <summary>Decodes a slice of the page as UTF-8, an invalid sequence becoming U+FFFD.</summary>
        internal string Decode(int start, int length) => length == 0 ? string.Empty : LenientUtf8.GetString(_bytes, start, length);

        internal static bool EqualsIgnoreAsciiCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerCase)
        {
            if (text.Length != lowerCase.Length)
            {
                return false;
            }

            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c >= (byte)'A' && c <= (byte)'Z')
                {
                    c = (byte)(c | 0x20);
                }

                if (c != lowerCase[i])
                {
                    return false;
                }
            }

            return true;
        }

        internal static bool IsAsciiLetter(byte c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

        /// <summary>Reads a tag whose name starts at <paramref name="start"/>. False (and at the end) when the text ends inside it.</summary>
        private bool ReadTag(int start)
        {
            var b = _bytes;
            var end = _end;
            var p = start;
            while (p < end && !IsSpace(b[p]) && b[p] != (byte)'/' && b[p] != (byte)'>')
            {
                p++;
            }

            _nameStart = start;
            _nameLength = p - start;
            _attributes.Clear();

            while (p < end)
            {
                var c = b[p];
                if (IsSpace(c) || c == (byte)'/')
                {
                    p++;
                    continue;
                }

                if (c == (byte)'>')
                {
                    _position = p + 1;
                    return true;
                }

                // The attribute name; its first character may be anything (even '='), as in the HTML tokenizer.
                var nameStart = p;
                p++;
                while (p < end && !IsSpace(b[p]) && b[p] != (byte)'/' && b[p] != (byte)'>' && b[p] != (byte)'=')
                {
                    p++;
                }

                var attribute = new Attribute { NameStart = nameStart, NameLength = p - nameStart, ValueStart = -1 };
                var afterName = p;
                while (p < end && IsSpace(b[p]))
                {
                    p++;
                }

                if (p < end && b[p] == (byte)'=')
                {
                    p++;
                    while (p < end && IsSpace(b[p]))
                    {
                        p++;
                    }

                    if (p >= end)
                    {
                        break;
                    }

                    var q = b[p];
                    if (q == (byte)'"' || q == (byte)'\'')
                    {
                        var found = new ReadOnlySpan<byte>(b, p + 1, end - p - 1).IndexOf(q);
                        if (found < 0)
                        {
                            break;
                        }

                        attribute.ValueStart = p + 1;
                        attribute.ValueLength = found;
                        p = p + 1 + found + 1;
                    }
                    else if (q == (byte)'>')
                    {
                        attribute.ValueStart = p;
                        attribute.ValueLength = 0;
                    }
                    else
                    {
                        var valueStart = p;
                        while (p < end && !IsSpace(b[p]) && b[p] != (byte)'>')
                        {
                            p++;
                        }

                        attribute.ValueStart = valueStart;
                        attribute.ValueLength = p - valueStart;
                    }
                }
                else
                {
                    p = afterName;
                }

                _attributes.Add(attribute);
            }

            _position = end;
            _attributes.Clear();
            return false;
        }

        private int SkipComment(int bodyStart)
        {
            var b = _bytes;

            // "<!-->" and "<!--->" are complete (empty) comments.
            if (bodyStart < _end && b[bodyStart] == (byte)'>')
            {
                return bodyStart + 1;
            }

            if (bodyStart + 1 < _end && b[bodyStart] == (byte)'-' && b[bodyStart + 1] == (byte)'>')
            {
                return bodyStart + 2;
            }

            var found = bodyStart >= _end ? -1 : new ReadOnlySpan<byte>(b, bodyStart, _end - bodyStart).IndexOf("-->"u8);
            return found < 0 ? _end : bodyStart + found + 3;
        }

        private int SkipPast(byte c, int from)
        {
            from = Math.Min(from, _end);
            var found = new ReadOnlySpan<byte>(_bytes, from, _end - from).IndexOf(c);
            return found < 0 ? _end : from + found + 1;
        }

        private void SkipRawText(byte[] name)
        {
            var b = _bytes;
            var end = _end;
            var p = _position;
            while (p < end)
            {
                var found = new ReadOnlySpan<byte>(b, p, end - p).IndexOf("</"u8);
                if (found < 0)
                {
                    break;
                }

                var lt = p + found;
                var nameEnd = lt + 2 + name.Length;
                if (nameEnd <= end
                    && EqualsIgnoreAsciiCase(new ReadOnlySpan<byte>(b, lt + 2, name.Length), name)
                    && (nameEnd == end || IsSpace(b[nameEnd]) || b[nameEnd] == (byte)'/' || b[nameEnd] == (byte)'>'))
                {
                    // Leave the end tag for the main loop.
                    _position = lt;
                    return;
                }

                p = lt + 2;
            }

            _position = end;
        }

        private static bool IsSpace(byte c) => c == (byte)' ' || c == (byte)'\t' || c == (byte)'\n' || c == (byte)'\r' || c == (byte)'\f';

        private struct Attribute
        {
            public int NameStart;
            public int NameLength;
            public int ValueStart;
            public int ValueLength;
        }
    }
}
