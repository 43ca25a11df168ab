using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Intrinsics;

/// <summary>
/// A parsed intrinsic function call such as <c>States.Format('x={}', $.x)</c>. Arguments are string literals in
/// single quotes (with <c>\'</c>, <c>\{</c>, <c>\}</c>, <c>\\</c> escapes), numbers, <c>true</c>/<c>false</c>/<c>null</c>,
/// JSONPaths and nested calls. Parsing happens when the definition loads, so a typo is refused before any run.
/// </summary>
public sealed class IntrinsicExpression
{
    private IntrinsicExpression(string text, IntrinsicCall call)
    {
        Text = text;
        Call = call;
    }

    public string Text { get; }

    internal IntrinsicCall Call { get; }

    public static bool LooksLikeIntrinsic(string text) => text.StartsWith("States.", StringComparison.Ordinal);

    public static IntrinsicExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        var call = parser.ParseCall();
        parser.EndOfInput();
        return new IntrinsicExpression(text, call);
    }

    public JsonNode? Evaluate(PathScope scope) => Call.Evaluate(scope);

    internal abstract record Argument
    {
        public abstract JsonNode? Evaluate(PathScope scope);
    }

    // Arguments are handed to the functions without copies: no function modifies or returns an argument node
    // (those that put arguments into a new array or object, such as States.Array or States.JsonMerge, copy them).
    internal sealed record LiteralArgument(JsonNode? Value) : Argument
    {
        public override JsonNode? Evaluate(PathScope scope) => Value;
    }

    internal sealed record PathArgument(JsonPath Path) : Argument
    {
        public override JsonNode? Evaluate(PathScope scope) =>
            scope.TryRead(Path, out var value)
                ? value
                : throw new StatesRuntime($"The JsonPath argument '{Path.Text}' could not be found in the input");
    }

    internal sealed record IntrinsicCall(string Name, IReadOnlyList<Argument> Arguments) : Argument
    {
        public override JsonNode? Evaluate(PathScope scope)
        {
            var values = new JsonNode?[Arguments.Count];
            for (var i = 0; i < Arguments.Count; i++)
            {
                var value = Arguments[i].Evaluate(scope);
                var isFormatTemplate = i == 0 && Name == IntrinsicFunctions.Format;
                if (!isFormatTemplate && Arguments[i] is LiteralArgument && JsonValues.TryGetString(value, out var s))
                {
                    value = JsonValue.Create(s.Replace("\\{", "{", StringComparison.Ordinal).Replace("\\}", "}", StringComparison.Ordinal));
                }

                values[i] = value;
            }

            return IntrinsicFunctions.Invoke(Name, values, scope.Random);
        }
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public IntrinsicCall ParseCall()
        {
            SkipSpaces();
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '.'))
            {
                _pos++;
            }

            var name = text[start.._pos];
            if (!IntrinsicFunctions.IsKnown(name))
            {
                throw Fail($"unknown intrinsic function '{name}'");
            }

            SkipSpaces();
            Expect('(');
            var args = new List<Argument>();
            SkipSpaces();
            if (Peek() == ')')
            {
                _pos++;
            }
            else
            {
                while (true)
                {
                    args.Add(ParseArgument());
                    SkipSpaces();
                    if (Peek() == ',')
                    {
                        _pos++;
                        continue;
                    }

                    Expect(')');
                    break;
                }
            }

            var problem = IntrinsicFunctions.CheckArity(name, args.Count);
            if (problem is not null)
            {
                throw Fail(problem);
            }

            return new IntrinsicCall(name, args);
        }

        public void EndOfInput()
        {
            SkipSpaces();
            if (_pos != text.Length)
            {
                throw Fail($"unexpected text after the call at position {_pos}");
            }
        }

        private Argument ParseArgument()
        {
            SkipSpaces();
            var c = Peek();
            if (c == '\'')
            {
                return new LiteralArgument(JsonValue.Create(ReadString()));
            }

            if (c == '$')
            {
                return new PathArgument(ReadPath());
            }

            if (text.AsSpan(_pos).StartsWith("States.", StringComparison.Ordinal))
            {
                return ParseCall();
            }

            var start = _pos;
            while (_pos < text.Length && text[_pos] != ',' && text[_pos] != ')' && text[_pos] != ' ')
            {
                _pos++;
            }

            var token = text[start.._pos];
            switch (token)
            {
                case "null":
                    return new LiteralArgument(null);
                case "true":
                    return new LiteralArgument(JsonValue.Create(true));
                case "false":
                    return new LiteralArgument(JsonValue.Create(false));
            }

            if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return new LiteralArgument(JsonValue.Create(l));
            }

            if (decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return new LiteralArgument(JsonValue.Create(d));
            }

            throw Fail($"invalid argument '{token}' at position {start}");
        }

        private string ReadString()
        {
            _pos++; // opening quote
            var sb = new StringBuilder();
            while (_pos < text.Length && text[_pos] != '\'')
            {
                if (text[_pos] == '\\' && _pos + 1 < text.Length)
                {
                    var next = text[_pos + 1];
                    if (next is '\'' or '\\')
                    {
                        sb.Append(next);
                        _pos += 2;
                        continue;
                    }

                    if (next is '{' or '}')
                    {
                        // Kept escaped: States.Format needs to tell a literal brace from a placeholder.
                        sb.Append('\\').Append(next);
                        _pos += 2;
                        continue;
                    }
                }

                sb.Append(text[_pos++]);
            }

            if (_pos >= text.Length)
            {
                throw Fail("unterminated string literal");
            }

            _pos++;
            return sb.ToString();
        }

        private JsonPath ReadPath()
        {
            var start = _pos;
            var depth = 0;
            char? quote = null;
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (quote is not null)
                {
                    if (c == quote)
                    {
                        quote = null;
                    }
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c is '[' or '(')
                {
                    depth++;
                }
                else if (c is ']' or ')')
                {
                    if (depth == 0)
                    {
                        break;
                    }

                    depth--;
                }
                else if ((c == ',' || c == ' ') && depth == 0)
                {
                    break;
                }

                _pos++;
            }

            var raw = text[start.._pos];
            try
            {
                return JsonPath.Parse(raw);
            }
            catch (FormatException e)
            {
                throw Fail(e.Message);
            }
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpaces()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw Fail($"expected '{c}' at position {_pos}");
            }

            _pos++;
        }

        private FormatException Fail(string why) => new($"Invalid intrinsic function '{text}': {why}");
    }
}
