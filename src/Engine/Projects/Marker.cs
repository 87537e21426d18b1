using System.Text;
using IndexTools.Engine.Versions;

namespace IndexTools.Engine.Projects
{
    /// <summary>
    /// A PEP 508 environment marker (<c>sys_platform == 'linux' and python_version &gt;= '3.10'</c>), parsed and
    /// evaluated against a marker environment. Version variables (<c>python_version</c>, <c>python_full_version</c>,
    /// <c>implementation_version</c>) compare as PEP 440 versions; every other variable compares as a string
    /// (<c>in</c> / <c>not in</c> are substring tests), as uv-pep508 does. A variable the environment does not set
    /// makes the comparison unknown: <see cref="Evaluate"/> then answers null unless the rest decides it.
    /// </summary>
    public sealed class Marker
    {
        /// <summary>The PEP 508 variables (plus uv's <c>extra</c>); the legacy dotted spellings map onto them.</summary>
        internal static readonly string[] Variables =
        {
            "python_version", "python_full_version", "os_name", "sys_platform", "platform_release", "platform_system",
            "platform_version", "platform_machine", "platform_python_implementation", "implementation_name",
            "implementation_version", "extra",
        };

        private static readonly HashSet<string> VersionVariables = new HashSet<string>(StringComparer.Ordinal)
        {
            "python_version", "python_full_version", "implementation_version",
        };

        private static readonly Dictionary<string, string> Legacy = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["os.name"] = "os_name",
            ["sys.platform"] = "sys_platform",
            ["platform.version"] = "platform_version",
            ["platform.machine"] = "platform_machine",
            ["platform.python_implementation"] = "platform_python_implementation",
            ["python_implementation"] = "platform_python_implementation",
        };

        private readonly Node _root;

        private Marker(Node root, string text)
        {
            _root = root;
            Text = text;
        }

        /// <summary>The marker as written.</summary>
        public string Text { get; }

        /// <summary>The marker in a normal spelling: <c>sys_platform == 'linux' and python_version &gt;= '3.10'</c>.</summary>
        public override string ToString() => _root.Format(false);

        /// <summary>Every variable the marker reads.</summary>
        public IReadOnlyCollection<string> VariablesUsed
        {
            get
            {
                var set = new SortedSet<string>(StringComparer.Ordinal);
                _root.Collect(c => set.Add(c.Variable));
                return set;
            }
        }

        /// <summary>Parses a marker; a <see cref="FormatException"/> naming the position and what was expected.</summary>
        public static Marker Parse(string text)
        {
            if (!TryParse(text, out var marker, out var error))
            {
                throw new FormatException(error);
            }

            return marker!;
        }

        public static bool TryParse(string text, out Marker? marker, out string? error)
        {
            marker = null;
            error = null;
            if (text is null)
            {
                error = "no marker text";
                return false;
            }

            var parser = new Parser(text);
            try
            {
                var node = parser.ParseOr();
                parser.SkipSpace();
                if (!parser.AtEnd)
                {
                    throw parser.Fail("expected 'and', 'or' or the end of the marker");
                }

                marker = new Marker(node, text);
                return true;
            }
            catch (FormatException e)
            {
                error = e.Message;
                return false;
            }
        }

        /// <summary>True or false, or null when a variable that decides it is not in <paramref name="environment"/>.</summary>
        public bool? Evaluate(IReadOnlyDictionary<string, string> environment)
        {
            if (environment is null)
            {
                throw new ArgumentNullException(nameof(environment));
            }

            return _root.Evaluate(environment);
        }

        /// <summary>The negation, spelled out (De Morgan, each comparison's operator flipped).</summary>
        public Marker Negate()
        {
            var negated = _root.Negate();
            return new Marker(negated, negated.Format(false));
        }

        /// <summary>Both markers (<c>a and b</c>).</summary>
        public Marker And(Marker other)
        {
            var node = new Junction(true, new[] { _root, other._root });
            return new Marker(node, node.Format(false));
        }

