using System.Globalization;

namespace Workflows.Jsonata.Tests;

/// <summary>
/// Seeded random JSONata expressions over <see cref="Document"/>: paths, predicates, operators, constructors,
/// conditionals and library calls, nested to a small depth. Same seed, same expressions.
/// </summary>
internal sealed class ExpressionGenerator(int seed)
{
    public const string Document = """
        {"a": 1, "b": [1, 2, 3], "s": "Hello World", "n": null, "t": true,
         "c": {"d": "x", "e": [{"f": 1, "g": "p"}, {"f": 2, "g": "q"}, {"f": 3, "g": "p", "h": [4, 5]}]}}
        """;

    private static readonly string[] Paths =
    [
        "a", "b", "s", "n", "t", "c.d", "c.e", "c.e.f", "c.e.g", "c.e.h", "c.e[f > 1].g", "c.e[0]", "c.e[-1].f", "b[1]",
        "b[-1]", "b[[0, 2]]", "c.e{g: $sum(f)}", "c.e^(>f).f", "**.f", "c.*", "$.b", "c.e.f[]", "missing", "c.e#$i[$i > 0].g",
        "c.e@$x.($x.f)", "c.e.h.$string()", "b.($ * 2)", "c.e[g = 'p'].f", "$$.a", "c.e.{'k': g, 'v': f}", "[b, a]", "[[1, 2], [3]]",
    ];

    private static readonly string[] Literals = ["0", "1", "2", "-3", "1.5", "'p'", "\"\"", "'abc'", "true", "false", "null", "[]", "{}", "[1, 2]"];

    private static readonly string[] Binary = ["+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "&", "and", "or", "in", "??", "?:"];

    private static readonly string[] Unary =
    [
        "$sum({0})", "$count({0})", "$string({0})", "$length({0})", "$uppercase({0})", "$exists({0})", "$boolean({0})",
        "$not({0})", "$type({0})", "$keys({0})", "$reverse({0})", "$sort({0})", "$number({0})", "$abs({0})", "$floor({0})",
        "$max({0})", "$min({0})", "$average({0})", "$distinct({0})", "$trim({0})", "$lowercase({0})", "$round({0}, 1)",
        "$map({0}, function($v) {{ $v }})", "$filter({0}, function($v) {{ $boolean($v) }})", "$append({0}, 1)",
        "$substring({0}, 1, 2)", "$join({0}, '-')", "$split({0}, 'o')", "$contains({0}, 'o')", "$spread({0})",
        "$merge({0})", "$lookup({0}, 'f')", "$each({0}, function($v, $k) {{ $k }})", "$sift({0}, function($v) {{ $v }})",
        "$zip({0}, [7, 8])", "$reduce({0}, function($x, $y) {{ $x + $y }})", "$single({0})", "$formatNumber({0}, '#,##0.0')",
        "$formatBase({0}, 2)", "$replace({0}, 'l', 'L')", "-{0}", "({0})", "({0})[0]", "[{0}]", "{0}[]", "{{'k': {0}}}",
    ];

    private readonly Random _random = new(seed);

    public string Next() => Expr(3);

    private string Pick(string[] items) => items[_random.Next(items.Length)];

    private string Expr(int depth)
    {
        if (depth == 0)
        {
            return _random.Next(2) == 0 ? Pick(Paths) : Pick(Literals);
        }

        return _random.Next(6) switch
        {
            0 => Pick(Paths),
            1 => Pick(Literals),
            2 => string.Format(CultureInfo.InvariantCulture, Pick(Unary), Expr(depth - 1)),
            3 => $"{Expr(depth - 1)} {Pick(Binary)} {Expr(depth - 1)}",
            4 => $"{Expr(depth - 1)} ? {Expr(depth - 1)} : {Expr(depth - 1)}",
            _ => $"($v := {Expr(depth - 1)}; [$v, {Expr(depth - 1)}])",
        };
    }
}
