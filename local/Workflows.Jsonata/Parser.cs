using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Workflows.Jsonata;

internal enum TokenType
{
    Operator,
    String,
    Number,
    Name,
    Variable,
    Value,
    Regex,
    End,
}

internal sealed record Token(TokenType Type, string Text, object? Value, int Position);

/// <summary>
/// Top-down operator precedence parser for the JSONata grammar as the language documentation describes it,
/// followed by a rewrite pass that turns '.' chains into path steps with their predicates, bindings and grouping.
/// </summary>
internal sealed class Parser
{
    private static readonly Dictionary<string, int> BindingPowers = new(StringComparer.Ordinal)
    {
        ["."] = 75, ["["] = 80, ["]"] = 0, ["{"] = 70, ["}"] = 0, ["("] = 80, [")"] = 0, [","] = 0,
        ["@"] = 80, ["#"] = 80, [";"] = 0, [":"] = 0, ["?"] = 20, ["+"] = 50, ["-"] = 50, ["*"] = 60,
        ["/"] = 60, ["%"] = 60, ["|"] = 0, ["="] = 40, ["<"] = 40, [">"] = 40, ["^"] = 40, ["**"] = 60,
        [".."] = 0, [":="] = 10, ["!="] = 40, ["<="] = 40, [">="] = 40, ["~>"] = 40, ["?:"] = 40, ["??"] = 40,
        ["and"] = 30, ["or"] = 25, ["in"] = 40, ["&"] = 50, ["!"] = 0, ["~"] = 0,
    };

    private static readonly Regex NumberPattern = new(@"\G(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?", RegexOptions.CultureInvariant);

    private readonly string _src;
    private int _pos;
    private Token _current = new(TokenType.End, "(end)", null, 0);

    private Parser(string src)
    {
        _src = src;
    }

    public static Node Parse(string expression)
    {
        var p = new Parser(expression);
        p.Advance(null, false);
        var ast = p.Expression(0);
        if (p._current.Type != TokenType.End)
        {
            throw new JsonataException("S0201", $"syntax error: unexpected '{p._current.Text}'", p._current.Position, p._current.Text);
        }

        var processed = Rewriter.Process(ast);
        if (processed.SeekingParent is { Count: > 0 } || processed.Kind == NodeKind.Parent)
        {
            throw new JsonataException("S0217", "the parent operator % cannot be resolved here: there is no enclosing step", processed.Position, "%");
        }

        return processed;
    }