        /// <summary>
        /// True when no environment satisfies both markers. Decided by evaluating both over every combination of the
        /// values that matter: each literal the markers compare a variable with, just above it, and values outside them.
        /// </summary>
        public bool IsDisjoint(Marker other)
        {
            var literals = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            void Add(Comparison c)
            {
                if (!literals.TryGetValue(c.Variable, out var set))
                {
                    literals[c.Variable] = set = new SortedSet<string>(StringComparer.Ordinal);
                }

                set.Add(c.Value);
            }

            _root.Collect(Add);
            other._root.Collect(Add);
            var variables = literals.Keys.ToList();
            var candidates = variables.Select(v => Candidates(v, literals[v])).ToList();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            var limit = 200000;
            return !Search(0);

            bool Search(int position)
            {
                if (position == variables.Count)
                {
                    return --limit < 0 || (_root.Evaluate(environment) == true && other._root.Evaluate(environment) == true);
                }

                foreach (var value in candidates[position])
                {
                    environment[variables[position]] = value;
                    if (Search(position + 1))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        private static List<string> Candidates(string variable, IEnumerable<string> literals)
        {
            var result = new List<string>();
            if (VersionVariables.Contains(variable))
            {
                result.Add("0");
                foreach (var literal in literals)
                {
                    var text = literal.EndsWith(".*", StringComparison.Ordinal) ? literal.Substring(0, literal.Length - 2) : literal;
                    result.Add(text);
                    result.Add(text + ".999999");
                }

                result.Add("999999");
            }
            else
            {
                result.AddRange(literals);
                result.Add("\u0001none of the literals");
            }

            return result.Distinct(StringComparer.Ordinal).ToList();
        }

        private abstract record Node
        {
            public abstract bool? Evaluate(IReadOnlyDictionary<string, string> environment);

            public abstract Node Negate();

            public abstract string Format(bool nested);

            public abstract void Collect(Action<Comparison> visit);
        }

        private sealed record Junction(bool IsAnd, IReadOnlyList<Node> Parts) : Node
        {
            public override bool? Evaluate(IReadOnlyDictionary<string, string> environment)
            {
                var unknown = false;
                foreach (var part in Parts)
                {
                    var value = part.Evaluate(environment);
                    if (value is null)
                    {
                        unknown = true;
                    }
                    else if (value.Value != IsAnd)
                    {
                        return value.Value;
                    }
                }

                return unknown ? null : IsAnd;
            }

            public override Node Negate() => new Junction(!IsAnd, Parts.Select(p => p.Negate()).ToList());

            public override string Format(bool nested)
            {
                var text = string.Join(IsAnd ? " and " : " or ", Parts.Select(p => p.Format(true)));
                return nested && !IsAnd ? "(" + text + ")" : nested && IsAnd ? "(" + text + ")" : text;
            }

            public override void Collect(Action<Comparison> visit)
            {
                foreach (var part in Parts)
                {
                    part.Collect(visit);
                }
            }
        }

        /// <summary>A variable compared with a literal; <c>VariableOnLeft</c> is false for <c>'linux' in sys_platform</c> (the literal is on the left).</summary>
        private sealed record Comparison(string Variable, string Operator, string Value, bool VariableOnLeft) : Node
        {
            public override bool? Evaluate(IReadOnlyDictionary<string, string> environment)
            {
                if (!environment.TryGetValue(Variable, out var actual) || actual is null)
                {
                    return null;
                }

                var left = VariableOnLeft ? actual : Value;
                var right = VariableOnLeft ? Value : actual;
                switch (Operator)
                {
                    case "in":
                        return right.IndexOf(left, StringComparison.Ordinal) >= 0;
                    case "not in":
                        return right.IndexOf(left, StringComparison.Ordinal) < 0;
                }

                if (VersionVariables.Contains(Variable) && Operator != "===")
                {
                    // The literal is the specifier ('python_version >= "3.10"'); reversed, the operator is mirrored.
                    var op = VariableOnLeft ? Operator : Mirror(Operator);
                    if (Pep440Version.TryParse(actual, out var version) && version != null
                        && VersionSpecifier.TryParse(op + Value, out var specifier, out _) && specifier != null)
                    {
                        return specifier.Contains(version);
                    }
                }

                var order = string.CompareOrdinal(left, right);
                switch (Operator)
                {
                    case "==":
                    case "===":
                        return order == 0;
                    case "!=":
                        return order != 0;
                    case "<":
                        return order < 0;
                    case "<=":
                        return order <= 0;
                    case ">":
                        return order > 0;
                    case ">=":
                        return order >= 0;
                    case "~=":
                        return order == 0;
                    default:
                        return null;
                }
            }

            public override Node Negate()
            {
                switch (Operator)
                {
                    case "==": return new Comparison(Variable, "!=", Value, VariableOnLeft);
                    case "!=": return new Comparison(Variable, "==", Value, VariableOnLeft);
                    case "<": return new Comparison(Variable, ">=", Value, VariableOnLeft);
                    case ">=": return new Comparison(Variable, "<", Value, VariableOnLeft);
                    case ">": return new Comparison(Variable, "<=", Value, VariableOnLeft);
                    case "<=": return new Comparison(Variable, ">", Value, VariableOnLeft);
                    case "in": return new Comparison(Variable, "not in", Value, VariableOnLeft);
                    case "not in": return new Comparison(Variable, "in", Value, VariableOnLeft);
                    default: return new Not(this);
                }
            }

            public override string Format(bool nested)
            {
                var literal = "'" + Value + "'";
                return VariableOnLeft ? Variable + " " + Operator + " " + literal : literal + " " + Operator + " " + Variable;
            }

            public override void Collect(Action<Comparison> visit) => visit(this);

            private static string Mirror(string op)
            {
                switch (op)
                {
                    case "<": return ">";
                    case "<=": return ">=";
                    case ">": return "<";
                    case ">=": return "<=";
                    default: return op;
                }
            }
        }

        /// <summary>The negation of a comparison without an opposite operator (<c>~=</c>, <c>===</c>).</summary>
        private sealed record Not(Node Inner) : Node
        {
            public override bool? Evaluate(IReadOnlyDictionary<string, string> environment)
            {
                var value = Inner.Evaluate(environment);
                return value is null ? null : !value.Value;
            }

            public override Node Negate() => Inner;

            public override string Format(bool nested) => "not (" + Inner.Format(false) + ")";

            public override void Collect(Action<Comparison> visit) => Inner.Collect(visit);
        }

        private sealed class Parser
        {
            private static readonly string[] Operators = { "===", "==", "!=", "<=", ">=", "~=", "<", ">" };
            private readonly string _text;
            private int _position;

            public Parser(string text)
            {
                _text = text;
            }

            public bool AtEnd => _position >= _text.Length;

            public FormatException Fail(string expected)
            {
                return new FormatException("Invalid marker '" + _text + "' at position " + (_position + 1) + ": " + expected + ".");
            }

            public void SkipSpace()
            {
                while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
                {
                    _position++;
                }
            }

            public Node ParseOr()
            {
                var parts = new List<Node> { ParseAnd() };
                while (Keyword("or"))
                {
                    parts.Add(ParseAnd());
                }

                return parts.Count == 1 ? parts[0] : new Junction(false, parts);
            }

            private Node ParseAnd()
            {
                var parts = new List<Node> { ParseExpression() };
                while (Keyword("and"))
                {
                    parts.Add(ParseExpression());
                }

                return parts.Count == 1 ? parts[0] : new Junction(true, parts);
            }

            private Node ParseExpression()
            {
                SkipSpace();
                if (_position < _text.Length && _text[_position] == '(')
                {
                    _position++;
                    var inner = ParseOr();
                    SkipSpace();
                    if (_position >= _text.Length || _text[_position] != ')')
                    {
                        throw Fail("expected ')'");
                    }

                    _position++;
                    return inner;
                }

                var left = ParseOperand();
                var op = ParseOperator();
                var right = ParseOperand();
                if (left.IsVariable == right.IsVariable)
                {
                    throw Fail(left.IsVariable
                        ? "a comparison needs one marker variable and one quoted string, not two variables"
                        : "a comparison needs a marker variable (such as sys_platform), not two strings");
                }

                var variable = left.IsVariable ? left.Text : right.Text;
                var value = left.IsVariable ? right.Text : left.Text;
                if (variable == "extra")
                {
                    value = PackageName.Normalize(value);
                }

                return new Comparison(variable, op, value, left.IsVariable);
            }

            private bool Keyword(string word)
            {
                SkipSpace();
                if (string.CompareOrdinal(_text, _position, word, 0, word.Length) == 0
                    && (_position + word.Length == _text.Length || !IsIdentifier(_text[_position + word.Length])))
                {
                    _position += word.Length;
                    return true;
                }

                return false;
            }

            private string ParseOperator()
            {
                SkipSpace();
                if (Keyword("in"))
                {
                    return "in";
                }

                if (Keyword("not"))
                {
                    if (!Keyword("in"))
                    {
                        throw Fail("expected 'in' after 'not'");
                    }

                    return "not in";
                }

                foreach (var op in Operators)
                {
                    if (string.CompareOrdinal(_text, _position, op, 0, op.Length) == 0)
                    {
                        _position += op.Length;
                        return op;
                    }
                }

                throw Fail("expected a comparison operator (==, !=, <, <=, >, >=, ~=, ===, in, not in)");
            }

            private (bool IsVariable, string Text) ParseOperand()
            {
                SkipSpace();
                if (_position >= _text.Length)
                {
                    throw Fail("expected a marker variable or a quoted string");
                }

                var c = _text[_position];
                if (c == '\'' || c == '"')
                {
                    var end = _text.IndexOf(c, _position + 1);
                    if (end < 0)
                    {
                        throw Fail("the string is not closed");
                    }

                    var value = _text.Substring(_position + 1, end - _position - 1);
                    _position = end + 1;
                    return (false, value);
                }

                var start = _position;
                while (_position < _text.Length && (IsIdentifier(_text[_position]) || _text[_position] == '.'))
                {
                    _position++;
                }

                var name = _text.Substring(start, _position - start);
                if (Legacy.TryGetValue(name, out var mapped))
                {
                    name = mapped;
                }

                if (!Variables.Contains(name))
                {
                    _position = start;
                    throw Fail(name.Length == 0
                        ? "expected a marker variable or a quoted string"
                        : "'" + name + "' is not a marker variable (expected one of " + string.Join(", ", Variables) + ")");
                }

                return (true, name);
            }

            private static bool IsIdentifier(char c) => char.IsLetterOrDigit(c) || c == '_';
        }
    }
}
