using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Engine.Paths;
using Workflows.Jsonata;

namespace Workflows.Engine.Jsonata;

/// <summary>
/// A field value of a JSONata state (Arguments, Output, Assign values, Items, ...): any JSON, where every string
/// written <c>{% expression %}</c> — at the top or inside objects and arrays — is a JSONata expression, and
/// everything else is copied as it is (AWS docs, "Transforming data with JSONata in Step Functions").
/// </summary>
internal sealed partial class JsonataTemplate
{
    private readonly JsonNode? _literal;
    private readonly Expression? _expression;
    private readonly List<(string Key, JsonataTemplate Value)>? _members;
    private readonly List<JsonataTemplate>? _items;

    private JsonataTemplate(JsonNode? literal, Expression? expression, List<(string, JsonataTemplate)>? members, List<JsonataTemplate>? items)
    {
        _literal = literal;
        _expression = expression;
        _members = members;
        _items = items;
    }

    /// <summary>True when the value holds no expression (it evaluates to itself).</summary>
    public bool IsConstant { get; private init; }

    /// <summary>The expression when the whole value is one <c>{% %}</c> string, else null.</summary>
    public string? ExpressionText => _expression?.Source;

    /// <summary>True when <paramref name="text"/> is written <c>{% ... %}</c>.</summary>
    public static bool IsExpression(string text) =>
        text.Length >= 4 && text.StartsWith("{%", StringComparison.Ordinal) && text.EndsWith("%}", StringComparison.Ordinal);

    /// <summary>Compiles <paramref name="node"/>; <paramref name="field"/> names it in errors ("Output/result").</summary>
    /// <exception cref="FormatException">An expression does not parse; the message names the field.</exception>
    public static JsonataTemplate Compile(JsonNode? node, string field)
    {
        switch (node)
        {
            case JsonObject o:
                var members = new List<(string, JsonataTemplate)>(o.Count);
                var constant = true;
                foreach (var (key, value) in o)
                {
                    var t = Compile(value, $"{field}/{key}");
                    constant &= t.IsConstant;
                    members.Add((key, t));
                }

                return constant ? Literal(o) : new JsonataTemplate(null, null, members, null);
            case JsonArray a:
                var items = new List<JsonataTemplate>(a.Count);
                var allConstant = true;
                for (var i = 0; i < a.Count; i++)
                {
                    var t = Compile(a[i], $"{field}/{i}");
                    allConstant &= t.IsConstant;
                    items.Add(t);
                }

                return allConstant ? Literal(a) : new JsonataTemplate(null, null, null, items);
            default:
                if (JsonValues.TryGetString(node, out var s) && IsExpression(s))
                {
                    return new JsonataTemplate(null, Expression.Compile(s, field), null, null);
                }

                return Literal(node);
        }
    }

    private static JsonataTemplate Literal(JsonNode? node) => new(node?.DeepClone(), null, null, null) { IsConstant = true };

    /// <summary>The value with every expression evaluated; undefined results raise States.QueryEvaluationError.</summary>
    public JsonNode? Evaluate(JsonataScope scope)
    {
        if (_expression is not null)
        {
            return _expression.Evaluate(scope);
        }

        if (_members is not null)
        {
            var o = new JsonObject();
            foreach (var (key, value) in _members)
            {
                o[key] = value.Evaluate(scope);
            }

            return o;
        }

        if (_items is not null)
        {
            var a = new JsonArray();
            foreach (var item in _items)
            {
                a.Add(item.Evaluate(scope));
            }

            return a;
        }

        return _literal?.DeepClone();
    }

    /// <summary>One <c>{% %}</c> string: the compiled expression, its text as AWS quotes it, and the variables it names.</summary>
    internal sealed partial class Expression
    {
        private Expression(JsonataExpression compiled, string source, string field, string[] variables)
        {
            Compiled = compiled;
            Source = source;
            Field = field;
            Variables = variables;
            ReadsContext = source.Contains("context", StringComparison.Ordinal);
        }

        public JsonataExpression Compiled { get; }

        /// <summary>The text between the delimiters, trimmed (as AWS shows it in its causes).</summary>
        public string Source { get; }

        public string Field { get; }

        /// <summary>
        /// Names written <c>$name</c> in the text: only these are looked up among the workflow variables and bound,
        /// so an evaluation does not convert every variable in scope.
        /// </summary>
        public string[] Variables { get; }

        /// <summary>Whether <c>$states.context</c> may be read (building the context object copies the execution input).</summary>
        public bool ReadsContext { get; }

        public static Expression Compile(string text, string field)
        {
            var source = text[2..^2].Trim();
            try
            {
                var names = VariableName().Matches(source).Select(m => m.Groups[1].Value).Where(n => n != "states").Distinct(StringComparer.Ordinal).ToArray();
                return new Expression(JsonataExpression.Parse(source), source, field, names);
            }
            catch (JsonataException e)
            {
                throw new FormatException($"the JSONata expression '{source}' does not parse: {e.Message}", e);
            }
        }

        public JsonNode? Evaluate(JsonataScope scope)
        {
            if (!scope.TryEvaluate(this, out var result))
            {
                throw scope.Fail($"The JSONata expression '{Source}' specified for the field '{Field}' returned nothing (undefined).");
            }

            // The evaluator renders a function as "": only then is it worth asking (a second evaluation) whether
            // the result was a function, which AWS refuses (recorded wording).
            if (JsonValues.TryGetString(result, out var text) && text.Length == 0 && IsFunction(scope))
            {
                throw scope.Fail($"The JSONata expression '{Source}' specified for the field '{Field}' returned an unsupported result type.");
            }

            return result;
        }

        private bool IsFunction(JsonataScope scope)
        {
            if (_typeOf is null)
            {
                try
                {
                    _typeOf = new Expression(JsonataExpression.Parse($"$type(({Source}\n))"), Source, Field, Variables);
                }
                catch (JsonataException)
                {
                    return false;
                }
            }

            return scope.TryEvaluate(_typeOf, out var type) && JsonValues.TryGetString(type, out var name) && name == "function";
        }

        private Expression? _typeOf;

        [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
        private static partial Regex VariableName();
    }
}
