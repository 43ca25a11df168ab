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
    private static readonly string[] Fields = ["Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "QueryLanguage", "Assign"];
    private static readonly string[] WaitFields = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];

    /// <summary>The longest delay AWS accepts: 2^31 - 1 seconds (inferred from the recorded refusal of a longer one).</summary>
    private const long MaxDelaySeconds = int.MaxValue;

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
        Assign = reader.Assign(json);
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
        var effective = InputPath.Apply(input, "InputPath", context);
        var now = context.Fiber.Now;
        var until = _timestamp ?? (_timestampPath is not null ? ReadTimestamp(context, effective) : now + TimeSpan.FromSeconds(_seconds ?? ReadSeconds(context, effective)));
        if (until > now)
        {
            // AWS refuses a delay of 2^31 seconds or more (recorded: a timestamp 68 years ahead) instead of waiting.
            if ((until - now).TotalSeconds > MaxDelaySeconds)
            {
                throw new StatesRuntime("Wait state delay is too long.");
            }

            await context.Fiber.DelayAsync(until - now);
        }

        AssignFrom(context, Assign, effective); // a Wait has no result: Assign reads its input after InputPath
        return new StateOutcome(OutputPath.Apply(effective, "OutputPath", context), Next);
    }

    // The causes below are AWS's wording, as recorded: "<field> parameter ...: <path> == <value>".
    private long ReadSeconds(StateContext context, JsonNode? input)
    {
        if (!context.TryRead(_secondsPath!, input, out var v))
        {
            throw new StatesRuntime($"The JSONPath '{_secondsPath!.Text}' specified for the field 'SecondsPath' could not be found in the input '{JsonValues.ToJson(input)}'");
        }

        if (!JsonValues.TryGetNumber(v, out var d) || d != decimal.Truncate(d))
        {
            throw new StatesRuntime($"The SecondsPath parameter cannot be parsed as a long value: {_secondsPath!.Text} == {Shown(v)}");
        }

        if (d < 0)
        {
            throw new StatesRuntime($"The SecondsPath parameter references a negative value: {_secondsPath!.Text} == {Shown(v)}");
        }

        // Far beyond a year (the longest an execution runs); capped so the delay stays representable.
        return d > MaxDelaySeconds ? MaxDelaySeconds + 1 : (long)d;
    }

    private DateTimeOffset ReadTimestamp(StateContext context, JsonNode? input)
    {
        if (!context.TryRead(_timestampPath!, input, out var v))
        {
            throw new StatesRuntime($"The JSONPath '{_timestampPath!.Text}' specified for the field 'TimestampPath' could not be found in the input '{JsonValues.ToJson(input)}'");
        }

        if (JsonValues.TryGetString(v, out var s) && JsonValues.TryParseTimestamp(s, out var t))
        {
            return t;
        }

        throw new StatesRuntime($"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {_timestampPath!.Text} == {Shown(v)}");
    }

    private static string Shown(JsonNode? v) => JsonValues.TryGetString(v, out var s) ? s : JsonValues.ToJson(v);
}
