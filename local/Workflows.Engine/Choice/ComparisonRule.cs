using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Choice;

/// <summary>
/// Variable compared with a literal or (for *Path operators) another path. Values of the wrong type compare false;
/// a Variable (or comparison path) that matches nothing is a States.Runtime error, except for IsPresent.
/// </summary>
internal sealed class ComparisonRule : ChoiceRule
{
    private static readonly string[] Kinds = ["String", "Numeric", "Timestamp"];
    private static readonly string[] Relations = ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"];
    private static readonly string[] TypeTests = ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"];

    public static readonly IReadOnlyList<string> Operators = BuildOperators();

    private JsonPath _variable = null!;
    private string _operator = null!;
    private JsonNode? _literal;
    private JsonPath? _operandPath;

    // The operator without its "Path" suffix, split into kind and relation at load: slicing the operator name on
    // every evaluation allocated strings on each Choice transition.
    private string _op = null!;
    private string _kind = string.Empty;
    private string _relation = string.Empty;

    public static ComparisonRule? Load(JsonObject o, DefinitionReader reader, string where, bool topLevel)
    {
        var variableText = reader.String(o, "Variable");
        if (variableText is null)
        {
            reader.Problem($"{where}.Variable", "is required in a comparison");
        }

        var ops = o.Select(kv => kv.Key).Where(k => Operators.Contains(k)).ToList();
        foreach (var (key, _) in o)
        {
            if (!ops.Contains(key) && key is not ("Variable" or "Comment") && !(topLevel && key is "Next" or "Assign"))
            {
                reader.Problem($"{where}.{key}", key == "Condition" ? "JSONata only" : "unknown comparison operator or field");
            }
        }

        if (ops.Count != 1)
        {
            reader.Problem(where, "a comparison needs exactly one operator");
            return null;
        }

        var variable = variableText is null ? null : reader.ParsePath(variableText, $"{where}.Variable");
        var rule = new ComparisonRule { _operator = ops[0] };
        if (variable is null)
        {
            return null;
        }

        rule._variable = variable;
        rule._op = rule._operator.EndsWith("Path", StringComparison.Ordinal) ? rule._operator[..^4] : rule._operator;
        foreach (var kind in Kinds)
        {
            if (rule._op.StartsWith(kind, StringComparison.Ordinal))
            {
                rule._kind = kind;
                rule._relation = rule._op[kind.Length..];
            }
        }

        var value = o[rule._operator];
        var field = $"{where}.{rule._operator}";
        if (rule._operator.EndsWith("Path", StringComparison.Ordinal))
        {
            rule._operandPath = JsonValues.TryGetString(value, out var p) ? reader.ParsePath(p, field) : null;
            if (rule._operandPath is null && !JsonValues.TryGetString(value, out _))
            {
                reader.Problem(field, "must be a path string");
            }

            return rule;
        }

        var valid = rule._operator switch
        {
            _ when TypeTests.Contains(rule._operator) => JsonValues.TryGetBoolean(value, out _),
            _ when rule._operator.StartsWith("Numeric", StringComparison.Ordinal) => JsonValues.TryGetNumber(value, out _),
            "BooleanEquals" => JsonValues.TryGetBoolean(value, out _),
            _ when rule._operator.StartsWith("Timestamp", StringComparison.Ordinal) =>
                JsonValues.TryGetString(value, out var ts) && JsonValues.TryParseTimestamp(ts, out _),
            _ => JsonValues.TryGetString(value, out _),
        };
        if (!valid)
        {
            reader.Problem(field, $"has a value of the wrong type: {JsonValues.ToJson(value)}");
        }

        rule._literal = value?.DeepClone();
        return rule;
    }

