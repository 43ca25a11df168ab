using System.Text.Json.Nodes;
using Workflows.Engine.History;
using Workflows.Engine.Paths;
using Workflows.Engine.Time;

namespace Workflows.Engine.Runtime;

/// <summary>
/// One thread of control inside an execution: the main path, a Parallel branch or a Map iteration. It carries the
/// chain of history events (previousEventId) and the cancellation that stops it when a sibling fails or the
/// execution times out.
/// </summary>
internal sealed class Fiber(ExecutionRun run, long lastEventId, CancellationToken token, VariableScope? variables = null)
{
    public ExecutionRun Run { get; } = run;

    /// <summary>The workflow variables this fiber reads and assigns; a branch or iteration has its own scope.</summary>
    public VariableScope Variables { get; } = variables ?? new VariableScope(null);

    public long LastEventId { get; private set; } = lastEventId;

    public CancellationToken Token { get; } = token;

    /// <summary>
    /// $$.Execution and $$.StateMachine for this fiber when it runs a Distributed Map's child workflow execution
    /// (null: the execution's own). Inherited by the fiber's children (Parallel/Map inside the child workflow).
    /// </summary>
    public ChildExecutionContext? ChildExecution { get; set; }

    public Fiber Child(CancellationToken token) =>
        new(Run, LastEventId, token, Variables.Child()) { ChildExecution = ChildExecution };

    /// <summary>Appends an event unless this fiber was cancelled (aborted branches leave no trace after the abort).</summary>
    public HistoryEvent? Record(string type, JsonObject? details = null) =>
        CanRecord() ? Recorded(Run.History.Append(type, LastEventId, details)) : null;

    /// <summary>A state entered/exited event, carrying the state's input or output node (serialised when read).</summary>
    public HistoryEvent? RecordState(string type, string stateName, StatePayload payloadKind, JsonNode? payload) =>
        CanRecord() ? Recorded(Run.History.AppendState(type, LastEventId, stateName, payloadKind, payload)) : null;

    private bool CanRecord()
    {
        if (Token.IsCancellationRequested)
        {
            return false;
        }

        // The last slot is kept for ExecutionFailed, as the service ends such runs rather than dropping events.
        if (Run.History.Count >= ExecutionHistory.MaxEvents - 1)
        {
            throw new Errors.StatesRuntime($"The execution reached the maximum number of history events ({ExecutionHistory.MaxEvents}).");
        }

        return true;
    }

    private HistoryEvent? Recorded(HistoryEvent? e)
    {
        if (e is not null)
        {
            LastEventId = e.Id;
        }

        return e;
    }

    public Task DelayAsync(TimeSpan delay) => ClockDelay.DelayAsync(Run.Clock, delay, Token);

    public DateTimeOffset Now => Run.Clock.GetUtcNow();

    /// <param name="retryCount">
    /// Null for states that cannot retry: AWS leaves $$.State.RetryCount out there (recorded for a Pass state;
    /// inferred for Choice, Wait, Succeed and Fail), and has it on Task, Parallel and Map, the states with Retry.
    /// </param>
    public JsonObject Context(string stateName, DateTimeOffset enteredTime, int? retryCount, JsonObject? mapItem = null)
    {
        var context = new JsonObject
        {
            ["Execution"] = (ChildExecution?.Execution ?? Run.ExecutionContext).DeepClone(),
            ["StateMachine"] = (ChildExecution?.StateMachine ?? Run.StateMachineContext).DeepClone(),
            ["State"] = new JsonObject
            {
                ["EnteredTime"] = JsonValues.FormatTimestamp(enteredTime),
                ["Name"] = stateName,
            },
        };
        if (retryCount is { } retries)
        {
            ((JsonObject)context["State"]!)["RetryCount"] = retries;
        }

        if (mapItem is not null)
        {
            context["Map"] = new JsonObject { ["Item"] = mapItem };
        }

        return context;
    }
}

/// <summary>The context object parts a Distributed Map's child workflow execution has of its own.</summary>
internal sealed record ChildExecutionContext(JsonObject Execution, JsonObject StateMachine);
