using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Jsonata;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;
using Workflows.Engine.Tasks;

namespace Workflows.Engine.States;

/// <summary>Performs one unit of work through a task invoker (or a mock), under TimeoutSeconds/HeartbeatSeconds.</summary>
public sealed class TaskState : RetryableState
{
    private static readonly string[] Fields =
    [
        "Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Resource", "Parameters", "ResultSelector", "ResultPath",
        "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "QueryLanguage", "Assign",
    ];

    private readonly int? _timeoutSeconds;
    private readonly JsonPath? _timeoutSecondsPath;
    private readonly int? _heartbeatSeconds;
    private readonly JsonPath? _heartbeatSecondsPath;
    private readonly JsonataTemplate? _jsonataTimeout;
    private readonly JsonataTemplate? _jsonataHeartbeat;

    internal TaskState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader)
    {
        CheckFields(json, reader, Fields, Unsupported, "Arguments", "Output");
        Resource = reader.String(json, "Resource", required: true) ?? string.Empty;
        CheckResource(reader);
        foreach (var (field, message) in IntegrationParameters.Check(Resource, json[IsJsonata ? "Arguments" : "Parameters"]))
        {
            reader.Problem(IsJsonata ? field.Replace("Parameters", "Arguments", StringComparison.Ordinal) : field, message);
        }

        if (IsJsonata)
        {
            // Numbers, or {% %} expressions evaluated on each attempt.
            _jsonataTimeout = reader.JsonataNumber(json, "TimeoutSeconds", 1);
            _jsonataHeartbeat = reader.JsonataNumber(json, "HeartbeatSeconds", 1);
            return;
        }

        _timeoutSeconds = reader.Integer(json, "TimeoutSeconds", 1);
        _timeoutSecondsPath = reader.Path(json, "TimeoutSecondsPath", reference: true);
        _heartbeatSeconds = reader.Integer(json, "HeartbeatSeconds", 1);
        _heartbeatSecondsPath = reader.Path(json, "HeartbeatSecondsPath", reference: true);
        if (json.ContainsKey("TimeoutSeconds") && json.ContainsKey("TimeoutSecondsPath"))
        {
            reader.Problem("TimeoutSecondsPath", "TimeoutSeconds and TimeoutSecondsPath are mutually exclusive");
        }

        if (json.ContainsKey("HeartbeatSeconds") && json.ContainsKey("HeartbeatSecondsPath"))
        {
            reader.Problem("HeartbeatSecondsPath", "HeartbeatSeconds and HeartbeatSecondsPath are mutually exclusive");
        }

        if (_heartbeatSeconds is { } hb && _timeoutSeconds is { } to && hb >= to)
        {
            reader.Problem("HeartbeatSeconds", "must be smaller than TimeoutSeconds");
        }
    }

    public override string Type => "Task";

    public string Resource { get; }

    internal override string EnteredEvent => HistoryEventType.TaskStateEntered;

    internal override string? ExitedEvent => HistoryEventType.TaskStateExited;

    private protected override async Task<JsonNode?> AttemptAsync(StateContext context, JsonNode? rawInput)
    {
        var parameters = EffectiveInput(context, rawInput);
        int? timeout, heartbeat;
        if (IsJsonata)
        {
            var scope = JsonataScope.OnInput(context, rawInput);
            timeout = JsonataInteger.Read(_jsonataTimeout, scope, "TimeoutSeconds", 1);
            heartbeat = JsonataInteger.Read(_jsonataHeartbeat, scope, "HeartbeatSeconds", 1);
        }
        else
        {
            timeout = Seconds(context, _timeoutSeconds, _timeoutSecondsPath, rawInput, "TimeoutSecondsPath");
            heartbeat = Seconds(context, _heartbeatSeconds, _heartbeatSecondsPath, rawInput, "HeartbeatSecondsPath");
        }

        var result = await context.Run.Tasks.InvokeAsync(context, this, parameters, timeout, heartbeat);
        if (JsonValues.Utf8Size(result) > BodyRunner.PayloadLimitBytes)
        {
            // A task result over the limit is the task's failure, which a States.ALL catcher catches (recorded on
            // AWS); the cause names the resource: the function ARN, or the integration's service ('lambda').
            var parsed = TaskResource.Parse(Resource);
            throw new StatesDataLimitExceeded(BodyRunner.LimitCause(parsed.IsLambdaFunction ? Resource : parsed.ResourceType)) { FromTaskResult = true };
        }

        return Finish(context, rawInput, result);
    }

    private static int? Seconds(StateContext context, int? fixedValue, JsonPath? path, JsonNode? input, string field)
    {
        if (path is null)
        {
            return fixedValue;
        }

        if (context.TryRead(path, input, out var v) && JsonValues.TryGetNumber(v, out var d) && d >= 1 && d == decimal.Truncate(d) && d <= int.MaxValue)
        {
            return (int)d;
        }

        throw new StatesRuntime($"The {field} '{path.Text}' must point to a positive integer, got {JsonValues.ToJson(v)}");
    }

    private void CheckResource(DefinitionReader reader)
    {
        if (Resource.Length == 0)
        {
            return;
        }

        if (Resource.Contains("${", StringComparison.Ordinal))
        {
            reader.Problem("Resource", $"'{Resource}' still holds a ${{...}} placeholder: bind DefinitionSubstitutions first");
            return;
        }

        if (!Resource.StartsWith("arn:", StringComparison.Ordinal))
        {
            reader.Problem("Resource", $"'{Resource}' is not an ARN");
            return;
        }

        var parsed = TaskResource.Parse(Resource);
        if (Resource.Split(':') is { Length: >= 6 } p && p[2] == "states" && p[5] == "activity")
        {
            reader.Problem("Resource", $"activities are not supported by this engine ('{Resource}')");
        }
        else if (parsed.Pattern is "waitForTaskToken")
        {
            reader.Problem("Resource", $"the .waitForTaskToken (callback) pattern is not supported by this engine ('{Resource}')");
        }
        else if (parsed.Pattern is "sync" or "sync:2")
        {
            reader.Problem("Resource", $"the .sync (run a job) pattern is not supported by this engine ('{Resource}')");
        }
    }
}