    // ---------------- tokenizer ----------------
    private Token Lex(bool prefix)
    {
        while (true)
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos]))
            {
                _pos++;
            }

            if (_pos + 1 < _src.Length && _src[_pos] == '/' && _src[_pos + 1] == '*')
            {
                var end = _src.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new JsonataException("S0106", "comment has no closing */", _pos);
                }

                _pos = end + 2;
                continue;
            }

            break;
        }

        if (_pos >= _src.Length)
        {
            return new Token(TokenType.End, "(end)", null, _pos);
        }

        var start = _pos;
        var c = _src[_pos];
        if (prefix && c == '/')
        {
            return LexRegex();
        }

        if (_pos + 1 < _src.Length)
        {
            var two = _src.Substring(_pos, 2);
            if (two is ".." or ":=" or "!=" or ">=" or "<=" or "**" or "~>" or "?:" or "??")
            {
                _pos += 2;
                return new Token(TokenType.Operator, two, null, start);
            }
        }

        if (".[]{}(),@#;:?+-*/%|=<>^&!~".Contains(c, StringComparison.Ordinal))
        {
            _pos++;
            return new Token(TokenType.Operator, c.ToString(), null, start);
        }

        if (c is '"' or '\'')
        {
            return LexString(c);
        }

        var m = NumberPattern.Match(_src, _pos);
        if (m.Success && m.Index == _pos)
        {
            var d = double.Parse(m.Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsInfinity(d))
            {
                throw new JsonataException("S0102", $"number {m.Value} is out of range", start, m.Value);
            }

            _pos += m.Length;
            return new Token(TokenType.Number, m.Value, d, start);
        }

        if (c == '`')
        {
            var end = _src.IndexOf('`', _pos + 1);
            if (end < 0)
            {
                throw new JsonataException("S0105", "quoted name has no closing backtick", start);
            }

            var name = _src.Substring(_pos + 1, end - _pos - 1);
            _pos = end + 1;
            return new Token(TokenType.Name, name, name, start);
        }

        var i = _pos;
        while (i < _src.Length && !char.IsWhiteSpace(_src[i]) && !".[]{}(),@#;:?+-*/%|=<>^&!~\"'`".Contains(_src[i], StringComparison.Ordinal))
        {
            i++;
        }

        var word = _src[_pos..i];
        _pos = i;
        if (word.StartsWith('$'))
        {
            return new Token(TokenType.Variable, word, word[1..], start);
        }

        return word switch
        {
            "and" or "or" or "in" => new Token(TokenType.Operator, word, null, start),
            "true" => new Token(TokenType.Value, word, true, start),
            "false" => new Token(TokenType.Value, word, false, start),
            "null" => new Token(TokenType.Value, word, JNull.Instance, start),
            _ => new Token(TokenType.Name, word, word, start),
        };
    }

    private Token LexString(char quote)
    {
        var start = _pos;
        _pos++;
        var sb = new StringBuilder();
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            if (c == '\\')
            {
                _pos++;
                if (_pos >= _src.Length)
                {
                    break;
                }

                var e = _src[_pos];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 < _src.Length && int.TryParse(_src.AsSpan(_pos + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            sb.Append((char)code);
                            _pos += 4;
                            break;
                        }

                        throw new JsonataException("S0104", "\\u must be followed by four hexadecimal digits", _pos);
                    default:
                        throw new JsonataException("S0103", $"unsupported escape sequence \\{e} in string", _pos, e.ToString());
                }

                _pos++;
                continue;
            }

            if (c == quote)
            {
                _pos++;
                var s = sb.ToString();
                return new Token(TokenType.String, s, s, start);
            }

            sb.Append(c);
            _pos++;
        }

        throw new JsonataException("S0101", "string literal has no closing quote", start);
    }

    private Token LexRegex()
    {
        var start = _pos;
        _pos++;
        var depth = 0;
        var i = _pos;
        while (i < _src.Length)
        {
            var c = _src[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && depth > 0)
            {
                depth--;
            }
            else if (c == '/' && depth == 0)
            {
                var pattern = _src[_pos..i];
                if (pattern.Length == 0)
                {
                    throw new JsonataException("S0301", "empty regular expressions are not allowed", start);
                }

                i++;
                var fs = i;
                while (i < _src.Length && (_src[i] == 'i' || _src[i] == 'm'))
                {
                    i++;
                }

                var flags = _src[fs..i];
                _pos = i;
                var opts = RegexOptions.CultureInvariant;
                if (flags.Contains('i', StringComparison.Ordinal))
                {
                    opts |= RegexOptions.IgnoreCase;
                }

                if (flags.Contains('m', StringComparison.Ordinal))
                {
                    opts |= RegexOptions.Multiline;
                }

                Regex rx;
                try
                {
                    rx = new Regex(pattern, opts);
                }
                catch (ArgumentException ex)
                {
                    throw new JsonataException("S0302", $"invalid regular expression /{pattern}/: {ex.Message}", start);
                }

                return new Token(TokenType.Regex, _src[start.._pos], rx, start);
            }

            i++;
        }

        throw new JsonataException("S0302", "regular expression has no terminating /", start);
    }

    // ---------------- parser ----------------
    private void Advance(string? expected, bool infix = false)
    {
        if (expected is not null && !(_current.Type == TokenType.Operator && _current.Text == expected))
        {
            if (_current.Type == TokenType.Operator && _current.Text is "!" or "~")
            {
                throw new JsonataException("S0204", $"unknown operator '{_current.Text}'", _current.Position, _current.Text);
            }

            if (_current.Type == TokenType.End)
            {
                throw new JsonataException("S0203", $"expected '{expected}' before the end of the expression", _current.Position, expected);
            }

            throw new JsonataException("S0202", $"expected '{expected}', found '{_current.Text}'", _current.Position, _current.Text);
        }

        _current = Lex(!infix);
    }

    private int Lbp(Token t) => t.Type == TokenType.Operator && BindingPowers.TryGetValue(t.Text, out var bp) ? bp : 0;

    private bool At(string op) => _current.Type == TokenType.Operator && _current.Text == op;

    private Node Expression(int rbp)
    {
        var t = _current;
        Advance(null, true);
        var left = Nud(t);
        while (rbp < Lbp(_current))
        {
            t = _current;
            Advance(null);
            left = Led(t, left);
        }

        return left;
    }

    private Node Nud(Token t)
    {
        switch (t.Type)
        {
            case TokenType.End:
                throw new JsonataException("S0207", "unexpected end of expression", t.Position);
            case TokenType.String:
                return new Node(NodeKind.String, t.Position) { Value = t.Value };
            case TokenType.Number:
                return new Node(NodeKind.Number, t.Position) { Value = t.Value };
            case TokenType.Value:
                return new Node(NodeKind.Value, t.Position) { Value = t.Value };
            case TokenType.Name:
                return new Node(NodeKind.Name, t.Position) { Value = t.Value };
            case TokenType.Variable:
                return new Node(NodeKind.Variable, t.Position) { Value = t.Value };
            case TokenType.Regex:
                return new Node(NodeKind.Regex, t.Position) { Value = t.Value };
        }

        switch (t.Text)
        {
            case "and" or "or" or "in":
                return new Node(NodeKind.Name, t.Position) { Value = t.Text };
            case "-":
                return new Node(NodeKind.Negate, t.Position) { Lhs = Expression(70) };
            case "*":
                return new Node(NodeKind.Wildcard, t.Position);
            case "**":
                return new Node(NodeKind.Descendant, t.Position);
            case "%":
                return new Node(NodeKind.Parent, t.Position);
            case "(":
                {
                    var block = new Node(NodeKind.Block, t.Position);
                    while (!At(")"))
                    {
                        block.Items.Add(Expression(0));
                        if (!At(";"))
                        {
                            break;
                        }

                        Advance(";");
                    }

                    Advance(")", true);
                    return block;
                }

            case "[":
                {
                    var arr = new Node(NodeKind.ArrayCons, t.Position);
                    if (!At("]"))
                    {
                        while (true)
                        {
                            var item = Expression(0);
                            if (At(".."))
                            {
                                var rp = _current.Position;
                                Advance("..");
                                item = new Node(NodeKind.Range, rp) { Lhs = item, Rhs = Expression(0) };
                            }

                            arr.Items.Add(item);
                            if (!At(","))
                            {
                                break;
                            }

                            Advance(",");
                        }
                    }

                    Advance("]", true);
                    return arr;
                }

            case "{":
                {
                    var obj = new Node(NodeKind.ObjectCons, t.Position) { Pairs = ParsePairs() };
                    return obj;
                }

            case "|":
                {
                    var tr = new Node(NodeKind.Transform, t.Position) { Pattern = Expression(0) };
                    Advance("|");
                    tr.Update = Expression(0);
                    if (At(","))
                    {
                        Advance(",");
                        tr.Delete = Expression(0);
                    }

                    Advance("|");
                    return tr;
                }
        }

        throw new JsonataException("S0211", $"the symbol '{t.Text}' cannot be used as a unary operator", t.Position, t.Text);
    }

    private List<(Node, Node)> ParsePairs()
    {
        var pairs = new List<(Node, Node)>();
        if (!At("}"))
        {
            while (true)
            {
                var k = Expression(0);
                Advance(":");
                var v = Expression(0);
                pairs.Add((k, v));
                if (!At(","))
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance("}", true);
        return pairs;
    }

    private Node Led(Token t, Node left)
    {
        var op = t.Text;
        switch (op)
        {
            case "(":
                return ParseCall(t, left);
            case "[":
                {
                    if (At("]"))
                    {
                        var step = left;
                        while (step.Kind == NodeKind.Binary && step.Op == "[")
                        {
                            step = step.Lhs!;
                        }

                        step.KeepArray = true;
                        // Read on in prefix mode, as the reference implementation does: "a[] / 2" starts a regex.
                        Advance("]");
                        return left;
                    }

                    var pred = Expression(0);
                    Advance("]", true);
                    return new Node(NodeKind.Binary, t.Position) { Op = "[", Lhs = left, Rhs = pred };
                }

            case "{":
                return new Node(NodeKind.GroupBy, t.Position) { Lhs = left, Pairs = ParsePairs() };
            case "^":
                {
                    Advance("(");
                    var terms = new List<(Node, bool)>();
                    while (true)
                    {
                        var desc = false;
                        if (At("<"))
                        {
                            Advance("<");
                        }
                        else if (At(">"))
                        {
                            desc = true;
                            Advance(">");
                        }

                        terms.Add((Expression(0), desc));
                        if (!At(","))
                        {
                            break;
                        }

                        Advance(",");
                    }

                    Advance(")", true);
                    return new Node(NodeKind.Sort, t.Position) { Lhs = left, Terms = terms };
                }

            case "?":
                {
                    var cond = new Node(NodeKind.Condition, t.Position) { Condition = left, Then = Expression(0) };
                    if (At(":"))
                    {
                        Advance(":");
                        cond.Else = Expression(0);
                    }

                    return cond;
                }

            case ":=":
                {
                    if (left.Kind != NodeKind.Variable)
                    {
                        throw new JsonataException("S0212", "the left side of := must be a variable name (starting with $)", t.Position, ":=");
                    }

                    return new Node(NodeKind.Bind, t.Position) { Lhs = left, Rhs = Expression(BindingPowers[":="] - 1) };
                }

            case "@":
            case "#":
                {
                    var rhs = Expression(BindingPowers[op]);
                    if (rhs.Kind != NodeKind.Variable)
                    {
                        throw new JsonataException("S0214", $"the right side of {op} must be a variable name (starting with $)", t.Position, op);
                    }

                    return new Node(op == "@" ? NodeKind.Focus : NodeKind.IndexBind, t.Position) { Lhs = left, Rhs = rhs };
                }

            case "~>":
                return new Node(NodeKind.Apply, t.Position) { Lhs = left, Rhs = Expression(BindingPowers[op]) };
            // Both bind their left side tightly but take a whole expression on the right, like the else branch of ?:
            // (matches the reference implementation on generated expressions: a ?: b ? c : d is a ?: (b ? c : d)).
            case "??":
                return new Node(NodeKind.Coalesce, t.Position) { Lhs = left, Rhs = Expression(0) };
            case "?:":
                return new Node(NodeKind.Default, t.Position) { Lhs = left, Rhs = Expression(0) };
            case "." or "+" or "-" or "*" or "/" or "%" or "=" or "<" or ">" or "!=" or "<=" or ">=" or "&" or "and" or "or" or "in":
                return new Node(NodeKind.Binary, t.Position) { Op = op, Lhs = left, Rhs = Expression(BindingPowers[op]) };
        }

        throw new JsonataException("S0204", $"unknown operator '{op}'", t.Position, op);
    }

    private Node ParseCall(Token t, Node left)
    {
        var args = new List<Node>();
        var partial = false;
        if (!At(")"))
        {
            while (true)
            {
                if (At("?"))
                {
                    partial = true;
                    args.Add(new Node(NodeKind.Placeholder, _current.Position));
                    Advance("?");
                }
                else
                {
                    args.Add(Expression(0));
                }

                if (!At(","))
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance(")", true);
        if (left.Kind == NodeKind.Name && (Equals(left.Value, "function") || Equals(left.Value, "λ")))
        {
            var names = new List<string>();
            foreach (var a in args)
            {
                if (a.Kind != NodeKind.Variable)
                {
                    throw new JsonataException("S0208", $"parameter {a.Value} of a function definition must be a variable name (starting with $)", a.Position);
                }

                names.Add((string)a.Value!);
            }

            var lambda = new Node(NodeKind.Lambda, t.Position) { Params = names };
            if (At("<"))
            {
                // The signature is read as raw text up to the matching '>', since its symbols are not tokens.
                var sigStart = _current.Position;
                var depth = 0;
                var i = sigStart;
                for (; i < _src.Length; i++)
                {
                    if (_src[i] == '<')
                    {
                        depth++;
                    }
                    else if (_src[i] == '>')
                    {
                        depth--;
                        if (depth == 0)
                        {
                            break;
                        }
                    }
                }

                if (i >= _src.Length)
                {
                    throw new JsonataException("S0401", "function signature has no closing >", sigStart);
                }

                lambda.Signature = Signature.Parse(_src[(sigStart + 1)..i], sigStart);
                _pos = i + 1;
                _current = Lex(false);
            }

            Advance("{");
            lambda.Body = Expression(0);
            Advance("}", true);
            return lambda;
        }

        return new Node(partial ? NodeKind.Partial : NodeKind.Call, t.Position) { Lhs = left, Items = args };
    }
}
