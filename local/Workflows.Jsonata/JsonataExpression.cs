using System.Text.Json.Nodes;

namespace Workflows.Jsonata;

/// <summary>Evaluation settings. All optional; the defaults suit production use.</summary>
public sealed record JsonataOptions
{
    /// <summary>Clock for $now and $millis, read once per evaluation (JSONata fixes the time for one evaluation).</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Seed for $random and $shuffle; null draws a random seed.</summary>
    public int? RandomSeed { get; init; }

    /// <summary>Maximum nesting of evaluation (U1001 beyond it); null for no limit except the thread's stack.</summary>
    public int? MaxDepth { get; init; }

    /// <summary>Maximum wall time of one evaluation (U1001 beyond it), measured with TimeProvider.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Extra functions by name (without '$'); they hide built-ins of the same name (hosts such as Step Functions add some).</summary>
    public IReadOnlyDictionary<string, JsonataFunction>? Functions { get; init; }
}

/// <summary>A compiled JSONata expression. Parse once, evaluate many times; evaluation is thread-safe.</summary>
public sealed class JsonataExpression
{
    private readonly Node _ast;

    private JsonataExpression(Node ast, string source)
    {
        _ast = ast;
        Source = source;
    }

    public string Source { get; }

    /// <summary>Compiles an expression; throws JsonataException with an S0xxx code on a syntax error.</summary>
    public static JsonataExpression Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new JsonataExpression(Parser.Parse(expression), expression);
    }

    /// <summary>Evaluates against input (null is JSON null; use <see cref="EvaluateUndefined"/> for no input).</summary>
    /// <returns>The result, or null when the result is undefined or JSON null (see <see cref="TryEvaluate"/>).</returns>
    public JsonNode? Evaluate(JsonNode? input, IReadOnlyDictionary<string, JsonNode?>? bindings = null, JsonataOptions? options = null)
    {
        TryEvaluate(input, bindings, options, out var result);
        return result;
    }

    /// <summary>Evaluates; returns false when the result is undefined (no value), as distinct from JSON null.</summary>
    public bool TryEvaluate(JsonNode? input, IReadOnlyDictionary<string, JsonNode?>? bindings, JsonataOptions? options, out JsonNode? result)
    {
        var r = EvaluateInternal(Values.FromNode(input), bindings, options ?? new JsonataOptions());
        result = Values.ToNode(r);
        return r is not null;
    }

    /// <summary>Evaluates with no input at all (JSONata's undefined input).</summary>
    public bool TryEvaluateUndefined(IReadOnlyDictionary<string, JsonNode?>? bindings, JsonataOptions? options, out JsonNode? result)
    {
        var r = EvaluateInternal(null, bindings, options ?? new JsonataOptions());
        result = Values.ToNode(r);
        return r is not null;
    }

    /// <summary>Evaluates with no input; null when undefined.</summary>
    public JsonNode? EvaluateUndefined(IReadOnlyDictionary<string, JsonNode?>? bindings = null, JsonataOptions? options = null)
    {
        TryEvaluateUndefined(bindings, options, out var r);
        return r;
    }

    internal object? EvaluateInternal(object? input, IReadOnlyDictionary<string, JsonNode?>? bindings, JsonataOptions options)
    {
        var ev = new Evaluator(options);
        var env = new Env(ev.RootEnv);
        if (options.Functions is not null)
        {
            foreach (var (name, fn) in options.Functions)
            {
                env.Bind(name, new Native(name, null, (_, args) =>
                    fn(args.Select(Values.ToNode).ToList(), out var r) ? Values.FromNode(r) : null));
            }
        }
        if (bindings is not null)
        {
            foreach (var (k, v) in bindings)
            {
                env.Bind(k, Values.FromNode(v));
            }
        }

        if (input is JList { Sequence: false } arr)
        {
            // A top-level array is wrapped so that paths treat it as one value, as the reference implementation does.
            var w = JList.Seq();
            w.Add(arr);
            w.OuterWrapper = true;
            input = w;
        }

        env.Bind("$", input);
        var r = ev.Eval(_ast, input, env);
        if (r is JList { Sequence: true } s)
        {
            r = s.Count switch
            {
                0 => null,
                1 when !s.KeepSingleton => s[0],
                _ => s,
            };
        }

        return r;
    }
}
