using System.Text;
using System.Text.Json;

namespace Workflows.Functions.Tests.Support;

/// <summary>Calls a FunctionHandler the way the Lambda runtime does: a UTF-8 JSON stream in, a stream out.</summary>
internal static class Lambda
{
    public static async Task<JsonElement> InvokeAsync(Func<Stream, Task<Stream>> handler, string json)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(json));
        await using var output = await handler(input);
        using var document = await JsonDocument.ParseAsync(output);
        return document.RootElement.Clone();
    }

    public static Task<JsonElement> InvokeAsync(Func<Stream, Task<Stream>> handler, object payload) =>
        InvokeAsync(handler, Json(payload));

    /// <summary>Anonymous objects in tests use the contract's camelCase names directly.</summary>
    public static string Json(object payload) => JsonSerializer.Serialize(payload);

    public static string? Str(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
