using System.Text.Json.Nodes;

namespace Workflows.Engine.History;

/// <summary>The ordered events of one execution. Closed once the execution ends, so aborted branches add nothing.</summary>
public sealed class ExecutionHistory
{
    private readonly Lock _gate = new();
    // Chunks of ChunkSize events rather than one growing list: a long history (20,000 events is ordinary) would
    // otherwise grow, and snapshot, arrays past the large object heap threshold (85,000 bytes), and every large
    // object allocation draws down the LOH budget whose exhaustion forces a blocking gen2 collection. Chunks are
    // only appended to, so a snapshot shares them (see HistorySnapshot) instead of copying the events.
    internal const int ChunkSize = 4096;
    private readonly List<HistoryEvent[]> _chunks = [];
    private readonly TimeProvider _clock;
    private readonly Action<HistoryEvent>? _listener;
    private bool _closed;

    /// <summary>Standard workflows fail once their history would exceed this many events.</summary>
    public const int MaxEvents = 25_000;

    public ExecutionHistory(TimeProvider clock, Action<HistoryEvent>? listener = null)
    {
        _clock = clock;
        _listener = listener;
    }

    // Read before every event (the MaxEvents check), so kept beside the list and read without taking the lock.
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyList<HistoryEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return new HistorySnapshot([.. _chunks], _count);
            }
        }
    }

    internal HistoryEvent? Append(string type, long previousEventId, JsonObject? details = null, bool closes = false)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }

            return Add(new HistoryEvent
            {
                Id = _count + 1,
                PreviousEventId = previousEventId,
                Timestamp = _clock.GetUtcNow(),
                Type = type,
                Details = details ?? [],
            }, closes);
        }
    }

    /// <summary>A state entered/exited event whose details are built from the payload node when first read.</summary>
    internal HistoryEvent? AppendState(string type, long previousEventId, string stateName, StatePayload payloadKind, JsonNode? payload)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }

            return Add(new HistoryEvent(stateName, payloadKind, payload)
            {
                Id = _count + 1,
                PreviousEventId = previousEventId,
                Timestamp = _clock.GetUtcNow(),
                Type = type,
            }, closes: false);
        }
    }

    // Called with the lock held.
    private HistoryEvent Add(HistoryEvent e, bool closes)
    {
        var index = _count;
        if (index % ChunkSize == 0)
        {
            _chunks.Add(new HistoryEvent[ChunkSize]);
        }

        _chunks[index / ChunkSize][index % ChunkSize] = e;
        Volatile.Write(ref _count, index + 1);
        _closed = closes;
        // Inside the lock, so listeners see events in id order even when branches append concurrently.
        _listener?.Invoke(e);
        return e;
    }

    /// <summary>
    /// State transitions as Step Functions bills them: one per state entered, plus one per retry attempt
    /// (a task scheduled again within the same state entry).
    /// </summary>
    public static int CountTransitions(IReadOnlyList<HistoryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        // Built only when a scheduling needs the retry walk: a history without tasks needs no index of 20,000 ids.
        Dictionary<long, HistoryEvent>? byId = null;
        var transitions = 0;
        foreach (var e in events)
        {
            if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                transitions++;
            }
            else if (IsScheduled(e.Type) && IsRetry(e, byId ??= events.ToDictionary(x => x.Id)))
            {
                transitions++;
            }
        }

        return transitions;
    }

    public JsonArray ToJson() => new(Events.Select(e => (JsonNode?)e.ToJson()).ToArray());

    private static bool IsScheduled(string type) =>
        type is HistoryEventType.TaskScheduled or HistoryEventType.LambdaFunctionScheduled;

    // Walk back along previousEventId: meeting another scheduling before the state's entry means a retry.
    private static bool IsRetry(HistoryEvent e, Dictionary<long, HistoryEvent> byId)
    {
        var id = e.PreviousEventId;
        while (byId.TryGetValue(id, out var prior))
        {
            if (prior.Type == HistoryEventType.TaskStateEntered)
            {
                return false;
            }

            if (IsScheduled(prior.Type))
            {
                return true;
            }

            id = prior.PreviousEventId;
        }

        return false;
    }
}
