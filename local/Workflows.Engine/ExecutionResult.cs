using System.Text.Json.Nodes;
using Workflows.Engine.History;
using Workflows.Engine.Paths;

namespace Workflows.Engine;

public enum ExecutionStatus
{
    Succeeded,
    Failed,
    TimedOut,

    /// <summary>Stopped from outside (the caller's cancellation token), as StopExecution stops a run.</summary>
    Aborted,
}

/// <summary>The outcome of one execution, in the terms of DescribeExecution plus its history.</summary>
public sealed class ExecutionResult
{
    public required string ExecutionArn { get; init; }

    public required string Name { get; init; }

    public required ExecutionStatus Status { get; init; }

    /// <summary>"SUCCEEDED", "FAILED", "TIMED_OUT" or "ABORTED", as the API spells it.</summary>
    public string StatusText => Status switch
    {
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.Aborted => "ABORTED",
        _ => "TIMED_OUT",
    };

    public required string Input { get; init; }

    /// <summary>The output JSON when the execution succeeded.</summary>
    public string? Output { get; init; }

    public string? Error { get; init; }

    public string? Cause { get; init; }

    public required IReadOnlyList<HistoryEvent> History { get; init; }

    public required DateTimeOffset StartDate { get; init; }

    public required DateTimeOffset StopDate { get; init; }

    /// <summary>State transitions (states entered plus retries), derived from the history.</summary>
    public int Transitions => ExecutionHistory.CountTransitions(History);

    /// <summary>The outcome shaped like DescribeExecution's response (for a CLI to print).</summary>
    public JsonObject ToDescribeExecutionJson(string stateMachineArn) => new()
    {
        ["executionArn"] = ExecutionArn,
        ["stateMachineArn"] = stateMachineArn,
        ["name"] = Name,
        ["status"] = StatusText,
        ["startDate"] = JsonValues.FormatTimestamp(StartDate),
        ["stopDate"] = JsonValues.FormatTimestamp(StopDate),
        ["input"] = Input,
        ["output"] = Output,
        ["error"] = Error,
        ["cause"] = Cause,
    };

    /// <summary>The history shaped like GetExecutionHistory's response: {"events":[...]}.</summary>
    public JsonObject ToHistoryJson() => new()
    {
        ["events"] = new JsonArray(History.Select(e => (JsonNode?)e.ToJson()).ToArray()),
    };
}
