using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Intrinsics;

/// <summary>The intrinsic functions of the Amazon States Language (JSONPath), with the limits AWS documents.</summary>
public static class IntrinsicFunctions
{
    public const string Format = "States.Format";
    public const string StringToJson = "States.StringToJson";
    public const string JsonToString = "States.JsonToString";
    public const string Array = "States.Array";
    public const string ArrayPartition = "States.ArrayPartition";
    public const string ArrayContains = "States.ArrayContains";
    public const string ArrayRange = "States.ArrayRange";
    public const string ArrayGetItem = "States.ArrayGetItem";
    public const string ArrayLength = "States.ArrayLength";
    public const string ArrayUnique = "States.ArrayUnique";
    public const string Base64Encode = "States.Base64Encode";
    public const string Base64Decode = "States.Base64Decode";
    public const string Hash = "States.Hash";
    public const string JsonMerge = "States.JsonMerge";
    public const string MathRandom = "States.MathRandom";
    public const string MathAdd = "States.MathAdd";
    public const string StringSplit = "States.StringSplit";
    public const string Uuid = "States.UUID";

    private const int MaxEncodeLength = 10_000;
    private const int MaxRangeLength = 1_000;

    // Minimum and maximum argument counts; -1 means no upper bound.
    private static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.Ordinal)
    {
        [Format] = (1, -1),
        [StringToJson] = (1, 1),
        [JsonToString] = (1, 1),
        [Array] = (0, -1),
        [ArrayPartition] = (2, 2),
        [ArrayContains] = (2, 2),
        [ArrayRange] = (3, 3),
        [ArrayGetItem] = (2, 2),
        [ArrayLength] = (1, 1),
        [ArrayUnique] = (1, 1),
        [Base64Encode] = (1, 1),
        [Base64Decode] = (1, 1),
        [Hash] = (2, 2),
        [JsonMerge] = (3, 3),
        [MathRandom] = (2, 3),
        [MathAdd] = (2, 2),
        [StringSplit] = (2, 2),
        [Uuid] = (0, 0),
    };

    public static IReadOnlyCollection<string> Names => Arity.Keys;

    public static bool IsKnown(string name) => Arity.ContainsKey(name);

    internal static string? CheckArity(string name, int count)
    {
        var (min, max) = Arity[name];
        if (count < min || (max >= 0 && count > max))
        {
            var expected = max < 0 ? $"at least {min}" : min == max ? $"{min}" : $"{min} to {max}";
            return $"{name} takes {expected} argument(s), got {count}";
        }

        return null;
    }

    internal static JsonNode? Invoke(string name, IReadOnlyList<JsonNode?> args, Random random) => name switch
    {
        Format => DoFormat(args),
        StringToJson => DoStringToJson(args),
        JsonToString => JsonValue.Create(JsonValues.ToJson(args[0])),
        Array => new JsonArray(args.Select(a => a?.DeepClone()).ToArray()),
        ArrayPartition => DoArrayPartition(args),
        ArrayContains => JsonValue.Create(ArrayArg(name, args, 0).Any(x => JsonNode.DeepEquals(x, args[1]))),
        ArrayRange => DoArrayRange(args),
        ArrayGetItem => DoArrayGetItem(args),
        ArrayLength => JsonValue.Create(ArrayArg(name, args, 0).Count),
        ArrayUnique => DoArrayUnique(args),
        Base64Encode => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(LimitedString(name, args, 0)))),
        Base64Decode => DoBase64Decode(args),
        Hash => DoHash(args),
        JsonMerge => DoJsonMerge(args),
        MathRandom => DoMathRandom(args, random),
        MathAdd => JsonValue.Create(checked(RoundedArg(name, args, 0) + RoundedArg(name, args, 1))),
        StringSplit => DoStringSplit(args),
        Uuid => JsonValue.Create(NewUuid(random)),
        _ => throw new StatesIntrinsicFailure($"Unknown intrinsic function {name}"),
    };

    /// <summary>A version-4 UUID drawn from the engine's seedable RNG so runs can be replayed.</summary>
    public static string NewUuid(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private static JsonValue DoFormat(IReadOnlyList<JsonNode?> args)
    {
        if (!JsonValues.TryGetString(args[0], out var template))
        {
            throw Failure(Format, "the first argument must be a string template");
        }

        var sb = new StringBuilder();
        var next = 1;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && i + 1 < template.Length && template[i + 1] is '{' or '}')
            {
                sb.Append(template[++i]);
            }
            else if (c == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                if (next >= args.Count)
                {
                    throw Failure(Format, "the template has more placeholders than arguments");
                }

                sb.Append(FormatArgument(args[next++]));
                i++;
            }
            else
            {
                sb.Append(c);
            }
        }

        if (next != args.Count)
        {
            throw Failure(Format, "the template has fewer placeholders than arguments");
        }

        return JsonValue.Create(sb.ToString());
    }

    /// <summary>
    /// How AWS renders an argument (recorded): strings bare, and objects and arrays as `{Arg1=1, Arg2=[]}` and
    /// `[a, b]`, their members rendered the same way, rather than as JSON.
    /// </summary>
    private static string FormatArgument(JsonNode? arg) => JsonValues.Kind(arg) switch
    {
        JsonValueKind.String => arg!.GetValue<string>(),
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "{" + string.Join(", ", arg!.AsObject().Select(p => p.Key + "=" + FormatArgument(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(", ", arg!.AsArray().Select(FormatArgument)) + "]",
        _ => arg!.ToJsonString(),
    };

    private static JsonNode? DoStringToJson(IReadOnlyList<JsonNode?> args)
    {
        var text = StringArg(StringToJson, args, 0);
        // AWS answers null for an empty or blank string (recorded), where a JSON parser finds no value.
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonValues.Parse(text);
        }
        catch (JsonException e)
        {
            throw Failure(StringToJson, $"'{text}' is not valid JSON: {e.Message}");
        }
    }

    private static JsonArray DoArrayPartition(IReadOnlyList<JsonNode?> args)
    {
        var items = ArrayArg(ArrayPartition, args, 0);
        var size = IntegerArg(ArrayPartition, args, 1);
        if (size <= 0)
        {
            throw Failure(ArrayPartition, "the chunk size must be greater than 0");
        }

        var result = new JsonArray();
        for (var i = 0; i < items.Count; i += (int)size)
        {
            result.Add(new JsonArray(items.Skip(i).Take((int)size).Select(x => x?.DeepClone()).ToArray()));
        }

        return result;
    }

    private static JsonArray DoArrayRange(IReadOnlyList<JsonNode?> args)
    {
        var start = IntegerArg(ArrayRange, args, 0);
        var end = IntegerArg(ArrayRange, args, 1);
        var step = IntegerArg(ArrayRange, args, 2);
        if (step == 0)
        {
            throw Failure(ArrayRange, "the step must not be 0");
        }

        var result = new JsonArray();
        for (var v = start; step > 0 ? v <= end : v >= end; v += step)
        {
            if (result.Count == MaxRangeLength)
            {
                throw Failure(ArrayRange, $"the range would have more than {MaxRangeLength} items");
            }

            result.Add(JsonValue.Create(v));
        }

        return result;
    }

    private static JsonNode? DoArrayGetItem(IReadOnlyList<JsonNode?> args)
    {
        var items = ArrayArg(ArrayGetItem, args, 0);
        var index = IntegerArg(ArrayGetItem, args, 1);
        if (index < 0 || index >= items.Count)
        {
            throw Failure(ArrayGetItem, $"index {index} is out of bounds for an array of {items.Count}");
        }

        return items[(int)index]?.DeepClone();
    }

    private static JsonArray DoArrayUnique(IReadOnlyList<JsonNode?> args)
    {
        var result = new JsonArray();
        foreach (var item in ArrayArg(ArrayUnique, args, 0))
        {
            if (!result.Any(r => JsonNode.DeepEquals(r, item)))
            {
                result.Add(item?.DeepClone());
            }
        }

        return result;
    }

    private static JsonValue DoBase64Decode(IReadOnlyList<JsonNode?> args)
    {
        var text = LimitedString(Base64Decode, args, 0);
        try
        {
            return JsonValue.Create(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
        }
        catch (FormatException)
        {
            throw Failure(Base64Decode, $"'{text}' is not valid base64");
        }
    }

    private static JsonValue DoHash(IReadOnlyList<JsonNode?> args)
    {
        var data = Encoding.UTF8.GetBytes(LimitedString(Hash, args, 0));
        var algorithm = StringArg(Hash, args, 1);
#pragma warning disable CA5350, CA5351 // MD5 and SHA-1 are offered because the language offers them, not for security.
        var digest = algorithm switch
        {
            "MD5" => MD5.HashData(data),
            "SHA-1" => SHA1.HashData(data),
            "SHA-256" => SHA256.HashData(data),
            "SHA-384" => SHA384.HashData(data),
            "SHA-512" => SHA512.HashData(data),
            _ => throw Failure(Hash, $"unsupported algorithm '{algorithm}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
        };
#pragma warning restore CA5350, CA5351
        return JsonValue.Create(Convert.ToHexStringLower(digest));
    }

    private static JsonObject DoJsonMerge(IReadOnlyList<JsonNode?> args)
    {
        if (args[0] is not JsonObject left || args[1] is not JsonObject right)
        {
            throw Failure(JsonMerge, "the first two arguments must be JSON objects");
        }

        if (!JsonValues.TryGetBoolean(args[2], out var deep) || deep)
        {
            throw Failure(JsonMerge, "only shallow merges are supported: the third argument must be false");
        }

        var merged = (JsonObject)left.DeepClone();
        foreach (var (key, value) in right)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private static JsonValue DoMathRandom(IReadOnlyList<JsonNode?> args, Random random)
    {
        var start = IntegerArg(MathRandom, args, 0);
        var end = IntegerArg(MathRandom, args, 1);
        if (end <= start)
        {
            throw Failure(MathRandom, "the end must be greater than the start");
        }

        var rng = args.Count == 3 ? new Random(unchecked((int)IntegerArg(MathRandom, args, 2))) : random;
#pragma warning disable CA5394 // Workflow randomness, not security: it must be reproducible from a seed.
        return JsonValue.Create(rng.NextInt64(start, end));
#pragma warning restore CA5394
    }

    private static JsonArray DoStringSplit(IReadOnlyList<JsonNode?> args)
    {
        var text = StringArg(StringSplit, args, 0);
        var delimiters = StringArg(StringSplit, args, 1).ToCharArray();
        var parts = delimiters.Length == 0 ? [text] : text.Split(delimiters, StringSplitOptions.RemoveEmptyEntries);
        return new JsonArray(parts.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
    }

    private static string StringArg(string fn, IReadOnlyList<JsonNode?> args, int i) =>
        JsonValues.TryGetString(args[i], out var s) ? s : throw Failure(fn, $"argument {i + 1} must be a string");

    private static string LimitedString(string fn, IReadOnlyList<JsonNode?> args, int i)
    {
        var s = StringArg(fn, args, i);
        return s.Length <= MaxEncodeLength ? s : throw Failure(fn, $"the input is longer than {MaxEncodeLength} characters");
    }

    private static JsonArray ArrayArg(string fn, IReadOnlyList<JsonNode?> args, int i) =>
        args[i] as JsonArray ?? throw Failure(fn, $"argument {i + 1} must be an array");

    private static long IntegerArg(string fn, IReadOnlyList<JsonNode?> args, int i)
    {
        if (JsonValues.TryGetNumber(args[i], out var d) && d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue)
        {
            return (long)d;
        }

        throw Failure(fn, $"argument {i + 1} must be an integer, got {JsonValues.ToJson(args[i])}");
    }

    /// <summary>An integer argument; AWS rounds a fractional one half up (recorded: 1.5 → 2, -1.5 → -1, -2.5 → -2).</summary>
    private static long RoundedArg(string fn, IReadOnlyList<JsonNode?> args, int i)
    {
        if (JsonValues.TryGetNumber(args[i], out var d) && d >= long.MinValue && d <= long.MaxValue)
        {
            return (long)decimal.Floor(d + 0.5m);
        }

        throw Failure(fn, $"argument {i + 1} must be a number, got {JsonValues.ToJson(args[i])}");
    }

    private static StatesIntrinsicFailure Failure(string fn, string why) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Invalid arguments in {fn}: {why}"));
}
