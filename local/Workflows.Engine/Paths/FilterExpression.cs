using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Paths;

/// <summary>
/// The body of a <c>[?( ... )]</c> filter: comparisons of a relative path (<c>@.x</c>) with a literal or another
/// relative path, bare existence tests (<c>@.x</c>), joined by <c>&amp;&amp;</c> (binding tighter) and <c>||</c>.
/// </summary>
internal sealed class FilterExpression
{
    private readonly List<List<Condition>> _anyOf;

    private FilterExpression(List<List<Condition>> anyOf) => _anyOf = anyOf;

    public static FilterExpression Parse(string body, string wholePath)
    {
        var anyOf = new List<List<Condition>>();
        foreach (var orPart in SplitOutsideQuotes(body, "||"))
        {
            var allOf = new List<Condition>();
            foreach (var andPart in SplitOutsideQuotes(orPart, "&&"))
            {
                allOf.Add(Condition.Parse(andPart.Trim(), wholePath));
            }

            anyOf.Add(allOf);
        }

        return new FilterExpression(anyOf);
    }

    public bool Matches(JsonNode? candidate) => _anyOf.Any(all => all.All(c => c.Holds(candidate)));

    private static List<string> SplitOutsideQuotes(string s, string separator)
    {
        var parts = new List<string>();
        char? quote = null;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quote is not null)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (string.CompareOrdinal(s, i, separator, 0, separator.Length) == 0)
            {
                parts.Add(s[start..i]);
                start = i + separator.Length;
                i += separator.Length - 1;
            }
        }

        parts.Add(s[start..]);
        return parts;
    }

    private sealed class Condition
    {
        private static readonly string[] Operators = ["==", "!=", "<=", ">=", "<", ">"];

        private JsonPath _left = null!;
        private string? _op;
        private JsonPath? _rightPath;
        private JsonNode? _rightLiteral;

        public static Condition Parse(string text, string wholePath)
        {
            if (!text.StartsWith('@'))
            {
                throw new FormatException($"Invalid JSONPath '{wholePath}': filter terms must start with '@', got '{text}'");
            }

            var c = new Condition();
            var (opIndex, op) = FindOperator(text);
            if (op is null)
            {
                c._left = Relative(text, wholePath);
                return c;
            }

            c._left = Relative(text[..opIndex].Trim(), wholePath);
            c._op = op;
            var right = text[(opIndex + op.Length)..].Trim();
            if (right.StartsWith('@'))
            {
                c._rightPath = Relative(right, wholePath);
            }
            else
            {
                c._rightLiteral = Literal(right, wholePath);
            }

            return c;
        }

        public bool Holds(JsonNode? candidate)
        {
            var left = _left.Select(candidate);
            if (_op is null)
            {
                return left.Count > 0;
            }

            if (left.Count == 0)
            {
                return false;
            }

            JsonNode? right;
            if (_rightPath is not null)
            {
                var r = _rightPath.Select(candidate);
                if (r.Count == 0)
                {
                    return false;
                }

                right = r[0].Node;
            }
            else
            {
                right = _rightLiteral;
            }

            var l = left[0].Node;
            return _op switch
            {
                "==" => JsonNode.DeepEquals(l, right) || NumbersEqual(l, right),
                "!=" => !(JsonNode.DeepEquals(l, right) || NumbersEqual(l, right)),
                _ => Ordered(l, right) is { } cmp && _op switch
                {
                    "<" => cmp < 0,
                    "<=" => cmp <= 0,
                    ">" => cmp > 0,
                    _ => cmp >= 0,
                },
            };
        }

        private static bool NumbersEqual(JsonNode? a, JsonNode? b) =>
            JsonValues.TryGetNumber(a, out var x) && JsonValues.TryGetNumber(b, out var y) && x == y;

        private static int? Ordered(JsonNode? a, JsonNode? b)
        {
            if (JsonValues.TryGetNumber(a, out var x) && JsonValues.TryGetNumber(b, out var y))
            {
                return x.CompareTo(y);
            }

            if (JsonValues.TryGetString(a, out var s) && JsonValues.TryGetString(b, out var t))
            {
                return string.CompareOrdinal(s, t);
            }

            return null;
        }

        private static (int Index, string? Op) FindOperator(string text)
        {
            char? quote = null;
            for (var i = 0; i < text.Length; i++)
            {
                var ch = text[i];
                if (quote is not null)
                {
                    if (ch == quote)
                    {
                        quote = null;
                    }

                    continue;
                }

                if (ch is '\'' or '"')
                {
                    quote = ch;
                    continue;
                }

                foreach (var op in Operators)
                {
                    if (string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
                    {
                        return (i, op);
                    }
                }
            }

            return (-1, null);
        }

        private static JsonPath Relative(string text, string wholePath)
        {
            try
            {
                return JsonPath.Parse("$" + text[1..]);
            }
            catch (FormatException e)
            {
                throw new FormatException($"Invalid JSONPath '{wholePath}': {e.Message}", e);
            }
        }

        private static JsonNode? Literal(string text, string wholePath)
        {
            if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'')
            {
                return JsonValue.Create(text[1..^1].Replace("\\'", "'", StringComparison.Ordinal));
            }

            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new FormatException($"Invalid JSONPath '{wholePath}': '{text}' is not a literal", e);
            }
        }
    }
}
