using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Host.AwsJson;

/// <summary>Typed reads of request members, refusing a missing or mistyped one with the field's name.</summary>
internal static class Fields
{
    public static string Required(JsonObject request, string name) =>
        Optional(request, name) ?? throw new AwsJsonException("ValidationException", $"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null");

    public static string? Optional(JsonObject request, string name)
    {
        if (!request.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw Mistyped(name, "a string");
    }

    public static int? Integer(JsonObject request, string name, int min, int max)
    {
        if (!request.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<int>(out var n))
        {
            throw Mistyped(name, "an integer");
        }

        if (n < min || n > max)
        {
            throw new AwsJsonException("ValidationException", string.Create(CultureInfo.InvariantCulture, $"1 validation error detected: Value '{n}' at '{name}' failed to satisfy constraint: Member must have value between {min} and {max}"));
        }

        return n;
    }

    public static bool? Boolean(JsonObject request, string name)
    {
        if (!request.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw Mistyped(name, "a boolean");
    }

    public static JsonArray? Array(JsonObject request, string name)
    {
        if (!request.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node as JsonArray ?? throw Mistyped(name, "a list");
    }

    public static string Enum(JsonObject request, string name, string fallback, params string[] allowed)
    {
        var value = Optional(request, name) ?? fallback;
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new AwsJsonException("ValidationException", $"1 validation error detected: Value '{value}' at '{name}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
    }

    private static AwsJsonException Mistyped(string name, string what) =>
        new("SerializationException", $"'{name}' must be {what}");

    /// <summary>A timestamp as awsJson sends one: epoch seconds, milliseconds as the fraction.</summary>
    public static JsonNode Timestamp(DateTimeOffset t) => JsonValue.Create(t.ToUnixTimeMilliseconds() / 1000.0);
}
