using System;
using System.Collections.Generic;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// A forward-only scanner that finds start tags and their attributes in HTML text, following the HTML
    /// tokenizer's rules closely enough for index pages: comments (<c>&lt;!-- ... --&gt;</c>, to the end of the text
    /// when unclosed), doctype and other markup declarations, end tags, and the raw text of <c>script</c> and
    /// <c>style</c> are skipped, so an <c>&lt;a</c> inside them is not a link. Attribute values may be double-,
    /// single- or unquoted, or absent. A tag still open at the end of the text is dropped, as browsers drop it.
    /// Every step moves forward, so the work is linear in the text length whatever the input.
    /// </summary>
    internal sealed class HtmlTokenizer
    {
        private readonly string _text;
        private readonly List<Attribute> _attributes = new List<Attribute>(8);
        private int _position;
        private string? _rawTextEnd;
        private int _nameStart;
        private int _nameLength;

        internal HtmlTokenizer(string text)
        {
            _text = text;
        }

        internal int AttributeCount => _attributes.Count;

        /// <summary>Moves to the next start tag. False at the end of the text.</summary>
        internal bool NextStartTag()
        {
            if (_rawTextEnd != null)
            {
                SkipRawText(_rawTextEnd);
                _rawTextEnd = null;
            }

            var text = _text;
            while (_position < text.Length)
            {
                var lt = text.IndexOf('<', _position);
                if (lt < 0 || lt + 1 >= text.Length)
                {
                    _position = text.Length;
                    return false;
                }

                var next = text[lt + 1];
                if (next == '!')
                {
                    if (string.CompareOrdinal(text, lt, "<!--", 0, 4) == 0)
                    {
                        _position = SkipComment(lt + 4);
                    }
                    else
                    {
                        _position = SkipPast('>', lt + 2);
                    }

                    continue;
                }

                if (next == '?')
                {
                    _position = SkipPast('>', lt + 2);
                    continue;
                }

                if (next == '/')
                {
                    if (lt + 2 < text.Length && UrlText.IsAsciiLetter(text[lt + 2]))
                    {
                        // An end tag: read it like a start tag so a '>' inside a quoted value does not end it early.
                        if (!ReadTag(lt + 2))
                        {
                            return false;
                        }
                    }
                    else
                    {
                        _position = SkipPast('>', lt + 2);
                    }

                    continue;
                }

                if (UrlText.IsAsciiLetter(next))
                {
                    if (!ReadTag(lt + 1))
                    {
                        return false;
                    }

                    if (IsTag("script"))
                    {
                        _rawTextEnd = "script";
                    }
                    else if (IsTag("style"))
                    {
                        _rawTextEnd = "style";
                    }

                    return true;
                }

                _position = lt + 1;
            }

            return false;
        }

        internal bool IsTag(string lowerCaseName) =>
            _nameLength == lowerCaseName.Length
            && string.Compare(_text, _nameStart, lowerCaseName, 0, _nameLength, StringComparison.OrdinalIgnoreCase) == 0;

        /// <summary>True when the current tag has the attribute (with or without a value); the first of that name counts.</summary>
        internal bool HasAttribute(string lowerCaseName) => Find(lowerCaseName) >= 0;

        /// <summary>The raw (not entity-decoded) value of the first attribute of that name; null when absent or without a value.</summary>
        internal string? RawAttribute(string lowerCaseName)
        {
            var index = Find(lowerCaseName);
            if (index < 0)
            {
                return null;
            }

            var attribute = _attributes[index];
            return attribute.ValueStart < 0 ? null : _text.Substring(attribute.ValueStart, attribute.ValueLength);
        }

        /// <summary>The raw value of the first attribute of that name as a slice of the text; false when absent or without a value.</summary>
        internal bool TryGetRawValue(string lowerCaseName, out ReadOnlySpan<char> value)
        {
            var index = Find(lowerCaseName);
            if (index < 0 || _attributes[index].ValueStart < 0)
            {
                value = default;
                return false;
            }

            value = _text.AsSpan(_attributes[index].ValueStart, _attributes[index].ValueLength);
            return true;
        }

        private int Find(string lowerCaseName)
        {
            for (var i = 0; i < _attributes.Count; i++)
            {
                var attribute = _attributes[i];
                if (attribute.NameLength == lowerCaseName.Length
                    && string.Compare(_text, attribute.NameStart, lowerCaseName, 0, attribute.NameLength, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Reads a tag whose name starts at <paramref name="start"/>. False (and at the end) when the text ends inside it.</summary>
        private bool ReadTag(int start)
        {
            var text = _text;
            var p = start;
            while (p < text.Length && !IsSpace(text[p]) && text[p] != '/' && text[p] != '>')
            {
                p++;
            }

            _nameStart = start;
            _nameLength = p - start;
            _attributes.Clear();

            while (p < text.Length)
            {
                var c = text[p];
                if (IsSpace(c) || c == '/')
                {
                    p++;
                    continue;
                }

                if (c == '>')
                {
                    _position = p + 1;
                    return true;
                }

                // The attribute name; its first character may be anything (even '='), as in the HTML tokenizer.
                var nameStart = p;
                p++;
                while (p < text.Length && !IsSpace(text[p]) && text[p] != '/' && text[p] != '>' && text[p] != '=')
                {
                    p++;
                }

                var attribute = new Attribute { NameStart = nameStart, NameLength = p - nameStart, ValueStart = -1 };
                var afterName = p;
                while (p < text.Length && IsSpace(text[p]))
                {
                    p++;
                }

                if (p < text.Length && text[p] == '=')
                {
                    p++;
                    while (p < text.Length && IsSpace(text[p]))
                    {
                        p++;
                    }

                    if (p >= text.Length)
                    {
                        break;
                    }

                    var q = text[p];
                    if (q == '"' || q == '\'')
                    {
                        var close = text.IndexOf(q, p + 1);
                        if (close < 0)
                        {
                            break;
                        }

                        attribute.ValueStart = p + 1;
                        attribute.ValueLength = close - p - 1;
                        p = close + 1;
                    }
                    else if (q == '>')
                    {
                        attribute.ValueStart = p;
                        attribute.ValueLength = 0;
                    }
                    else
                    {
                        var valueStart = p;
                        while (p < text.Length && !IsSpace(text[p]) && text[p] != '>')
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

            _position = text.Length;
            _attributes.Clear();
            return false;
        }

        private int SkipComment(int bodyStart)
        {
            var text = _text;

            // "<!-->" and "<!--->" are complete (empty) comments.
            if (bodyStart < text.Length && text[bodyStart] == '>')
            {
                return bodyStart + 1;
            }

            if (bodyStart + 1 < text.Length && text[bodyStart] == '-' && text[bodyStart + 1] == '>')
            {
                return bodyStart + 2;
            }

            var end = text.IndexOf("-->", bodyStart, StringComparison.Ordinal);
            return end < 0 ? text.Length : end + 3;
        }

        private int SkipPast(char c, int from)
        {
            var index = _text.IndexOf(c, Math.Min(from, _text.Length));
            return index < 0 ? _text.Length : index + 1;
        }

        private void SkipRawText(string name)
        {
            var text = _text;
            var p = _position;
            while (p < text.Length)
            {
                var lt = text.IndexOf("</", p, StringComparison.Ordinal);
                if (lt < 0)
                {
                    break;
                }

                var nameEnd = lt + 2 + name.Length;
                if (nameEnd <= text.Length
                    && string.Compare(text, lt + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                    && (nameEnd == text.Length || IsSpace(text[nameEnd]) || text[nameEnd] == '/' || text[nameEnd] == '>'))
                {
                    // Leave the end tag for the main loop.
                    _position = lt;
                    return;
                }

                p = lt + 2;
            }

            _position = text.Length;
        }

        private static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';

        private struct Attribute
        {
            public int NameStart;
            public int NameLength;
            public int ValueStart;
            public int ValueLength;
        }
    }
}
