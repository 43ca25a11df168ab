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

    private JsonObject? _details;

    // A state entered/exited event keeps its state's name and payload node and builds its details (with the payload
    // serialised) on first read: most histories are never read in full, and serialising every state's input and
    // output up front was a quarter of a Pass or Choice state's cost. The node is never modified once recorded
    // (state data is copied on write), so the text is the same whenever it is built.
    private readonly string? _stateName;
    private readonly StatePayload _payloadKind;
    private readonly JsonNode? _payload;

    public HistoryEvent()
    {
    }

    internal HistoryEvent(string stateName, StatePayload payloadKind, JsonNode? payload)
    {
        _stateName = stateName;
        _payloadKind = payloadKind;
        _payload = payload;
    }

    /// <summary>The details object, with the API model's member names (name, input, output, error, cause, resource...).</summary>
    public JsonObject Details
    {
        get
        {
            if (_details is { } details)
            {
                return details;
            }

            var built = _stateName is null ? [] : BuildStateDetails();
            // Readers on different threads (a live listener, the caller) agree on one instance.
            return Interlocked.CompareExchange(ref _details, built, null) ?? built;
        }

        init => _details = value;
    }

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

    private JsonObject BuildStateDetails()
    {
        var (payload, payloadDetails) = _payloadKind == StatePayload.Input ? ("input", "inputDetails") : ("output", "outputDetails");
        return new JsonObject
        {
            ["name"] = _stateName,
            [payload] = JsonValues.ToJson(_payload),
            [payloadDetails] = new JsonObject { ["truncated"] = false },
        };
    }

    public override string ToString() => $"{Id} {Type} {Details.ToJsonString()}";

    private string? Text(string key) =>
        Details.TryGetPropertyValue(key, out var v) && JsonValues.TryGetString(v, out var s) ? s : null;
}

/// <summary>Which payload a state entered/exited event carries.</summary>
internal enum StatePayload
{
    Input,
    Output,
}
