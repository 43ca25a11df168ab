using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.EventBridge.Targets;

namespace Workflows.EventBridge.Bus;

/// <summary>One entry of PutEvents, as the caller gave it.</summary>
public sealed record PutEventsEntry(
    string? Source,
    string? DetailType,
    string? Detail,
    IReadOnlyList<string>? Resources = null,
    DateTimeOffset? Time = null,
    string? EventBusName = null,
    string? TraceHeader = null);

/// <summary>An entry's outcome: an EventId, or an ErrorCode and ErrorMessage.</summary>
public sealed record PutEventsResultEntry(string? EventId, string? ErrorCode = null, string? ErrorMessage = null);

public sealed record PutEventsResult(int FailedEntryCount, IReadOnlyList<PutEventsResultEntry> Entries);

/// <summary>
/// The buses of one local account and Region (the default bus always exists) and PutEvents with the service's checks.
/// </summary>
public sealed class EventBridgeService
{
    public const int MaxEntries = 10;

    /// <summary>"The total entry size must be less than 256KB" (eb-putevent-size.html).</summary>
    public const int MaxRequestSize = 256 * 1024;

    private readonly Dictionary<string, EventBus> _buses = new(StringComparer.Ordinal);
    private readonly IEventTarget _target;
    private readonly TimeProvider _time;
    private readonly Random? _seeded;

    public EventBridgeService(IEventTarget target, EventBusOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        Options = options ?? new EventBusOptions();
        _time = timeProvider ?? TimeProvider.System;
        _seeded = Options.RandomSeed is { } seed ? new Random(seed) : null;
        GetOrCreateBus("default");
    }

    public EventBusOptions Options { get; }

    public TimeProvider TimeProvider => _time;

    public IReadOnlyList<EventBus> Buses
    {
        get
        {
            lock (_buses)
            {
                return _buses.Values.OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
            }
        }
    }

    public EventBus DefaultBus => FindBus("default")!;

    public EventBus GetOrCreateBus(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_buses)
        {
            if (!_buses.TryGetValue(name, out var bus))
            {
                // Each bus gets its own generator drawn from the seeded one, so a seeded run repeats bus by bus.
                var random = _seeded is null ? null : new Random(_seeded.Next());
                bus = new EventBus(name, _target, Options, _time, random);
                _buses[name] = bus;
            }

            return bus;
        }
    }

    /// <summary>A bus by name or ARN; null when absent or null/empty means the default bus.</summary>
    public EventBus? FindBus(string? nameOrArn)
    {
        var name = string.IsNullOrEmpty(nameOrArn) ? "default"
            : nameOrArn.StartsWith("arn:", StringComparison.Ordinal) && nameOrArn.LastIndexOf('/') is var slash and > 0 ? nameOrArn[(slash + 1)..]
            : nameOrArn;
        lock (_buses)
        {
            return _buses.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// PutEvents: checks the request as the service does (1 to 10 entries, 256 KB in all), then each entry on its own
    /// (Source, DetailType and Detail required; Detail a JSON object; "aws." sources are the services'), puts the good
    /// ones on their bus and reports each entry's EventId or error.
    /// </summary>
    /// <exception cref="EventBridgeApiException">The request as a whole is refused.</exception>
    public PutEventsResult PutEvents(IReadOnlyList<PutEventsEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count is < 1 or > MaxEntries)
        {
            throw EventBridgeApiException.Validation(
                $"1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length {(entries.Count < 1 ? "greater than or equal to 1" : $"less than or equal to {MaxEntries}")}");
        }

        var size = entries.Sum(EntrySize);
        if (size > MaxRequestSize)
        {
            throw EventBridgeApiException.Validation($"Total size of the entries in the request is over the limit. ({size} bytes, at most {MaxRequestSize})");
        }

        var results = new List<PutEventsResultEntry>();
        foreach (var entry in entries)
        {
            results.Add(PutOne(entry));
        }

        return new PutEventsResult(results.Count(r => r.ErrorCode is not null), results);
    }

    /// <summary>The size EventBridge counts for an entry: 14 for a Time, and the UTF-8 bytes of Source, DetailType, Detail and each resource.</summary>
    public static int EntrySize(PutEventsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var size = entry.Time is null ? 0 : 14;
        size += Encoding.UTF8.GetByteCount(entry.Source ?? string.Empty);
        size += Encoding.UTF8.GetByteCount(entry.DetailType ?? string.Empty);
        size += Encoding.UTF8.GetByteCount(entry.Detail ?? string.Empty);
        size += entry.Resources?.Sum(r => Encoding.UTF8.GetByteCount(r ?? string.Empty)) ?? 0;
        return size;
    }

    private PutEventsResultEntry PutOne(PutEventsEntry entry)
    {
        if (string.IsNullOrEmpty(entry.Source))
        {
            return Invalid("Source");
        }

        if (string.IsNullOrEmpty(entry.DetailType))
        {
            return Invalid("DetailType");
        }

        if (string.IsNullOrEmpty(entry.Detail))
        {
            return Invalid("Detail");
        }

        if (entry.Source.StartsWith("aws.", StringComparison.Ordinal))
        {
            // Sources starting with "aws." belong to AWS services; a caller cannot use them.
            return new PutEventsResultEntry(null, "NotAuthorizedForSourceException", "Not authorized for the source.");
        }

        JsonObject detail;
        try
        {
            if (JsonNode.Parse(entry.Detail) is not JsonObject obj)
            {
                return new PutEventsResultEntry(null, "MalformedDetail", "Detail is malformed.");
            }

            detail = obj;
        }
        catch (JsonException)
        {
            return new PutEventsResultEntry(null, "MalformedDetail", "Detail is malformed.");
        }

        var bus = FindBus(entry.EventBusName);
        if (bus is null)
        {
            // Inferred: the service reports an unknown bus for the entry rather than failing the whole request.
            return new PutEventsResultEntry(null, "ResourceNotFoundException", $"Event bus {entry.EventBusName} does not exist.");
        }

        var time = (entry.Time ?? _time.GetUtcNow()).ToUniversalTime();
        var evt = new JsonObject
        {
            ["version"] = "0",
            ["id"] = bus.NewId(),
            ["detail-type"] = entry.DetailType,
            ["source"] = entry.Source,
            ["account"] = Options.Account,
            ["time"] = time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = Options.Region,
            ["resources"] = new JsonArray((entry.Resources ?? []).Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
            ["detail"] = detail,
        };
        var record = bus.Put(evt);
        return new PutEventsResultEntry(record.EventId);
    }

    private static PutEventsResultEntry Invalid(string field) =>
        new(null, "InvalidArgument", $"Parameter {field} is not valid. Reason: {field} is a required argument.");
}
