using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Engine;
using Workflows.Engine.Definition;
using Workflows.Engine.History;
using Workflows.Host.AwsJson;

namespace Workflows.Host.StepFunctions;

/// <summary>
/// The Step Functions API (2016-11-23, awsJson1_0, target prefix AWSStepFunctions) over the local ASL engine:
/// state machines, executions that run in the background, their histories, stop and redrive. Shapes and error
/// names follow the service model (service-2.json).
/// </summary>
public sealed partial class StepFunctionsService : IAwsJsonService, IAsyncDisposable
{
    private const int DefaultPageSize = 100;
    private const int MaxTags = 50;
    private const string InterruptedCause = "The local host stopped while the execution was running; redrive it to resume from the state that was running (Inferred).";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, StateMachineRecord> _machines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExecutionRecord> _executions = new(StringComparer.Ordinal);
    private readonly List<ExecutionRecord> _executionOrder = [];
    private readonly StepFunctionsStore _store;
    private readonly SemaphoreSlim _virtualTurn = new(1, 1);
    private readonly Random _names;
    private readonly CancellationTokenSource _shutdown = new();

    /// <exception cref="InvalidDataException">A file in the state directory cannot be read.</exception>
    public StepFunctionsService(StepFunctionsOptions? options = null)
    {
        Options = options ?? new StepFunctionsOptions();
#pragma warning disable CA5394 // Seeded for reproducible names, not secrets.
        _names = Options.Seed is { } seed ? new Random(seed) : new Random();
#pragma warning restore CA5394
        _store = new StepFunctionsStore(Options.StateDirectory);
        var (machines, executions) = _store.Load();
        foreach (var m in machines)
        {
            _machines[m.Arn] = m;
        }

        foreach (var e in executions.OrderBy(e => e.StartDate))
        {
            if (e.Status == "RUNNING")
            {
                MarkInterrupted(e);
            }

            e.Closed.TrySetResult();
            _executions[e.Arn] = e;
            _executionOrder.Add(e);
        }
    }

    public StepFunctionsOptions Options { get; }

    public string TargetPrefix => "AWSStepFunctions";

    public string SigningName => "states";

    public string DisplayName => "Step Functions";

    private TimeProvider Clock => (TimeProvider?)Options.VirtualClock ?? Options.Time;

    /// <summary>The ARN a machine of this name has here.</summary>
    public string StateMachineArn(string name) => $"arn:aws:states:{Options.Region}:{Options.Account}:stateMachine:{name}";

    /// <summary>Completes when the execution has closed (succeeded, failed, timed out or aborted): the completion
    /// signal tests and in-process callers wait on instead of polling the wall clock.</summary>
    /// <exception cref="AwsJsonException">ExecutionDoesNotExist.</exception>
    public Task WhenClosedAsync(string executionArn)
    {
        lock (_gate)
        {
            return _executions.TryGetValue(executionArn, out var e)
                ? e.Closed.Task
                : throw new AwsJsonException("ExecutionDoesNotExist", $"Execution Does Not Exist: '{executionArn}'");
        }
    }

