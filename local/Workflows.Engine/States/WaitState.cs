using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>Waits a number of seconds or until a timestamp, on the engine's clock (virtual time by default).</summary>
public sealed class WaitState : State
{
    private static readonly string[] Fields = ["Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "QueryLanguage"];
    private static readonly string[] WaitFields = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];

    private readonly int? _seconds;
    private readonly JsonPath? _secondsPath;
    private readonly DateTimeOffset? _timestamp;
    private readonly JsonPath? _timestampPath;

    internal WaitState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader, hasTransition: true)
    {
        reader.CheckFields(json, Fields, Unsupported);
        var given = WaitFields.Count(json.ContainsKey);
        if (given != 1)
        {
            reader.Problem(null, "exactly one of Seconds, SecondsPath, Timestamp or TimestampPath is required");
        }

        _seconds = reader.Integer(json, "Seconds", 0);
        _secondsPath = reader.Path(json, "SecondsPath", reference: false);
        _timestampPath = reader.Path(json, "TimestampPath", reference: false);
        var ts = reader.String(json, "Timestamp");
        if (ts is not null)
        {
            if (JsonValues.TryParseTimestamp(ts, out var parsed))
            {
                _timestamp = parsed;
            }
            else
            {
                reader.Problem("Timestamp", $"'{ts}' is not an RFC 3339 timestamp (e.g. 2026-01-01T00:00:00Z)");
            }
        }
    }

    public override string Type => "Wait";

    internal override string EnteredEvent => HistoryEventType.WaitStateEntered;

    internal override string? ExitedEvent => HistoryEventType.WaitStateExited;

    internal override async ValueTask<StateOutcome> ExecuteAsync(StateContext context, JsonNode? input)
    {
        var effective = InputPath.Apply(input, "InputPath");
        var now = context.Fiber.Now;
        var until = _timestamp ?? (_timestampPath is not null ? ReadTimestamp(effective) : now + TimeSpan.FromSeconds(_seconds ?? ReadSeconds(effective)));
        if (until > now)
        {
            await context.Fiber.DelayAsync(until - now);
        }

        return new StateOutcome(OutputPath.Apply(effective, "OutputPath"), Next);
    }

    private long ReadSeconds(JsonNode? input)
    {
        if (_secondsPath!.TryEvaluate(input, out var v) && JsonValues.TryGetNumber(v, out var d) && d >= 0 && d == decimal.Truncate(d) && d <= 99_999_999)
        {
            return (long)d;
        }

        throw new StatesRuntime($"The SecondsPath '{_secondsPath.Text}' must point to a non-negative integer, got {JsonValues.ToJson(v)}");
    }

    private DateTimeOffset ReadTimestamp(JsonNode? input)
    {
        if (_timestampPath!.TryEvaluate(input, out var v) && JsonValues.TryGetString(v, out var s) && JsonValues.TryParseTimestamp(s, out var t))
        {
            return t;
        }

        throw new StatesRuntime($"The TimestampPath '{_timestampPath.Text}' must point to an RFC 3339 timestamp, got {JsonValues.ToJson(v)}");
    }
}
