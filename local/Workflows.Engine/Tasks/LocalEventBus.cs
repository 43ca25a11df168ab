using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Tasks;

/// <summary>One event put on the local bus.</summary>
public sealed record LocalEvent(string EventId, string EventBusName, string Source, string DetailType, JsonNode? Detail, DateTimeOffset Time)
{
    /// <summary>The entry's Resources followed by the execution and state machine ARNs, which the integration appends.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];
}

/// <summary>
/// An in-memory EventBridge for <c>arn:aws:states:::events:putEvents</c>, answering as the optimized integration
/// does: each valid entry is recorded with the execution and state machine ARNs appended to its Resources and gets
/// an EventId; an entry without Source, DetailType or Detail, or whose Detail is not a JSON object, is a failed
/// entry (ErrorCode InvalidArgument or MalformedDetail), and a response with a non-zero FailedEntryCount fails the
/// task with EventBridge.FailedEntry (Cause: the response). Valid entries of such a batch are still delivered, as
/// PutEvents delivers them.
/// </summary>
public sealed class LocalEventBus : ITaskInvoker
{
    public const string FailedEntry = "EventBridge.FailedEntry";

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

        // Static names were checked when the definition loaded; this catches those a path or intrinsic produced.
        var unknown = IntegrationParameters.Check(TaskResource.EventsPutEvents, p).ToList();
        if (unknown.Count > 0)
        {
            throw new StatesRuntime($"State '{invocation.StateName}': {string.Join("; ", unknown.Select(x => $"{x.Field}: {x.Message}"))}");
        }

        var results = new JsonArray();
        var failed = 0;
        foreach (var entry in entries)
        {
            if (entry is not JsonObject e)
            {
                throw new TaskError("EventBridge.ValidationException", "Each entry must be an object");
            }

            if (Refusal(e) is { } refusal)
            {
                failed++;
                results.Add(new JsonObject { ["ErrorCode"] = refusal.Code, ["ErrorMessage"] = refusal.Message });
                continue;
            }

            var id = invocation.NewId();
            var recorded = new LocalEvent(
                id,
                JsonValues.TryGetString(e["EventBusName"], out var bus) ? bus : "default",
                e["Source"]!.GetValue<string>(),
                e["DetailType"]!.GetValue<string>(),
                DetailObject(e["Detail"]),
                JsonValues.TryGetString(e["Time"], out var time) && JsonValues.TryParseTimestamp(time, out var at) ? at : invocation.Clock.GetUtcNow())
            {
                Resources = [.. ((e["Resources"] as JsonArray) ?? []).Select(r => r!.GetValue<string>()), invocation.ExecutionArn, invocation.StateMachineArn],
            };
            lock (_gate)
            {
                _events.Add(recorded);
            }

            results.Add(new JsonObject { ["EventId"] = id });
        }

        var response = new JsonObject { ["Entries"] = results, ["FailedEntryCount"] = failed };
        return failed > 0
            ? throw new TaskError(FailedEntry, response.ToJsonString())
            : Task.FromResult<JsonNode?>(response);
    }

    /// <summary>Why PutEvents would refuse this entry (ErrorCode, ErrorMessage), or null when it is accepted.</summary>
    private static (string Code, string Message)? Refusal(JsonObject e)
    {
        foreach (var field in new[] { "Source", "DetailType" })
        {
            if (!JsonValues.TryGetString(e[field], out var value) || value.Length == 0)
            {
                return ("InvalidArgument", $"Parameter {field} is not valid. Reason: {field} is a required argument and must be a non-empty string.");
            }
        }

        if (e["Detail"] is null)
        {
            return ("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
        }

        if (DetailObject(e["Detail"]) is null)
        {
            return ("MalformedDetail", "Detail is malformed: it must be a JSON object (or a string holding one).");
        }

        if (e["Time"] is { } time && !(JsonValues.TryGetString(time, out var text) && JsonValues.TryParseTimestamp(text, out _)))
        {
            return ("InvalidArgument", "Parameter Time is not valid. Reason: Time must be an RFC 3339 timestamp.");
        }

        if (e["Resources"] is { } resources && (resources is not JsonArray list || list.Any(r => !JsonValues.TryGetString(r, out _))))
        {
            return ("InvalidArgument", "Parameter Resources is not valid. Reason: Resources must be a list of strings.");
        }

        return null;
    }

    // The integration takes Detail as a JSON object or as the string PutEvents itself expects; either way it must hold an object.
    private static JsonObject? DetailObject(JsonNode? detail)
    {
        if (detail is JsonObject o)
        {
            return (JsonObject)o.DeepClone();
        }

        if (!JsonValues.TryGetString(detail, out var text))
        {
            return null;
        }

        try
        {
            return JsonValues.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
