using System.Text;
using IndexTools.Engine.Indexes;

namespace IndexTools.Engine.Credentials
{
    /// <summary>
    /// A parsed <c>.netrc</c> file, read as uv reads it (crates/uv-netrc, a translation of Python's <c>netrc</c>
    /// module): tokens are separated by blanks and newlines, may be double-quoted with backslash escapes;
    /// <c>machine NAME</c> or <c>default</c> start an entry whose followers are <c>login</c> (or <c>user</c>),
    /// <c>password</c> and <c>account</c> in any order; <c>macdef NAME</c> swallows the following lines up to a blank
    /// line; <c>#</c> starts a comment. A later entry for the same machine replaces an earlier one (as in uv).
    /// Lookup is by host name only; <c>default</c> answers for any other host.
    /// </summary>
    public sealed class NetrcFile
    {
        private readonly Dictionary<string, Entry> _hosts;

        private NetrcFile(Dictionary<string, Entry> hosts, Dictionary<string, IReadOnlyList<string>> macros)
        {
            _hosts = hosts;
            Macros = macros;
        }

        /// <summary>Macro names defined with <c>macdef</c> (kept for completeness; never used).</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<string>> Macros { get; }

        /// <summary>Machine names with an entry (<c>default</c> included when present).</summary>
        public IEnumerable<string> Machines => _hosts.Keys;

        /// <summary>
        /// Parses netrc text. Throws <see cref="IndexConfigurationException"/> (Kind <c>InvalidNetrc</c>) naming
        /// <paramref name="pathForErrors"/> and the line; the message never quotes the file's tokens.
        /// </summary>
        public static NetrcFile Parse(string text, string pathForErrors)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var hosts = new Dictionary<string, Entry>(StringComparer.Ordinal);
            var macros = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var lexer = new Lexer(text);

            while (true)
            {
                var savedLine = lexer.Line;
                var token = lexer.NextToken();
                if (token.Length == 0)
                {
                    break;
                }

                if (token[0] == '#')
                {
                    if (lexer.Line == savedLine)
                    {
                        lexer.ReadLine();
                    }

                    continue;
                }

                string entryName;
                switch (token)
                {
                    case "machine":
                        entryName = lexer.NextToken();
                        break;
                    case "default":
                        entryName = "default";
                        break;
                    case "macdef":
                        var macroName = lexer.NextToken();
                        var lines = new List<string>();
                        while (true)
                        {
                            var line = lexer.ReadLine();
                            if (line.Trim().Length == 0)
                            {
                                break;
                            }

                            lines.Add(line.Trim());
                        }

                        macros[macroName] = lines;
                        continue;
                    default:
                        throw Error(pathForErrors, lexer.Line, "unexpected token at top level (expected machine, default or macdef)");
                }

                if (entryName.Length == 0)
                {
                    throw Error(pathForErrors, lexer.Line, "missing machine name");
                }

                var entry = new Entry();
                while (true)
                {
                    var previousLine = lexer.Line;
                    var follower = lexer.NextToken();
                    if (follower.StartsWith("#", StringComparison.Ordinal))
                    {
                        if (lexer.Line == previousLine)
                        {
                            lexer.ReadLine();
                        }

                        continue;
                    }

                    if (follower.Length == 0 || follower == "machine" || follower == "default" || follower == "macdef")
                    {
                        hosts[entryName] = entry;
                        lexer.PushBack(follower);
                        break;
                    }

                    switch (follower)
                    {
                        case "login":
                        case "user":
                            entry.Login = lexer.NextToken();
                            break;
                        case "account":
                            entry.Account = lexer.NextToken();
                            break;
                        case "password":
                            entry.Password = lexer.NextToken();

                            // Every netrc password is a secret the engine holds once the file is read, used or not.
                            Security.SecretScrubber.Register(entry.Password);
                            break;
                        default:
                            throw Error(pathForErrors, lexer.Line, "unexpected token in a machine entry (expected login, password or account)");
                    }
                }
            }

            return new NetrcFile(hosts, macros);
        }

        /// <summary>
        /// The credential for <paramref name="host"/>: its machine entry, else the <c>default</c> entry, else null.
        /// When <paramref name="username"/> is given, an entry with another login does not match (uv's rule).
        /// </summary>
        public IndexCredential? Find(string host, string? username = null)
        {
            if (string.IsNullOrEmpty(host))
            {
                return null;
            }

            if (!_hosts.TryGetValue(host, out var entry) && !_hosts.TryGetValue("default", out entry))
            {
                return null;
            }

            if (username != null && username != entry.Login)
            {
                return null;
            }

            return new IndexCredential(entry.Login, entry.Password);
        }

        /// <summary>The <c>account</c> token of the entry that answers for <paramref name="host"/>, when any.</summary>
        public string? FindAccount(string host)
        {
            if (_hosts.TryGetValue(host, out var entry) || _hosts.TryGetValue("default", out entry))
            {
                return entry.Account.Length == 0 ? null : entry.Account;
            }

            return null;
        }

        private static IndexConfigurationException Error(string path, int line, string what)
        {
            return new IndexConfigurationException($"Cannot read netrc file '{path}': {what} (line {line}).", path, line)
            {
                Kind = ErrorKind.InvalidNetrc,
            };
        }

        private sealed class Entry
        {
            public string Login { get; set; } = "";

            public string Account { get; set; } = "";

            public string Password { get; set; } = "";
        }

        /// <summary>shlex-like tokenizer of Python's netrc module, as uv-netrc ports it.</summary>
        private sealed class Lexer
        {
            private readonly string _text;
            private readonly Queue<string> _pushback = new Queue<string>();
            private int _position;

            public Lexer(string text)
            {
                _text = text;
            }

            public int Line { get; private set; } = 1;

            public void PushBack(string token) => _pushback.Enqueue(token);

            public string ReadLine()
            {
                var builder = new StringBuilder();
                while (TryRead(out var c))
                {
                    if (c == '\n')
                    {
                        return builder.ToString();
                    }

                    builder.Append(c);
                }

                return builder.ToString();
            }

            public string NextToken()
            {
                if (_pushback.Count > 0)
                {
                    return _pushback.Dequeue();
                }

                var token = new StringBuilder();
                while (TryRead(out var c))
                {
                    if (IsBlank(c))
                    {
                        continue;
                    }

                    if (c == '"')
                    {
                        while (TryRead(out var q))
                        {
                            if (q == '"')
                            {
                                return token.ToString();
                            }

                            token.Append(q == '\\' ? ReadOrSpace() : q);
                        }

                        return token.ToString();
                    }

                    token.Append(c == '\\' ? ReadOrSpace() : c);
                    while (TryRead(out var next))
                    {
                        if (IsBlank(next))
                        {
                            return token.ToString();
                        }

                        token.Append(next == '\\' ? ReadOrSpace() : next);
                    }

                    return token.ToString();
                }

                return token.ToString();
            }

            private static bool IsBlank(char c) => c == '\n' || c == '\t' || c == '\r' || c == ' ';

            private char ReadOrSpace() => TryRead(out var c) ? c : ' ';

            private bool TryRead(out char c)
            {
                if (_position >= _text.Length)
                {
                    c = '\0';
                    return false;
                }

                c = _text[_position++];
                if (c == '\n')
                {
                    Line++;
                }

                return true;
            }
        }
    }
}
