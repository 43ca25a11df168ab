using System.Text;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Fixtures;

/// <summary>
/// A handler with the functions' test-constructor shape: no parameterless constructor, its clock handed in by an
/// activator. It waits on that clock the way a DSQL client backs off, with Task.Delay on its TimeProvider.
/// </summary>
public sealed class ClockWaiter(TimeProvider clock, string label)
{
    public string Label { get; } = label;

    public async Task<Stream> Wait(Stream input)
    {
        var seconds = Read(input)?["seconds"]?.GetValue<int>() ?? 0;
        var before = clock.GetUtcNow();
        await Task.Delay(TimeSpan.FromSeconds(seconds), clock);
        return Json(new JsonObject { ["label"] = Label, ["waited"] = (clock.GetUtcNow() - before).TotalSeconds });
    }

    /// <summary>Waits twice, resuming off the captured context in between, as library code with ConfigureAwait(false) does.</summary>
    public async Task<Stream> WaitTwiceUncaptured(Stream input)
    {
        var before = clock.GetUtcNow();
        await Task.Delay(TimeSpan.FromSeconds(3), clock).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(4), clock).ConfigureAwait(false);
        return Json(new JsonObject { ["label"] = Label, ["waited"] = (clock.GetUtcNow() - before).TotalSeconds });
    }

    private static JsonNode? Read(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        var text = reader.ReadToEnd();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private static MemoryStream Json(JsonNode node) => new(Encoding.UTF8.GetBytes(node.ToJsonString()));
}
