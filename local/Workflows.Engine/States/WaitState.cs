using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Jsonata;
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
    private readonly JsonataTemplate? _jsonataSeconds;
    private readonly JsonataTemplate? _jsonataTimestamp;

    internal WaitState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader, hasTransition: true)
    {
        CheckFields(json, reader, Fields, Unsupported, "Output");
        var given = WaitFields.Count(json.ContainsKey);
        if (given != 1)
        {
            reader.Problem(null, IsJsonata ? "exactly one of Seconds or Timestamp is required" : "exactly one of Seconds, SecondsPath, Timestamp or TimestampPath is required");
        }

        if (IsJsonata)
        {
            _jsonataSeconds = reader.JsonataNumber(json, "Seconds", 0);
            _jsonataTimestamp = reader.JsonataField(json, "Timestamp");
            return;
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
        var jsonata = IsJsonata ? JsonataScope.OnInput(context, input) : null;
        var effective = IsJsonata ? input : InputPath.Apply(input, "InputPath", context);
        var now = context.Fiber.Now;
        var until = jsonata is not null
            ? JsonataUntil(jsonata, now)
            : _timestamp ?? (_timestampPath is not null ? ReadTimestamp(context, effective) : now + TimeSpan.FromSeconds(_seconds ?? ReadSeconds(context, effective)));
        if (until > now)
        {
            // AWS refuses a delay of 2^31 seconds or more (recorded: a timestamp 68 years ahead) instead of waiting.
            if ((until - now).TotalSeconds > MaxDelaySeconds)
            {
                throw new StatesRuntime("Wait state delay is too long.");
            }

            await context.Fiber.DelayAsync(until - now);
        }

        if (jsonata is not null)
        {
            AssignFrom(context, JsonataAssign, jsonata);
            return new StateOutcome(OutputOf(jsonata, input), Next);
        }

        AssignFrom(context, Assign, effective); // a Wait has no result: Assign reads its input after InputPath
        return new StateOutcome(OutputPath.Apply(effective, "OutputPath", context), Next);
    }

    private DateTimeOffset JsonataUntil(JsonataScope scope, DateTimeOffset now)
    {
        if (_jsonataSeconds is not null)
        {
            var value = _jsonataSeconds.Evaluate(scope);
            if (!JsonValues.TryGetNumber(value, out var d) || d != decimal.Truncate(d) || d < 0)
            {
                // Inferred wording (not recorded), shaped like the JSONPath SecondsPath cause.
                throw scope.Fail($"The Seconds field must be a non-negative integer, got: {Shown(value)}");
            }

            return now + TimeSpan.FromSeconds((double)Math.Min(d, MaxDelaySeconds + 1m));
        }

        var ts = _jsonataTimestamp!.Evaluate(scope);
        if (JsonValues.TryGetString(ts, out var text) && JsonValues.TryParseTimestamp(text, out var until))
        {
            return until;
        }

        // AWS's wording (recorded).
        throw scope.Fail($"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {Shown(ts)}");
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
