using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Paths;

/// <summary>
/// A JSONPath expression in the subset Step Functions accepts: <c>$</c> or <c>$$</c>, <c>.name</c>, <c>['name']</c>,
/// <c>[n]</c> (negative counts from the end), <c>[*]</c>/<c>.*</c>, <c>[start:end:step]</c>, unions <c>[0,2]</c> /
/// <c>['a','b']</c>, <c>..</c>, and filters <c>[?(@.x OP literal)]</c> joined by <c>&amp;&amp;</c> / <c>||</c>.
/// Anything else (functions such as <c>length()</c>, script expressions) is refused when the definition loads.
/// </summary>
public sealed class JsonPath
{
    private readonly IReadOnlyList<PathSegment> _segments;

    // Paths made only of names and indexes (nearly every path in real definitions: $.a.b, $.items[0]) are walked
    // directly, without the match lists the general evaluator builds; computed once here, not per evaluation.
    private readonly PathSegment[]? _simple;

    private JsonPath(string text, bool isContext, string? variable, IReadOnlyList<PathSegment> segments)
    {
        Text = text;
        IsContext = isContext;
        Variable = variable;
        _segments = segments;
        IsDefinite = segments.All(s => s.IsDefinite);
        _simple = segments.All(s => s is NameSegment or IndexSegment) ? [.. segments] : null;
    }

    public string Text { get; }

    /// <summary>True when the path starts with <c>$$</c> and reads the context object.</summary>
    public bool IsContext { get; }

    /// <summary>
    /// The workflow variable a path such as <c>$name.field</c> reads (AWS's variables in the JSONPath query
    /// language); null for paths on the input (<c>$</c>) or the context object (<c>$$</c>).
    /// </summary>
    public string? Variable { get; }

    /// <summary>Definite paths name at most one node; the others yield a list, as Jayway JsonPath (used by AWS) does.</summary>
    public bool IsDefinite { get; }

    /// <summary>
    /// A reference path (ResultPath, ItemsPath, …) uses only names and non-negative indexes; it may start at a
    /// variable (<c>$name.a</c>) except where it writes (ResultPath, checked by the reader).
    /// </summary>
    public bool IsReferencePath => !IsContext && _segments.All(s => s is NameSegment || s is IndexSegment { Index: >= 0 });

    internal IReadOnlyList<PathSegment> Segments => _segments;

    public override string ToString() => Text;

