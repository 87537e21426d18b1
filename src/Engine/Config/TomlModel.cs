using System.Text;
using IndexTools.Engine.Indexes;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace IndexTools.Engine.Config
{
    /// <summary>A TOML value read from the syntax tree, with the 1-based position where it is written.</summary>
    internal abstract class TomlNode
    {
        protected TomlNode(SyntaxNode? syntax)
        {
            Syntax = syntax;
            if (syntax != null)
            {
                Line = syntax.Span.Start.Line + 1;
                Column = syntax.Span.Start.Column + 1;
            }
        }

        public SyntaxNode? Syntax { get; }

        public int Line { get; }

        public int Column { get; }

        /// <summary>The value's text as written (for error messages).</summary>
        public string Text => Syntax?.ToString()?.Trim() ?? "";
    }

    internal sealed class TomlScalar : TomlNode
    {
        public TomlScalar(SyntaxNode syntax, object? value)
            : base(syntax)
        {
            Value = value;
        }

        /// <summary>string, long, double, bool, or the date/time text.</summary>
        public object? Value { get; }
    }

    internal sealed class TomlArrayNode : TomlNode
    {
        public TomlArrayNode(SyntaxNode? syntax, bool isTableArray)
            : base(syntax)
        {
            IsTableArray = isTableArray;
        }

        public bool IsTableArray { get; }

        public List<TomlNode> Items { get; } = new List<TomlNode>();
    }

    internal sealed class TomlEntry
    {
        public TomlEntry(string key, TomlNode value, KeyValueSyntax? keyValue)
        {
            Key = key;
            Value = value;
            KeyValue = keyValue;
        }

        public string Key { get; }

        public TomlNode Value { get; }

        /// <summary>The key/value line that wrote this entry (null for tables made by a header).</summary>
        public KeyValueSyntax? KeyValue { get; }
    }

    internal sealed class TomlTableNode : TomlNode
    {
        public TomlTableNode(SyntaxNode? syntax)
            : base(syntax)
        {
        }

        /// <summary>The [header], [[header]] or inline table that created this table, when any.</summary>
        public SyntaxNode? Header => Syntax;

        public bool IsInline => Syntax is InlineTableSyntax;

        public List<TomlEntry> Entries { get; } = new List<TomlEntry>();

        public TomlEntry? Find(string key)
        {
            foreach (var entry in Entries)
            {
                if (entry.Key == key)
                {
                    return entry;
                }
            }

            return null;
        }

        public TomlNode? Get(string key) => Find(key)?.Value;

        public TomlTableNode? GetTable(string dottedPath)
        {
            TomlTableNode? current = this;
            foreach (var part in dottedPath.Split('.'))
            {
                current = current?.Get(part) as TomlTableNode;
            }

            return current;
        }
    }

    /// <summary>A configuration file as read: its bytes, text, BOM, syntax tree and value model.</summary>
    internal sealed record TomlFile(string Path, byte[] Bytes, bool HasBom, string Text, DocumentSyntax Document, TomlTableNode Root)
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>The line ending the file uses (its first one), LF when it has none.</summary>
        public string LineEnding
        {
            get
            {
                var index = Text.IndexOf('\n');
                return index > 0 && Text[index - 1] == '\r' ? "\r\n" : "\n";
            }
        }

        public static TomlFile Read(string path)
        {
            return Parse(path, File.ReadAllBytes(path));
        }

        public static TomlFile Parse(string path, byte[] bytes)
        {
            var hasBom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            var offset = hasBom ? 3 : 0;
            string text;
            try
            {
                text = StrictUtf8.GetString(bytes, offset, bytes.Length - offset);
            }
            catch (DecoderFallbackException)
            {
                throw new IndexConfigurationException(path + ": the file is not valid UTF-8.", path) { Kind = ErrorKind.TomlParseError };
            }

            DocumentSyntax document;
            try
            {
                document = SyntaxParser.Parse(text, path, true);
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // Tomlyn 2.10.2 throws instead of reporting a diagnostic for some malformed input (a string that ends
                // in a lone backslash at the end of the file: ArgumentOutOfRangeException from its error message).
                // Found by the fuzzer (tests/fuzz, target toml-edit); the file is invalid TOML either way.
                throw new IndexConfigurationException(path + ": invalid TOML: the TOML reader failed on this file (" + ex.GetType().Name + ").", path) { Kind = ErrorKind.TomlParseError };
            }

            if (document.HasErrors)
            {
                foreach (var message in document.Diagnostics)
                {
                    if (message.Kind == DiagnosticMessageKind.Error)
                    {
                        var line = message.Span.Start.Line + 1;
                        var column = message.Span.Start.Column + 1;
                        throw new IndexConfigurationException(
                            path + ":" + line + ":" + column + ": invalid TOML: " + message.Message,
                            path,
                            line,
                            column)
                        { Kind = ErrorKind.TomlParseError };
                    }
                }
            }

            return new TomlFile(path, bytes, hasBom, text, document, BuildModel(document));
        }

        private static TomlTableNode BuildModel(DocumentSyntax document)
        {
            var root = new TomlTableNode(null);
            foreach (var keyValue in document.KeyValues)
            {
                Assign(root, keyValue);
            }

            foreach (var table in document.Tables)
            {
                if (table.Name is null)
                {
                    continue;
                }

                var parts = KeyParts(table.Name);
                var parent = root;
                for (var i = 0; i < parts.Count - 1; i++)
                {
                    parent = Descend(parent, parts[i]);
                }

                var last = parts[parts.Count - 1];
                TomlTableNode target;
                if (table is TableArraySyntax)
                {
                    if (!(parent.Get(last) is TomlArrayNode array))
                    {
                        array = new TomlArrayNode(table, true);
                        parent.Entries.Add(new TomlEntry(last, array, null));
                    }

                    target = new TomlTableNode(table);
                    array.Items.Add(target);
                }
                else
                {
                    if (parent.Get(last) is TomlTableNode existing)
                    {
                        target = existing;
                    }
                    else
                    {
                        target = new TomlTableNode(table);
                        parent.Entries.Add(new TomlEntry(last, target, null));
                    }
                }

                foreach (var keyValue in table.Items)
                {
                    Assign(target, keyValue);
                }
            }

            return root;
        }

        /// <summary>The table at <paramref name="key"/> (the last element for an array of tables), created when absent.</summary>
        private static TomlTableNode Descend(TomlTableNode table, string key)
        {
            switch (table.Get(key))
            {
                case TomlTableNode child:
                    return child;
                case TomlArrayNode array when array.Items.Count > 0 && array.Items[array.Items.Count - 1] is TomlTableNode last:
                    return last;
                default:
                    var created = new TomlTableNode(null);
                    table.Entries.Add(new TomlEntry(key, created, null));
                    return created;
            }
        }

        private static void Assign(TomlTableNode table, KeyValueSyntax keyValue)
        {
            if (keyValue.Key is null || keyValue.Value is null)
            {
                return;
            }

            var parts = KeyParts(keyValue.Key);
            var target = table;
            for (var i = 0; i < parts.Count - 1; i++)
            {
                target = Descend(target, parts[i]);
            }

            target.Entries.Add(new TomlEntry(parts[parts.Count - 1], Convert(keyValue.Value), keyValue));
        }

        private static TomlNode Convert(ValueSyntax value)
        {
            switch (value)
            {
                case StringValueSyntax s:
                    return new TomlScalar(s, s.Value);
                case IntegerValueSyntax i:
                    return new TomlScalar(i, i.Value);
                case BooleanValueSyntax b:
                    return new TomlScalar(b, b.Value);
                case FloatValueSyntax f:
                    return new TomlScalar(f, f.Value);
                case ArraySyntax a:
                    var array = new TomlArrayNode(a, false);
                    foreach (var item in a.Items)
                    {
                        if (item.Value != null)
                        {
                            array.Items.Add(Convert(item.Value));
                        }
                    }

                    return array;
                case InlineTableSyntax t:
                    var table = new TomlTableNode(t);
                    foreach (var item in t.Items)
                    {
                        if (item.KeyValue != null)
                        {
                            Assign(table, item.KeyValue);
                        }
                    }

                    return table;
                default:
                    return new TomlScalar(value, value.ToString()?.Trim());
            }
        }

        internal static List<string> KeyParts(KeySyntax key)
        {
            var parts = new List<string> { KeyText(key.Key) };
            foreach (var dotted in key.DotKeys)
            {
                parts.Add(KeyText(dotted.Key));
            }

            return parts;
        }

        private static string KeyText(BareKeyOrStringValueSyntax? key)
        {
            switch (key)
            {
                case BareKeySyntax bare:
                    return bare.Key?.Text ?? "";
                case StringValueSyntax quoted:
                    return quoted.Value ?? "";
                default:
                    return key?.ToString()?.Trim() ?? "";
            }
        }
    }
}
