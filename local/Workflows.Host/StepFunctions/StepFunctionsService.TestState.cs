using System.Text.Json.Nodes;
using Workflows.Engine;
using Workflows.Engine.Definition;
using Workflows.Engine.History;
using Workflows.Engine.Paths;
using Workflows.Engine.Tasks;
using Workflows.Host.AwsJson;

namespace Workflows.Host.StepFunctions;

/// <summary>
/// TestState: one state run through the engine as a one-state machine. Its transitions lead to stand-in Succeed
/// states, so where it would go (nextState) and what it hands on (output) are read from the history. Retry is
/// taken out before the run: on AWS a TestState whose error matches a retrier answers RETRIABLE instead of retrying.
/// </summary>
public sealed partial class StepFunctionsService
{
    private const string DefaultTestStateName = "TestState";

    private async Task<JsonObject> TestStateAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var definitionText = Fields.Required(request, "definition");
        var level = Fields.Enum(request, "inspectionLevel", "INFO", "INFO", "DEBUG", "TRACE");
        if (Fields.Optional(request, "roleArn") is { } role)
        {
            CheckRole(role);
        }

        var input = Fields.Optional(request, "input") ?? "{}";
        JsonNode? inputNode;
        try
        {
            inputNode = JsonNode.Parse(input);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new AwsJsonException("InvalidExecutionInput", $"Invalid State Machine Execution Input: '{e.Message}'");
        }

        var (name, state) = ReadTestedState(definitionText, Fields.Optional(request, "stateName"));
        var type = state["Type"]?.GetValue<string>() ?? throw new AwsJsonException("InvalidDefinition", "Invalid State Machine Definition: 'the state has no Type'");
        var mock = request["mock"] as JsonObject;
        if (mock is not null && type is not ("Task" or "Map" or "Parallel"))
        {
            throw new AwsJsonException("ValidationException", $"mock: a mock can only be specified for Task, Map or Parallel states, not {type}");
        }

        if (request["context"] is not null && mock is null)
        {
            throw new AwsJsonException("ValidationException", "context: may only be specified together with mock");
        }

        if (mock is not null)
        {
            // STRICT/PRESENT check a mocked service integration's result against the API's response shape; the local
            // service has no response shapes, so every mode runs as NONE (Inferred), but the value is still checked.
            Fields.Enum(mock, "fieldValidationMode", "STRICT", "STRICT", "PRESENT", "NONE");
        }

        if (type is "Map" or "Parallel" && mock is null)
        {
            throw new AwsJsonException("ValidationException", $"definition: a {type} state can only be tested with a mock");
        }

        CheckStateConfiguration(request["stateConfiguration"] as JsonObject, type, state, mock);
        var resource = state["Resource"]?.GetValue<string>();
        var activity = type == "Task" && resource is not null && resource.Contains(":activity:", StringComparison.Ordinal);
        if (activity && mock is null)
        {
            throw new AwsJsonException("ValidationException", "definition: an Activity task can only be tested with a mock");
        }

        if (type == "Task" && resource is not null && CallbackOrJobPattern(resource) is { } pattern)
        {
            // AWS tests .sync and .waitForTaskToken tasks only with a mock (the mock is the job's or the callback's
            // result); the engine refuses the patterns at load, so the mocked run calls the plain resource.
            if (mock is null)
            {
                throw new AwsJsonException("ValidationException", $"definition: a {pattern} task can only be tested with a mock");
            }

            resource = resource[..^pattern.Length];
        }

        var retriers = state["Retry"] as JsonArray;
        var run = type is "Map" or "Parallel" ? MockedStandIn(state, type, mock!) : (JsonObject)state.DeepClone();
        run.Remove("Retry");
        if (resource is not null && type == "Task")
        {
            // The engine refuses activities at load; a mocked one never reaches a worker, so any resource will do.
            run["Resource"] = activity ? MockResource : resource;
        }
        var states = new JsonObject { [name] = run };
        foreach (var target in Targets(run).Where(t => t != name))
        {
            states[target] = new JsonObject { ["Type"] = "Succeed" };
        }

        var machine = new JsonObject { ["StartAt"] = name, ["States"] = states };
        const string seed = "TestState.Variables";
        if (Fields.Optional(request, "variables") is { } variablesText)
        {
            // The variables are set by a Pass state's Assign that runs first and hands the input on unchanged
            // (Inferred: the engine keeps variables only through Assign). It is left out of nextState below.
            JsonObject variables;
            try
            {
                variables = JsonNode.Parse(variablesText) as JsonObject ?? throw new AwsJsonException("ValidationException", "variables: must be a JSON object");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new AwsJsonException("ValidationException", $"variables: not JSON ({e.Message})");
            }

            states[seed] = new JsonObject { ["Type"] = "Pass", ["QueryLanguage"] = "JSONPath", ["Assign"] = variables, ["Next"] = name };
            machine["StartAt"] = seed;
        }
        if (state["QueryLanguage"] is null && JsonNode.Parse(definitionText)?["QueryLanguage"] is { } ql)
        {
            machine["QueryLanguage"] = ql.DeepClone();
        }