    internal override bool Evaluate(PathScope scope)
    {
        var present = scope.TryRead(_variable, out var actual);
        if (_operator == "IsPresent")
        {
            return Is(present);
        }

        if (!present)
        {
            throw new StatesRuntime($"Invalid path '{_variable.Text}': the choice state's condition path references an undefined value.");
        }

        var expected = _literal;
        if (_operandPath is not null && !scope.TryRead(_operandPath, out expected))
        {
            throw new StatesRuntime($"Invalid path '{_operandPath.Text}': the choice state's comparison path references an undefined value.");
        }

        var op = _op;
        return op switch
        {
            "IsNull" => Is(JsonValues.Kind(actual) == JsonValueKind.Null),
            "IsNumeric" => Is(JsonValues.Kind(actual) == JsonValueKind.Number),
            "IsString" => Is(JsonValues.Kind(actual) == JsonValueKind.String),
            "IsBoolean" => Is(JsonValues.Kind(actual) is JsonValueKind.True or JsonValueKind.False),
            "IsTimestamp" => Is(JsonValues.TryGetString(actual, out var s) && JsonValues.TryParseTimestamp(s, out _)),
            "BooleanEquals" => JsonValues.TryGetBoolean(actual, out var a) && JsonValues.TryGetBoolean(expected, out var b) && a == b,
            "StringMatches" => JsonValues.TryGetString(actual, out var text) && JsonValues.TryGetString(expected, out var pattern) && WildcardMatch(text, pattern),
            _ => Compare(_kind, _relation, actual, expected),
        };
    }

    // The type tests take true or false: false inverts the test.
    private bool Is(bool fact) => (JsonValues.TryGetBoolean(_literal, out var want) && want) == fact;

    private static bool Compare(string kind, string relation, JsonNode? actual, JsonNode? expected)
    {
        int? cmp = null;
        if (kind == "String")
        {
            if (JsonValues.TryGetString(actual, out var a) && JsonValues.TryGetString(expected, out var b))
            {
                cmp = string.CompareOrdinal(a, b);
            }
        }
        else if (kind == "Numeric")
        {
            if (JsonValues.TryGetNumber(actual, out var a) && JsonValues.TryGetNumber(expected, out var b))
            {
                cmp = a.CompareTo(b);
            }
        }
        else if (kind == "Timestamp")
        {
            if (JsonValues.TryGetString(actual, out var a) && JsonValues.TryParseTimestamp(a, out var ta)
                && JsonValues.TryGetString(expected, out var b) && JsonValues.TryParseTimestamp(b, out var tb))
            {
                cmp = ta.CompareTo(tb);
            }
        }

        return cmp is { } c && relation switch
        {
            "Equals" => c == 0,
            "LessThan" => c < 0,
            "GreaterThan" => c > 0,
            "LessThanEquals" => c <= 0,
            "GreaterThanEquals" => c >= 0,
            _ => false,
        };
    }

    /// <summary>'*' matches any run of characters; '\*' is a literal star and '\\' a literal backslash.</summary>
    internal static bool WildcardMatch(string text, string pattern)
    {
        var tokens = new List<(bool Star, char C)>();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '*' or '\\')
            {
                tokens.Add((false, pattern[++i]));
            }
            else
            {
                tokens.Add((pattern[i] == '*', pattern[i]));
            }
        }

        // Classic two-pointer glob match with backtracking to the last star.
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < tokens.Count && !tokens[p].Star && tokens[p].C == text[t])
            {
                t++;
                p++;
            }
            else if (p < tokens.Count && tokens[p].Star)
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < tokens.Count && tokens[p].Star)
        {
            p++;
        }

        return p == tokens.Count;
    }

    private static List<string> BuildOperators()
    {
        var ops = new List<string>();
        foreach (var kind in Kinds)
        {
            foreach (var relation in Relations)
            {
                ops.Add(kind + relation);
                ops.Add(kind + relation + "Path");
            }
        }

        ops.AddRange(["StringMatches", "BooleanEquals", "BooleanEqualsPath"]);
        ops.AddRange(TypeTests);
        return ops;
    }
}
