using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;
using Workflows.Jsonata;

namespace Workflows.Engine.Jsonata;

/// <summary>
/// What the JSONata expressions of one state evaluation see: <c>$states</c> (<c>input</c>, <c>context</c>, and where
/// the field allows them <c>result</c> and <c>errorOutput</c>), the workflow variables as <c>$name</c> (as they stood
/// when the state was entered), the engine's clock for <c>$now</c>/<c>$millis</c>, and the functions Step Functions
/// adds. Randomness comes from the execution's seeded RNG, so seeded runs repeat.
/// </summary>
internal sealed class JsonataScope
{
    private readonly StateContext _state;
    private readonly JsonNode? _input;
    private readonly JsonNode? _result;
    private readonly bool _hasResult;
    private readonly JsonNode? _errorOutput;
    private readonly bool _hasErrorOutput;
    private readonly JsonObject? _mapItem;
    private JsonObject? _states;
    private JsonObject? _statesWithContext;
    private Dictionary<string, JsonataFunction>? _functions;

    private JsonataScope(StateContext state, JsonNode? input, JsonNode? result, bool hasResult, JsonNode? errorOutput, bool hasErrorOutput, JsonObject? mapItem)
    {
        _state = state;
        _input = input;
        _result = result;
        _hasResult = hasResult;
        _errorOutput = errorOutput;
        _hasErrorOutput = hasErrorOutput;
        _mapItem = mapItem;
    }

    /// <summary>Fields evaluated before the state's work (Arguments, Items, TimeoutSeconds, Condition...): only the input.</summary>
    public static JsonataScope OnInput(StateContext state, JsonNode? input, JsonObject? mapItem = null) =>
        new(state, input, null, false, null, false, mapItem);

    /// <summary>Output and Assign after the work: <c>$states.result</c> too.</summary>
    public static JsonataScope OnResult(StateContext state, JsonNode? input, JsonNode? result) =>
        new(state, input, result, true, null, false, null);

    /// <summary>A catcher's Output and Assign: <c>$states.errorOutput</c>.</summary>
    public static JsonataScope OnError(StateContext state, JsonNode? input, JsonNode? errorOutput) =>
        new(state, input, null, false, errorOutput, true, null);

    /// <summary>A States.QueryEvaluationError in this state, with AWS's prefix naming it.</summary>
    public StatesQueryEvaluationError Fail(string detail) =>
        StatesQueryEvaluationError.At(_state.State.Name, _state.EnteredEventId, detail);

    public bool TryEvaluate(JsonataTemplate.Expression expression, out JsonNode? result)
    {
        var bindings = new Dictionary<string, JsonNode?>(expression.Variables.Length + 1, StringComparer.Ordinal)
        {
            ["states"] = States(expression.ReadsContext),
        };
        var variables = _state.Fiber.Variables;
        foreach (var name in expression.Variables)
        {
            if (variables.TryGet(name, out var value))
            {
                bindings[name] = value;
            }
        }

        var source = expression.Source;
        var options = new JsonataOptions
        {
            TimeProvider = _state.Run.Clock,
            // Drawn only where it is used, so expressions without randomness leave the execution's RNG untouched.
            RandomSeed = source.Contains("$random", StringComparison.Ordinal) || source.Contains("$shuffle", StringComparison.Ordinal)
                ? _state.Run.Random.Next()
                : 0,
            Functions = _functions ??= StepFunctionsFunctions(),
        };
        try
        {
            return expression.Compiled.TryEvaluate(_input, bindings, options, out result);
        }
        catch (JsonataException e)
        {
            // Inferred wording: AWS's cause for an expression that throws is not in the recordings.
            throw Fail($"The JSONata expression '{source}' specified for the field '{expression.Field}' threw an error during evaluation: {e.Message}");
        }
    }

    private JsonObject States(bool withContext)
    {
        if (withContext)
        {
            return _statesWithContext ??= Build(true);
        }

        return _states ??= Build(false);
    }

    private JsonObject Build(bool withContext)
    {
        // A node has one parent: the payloads are copied into the binding (the evaluator converts them anyway).
        var o = new JsonObject { ["input"] = _input?.DeepClone() };
        if (withContext)
        {
            o["context"] = _state.BuildContext(_mapItem);
        }

        if (_hasResult)
        {
            o["result"] = _result?.DeepClone();
        }

        if (_hasErrorOutput)
        {
            o["errorOutput"] = _errorOutput?.DeepClone();
        }

        return o;
    }

