using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Tasks;

/// <summary>One event put on the local bus.</summary>
public sealed record LocalEvent(string EventId, string EventBusName, string Source, string DetailType, JsonNode? Detail, DateTimeOffset Time);

/// <summary>
/// An in-memory EventBridge for <c>arn:aws:states:::events:putEvents</c>: records each entry and answers as
/// PutEvents does, {"Entries":[{"EventId"}],"FailedEntryCount":0}.
/// </summary>
public sealed class LocalEventBus : ITaskInvoker
{
    private readonly Lock _gate = new();
    private readonly List<LocalEvent> _events = [];

    public IReadOnlyList<LocalEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    public bool CanInvoke(string resource) => resource == TaskResource.EventsPutEvents;

    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (invocation.Parameters is not JsonObject p || p["Entries"] is not JsonArray entries || entries.Count == 0)
        {
            throw new TaskError("EventBridge.ValidationException", "Parameters.Entries must be a non-empty array");
        }

        var results = new JsonArray();
        foreach (var entry in entries)
        {
            if (entry is not JsonObject e)
            {
                throw new TaskError("EventBridge.ValidationException", "Each entry must be an object");
            }

            var id = Guid.NewGuid().ToString();
            var detail = e["Detail"];
            if (JsonValues.TryGetString(detail, out var text))
            {
                detail = JsonValues.Parse(text);
            }

            var recorded = new LocalEvent(
                id,
                JsonValues.TryGetString(e["EventBusName"], out var bus) ? bus : "default",
                JsonValues.TryGetString(e["Source"], out var source) ? source : string.Empty,
                JsonValues.TryGetString(e["DetailType"], out var type) ? type : string.Empty,
                detail?.DeepClone(),
                invocation.Clock.GetUtcNow());
            lock (_gate)
            {
                _events.Add(recorded);
            }

            results.Add(new JsonObject { ["EventId"] = id });
        }

        return Task.FromResult<JsonNode?>(new JsonObject { ["Entries"] = results, ["FailedEntryCount"] = 0 });
    }

}