    public static JsonPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text).Parse();
    }

    public static bool TryParse(string text, out JsonPath? path, out string? problem)
    {
        try
        {
            path = Parse(text);
            problem = null;
            return true;
        }
        catch (FormatException e)
        {
            path = null;
            problem = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Evaluates the path. A definite path yields the one node it names (false when absent); an indefinite path
    /// always succeeds with a new array of its matches, possibly empty.
    /// </summary>
    public bool TryEvaluate(JsonNode? root, out JsonNode? value)
    {
        if (_simple is not null)
        {
            return TryWalk(root, out value);
        }

        var matches = Select(root);
        if (IsDefinite)
        {
            if (matches.Count == 0)
            {
                value = null;
                return false;
            }

            value = matches[0].Node;
            return true;
        }

        var array = new JsonArray();
        foreach (var m in matches)
        {
            array.Add(m.Node?.DeepClone());
        }

        value = array;
        return true;
    }

    /// <summary>
    /// Why the path matched nothing, in the words AWS's cause uses (recorded: "No results for path: $['a']" when
    /// the last step is missing, "Missing property in path $['a']" when an earlier one is).
    /// </summary>
    public string DescribeMiss(JsonNode? root)
    {
        if (_simple is null)
        {
            return $"No results for path: {Text}";
        }

        var walked = new System.Text.StringBuilder("$");
        var node = root;
        for (var i = 0; i < _simple.Length; i++)
        {
            var segment = _simple[i];
            JsonNode? next = null;
            var found = false;
            if (segment is NameSegment name)
            {
                walked.Append("['").Append(name.Name).Append("']");
                found = node is JsonObject o && o.TryGetPropertyValue(name.Name, out next);
            }
            else
            {
                var index = ((IndexSegment)segment).Index;
                walked.Append('[').Append(index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
                if (node is JsonArray a && (index < 0 ? a.Count + index : index) is var at && at >= 0 && at < a.Count)
                {
                    next = a[at];
                    found = true;
                }
            }

            if (!found)
            {
                return i == _simple.Length - 1 ? $"No results for path: {walked}" : $"Missing property in path {walked}";
            }

            node = next;
        }

        return $"No results for path: {walked}";
    }

    /// <summary>The fast path for name/index-only paths: same results as <see cref="Select"/>, no allocation.</summary>
    private bool TryWalk(JsonNode? node, out JsonNode? value)
    {
        foreach (var segment in _simple!)
        {
            if (segment is NameSegment name)
            {
                if (node is not JsonObject o || !o.TryGetPropertyValue(name.Name, out node))
                {
                    value = null;
                    return false;
                }
            }
            else
            {
                var index = ((IndexSegment)segment).Index;
                if (node is not JsonArray a)
                {
                    value = null;
                    return false;
                }

                var i = index < 0 ? a.Count + index : index;
                if (i < 0 || i >= a.Count)
                {
                    value = null;
                    return false;
                }

                node = a[i];
            }
        }

        value = node;
        return true;
    }

    internal List<Match> Select(JsonNode? root)
    {
        var current = new List<Match> { new(root) };
        foreach (var segment in _segments)
        {
            var next = new List<Match>();
            foreach (var m in current)
            {
                segment.Apply(m.Node, next);
            }

            current = next;
            if (current.Count == 0)
            {
                break;
            }
        }

        return current;
    }

    /// <summary>A node found by a path; a wrapper because a present JSON null is a match, unlike an absent field.</summary>
    internal readonly record struct Match(JsonNode? Node);

    private sealed class Parser(string text)
    {
        private int _pos;

        public JsonPath Parse()
        {
            if (!text.StartsWith('$'))
            {
                throw Fail("must start with '$'");
            }

            var isContext = text.StartsWith("$$", StringComparison.Ordinal);
            _pos = isContext ? 2 : 1;
            string? variable = null;
            if (!isContext && _pos < text.Length && IsVariableStart(text[_pos]))
            {
                var start = _pos;
                while (_pos < text.Length && IsVariablePart(text[_pos]))
                {
                    _pos++;
                }

                variable = text[start.._pos];
            }

            var segments = new List<PathSegment>();
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '.')
                {
                    _pos++;
                    if (Peek() == '.')
                    {
                        _pos++;
                        segments.Add(new RecursiveSegment(ParseAfterDescent()));
                    }
                    else if (Peek() == '*')
                    {
                        _pos++;
                        segments.Add(new WildcardSegment());
                    }
                    else
                    {
                        segments.Add(new NameSegment(ReadName()));
                    }
                }
                else if (c == '[')
                {
                    segments.Add(ParseBracket());
                }
                else
                {
                    throw Fail($"unexpected '{c}' at position {_pos}");
                }
            }

            return new JsonPath(text, isContext, variable, segments);
        }

        private PathSegment ParseAfterDescent()
        {
            if (Peek() == '[')
            {
                return ParseBracket();
            }

            if (Peek() == '*')
            {
                _pos++;
                return new WildcardSegment();
            }

            return new NameSegment(ReadName());
        }

        private string ReadName()
        {
            var start = _pos;
            while (_pos < text.Length && text[_pos] != '.' && text[_pos] != '[')
            {
                _pos++;
            }

            var name = text[start.._pos];
            if (name.Length == 0)
            {
                throw Fail($"empty field name at position {start}");
            }

            if (name.EndsWith(')'))
            {
                throw Fail($"functions such as '{name}' are not supported");
            }

            if (name.Contains(' ', StringComparison.Ordinal) || name.Contains(']', StringComparison.Ordinal))
            {
                throw Fail($"invalid field name '{name}'");
            }

            return name;
        }

        private PathSegment ParseBracket()
        {
            _pos++; // '['
            SkipSpaces();
            PathSegment segment;
            var c = Peek();
            if (c == '*')
            {
                _pos++;
                segment = new WildcardSegment();
            }
            else if (c == '?')
            {
                _pos++;
                SkipSpaces();
                Expect('(');
                var close = FindFilterEnd();
                var body = text[_pos..close];
                _pos = close + 1;
                segment = new FilterSegment(FilterExpression.Parse(body, text));
            }
            else if (c is '\'' or '"')
            {
                var names = new List<string> { ReadQuoted() };
                SkipSpaces();
                while (Peek() == ',')
                {
                    _pos++;
                    SkipSpaces();
                    names.Add(ReadQuoted());
                    SkipSpaces();
                }

                segment = names.Count == 1 ? new NameSegment(names[0]) : new UnionSegment(names.Cast<object>().ToList());
            }
            else
            {
                segment = ParseIndexOrSlice();
            }

            SkipSpaces();
            Expect(']');
            return segment;
        }

        private PathSegment ParseIndexOrSlice()
        {
            var start = _pos;
            while (_pos < text.Length && text[_pos] != ']')
            {
                _pos++;
            }

            var body = text[start.._pos].Replace(" ", string.Empty, StringComparison.Ordinal);
            if (body.Contains(':', StringComparison.Ordinal))
            {
                var parts = body.Split(':');
                if (parts.Length > 3)
                {
                    throw Fail($"invalid slice '[{body}]'");
                }

                return new SliceSegment(OptionalInt(parts[0]), OptionalInt(parts[1]), parts.Length == 3 ? OptionalInt(parts[2]) : null);
            }

            if (body.Contains(',', StringComparison.Ordinal))
            {
                return new UnionSegment(body.Split(',').Select(p => (object)RequiredInt(p)).ToList());
            }

            return new IndexSegment(RequiredInt(body));
        }

        private int? OptionalInt(string s) => s.Length == 0 ? null : RequiredInt(s);

        private int RequiredInt(string s) =>
            int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw Fail($"'{s}' is not an index");

        private int FindFilterEnd()
        {
            var depth = 1;
            char? quote = null;
            for (var i = _pos; i < text.Length; i++)
            {
                var ch = text[i];
                if (quote is not null)
                {
                    if (ch == '\\')
                    {
                        i++;
                    }
                    else if (ch == quote)
                    {
                        quote = null;
                    }
                }
                else if (ch is '\'' or '"')
                {
                    quote = ch;
                }
                else if (ch == '(')
                {
                    depth++;
                }
                else if (ch == ')' && --depth == 0)
                {
                    return i;
                }
            }

            throw Fail("unterminated filter expression");
        }

        private string ReadQuoted()
        {
            var quote = Peek();
            if (quote is not ('\'' or '"'))
            {
                throw Fail($"expected a quoted name at position {_pos}");
            }

            _pos++;
            var sb = new StringBuilder();
            while (_pos < text.Length && text[_pos] != quote)
            {
                // A backslash escapes only the enclosing quote or another backslash; before anything else it is a
                // literal character (AWS resolves $['Test\\""Name"'] to the key Test\\""Name", recorded).
                if (text[_pos] == '\\' && _pos + 1 < text.Length && (text[_pos + 1] == quote || text[_pos + 1] == '\\'))
                {
                    _pos++;
                }

                sb.Append(text[_pos++]);
            }

            if (_pos >= text.Length)
            {
                throw Fail("unterminated quoted name");
            }

            _pos++;
            return sb.ToString();
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        // Variable names as AWS documents them: a letter or underscore, then letters, digits and underscores.
        private static bool IsVariableStart(char c) => char.IsAsciiLetter(c) || c == '_';

        private static bool IsVariablePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

        private void SkipSpaces()
        {
            while (_pos < text.Length && text[_pos] == ' ')
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

        private FormatException Fail(string why) => new($"Invalid JSONPath '{text}': {why}");
    }
}