    public Task<JsonObject> HandleAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return operation switch
        {
            "CreateStateMachine" => Task.FromResult(CreateStateMachine(request)),
            "UpdateStateMachine" => Task.FromResult(UpdateStateMachine(request)),
            "DescribeStateMachine" => Task.FromResult(DescribeStateMachine(request)),
            "ListStateMachines" => Task.FromResult(ListStateMachines(request)),
            "DeleteStateMachine" => Task.FromResult(DeleteStateMachine(request)),
            "ValidateStateMachineDefinition" => Task.FromResult(ValidateStateMachineDefinition(request)),
            "StartExecution" => StartExecutionAsync(request),
            "StartSyncExecution" => StartSyncExecutionAsync(request, cancellationToken),
            "DescribeExecution" => Task.FromResult(DescribeExecution(request)),
            "ListExecutions" => Task.FromResult(ListExecutions(request)),
            "GetExecutionHistory" => Task.FromResult(GetExecutionHistory(request)),
            "StopExecution" => StopExecutionAsync(request),
            "RedriveExecution" => Task.FromResult(RedriveExecution(request)),
            "DescribeStateMachineForExecution" => Task.FromResult(DescribeStateMachineForExecution(request)),
            "TagResource" => Task.FromResult(TagResource(request)),
            "UntagResource" => Task.FromResult(UntagResource(request)),
            "ListTagsForResource" => Task.FromResult(ListTagsForResource(request)),
            "TestState" => TestStateAsync(request, cancellationToken),
            _ => throw new AwsJsonException("UnknownOperationException", $"The local Step Functions service does not implement {operation}"),
        };
    }

    // ---- state machines -------------------------------------------------------------------------------------

    private JsonObject CreateStateMachine(JsonObject request)
    {
        var name = Fields.Required(request, "name");
        var definition = Fields.Required(request, "definition");
        var roleArn = CheckRole(Fields.Required(request, "roleArn"));
        var type = Fields.Enum(request, "type", "STANDARD", "STANDARD", "EXPRESS");
        CheckMachineName(name);
        CheckDefinition(definition);
        var tags = ReadTags(request, "tags");
        var arn = StateMachineArn(name);
        StateMachineRecord machine;
        lock (_gate)
        {
            if (_machines.TryGetValue(arn, out var existing))
            {
                // Idempotent as on AWS: the same request again answers the machine it made.
                if (existing.Definition == definition && existing.RoleArn == roleArn && existing.Type == type)
                {
                    return new JsonObject { ["stateMachineArn"] = arn, ["creationDate"] = Fields.Timestamp(existing.CreationDate) };
                }

                throw new AwsJsonException("StateMachineAlreadyExists", $"State Machine Already Exists: '{arn}'");
            }

            machine = new StateMachineRecord
            {
                Arn = arn,
                Name = name,
                Type = type,
                Definition = definition,
                RoleArn = roleArn,
                CreationDate = Clock.GetUtcNow(),
                LoggingConfiguration = request["loggingConfiguration"]?.DeepClone() as JsonObject,
                TracingConfiguration = request["tracingConfiguration"]?.DeepClone() as JsonObject,
            };
            machine.Tags.AddRange(tags);
            _machines[arn] = machine;
            _store.SaveMachines(_machines.Values);
        }

        return new JsonObject { ["stateMachineArn"] = arn, ["creationDate"] = Fields.Timestamp(machine.CreationDate) };
    }

    private JsonObject UpdateStateMachine(JsonObject request)
    {
        var arn = Fields.Required(request, "stateMachineArn");
        var definition = Fields.Optional(request, "definition");
        var roleArn = Fields.Optional(request, "roleArn");
        var logging = request["loggingConfiguration"] as JsonObject;
        var tracing = request["tracingConfiguration"] as JsonObject;
        if (definition is null && roleArn is null && logging is null && tracing is null)
        {
            throw new AwsJsonException("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified");
        }

        if (definition is not null)
        {
            CheckDefinition(definition);
        }

        if (roleArn is not null)
        {
            CheckRole(roleArn);
        }

        lock (_gate)
        {
            var machine = Machine(arn);
            machine.Definition = definition ?? machine.Definition;
            machine.RoleArn = roleArn ?? machine.RoleArn;
            machine.LoggingConfiguration = (logging?.DeepClone() as JsonObject) ?? machine.LoggingConfiguration;
            machine.TracingConfiguration = (tracing?.DeepClone() as JsonObject) ?? machine.TracingConfiguration;
            machine.UpdateDate = Clock.GetUtcNow();
            machine.RevisionId = NewId();
            _store.SaveMachines(_machines.Values);
            return new JsonObject { ["updateDate"] = Fields.Timestamp(machine.UpdateDate.Value), ["revisionId"] = machine.RevisionId };
        }
    }

    private JsonObject DescribeStateMachine(JsonObject request)
    {
        var arn = Fields.Required(request, "stateMachineArn");
        lock (_gate)
        {
            var m = Machine(arn);
            var o = new JsonObject
            {
                ["stateMachineArn"] = m.Arn,
                ["name"] = m.Name,
                ["status"] = "ACTIVE",
                ["definition"] = m.Definition,
                ["roleArn"] = m.RoleArn,
                ["type"] = m.Type,
                ["creationDate"] = Fields.Timestamp(m.CreationDate),
                ["loggingConfiguration"] = m.LoggingConfiguration?.DeepClone() ?? new JsonObject { ["level"] = "OFF", ["includeExecutionData"] = false },
                ["tracingConfiguration"] = m.TracingConfiguration?.DeepClone() ?? new JsonObject { ["enabled"] = false },
            };
            if (m.RevisionId is not null)
            {
                o["revisionId"] = m.RevisionId;
            }

            return o;
        }
    }

    private JsonObject ListStateMachines(JsonObject request)
    {
        var size = Fields.Integer(request, "maxResults", 0, 1000) is { } n and > 0 ? n : DefaultPageSize;
        List<StateMachineRecord> all;
        lock (_gate)
        {
            all = [.. _machines.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];
        }

        var (page, next) = Page(all, Fields.Optional(request, "nextToken"), size);
        var o = new JsonObject
        {
            ["stateMachines"] = new JsonArray([.. page.Select(m => (JsonNode)new JsonObject
            {
                ["stateMachineArn"] = m.Arn,
                ["name"] = m.Name,
                ["type"] = m.Type,
                ["creationDate"] = Fields.Timestamp(m.CreationDate),
            })]),
        };
        if (next is not null)
        {
            o["nextToken"] = next;
        }

        return o;
    }

    private JsonObject DeleteStateMachine(JsonObject request)
    {
        var arn = Fields.Required(request, "stateMachineArn");
        CheckArn(arn, "stateMachine");
        lock (_gate)
        {
            // Deleting what is not there succeeds, as on AWS. Running executions run on to their end (Inferred:
            // AWS lets them finish before the machine goes).
            if (_machines.Remove(arn))
            {
                _store.SaveMachines(_machines.Values);
            }
        }

        return [];
    }

    private static JsonObject ValidateStateMachineDefinition(JsonObject request)
    {
        var definition = Fields.Required(request, "definition");
        Fields.Enum(request, "type", "STANDARD", "STANDARD", "EXPRESS");
        Fields.Enum(request, "severity", "ERROR", "ERROR", "WARNING");
        var max = Fields.Integer(request, "maxResults", 0, 100) is { } n and > 0 ? n : 100;
        var problems = Problems(definition);
        var diagnostics = problems.Take(max).Select(p => (JsonNode)new JsonObject
        {
            ["severity"] = "ERROR",
            ["code"] = "SCHEMA_VALIDATION_FAILED",
            ["message"] = p.Message,
            ["location"] = Location(p),
        });
        return new JsonObject
        {
            ["result"] = problems.Count == 0 ? "OK" : "FAIL",
            ["diagnostics"] = new JsonArray([.. diagnostics]),
            ["truncated"] = problems.Count > max,
        };
    }

    // ---- executions -----------------------------------------------------------------------------------------

    private Task<JsonObject> StartExecutionAsync(JsonObject request)
    {
        // Inferred: an asynchronous Express execution runs as a Standard one does, so it can be described here.
        var (machine, name, input, trace) = ReadStart(request);
        ExecutionRecord record;
        lock (_gate)
        {
            var arn = ExecutionArn(machine.Name, name);
            if (_executions.TryGetValue(arn, out var existing))
            {
                // AWS: the same name and input as a running execution answer that execution; anything else is refused.
                if (!existing.IsClosed && existing.Input == input)
                {
                    return Task.FromResult(new JsonObject { ["executionArn"] = arn, ["startDate"] = Fields.Timestamp(existing.StartDate) });
                }

                throw new AwsJsonException("ExecutionAlreadyExists", $"Execution Already Exists: '{arn}'");
            }

            record = NewExecution(machine, arn, name, input, trace);
        }

        Launch(record, startAt: null, stateInput: input);
        return Task.FromResult(new JsonObject { ["executionArn"] = record.Arn, ["startDate"] = Fields.Timestamp(record.StartDate) });
    }

    private async Task<JsonObject> StartSyncExecutionAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var (machine, name, input, trace) = ReadStart(request);
        if (machine.Type != "EXPRESS")
        {
            throw new AwsJsonException("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
        }

        var engine = NewEngine(machine.Name, machine.RoleArn, ExecutionType.Express, null, 0, null);
        ExecutionResult result;
        try
        {
            result = await RunTurnAsync(() => engine.StartExecutionAsync(machine.Definition, input, name, cancellationToken), cancellationToken);
        }
        catch (ExecutionRequestException e)
        {
            throw new AwsJsonException(e.Code, e.Message);
        }
        catch (AslValidationException e)
        {
            throw new AwsJsonException("InvalidDefinition", $"Invalid State Machine Definition: '{string.Join("; ", e.Problems)}'");
        }

        // Express executions keep no history on AWS (Inferred: nor here; the response carries the outcome).
        var o = new JsonObject
        {
            ["executionArn"] = result.ExecutionArn,
            ["stateMachineArn"] = machine.Arn,
            ["name"] = result.Name,
            ["startDate"] = Fields.Timestamp(result.StartDate),
            ["stopDate"] = Fields.Timestamp(result.StopDate),
            ["status"] = result.Status == ExecutionStatus.Aborted ? "FAILED" : result.StatusText,
            ["input"] = result.Input,
            ["inputDetails"] = new JsonObject { ["included"] = true },
            ["billingDetails"] = new JsonObject
            {
                ["billedMemoryUsedInMB"] = 64,
                ["billedDurationInMilliseconds"] = Math.Max(100, (long)Math.Ceiling((result.StopDate - result.StartDate).TotalMilliseconds / 100) * 100),
            },
        };
        if (result.Output is not null)
        {
            o["output"] = result.Output;
            o["outputDetails"] = new JsonObject { ["included"] = true };
        }

        if (result.Error is not null)
        {
            o["error"] = result.Error;
        }

        if (result.Cause is not null)
        {
            o["cause"] = result.Cause;
        }

        return o;
    }

    private JsonObject DescribeExecution(JsonObject request)
    {
        var arn = Fields.Required(request, "executionArn");
        var e = Execution(arn);
        lock (e)
        {
            var o = new JsonObject
            {
                ["executionArn"] = e.Arn,
                ["stateMachineArn"] = e.StateMachineArn,
                ["name"] = e.Name,
                ["status"] = e.Status,
                ["startDate"] = Fields.Timestamp(e.StartDate),
                ["input"] = e.Input,
                ["inputDetails"] = new JsonObject { ["included"] = true },
            };
            if (e.StopDate is { } stop)
            {
                o["stopDate"] = Fields.Timestamp(stop);
            }

            if (e.Output is not null)
            {
                o["output"] = e.Output;
                o["outputDetails"] = new JsonObject { ["included"] = true };
            }

            if (e.TraceHeader is not null)
            {
                o["traceHeader"] = e.TraceHeader;
            }

            if (e.Error is not null)
            {
                o["error"] = e.Error;
            }

            if (e.Cause is not null)
            {
                o["cause"] = e.Cause;
            }

            o["redriveCount"] = e.RedriveCount;
            if (e.RedriveDate is { } redriven)
            {
                o["redriveDate"] = Fields.Timestamp(redriven);
            }

            var (redrivable, reason) = Redrivability(e);
            o["redriveStatus"] = redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE";
            if (reason is not null)
            {
                o["redriveStatusReason"] = reason;
            }

            return o;
        }
    }

    private JsonObject ListExecutions(JsonObject request)
    {
        var machineArn = Fields.Optional(request, "stateMachineArn");
        if (Fields.Optional(request, "mapRunArn") is not null)
        {
            throw new AwsJsonException("ValidationException", "mapRunArn: Distributed Map runs are not listed by the local service (their items run inline)");
        }

        if (machineArn is null)
        {
            throw new AwsJsonException("ValidationException", "Must provide a StateMachine ARN or MapRun ARN");
        }

        var status = request["statusFilter"] is null ? null : Fields.Enum(request, "statusFilter", string.Empty, "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE");
        var redrive = request["redriveFilter"] is null ? null : Fields.Enum(request, "redriveFilter", string.Empty, "REDRIVEN", "NOT_REDRIVEN");
        var size = Fields.Integer(request, "maxResults", 0, 1000) is { } n and > 0 ? n : DefaultPageSize;
        List<ExecutionRecord> all;
        lock (_gate)
        {
            var machine = Machine(machineArn);
            // Newest first, as the service lists them.
            all = [.. _executionOrder.Where(e => e.StateMachineArn == machine.Arn).Reverse()];
        }

        all = [.. all.Where(e => (status is null || e.Status == status) && (redrive is null || (redrive == "REDRIVEN") == (e.RedriveCount > 0)))];
        var (page, next) = Page(all, Fields.Optional(request, "nextToken"), size);
        var items = new JsonArray();
        foreach (var e in page)
        {
            lock (e)
            {
                var item = new JsonObject
                {
                    ["executionArn"] = e.Arn,
                    ["stateMachineArn"] = e.StateMachineArn,
                    ["name"] = e.Name,
                    ["status"] = e.Status,
                    ["startDate"] = Fields.Timestamp(e.StartDate),
                };
                if (e.StopDate is { } stop)
                {
                    item["stopDate"] = Fields.Timestamp(stop);
                }

                item["redriveCount"] = e.RedriveCount;
                if (e.RedriveDate is { } r)
                {
                    item["redriveDate"] = Fields.Timestamp(r);
                }

                items.Add(item);
            }
        }

        var o = new JsonObject { ["executions"] = items };
        if (next is not null)
        {
            o["nextToken"] = next;
        }

        return o;
    }

    private JsonObject GetExecutionHistory(JsonObject request)
    {
        var e = Execution(Fields.Required(request, "executionArn"));
        var size = Fields.Integer(request, "maxResults", 0, 1000) is { } n and > 0 ? n : DefaultPageSize;
        var reverse = Fields.Boolean(request, "reverseOrder") ?? false;
        var includeData = Fields.Boolean(request, "includeExecutionData") ?? true;
        List<JsonObject> events;
        lock (e)
        {
            events = [.. e.Events];
        }

        if (reverse)
        {
            events.Reverse();
        }

        var (page, next) = Page(events, Fields.Optional(request, "nextToken"), size);
        var o = new JsonObject
        {
            ["events"] = new JsonArray([.. page.Select(x => (JsonNode)(includeData ? x.DeepClone() : WithoutData(x)))]),
        };
        if (next is not null)
        {
            o["nextToken"] = next;
        }

        return o;
    }

    private async Task<JsonObject> StopExecutionAsync(JsonObject request)
    {
        var e = Execution(Fields.Required(request, "executionArn"));
        var error = Fields.Optional(request, "error");
        var cause = Fields.Optional(request, "cause");
        CancellationTokenSource? stop;
        lock (e)
        {
            if (e.IsClosed)
            {
                throw new AwsJsonException("ValidationException", $"Execution '{e.Arn}' is not running (its status is {e.Status}); only a RUNNING execution can be stopped (Inferred wording)");
            }

            e.StopRequest = (error, cause);
            stop = e.Stop;
        }

        if (stop is not null)
        {
            await stop.CancelAsync();
        }

        await e.Closed.Task;
        lock (e)
        {
            return new JsonObject { ["stopDate"] = Fields.Timestamp(e.StopDate ?? Clock.GetUtcNow()) };
        }
    }

    private JsonObject RedriveExecution(JsonObject request)
    {
        var e = Execution(Fields.Required(request, "executionArn"));
        string? startAt;
        string stateInput;
        lock (e)
        {
            var (redrivable, reason) = Redrivability(e);
            if (!redrivable)
            {
                throw new AwsJsonException("ExecutionNotRedrivable", reason ?? $"Execution '{e.Arn}' cannot be redriven");
            }

            (startAt, stateInput) = RedrivePoint(e);
            var now = Clock.GetUtcNow();
            e.RedriveCount++;
            e.RedriveDate = now;
            e.Status = "RUNNING";
            e.StopDate = null;
            e.Output = null;
            e.Error = null;
            e.Cause = null;
            e.StopRequest = null;
            e.Closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _store.SaveExecution(e);
        }

        Launch(e, startAt, stateInput);
        lock (e)
        {
            return new JsonObject { ["redriveDate"] = Fields.Timestamp(e.RedriveDate!.Value) };
        }
    }

    private JsonObject DescribeStateMachineForExecution(JsonObject request)
    {
        var e = Execution(Fields.Required(request, "executionArn"));
        var o = new JsonObject
        {
            ["stateMachineArn"] = e.StateMachineArn,
            ["name"] = e.StateMachineName,
            ["definition"] = e.Definition,
            ["roleArn"] = e.RoleArn,
            ["updateDate"] = Fields.Timestamp(e.StateMachineUpdateDate),
            ["loggingConfiguration"] = new JsonObject { ["level"] = "OFF", ["includeExecutionData"] = false },
            ["tracingConfiguration"] = new JsonObject { ["enabled"] = false },
        };
        if (e.RevisionId is not null)
        {
            o["revisionId"] = e.RevisionId;
        }

        return o;
    }

    // ---- tags ---------------------------------------------------------------------------------------------------

    private JsonObject TagResource(JsonObject request)
    {
        var arn = Fields.Required(request, "resourceArn");
        if (request["tags"] is null)
        {
            Fields.Required(request, "tags");
        }

        var tags = ReadTags(request, "tags");
        lock (_gate)
        {
            var m = Tagged(arn);
            foreach (var tag in tags)
            {
                m.Tags.RemoveAll(t => t.Key == tag.Key);
                m.Tags.Add(tag);
            }

            if (m.Tags.Count > MaxTags)
            {
                foreach (var tag in tags)
                {
                    m.Tags.Remove(tag);
                }

                throw new AwsJsonException("TooManyTags", string.Create(CultureInfo.InvariantCulture, $"Too many tags: a resource can have at most {MaxTags}"));
            }

            _store.SaveMachines(_machines.Values);
        }

        return [];
    }

    private JsonObject UntagResource(JsonObject request)
    {
        var arn = Fields.Required(request, "resourceArn");
        var keys = Fields.Array(request, "tagKeys") ?? throw new AwsJsonException("ValidationException", "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        lock (_gate)
        {
            var m = Tagged(arn);
            var names = keys.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            m.Tags.RemoveAll(t => names.Contains(t.Key));
            _store.SaveMachines(_machines.Values);
        }

        return [];
    }

    private JsonObject ListTagsForResource(JsonObject request)
    {
        var arn = Fields.Required(request, "resourceArn");
        lock (_gate)
        {
            var m = Tagged(arn);
            return new JsonObject
            {
                ["tags"] = new JsonArray([.. m.Tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value })]),
            };
        }
    }

    private StateMachineRecord Tagged(string arn)
    {
        var kind = CheckArn(arn, null);
        if (kind != "stateMachine")
        {
            throw new AwsJsonException("InvalidArn", $"Invalid Arn: 'Resource type not valid in this context: {kind}'");
        }

        return _machines.TryGetValue(arn, out var m) ? m : throw new AwsJsonException("ResourceNotFound", $"Resource not found: '{arn}'");
    }

    public async ValueTask DisposeAsync()
    {
        // Running executions are stopped and left RUNNING on disk: the next start marks them interrupted.
        await _shutdown.CancelAsync();
        List<Task> open;
        lock (_gate)
        {
            open = [.. _executionOrder.Select(e => e.Closed.Task)];
        }

        await Task.WhenAll(open);
        _shutdown.Dispose();
        _virtualTurn.Dispose();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private string NewId()
    {
        var bytes = new byte[16];
        lock (_names)
        {
#pragma warning disable CA5394 // Seeded ids for reproducible runs.
            _names.NextBytes(bytes);
#pragma warning restore CA5394
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private string ExecutionArn(string machine, string name) => $"arn:aws:states:{Options.Region}:{Options.Account}:execution:{machine}:{name}";

    private StateMachineRecord Machine(string arn)
    {
        CheckArn(arn, "stateMachine");
        lock (_gate)
        {
            return _machines.TryGetValue(arn, out var m) ? m : throw new AwsJsonException("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{arn}'");
        }
    }

    private ExecutionRecord Execution(string arn)
    {
        CheckArn(arn, "execution");
        lock (_gate)
        {
            return _executions.TryGetValue(arn, out var e) ? e : throw new AwsJsonException("ExecutionDoesNotExist", $"Execution Does Not Exist: '{arn}'");
        }
    }

    /// <summary>An ARN of this service: arn:aws:states:region:account:kind:rest. Returns the kind.</summary>
    private static string CheckArn(string arn, string? expected)
    {
        var parts = arn.Split(':');
        if (parts.Length < 7 || parts[0] != "arn" || parts[2] != "states" || parts[3].Length == 0 || parts[4].Length == 0 || parts[6].Length == 0)
        {
            throw new AwsJsonException("InvalidArn", $"Invalid Arn: '{arn}'");
        }

        if (expected is not null && parts[5] != expected)
        {
            throw new AwsJsonException("InvalidArn", $"Invalid Arn: 'Resource type not valid in this context: {parts[5]}'");
        }

        return parts[5];
    }

    private static void CheckMachineName(string name)
    {
        try
        {
            AslEngine.ValidateName(name);
        }
        catch (ExecutionRequestException)
        {
            throw new AwsJsonException("InvalidName", $"Invalid Name: '{name}' (1 to 80 characters, no whitespace, brackets, wildcards or the characters \" # % \\ ^ | ~ ` $ & , ; : /)");
        }
    }

    private static string CheckRole(string roleArn) =>
        roleArn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) && roleArn.Contains(":role/", StringComparison.Ordinal)
            ? roleArn
            : throw new AwsJsonException("InvalidArn", $"Invalid Arn: 'roleArn' must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got '{roleArn}'");

    private static void CheckDefinition(string definition)
    {
        var problems = Problems(definition);
        if (problems.Count > 0)
        {
            throw new AwsJsonException("InvalidDefinition", $"Invalid State Machine Definition: '{string.Join("; ", problems.Select(p => $"SCHEMA_VALIDATION_FAILED: {p.Message} at {Location(p)}"))}'");
        }
    }

    private static IReadOnlyList<AslProblem> Problems(string definition)
    {
        try
        {
            AslEngine.Load(definition);
            return [];
        }
        catch (AslValidationException e)
        {
            return e.Problems;
        }
        catch (System.Text.Json.JsonException e)
        {
            return [new AslProblem(null, null, $"INVALID_JSON_DESCRIPTION: {e.Message}")];
        }
    }

    // Where a problem is, as a JSON pointer the diagnostics' "location" uses (Inferred for nested states: the name alone).
    private static string Location(AslProblem p) =>
        (p.State, p.Field) switch
        {
            (null, null) => "/",
            (null, { } f) => "/" + f,
            ({ } s, null) => "/States/" + s,
            ({ } s, { } f) => $"/States/{s}/{f}",
        };

    private static List<KeyValuePair<string, string>> ReadTags(JsonObject request, string member)
    {
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var node in Fields.Array(request, member) ?? [])
        {
            if (node is not JsonObject tag || Fields.Optional(tag, "key") is not { Length: > 0 } key)
            {
                throw new AwsJsonException("ValidationException", $"{member}: every tag needs a non-empty 'key'");
            }

            tags.RemoveAll(t => t.Key == key);
            tags.Add(KeyValuePair.Create(key, Fields.Optional(tag, "value") ?? string.Empty));
        }

        return tags.Count > MaxTags
            ? throw new AwsJsonException("TooManyTags", string.Create(CultureInfo.InvariantCulture, $"Too many tags: a resource can have at most {MaxTags}"))
            : tags;
    }

    /// <summary>Pages by position: the token is the next index, opaque to callers.</summary>
    private static (List<T> Page, string? Next) Page<T>(List<T> all, string? token, int size)
    {
        var start = 0;
        if (token is not null)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
                if (!text.StartsWith("i:", StringComparison.Ordinal) || !int.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Count)
                {
                    throw new FormatException();
                }
            }
            catch (FormatException)
            {
                throw new AwsJsonException("InvalidToken", $"Invalid Token: '{token}'");
            }
        }

        var page = all.Skip(start).Take(size).ToList();
        var end = start + page.Count;
        return (page, end < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"i:{end}"))) : null);
    }

    private static JsonObject WithoutData(JsonObject e)
    {
        var copy = (JsonObject)e.DeepClone();
        foreach (var (_, details) in copy)
        {
            if (details is JsonObject d)
            {
                d.Remove("input");
                d.Remove("output");
            }
        }

        return copy;
    }
}