        var events = new List<HistoryEvent>();
        var invokers = mock is null ? Options.TaskInvokers : [new MockInvoker(mock), .. Options.TaskInvokers];
        // A virtual clock of its own: a tested Wait (or a task's timeout) does not hold the caller (Inferred).
        var engine = new AslEngine(new EngineOptions
        {
            ClockMode = Engine.Time.ClockMode.Virtual,
            Region = Options.Region,
            Account = Options.Account,
            StateMachineName = "TestState",
            RoleArn = Fields.Optional(request, "roleArn"),
            ExecutionType = ExecutionType.Express,
            Lambda = Options.Lambda,
            TaskInvokers = invokers,
            EventBus = Options.EventBus,
            OnHistoryEvent = e => { lock (events) { events.Add(e); } },
        });
        ExecutionResult result;
        try
        {
            result = await engine.StartExecutionAsync(machine.ToJsonString(), input, null, cancellationToken);
        }
        catch (AslValidationException e)
        {
            throw new AwsJsonException("InvalidDefinition", $"Invalid State Machine Definition: '{string.Join("; ", e.Problems)}'");
        }
        catch (ExecutionRequestException e)
        {
            throw new AwsJsonException(e.Code, e.Message);
        }

        var next = events.FirstOrDefault(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal) && e.StateName != name && e.StateName != seed);
        // The task's own failure (service integration or Lambda); a caught error leaves the execution successful,
        // so the error is read from the event.
        var failure = events.LastOrDefault(e => e.Type is HistoryEventType.TaskFailed or HistoryEventType.TaskTimedOut
            or HistoryEventType.LambdaFunctionFailed or HistoryEventType.LambdaFunctionTimedOut);
        var error = failure?.Details["error"]?.GetValue<string>() ?? result.Error;
        var cause = failure?.Details["cause"]?.GetValue<string>() ?? result.Cause;
        var o = new JsonObject();
        if (error is not null && (failure is not null || result.Status != ExecutionStatus.Succeeded) && Retriable(retriers, error, request))
        {
            // Retry comes before Catch in an execution; TestState reports the retry instead of performing it.
            o["error"] = error;
            o["cause"] = cause;
            o["status"] = "RETRIABLE";
        }
        else if (next is not null)
        {
            o["output"] = next.Input;
            o["nextState"] = next.StateName;
            o["status"] = failure is null ? "SUCCEEDED" : "CAUGHT_ERROR";
            if (failure is not null)
            {
                o["error"] = error;
                o["cause"] = cause;
            }
        }
        else if (result.Status == ExecutionStatus.Succeeded)
        {
            o["output"] = result.Output;
            o["status"] = "SUCCEEDED";
        }
        else
        {
            o["error"] = result.Error;
            o["cause"] = result.Cause;
            o["status"] = "FAILED";
        }

        if (level != "INFO")
        {
            var inspection = Inspection(state, inputNode, events, o["output"]?.GetValue<string>());
            if (type == "Map")
            {
                MapInspection(state, inspection);
            }

            var language = state["QueryLanguage"]?.GetValue<string>() ?? (JsonNode.Parse(definitionText) as JsonObject)?["QueryLanguage"]?.GetValue<string>();
            if (language == "JSONata")
            {
                JsonataInspection(inspection);
            }

            if (ErrorDetails(state, o, request) is { } details)
            {
                inspection["errorDetails"] = details;
            }

            o["inspectionData"] = inspection;
        }

        return o;
    }

    /// <summary>The state under test: the definition itself, or with stateName the named state of a whole machine.</summary>
    private static (string Name, JsonObject State) ReadTestedState(string definition, string? stateName)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(definition) as JsonObject ?? throw new AwsJsonException("InvalidDefinition", "Invalid State Machine Definition: 'definition must be a JSON object'");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new AwsJsonException("InvalidDefinition", $"Invalid State Machine Definition: '{e.Message}'");
        }

        if (stateName is null)
        {
            return (DefaultTestStateName, root);
        }

        return root["States"]?[stateName] is JsonObject named
            ? (stateName, named)
            : throw new AwsJsonException("ValidationException", $"stateName: the definition has no top-level state '{stateName}'");
    }

    /// <summary>Every state the tested state can move to: Next, Catch[].Next, a Choice's Choices[].Next and Default.</summary>
    private static IEnumerable<string> Targets(JsonObject state)
    {
        var names = new List<JsonNode?> { state["Next"], state["Default"] };
        names.AddRange((state["Catch"] as JsonArray ?? []).Select(c => c?["Next"]));
        names.AddRange((state["Choices"] as JsonArray ?? []).Select(c => c?["Next"]));
        return names.OfType<JsonValue>().Select(v => v.GetValue<string>()).Distinct(StringComparer.Ordinal);
    }

    /// <summary>The resource a mocked stand-in calls: only the request's mock answers it.</summary>
    private const string MockResource = "arn:aws:states:::testState:mock";

    /// <summary>
    /// A mocked Map or Parallel runs as a Task state on the mock (AWS runs no iteration or branch either): the mock
    /// result is the state's result, and the fields around it (InputPath, a Parallel's Parameters, ResultSelector,
    /// ResultPath, OutputPath, Assign, Output, Catch, transitions) apply as in the state. A Map's mock result must be
    /// a JSON array, as a Map's result is (Inferred wording of the refusal).
    /// </summary>
    private static JsonObject MockedStandIn(JsonObject state, string type, JsonObject mock)
    {
        if (state["ItemReader"] is not null || state["ItemProcessor"]?["ProcessorConfig"]?["Mode"]?.GetValue<string>() == "DISTRIBUTED")
        {
            throw new AwsJsonException("ValidationException", "definition: a Distributed Map (ItemReader or ProcessorConfig.Mode DISTRIBUTED) is not run by the local TestState");
        }

        if (type == "Map" && mock["result"] is JsonValue result)
        {
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(result.GetValue<string>());
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new AwsJsonException("ValidationException", $"mock.result: not JSON ({e.Message})");
            }

            if (parsed is not JsonArray)
            {
                throw new AwsJsonException("ValidationException", "mock.result: a Map state's mock result must be a JSON array (one element per iteration)");
            }
        }

        var kept = new[] { "Comment", "QueryLanguage", "InputPath", "ResultSelector", "ResultPath", "OutputPath", "Assign", "Output", "Catch", "Retry", "Next", "End" };
        var task = new JsonObject { ["Type"] = "Task", ["Resource"] = MockResource };
        foreach (var field in kept)
        {
            if (state.ContainsKey(field))
            {
                task[field] = state[field]?.DeepClone();
            }
        }

        // A Parallel's Parameters shape the input its branches get, as a Task's shape its request; a Map's
        // Parameters is the legacy name of ItemSelector and applies per item, so it is not carried over.
        if (type == "Parallel" && state.ContainsKey("Parameters"))
        {
            task["Parameters"] = state["Parameters"]?.DeepClone();
        }

        if (type == "Parallel" && state.ContainsKey("Arguments"))
        {
            task["Arguments"] = state["Arguments"]?.DeepClone();
        }

        return task;
    }

    /// <summary>
    /// stateConfiguration: retrierRetryCount for any state; errorCausedByState only with a mocked error on a Map or
    /// Parallel, naming a state inside it; mapIterationFailureCount only on a Map, and no more than its tolerated
    /// failures can absorb is not checked locally (Inferred); mapItemReaderData is for Distributed Map, not run here.
    /// </summary>
    private static void CheckStateConfiguration(JsonObject? configuration, string type, JsonObject state, JsonObject? mock)
    {
        if (configuration is null)
        {
            return;
        }

        if (configuration["mapItemReaderData"] is not null)
        {
            throw new AwsJsonException("ValidationException", "stateConfiguration.mapItemReaderData: applies to a Distributed Map's ItemReader, which the local TestState does not run");
        }

        if (configuration["mapIterationFailureCount"] is not null && type != "Map")
        {
            throw new AwsJsonException("ValidationException", $"stateConfiguration.mapIterationFailureCount: applies to a Map state, not {type}");
        }

        if (configuration["errorCausedByState"] is JsonNode caused)
        {
            if (type is not ("Map" or "Parallel") || mock?["errorOutput"] is null)
            {
                throw new AwsJsonException("ValidationException", "stateConfiguration.errorCausedByState: applies to a Map or Parallel state with mock.errorOutput");
            }

            var inner = type == "Map"
                ? new[] { state["ItemProcessor"] ?? state["Iterator"] }
                : (state["Branches"] as JsonArray ?? []).ToArray();
            var named = caused.GetValue<string>();
            if (!inner.Any(b => b?["States"] is JsonObject states && states.ContainsKey(named)))
            {
                throw new AwsJsonException("ValidationException", $"stateConfiguration.errorCausedByState: '{named}' is not a state inside the {type}");
            }
        }
    }

    /// <summary>
    /// A JSONata state has no InputPath, Parameters, ResultSelector, ResultPath or ItemsPath, so the model leaves
    /// those fields out; its request after Arguments is <c>afterArguments</c> (a Task's, from its run).
    /// </summary>
    private static void JsonataInspection(JsonObject inspection)
    {
        var arguments = inspection["afterParameters"]?.DeepClone();
        foreach (var field in JsonPathOnlyInspection)
        {
            inspection.Remove(field);
        }

        if (arguments is not null)
        {
            inspection["afterArguments"] = arguments;
        }
    }

    private static readonly string[] JsonPathOnlyInspection = ["afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath", "afterItemsPath"];

    /// <summary>A Map's own inspection fields: its items after ItemsPath, and its concurrency and tolerance settings.</summary>
    private static void MapInspection(JsonObject state, JsonObject inspection)
    {
        var input = inspection["afterInputPath"]?.GetValue<string>() is { } text ? JsonNode.Parse(text) : null;
        var items = input;
        if (state["ItemsPath"] is JsonValue ip && JsonPath.TryParse(ip.GetValue<string>(), out var path, out _) && path is not null)
        {
            items = path.TryEvaluate(input, out var v) ? v : null;
        }

        inspection["afterItemsPath"] = JsonValues.ToJson(items);
        // The stand-in Task's request is not a Map's: its Parameters (ItemSelector) applies per item, never run here.
        inspection.Remove("afterParameters");
        if (state["MaxConcurrency"] is JsonValue max)
        {
            inspection["maxConcurrency"] = max.GetValue<int>();
        }

        if (state["ToleratedFailureCount"] is JsonValue count)
        {
            inspection["toleratedFailureCount"] = count.GetValue<int>();
        }

        if (state["ToleratedFailurePercentage"] is JsonValue percentage)
        {
            inspection["toleratedFailurePercentage"] = percentage.GetValue<double>();
        }
    }

    /// <summary>".sync", ".sync:2" or ".waitForTaskToken" when the resource ends with one, else null.</summary>
    private static string? CallbackOrJobPattern(string resource) =>
        Patterns.FirstOrDefault(p => resource.EndsWith(p, StringComparison.Ordinal));

    // ".sync:2" before ".sync", so the longer suffix is the one cut off.
    private static readonly string[] Patterns = [".sync:2", ".sync", ".waitForTaskToken"];



    /// <summary>Whether an ErrorEquals list matches the error, as an execution's Retry and Catch match it.</summary>
    private static bool Matches(JsonObject handler, string error)
    {
        var names = (handler["ErrorEquals"] as JsonArray ?? []).OfType<JsonValue>().Select(v => v.GetValue<string>()).ToList();
        return names.Contains(error) || names.Contains("States.ALL") || (names.Contains("States.TaskFailed") && error != "States.Timeout");
    }

    /// <summary>
    /// inspectionData.errorDetails for a handled error: the matching retrier's index and the backoff it would wait
    /// (IntervalSeconds × BackoffRate^retrierRetryCount, capped by MaxDelaySeconds, no jitter) when RETRIABLE; the
    /// matching catcher's index when CAUGHT_ERROR. Null otherwise.
    /// </summary>
    private static JsonObject? ErrorDetails(JsonObject state, JsonObject outcome, JsonObject request)
    {
        var status = outcome["status"]?.GetValue<string>();
        var error = outcome["error"]?.GetValue<string>();
        if (error is null)
        {
            return null;
        }

        if (status == "RETRIABLE")
        {
            var retriers = (state["Retry"] as JsonArray ?? []).ToList();
            var index = retriers.FindIndex(r => r is JsonObject o && Matches(o, error));
            if (index < 0)
            {
                return null;
            }

            var retrier = (JsonObject)retriers[index]!;
            var done = Fields.Integer(request["stateConfiguration"] as JsonObject ?? [], "retrierRetryCount", 0, int.MaxValue) ?? 0;
            var interval = retrier["IntervalSeconds"] is JsonValue i ? i.GetValue<double>() : 1;
            var rate = retrier["BackoffRate"] is JsonValue b ? b.GetValue<double>() : 2;
            var backoff = interval * Math.Pow(rate, done);
            if (retrier["MaxDelaySeconds"] is JsonValue max)
            {
                backoff = Math.Min(backoff, max.GetValue<double>());
            }

            return new JsonObject { ["retryIndex"] = index, ["retryBackoffIntervalSeconds"] = (int)Math.Min(backoff, int.MaxValue) };
        }

        if (status == "CAUGHT_ERROR")
        {
            var index = (state["Catch"] as JsonArray ?? []).ToList().FindIndex(c => c is JsonObject o && Matches(o, error));
            return index < 0 ? null : new JsonObject { ["catchIndex"] = index };
        }

        return null;
    }

    /// <summary>Whether a retrier with attempts left (after stateConfiguration.retrierRetryCount) matches the error.</summary>
    private static bool Retriable(JsonArray? retriers, string error, JsonObject request)
    {
        var done = Fields.Integer(request["stateConfiguration"] as JsonObject ?? [], "retrierRetryCount", 0, int.MaxValue) ?? 0;
        foreach (var r in retriers?.OfType<JsonObject>() ?? [])
        {
            if (Matches(r, error))
            {
                // The first matching retrier decides, as in an execution.
                var max = r["MaxAttempts"] is JsonValue m ? m.GetValue<int>() : 3;
                return done < max;
            }
        }

        return false;
    }

    /// <summary>
    /// DEBUG/TRACE data flow. Read from the run where the history has it (a task's parameters and result); the
    /// InputPath step is evaluated here. TRACE adds HTTP request/response only for HTTP tasks, which the local
    /// engine does not perform, so TRACE answers what DEBUG does (Inferred).
    /// </summary>
    private static JsonObject Inspection(JsonObject state, JsonNode? input, List<HistoryEvent> events, string? output)
    {
        var d = new JsonObject { ["input"] = JsonValues.ToJson(input) };
        var afterInputPath = input;
        if (state["InputPath"] is JsonValue ip && JsonPath.TryParse(ip.GetValue<string>(), out var path, out _) && path is not null)
        {
            afterInputPath = path.TryEvaluate(input, out var v) ? v : null;
        }
        else if (state.ContainsKey("InputPath") && state["InputPath"] is null)
        {
            afterInputPath = new JsonObject();
        }

        d["afterInputPath"] = JsonValues.ToJson(afterInputPath);
        if (events.FirstOrDefault(e => e.Type is HistoryEventType.TaskScheduled or HistoryEventType.LambdaFunctionScheduled) is { } scheduled)
        {
            d["afterParameters"] = (scheduled.Details["parameters"] ?? scheduled.Details["input"])?.DeepClone();
        }
        else if (!state.ContainsKey("Parameters"))
        {
            d["afterParameters"] = d["afterInputPath"]?.DeepClone();
        }
        else
        {
            // A Pass state's Parameters: evaluated here on the InputPath's selection (no $$ context in TestState).
            try
            {
                var resolved = PayloadTemplate.Compile(state["Parameters"]).Resolve(
                    new PathScope(afterInputPath, new JsonObject(), new Random(0)),
                    message => new Engine.Errors.StatesException(message));
                d["afterParameters"] = JsonValues.ToJson(resolved);
            }
            catch (Exception e) when (e is FormatException or Engine.Errors.StatesException)
            {
                // The run itself reports the failure; the inspection leaves the step out.
            }
        }

        if (events.FirstOrDefault(e => e.Type is HistoryEventType.TaskSucceeded or HistoryEventType.LambdaFunctionSucceeded) is { } succeeded)
        {
            d["result"] = succeeded.Details["output"]?.DeepClone();
            if (!state.ContainsKey("ResultSelector"))
            {
                d["afterResultSelector"] = d["result"]?.DeepClone();
            }
        }

        if (output is not null)
        {
            d["afterResultPath"] = output;
        }

        return d;
    }

    /// <summary>Answers every task with the request's mock: its result, or its errorOutput as a task failure.</summary>
    private sealed class MockInvoker(JsonObject mock) : ITaskInvoker
    {
        public bool CanInvoke(string resource) => true;

        public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
        {
            if (mock["errorOutput"] is JsonObject error)
            {
                var name = error["error"]?.GetValue<string>() ?? throw new AwsJsonException("ValidationException", "mock.errorOutput.error: required when errorOutput is given");
                throw new Engine.Errors.TaskError(name, error["cause"]?.GetValue<string>());
            }

            var text = mock["result"]?.GetValue<string>() ?? throw new AwsJsonException("ValidationException", "mock: give result or errorOutput");
            try
            {
                return Task.FromResult(JsonNode.Parse(text));
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new AwsJsonException("ValidationException", $"mock.result: not JSON ({e.Message})");
            }
        }
    }
}