    /// <summary>The functions Step Functions adds to JSONata (AWS docs, "JSONata functions provided by Step Functions").</summary>
    private Dictionary<string, JsonataFunction> StepFunctionsFunctions()
    {
        var random = _state.Run.Random;
        return new Dictionary<string, JsonataFunction>(StringComparer.Ordinal)
        {
            ["partition"] = Partition,
            ["range"] = Range,
            ["hash"] = Hash,
            ["parse"] = Parse,
            ["random"] = (IReadOnlyList<JsonNode?> args, out JsonNode? result) =>
            {
#pragma warning disable CA5394 // Reproducible runs, not secrets.
                var seeded = args.Count > 0 && args[0] is not null;
                var value = seeded ? new Random(Integer(args, 0, "random", "seed")).NextDouble() : random.NextDouble();
#pragma warning restore CA5394
                result = JsonValue.Create(value);
                return true;
            },
            ["uuid"] = (IReadOnlyList<JsonNode?> _, out JsonNode? result) =>
            {
                result = JsonValue.Create(Intrinsics.IntrinsicFunctions.NewUuid(random));
                return true;
            },
            // AWS: $eval is not available in Step Functions ($parse takes its place).
            ["eval"] = (IReadOnlyList<JsonNode?> _, out JsonNode? _) =>
                throw new JsonataException("D3121", "$eval is not available in Step Functions; use $parse"),
        };
    }

    private static bool Partition(IReadOnlyList<JsonNode?> args, out JsonNode? result)
    {
        if (args.Count < 2 || args[0] is not JsonArray array)
        {
            throw new JsonataException("T0410", "$partition takes an array and a chunk size");
        }

        var size = Integer(args, 1, "partition", "size");
        if (size < 1)
        {
            throw new JsonataException("D3001", "$partition: the chunk size must be a positive integer");
        }

        var chunks = new JsonArray();
        for (var i = 0; i < array.Count; i += size)
        {
            chunks.Add(new JsonArray(array.Skip(i).Take(size).Select(n => n?.DeepClone()).ToArray()));
        }

        result = chunks;
        return true;
    }

    private static bool Range(IReadOnlyList<JsonNode?> args, out JsonNode? result)
    {
        var start = Integer(args, 0, "range", "start");
        var end = Integer(args, 1, "range", "end");
        var step = Integer(args, 2, "range", "step");
        if (step == 0)
        {
            throw new JsonataException("D3001", "$range: the step must not be zero");
        }

        var items = new JsonArray();
        for (long v = start; step > 0 ? v <= end : v >= end; v += step)
        {
            if (items.Count >= 1000)
            {
                // The same limit as States.ArrayRange (inferred for $range).
                throw new JsonataException("D3001", "$range: at most 1000 items");
            }

            items.Add(v);
        }

        // Recorded: a range of one item is that item, not an array (JSONata's singleton sequence).
        result = items.Count == 1 ? items[0]!.DeepClone() : items;
        return items.Count > 0;
    }

    private static bool Hash(IReadOnlyList<JsonNode?> args, out JsonNode? result)
    {
        if (args.Count < 2 || !JsonValues.TryGetString(args[0], out var text) || !JsonValues.TryGetString(args[1], out var algorithm))
        {
            throw new JsonataException("T0410", "$hash takes a string and an algorithm name");
        }

        var data = Encoding.UTF8.GetBytes(text);
#pragma warning disable CA5350, CA5351 // offered because Step Functions offers them, not for security
        var digest = algorithm switch
        {
            "MD5" => MD5.HashData(data),
            "SHA-1" => SHA1.HashData(data),
            "SHA-256" => SHA256.HashData(data),
            "SHA-384" => SHA384.HashData(data),
            "SHA-512" => SHA512.HashData(data),
            _ => throw new JsonataException("D3001", $"$hash: unsupported algorithm '{algorithm}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
        };
#pragma warning restore CA5350, CA5351
        result = JsonValue.Create(Convert.ToHexStringLower(digest));
        return true;
    }

    private static bool Parse(IReadOnlyList<JsonNode?> args, out JsonNode? result)
    {
        if (args.Count < 1 || !JsonValues.TryGetString(args[0], out var text))
        {
            throw new JsonataException("T0410", "$parse takes a string of JSON");
        }

        try
        {
            result = JsonNode.Parse(text);
            return true;
        }
        catch (JsonException e)
        {
            throw new JsonataException("D3001", $"$parse: the string is not valid JSON ({e.Message})");
        }
    }

    private static int Integer(IReadOnlyList<JsonNode?> args, int index, string function, string what)
    {
        if (args.Count > index && JsonValues.TryGetNumber(args[index], out var d) && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        throw new JsonataException("T0410", string.Create(CultureInfo.InvariantCulture, $"${function}: the {what} (argument {index + 1}) must be an integer"));
    }
}
