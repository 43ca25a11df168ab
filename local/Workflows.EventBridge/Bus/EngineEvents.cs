using Workflows.Engine.Tasks;

namespace Workflows.EventBridge.Bus;

/// <summary>
/// Bridges the ASL engine's in-memory bus (what <c>events:putEvents</c> tasks record) to this one, so the outcome
/// events the state machines publish land on the same bus as the requests and can be listed or tailed.
/// </summary>
public static class EngineEvents
{
    /// <summary>The PutEvents entry for an event an execution published (its Resources already carry the execution's ARNs).</summary>
    public static PutEventsEntry ToEntry(LocalEvent engineEvent)
    {
        ArgumentNullException.ThrowIfNull(engineEvent);
        return new PutEventsEntry(
            engineEvent.Source,
            engineEvent.DetailType,
            engineEvent.Detail?.ToJsonString(JsonText.Options) ?? "{}",
            engineEvent.Resources,
            engineEvent.Time,
            engineEvent.EventBusName);
    }

    /// <summary>Puts the engine's events on the service's buses, creating a bus the events name if it is missing.</summary>
    public static PutEventsResult Forward(EventBridgeService service, IEnumerable<LocalEvent> engineEvents)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(engineEvents);
        var entries = engineEvents.Select(ToEntry).ToList();
        var results = new List<PutEventsResultEntry>();
        foreach (var batch in entries.Chunk(EventBridgeService.MaxEntries))
        {
            foreach (var entry in batch)
            {
                service.GetOrCreateBus(string.IsNullOrEmpty(entry.EventBusName) ? "default" : entry.EventBusName);
            }

            results.AddRange(service.PutEvents(batch).Entries);
        }

        return new PutEventsResult(results.Count(r => r.ErrorCode is not null), results);
    }
}
