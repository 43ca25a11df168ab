using System.Text;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Fixtures;

/// <summary>Lambda-style handlers loaded by reflection through handler strings, as the Lambda .NET runtime would.</summary>
#pragma warning disable CA1822 // Instance methods on purpose: the loader must construct the type like the Lambda runtime.
public class Handlers
{
    private int _invocations;

    public Stream Echo(Stream input) => Json(new JsonObject { ["echo"] = Read(input) });

    public async Task<Stream> Greet(Stream input, object? context)
    {
        await Task.Yield();
        var name = Read(input)?["name"]?.GetValue<string>() ?? "nobody";
        return Json(new JsonObject { ["greeting"] = $"hello {name}", ["hadContext"] = context is not null });
    }

    public Stream Count(Stream input) => Json(new JsonObject { ["count"] = ++_invocations });

    public static Stream StaticEcho(Stream input) => Json(Read(input));

    public Stream Boom(Stream input) => throw new InvalidOperationException("boom: " + Read(input)?.ToJsonString());

    public async Task<Stream> BoomAsync(Stream input)
    {
        await Task.Yield();
        throw new TimeoutException("late");
    }

    public string NotAStreamHandler(string input) => input;

    private static JsonNode? Read(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        var text = reader.ReadToEnd();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private static MemoryStream Json(JsonNode? node) => new(Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null"));
}
#pragma warning restore CA1822
