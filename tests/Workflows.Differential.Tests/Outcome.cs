using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Differential.Tests;

/// <summary>
/// An execution's outcome in the shape `workflows run --json` prints, reduced to a canonical string so that two
/// engines' results compare by value: object keys sorted, numbers by value (1 and 1.0 are the same JSON number).
/// </summary>
public static class Outcome
{
    // Readable in an assertion message: quotes, apostrophes and non-ASCII stay as they are.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Succeeded(JsonNode? output) => new() { ["status"] = "SUCCEEDED", ["output"] = output };

    public static JsonObject Failed(string status, string? error, string? cause) =>
        new() { ["status"] = status, ["error"] = error, ["cause"] = cause };

    public static string Canonical(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    sb.Append(JsonSerializer.Serialize(key, Readable)).Append(':');
                    Write(value, sb);
                }

                sb.Append('}');
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(array[i], sb);
                }

                sb.Append(']');
                break;
            default:
                using (var doc = JsonDocument.Parse(node.ToJsonString()))
                {
                    var element = doc.RootElement;
                    sb.Append(element.ValueKind == JsonValueKind.Number
                    ? element.GetDouble().ToString("R", CultureInfo.InvariantCulture)
                        : JsonSerializer.Serialize(element, Readable));
                }

                break;
        }
    }
}
