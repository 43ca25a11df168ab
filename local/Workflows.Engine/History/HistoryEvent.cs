using System.Text.Json.Nodes;
using Workflows.Engine.Paths;

namespace Workflows.Engine.History;

/// <summary>One event of an execution's history, shaped like GetExecutionHistory's HistoryEvent.</summary>
public sealed class HistoryEvent
{
    public required long Id { get; init; }

    public required long PreviousEventId { get; init; }

    /// <summary>When the event happened on the engine's clock (virtual time unless the engine runs in real time).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    public required string Type { get; init; }

    /// <summary>The details object, with the API model's member names (name, input, output, error, cause, resource...).</summary>
    public JsonObject Details { get; init; } = [];

    public string? StateName => Text("name");

    public string? Input => Text("input");

    public string? Output => Text("output");

    public string? Error => Text("error");

    public string? Cause => Text("cause");

    public string? Resource => Text("resource");

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["timestamp"] = JsonValues.FormatTimestamp(Timestamp),
            ["type"] = Type,
            ["id"] = Id,
            ["previousEventId"] = PreviousEventId,
        };
        if (HistoryEventType.DetailsMember(Type) is { } member)
        {
            o[member] = Details.DeepClone();
        }

        return o;
    }

    public override string ToString() => $"{Id} {Type} {Details.ToJsonString()}";

    private string? Text(string key) =>
        Details.TryGetPropertyValue(key, out var v) && JsonValues.TryGetString(v, out var s) ? s : null;
}
