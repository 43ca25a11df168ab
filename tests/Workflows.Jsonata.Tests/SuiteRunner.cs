using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Workflows.Jsonata.Tests;

/// <summary>Runs one suite case and says whether our evaluator did what the reference implementation did.</summary>
internal static class SuiteRunner
{
    private static readonly Dictionary<string, JsonNode?> Datasets = new(StringComparer.Ordinal);

    public static (bool Pass, string Detail) Run(SuiteCase c, string root)
    {
        var spec = c.Spec;
        var expr = spec["expr"] is { } e ? ReadString(e) : File.ReadAllText(Path.Combine(c.Directory, spec["expr-file"]!.GetValue<string>()));
        var hasInput = true;
        JsonNode? input = null;
        if (spec.TryGetPropertyValue("data", out var data))
        {
            input = data?.DeepClone();
        }
        else if (spec.TryGetPropertyValue("dataset", out var ds) && ds is not null)
        {
            input = Dataset(root, ds.GetValue<string>())?.DeepClone();
        }
        else
        {
            hasInput = false;
        }

        var bindings = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (spec["bindings"] is JsonObject b)
        {
            foreach (var (k, v) in b)
            {
                bindings[k] = v?.DeepClone();
            }
        }

        // The suite's time limits are a budget, not wall time: the fake clock moves 1 ms each time the evaluator looks.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        var options = new JsonataOptions
        {
            TimeProvider = clock,
            RandomSeed = 42,
            MaxDepth = spec["depth"]?.GetValue<int>(),
            TimeLimit = spec["timelimit"] is { } tl ? TimeSpan.FromMilliseconds(tl.GetValue<int>()) : TimeSpan.FromSeconds(5),
        };
        var expectedCode = spec["code"]?.GetValue<string>() ?? spec["error"]?["code"]?.GetValue<string>();
        bool defined;
        JsonNode? actual;
        try
        {
            var compiled = JsonataExpression.Parse(expr);
            defined = hasInput
                ? compiled.TryEvaluate(input, bindings, options, out actual)
                : compiled.TryEvaluateUndefined(bindings, options, out actual);
        }
        catch (JsonataException ex)
        {
            return expectedCode == ex.Code ? (true, "") : (false, $"threw {ex.Code} ({ex.Message}); expected {expectedCode ?? "a result"}");
        }
#pragma warning disable CA1031 // any crash of the evaluator is a failed case, reported with its type
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (false, $"crashed: {ex.GetType().Name}: {ex.Message}");
        }

        if (expectedCode is not null)
        {
            return (false, $"expected error {expectedCode}, got {(defined ? actual?.ToJsonString() ?? "null" : "undefined")}");
        }

        if (spec["undefinedResult"] is not null)
        {
            return defined ? (false, $"expected undefined, got {actual?.ToJsonString() ?? "null"}") : (true, "");
        }

        if (!spec.TryGetPropertyValue("result", out var expected))
        {
            return (false, "case has no expected outcome");
        }

        if (!defined)
        {
            return (false, $"expected {expected?.ToJsonString() ?? "null"}, got undefined");
        }

        var unordered = spec["unordered"]?.GetValue<bool>() == true;
        return Same(expected, actual, unordered) ? (true, "") : (false, $"expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
    }

    /// <summary>
    /// A JSON string as written. System.Text.Json refuses strings holding a lone surrogate escape (\ud800), which
    /// the suite uses on purpose, so those are unescaped here from the raw text.
    /// </summary>
    private static string ReadString(JsonNode node)
    {
        try
        {
            return node.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            var raw = node.GetValue<JsonElement>().GetRawText();
            var sb = new System.Text.StringBuilder();
            for (var i = 1; i < raw.Length - 1; i++)
            {
                if (raw[i] != '\\')
                {
                    sb.Append(raw[i]);
                    continue;
                }

                var ch = raw[++i];
                sb.Append(ch switch
                {
                    'n' => "\n",
                    't' => "\t",
                    'r' => "\r",
                    'b' => "\b",
                    'f' => "\f",
                    'u' => ((char)Convert.ToInt32(raw.Substring(i + 1, 4), 16)).ToString(),
                    _ => ch.ToString(),
                });
                if (ch == 'u')
                {
                    i += 4;
                }
            }

            return sb.ToString();
        }
    }

    private static JsonNode? Dataset(string root, string name)
    {
        lock (Datasets)
        {
            if (!Datasets.TryGetValue(name, out var node))
            {
                node = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "datasets", name + ".json")));
                Datasets[name] = node;
            }

            return node;
        }
    }

    private static bool Same(JsonNode? a, JsonNode? b, bool unordered)
    {
        if (unordered && a is JsonArray x && b is JsonArray y)
        {
            var xs = x.Select(n => n?.ToJsonString() ?? "null").Order(StringComparer.Ordinal);
            var ys = y.Select(n => n?.ToJsonString() ?? "null").Order(StringComparer.Ordinal);
            return xs.SequenceEqual(ys);
        }

        return Equal(a, b);
    }

    private static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a)
        {
            case JsonObject oa:
                if (b is not JsonObject ob || oa.Count != ob.Count)
                {
                    return false;
                }

                return oa.All(kv => ob.TryGetPropertyValue(kv.Key, out var v) && Equal(kv.Value, v));
            case JsonArray aa:
                return b is JsonArray ab && aa.Count == ab.Count && aa.Zip(ab).All(p => Equal(p.First, p.Second));
            default:
                var ka = a.GetValueKind();
                if (ka != b.GetValueKind())
                {
                    return false;
                }

                if (ka == JsonValueKind.Number)
                {
                    var da = double.Parse(a.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                    var db = double.Parse(b.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                    return da == db || Math.Abs(da - db) <= 1e-13 * Math.Max(Math.Abs(da), Math.Abs(db));
                }

                return a.ToJsonString() == b.ToJsonString();
        }
    }
}
