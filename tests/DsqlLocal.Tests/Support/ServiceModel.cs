using System.Text.Json;
using System.Text.RegularExpressions;

namespace DsqlLocal.Tests.Support;

/// <summary>
/// botocore's service-2.json for DSQL (copied under AwsModel/dsql), read as the reference the emulator is held
/// to, plus a checker that tells whether a JSON value fits one of its shapes.
/// </summary>
internal sealed class ServiceModel
{
    private ServiceModel(JsonElement root)
    {
        Root = root;
        Operations = root.GetProperty("operations");
        Shapes = root.GetProperty("shapes");
    }

    public static ServiceModel Dsql { get; } = Load();

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "AwsModel", "dsql");

    public JsonElement Root { get; }

    public JsonElement Operations { get; }

    public JsonElement Shapes { get; }

    public string ApiVersion => Root.GetProperty("metadata").GetProperty("apiVersion").GetString()!;

    public IEnumerable<string> OperationNames => Operations.EnumerateObject().Select(o => o.Name);

    public JsonElement Shape(string name) => Shapes.GetProperty(name);

    public IReadOnlyList<string> Enum(string shape) => Shape(shape).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();

    public string? OutputShape(string operation) =>
        Operations.GetProperty(operation).TryGetProperty("output", out var output) ? output.GetProperty("shape").GetString() : null;

    public IReadOnlyList<string> Errors(string operation) =>
        Operations.GetProperty(operation).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("shape").GetString()!).ToList();

    /// <summary>Every way <paramref name="value"/> fails to fit <paramref name="shapeName"/>, with JSON paths; empty when it fits.</summary>
    public List<string> Check(JsonElement value, string shapeName, string path = "$")
    {
        var problems = new List<string>();
        CheckInto(value, shapeName, path, problems);
        return problems;
    }

    private static ServiceModel Load()
    {
        var text = File.ReadAllText(Path.Combine(Directory, "service-2.json"));
        return new ServiceModel(JsonDocument.Parse(text).RootElement.Clone());
    }

    private void CheckInto(JsonElement value, string shapeName, string path, List<string> problems)
    {
        var shape = Shape(shapeName);
        var type = shape.GetProperty("type").GetString();
        switch (type)
        {
            case "structure":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{path}: {shapeName} must be an object, not {value.ValueKind}");
                    return;
                }

                var members = shape.GetProperty("members");
                var bodyMembers = members.EnumerateObject().Where(m => !m.Value.TryGetProperty("location", out _)).ToDictionary(m => m.Name, m => m.Value);
                foreach (var member in value.EnumerateObject())
                {
                    if (!bodyMembers.TryGetValue(member.Name, out var definition))
                    {
                        problems.Add($"{path}.{member.Name}: not a member of {shapeName}");
                        continue;
                    }

                    CheckInto(member.Value, definition.GetProperty("shape").GetString()!, $"{path}.{member.Name}", problems);
                }

                if (shape.TryGetProperty("required", out var required))
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    {
                        if (bodyMembers.ContainsKey(name) && !value.TryGetProperty(name, out _))
                        {
                            problems.Add($"{path}: required member {name} of {shapeName} is missing");
                        }
                    }
                }

                if (shape.TryGetProperty("union", out var union) && union.GetBoolean() && value.EnumerateObject().Count() != 1)
                {
                    problems.Add($"{path}: the union {shapeName} must have exactly one member set");
                }

                break;
            case "list":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"{path}: {shapeName} must be an array");
                    return;
                }

                CheckLength(shape, value.GetArrayLength(), path, shapeName, problems);
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    CheckInto(item, shape.GetProperty("member").GetProperty("shape").GetString()!, $"{path}[{index++}]", problems);
                }

                break;
            case "map":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{path}: {shapeName} must be an object");
                    return;
                }

                CheckLength(shape, value.EnumerateObject().Count(), path, shapeName, problems);
                foreach (var entry in value.EnumerateObject())
                {
                    CheckString(entry.Name, shape.GetProperty("key").GetProperty("shape").GetString()!, $"{path} key '{entry.Name}'", problems);
                    CheckInto(entry.Value, shape.GetProperty("value").GetProperty("shape").GetString()!, $"{path}.{entry.Name}", problems);
                }

                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String)
                {
                    problems.Add($"{path}: {shapeName} must be a string, not {value.ValueKind}");
                    return;
                }

                CheckString(value.GetString()!, shapeName, path, problems);
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    problems.Add($"{path}: {shapeName} must be a boolean");
                }

                break;
            case "integer" or "long":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
                {
                    problems.Add($"{path}: {shapeName} must be an integer");
                }

                break;
            case "timestamp":
                // rest-json's default timestamp format: epoch seconds as a number.
                if (value.ValueKind != JsonValueKind.Number)
                {
                    problems.Add($"{path}: {shapeName} must be epoch seconds (a number)");
                }

                break;
            default:
                problems.Add($"{path}: the checker does not know the type '{type}' of {shapeName}");
                break;
        }
    }

    private void CheckString(string text, string shapeName, string path, List<string> problems)
    {
        var shape = Shape(shapeName);
        if (shape.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetString() == text))
        {
            problems.Add($"{path}: '{text}' is not a value of the enum {shapeName}");
        }

        if (shape.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, "\\A(?:" + pattern.GetString() + ")\\z"))
        {
            problems.Add($"{path}: '{text}' does not match the pattern of {shapeName} ({pattern.GetString()})");
        }

        CheckLength(shape, text.Length, path, shapeName, problems);
    }

    private static void CheckLength(JsonElement shape, int length, string path, string shapeName, List<string> problems)
    {
        if (shape.TryGetProperty("min", out var min) && length < min.GetInt32())
        {
            problems.Add($"{path}: {shapeName} is shorter than its min {min.GetInt32()}");
        }

        if (shape.TryGetProperty("max", out var max) && length > max.GetInt32())
        {
            problems.Add($"{path}: {shapeName} is longer than its max {max.GetInt32()}");
        }
    }
}
