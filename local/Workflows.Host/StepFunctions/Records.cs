using System.Text.Json.Nodes;

namespace Workflows.Host.StepFunctions;

/// <summary>A state machine as DescribeStateMachine shows it (the current revision).</summary>
internal sealed class StateMachineRecord
{
    public required string Arn { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public required string Definition { get; set; }

    public required string RoleArn { get; set; }

    public required DateTimeOffset CreationDate { get; init; }

    public DateTimeOffset? UpdateDate { get; set; }

    public string? RevisionId { get; set; }

    public JsonObject? LoggingConfiguration { get; set; }

    public JsonObject? TracingConfiguration { get; set; }

    /// <summary>Tags in insertion order (ListTagsForResource returns them so).</summary>
    public List<KeyValuePair<string, string>> Tags { get; } = [];
}

/// <summary>One execution: what DescribeExecution returns, its history, and the machine revision it started on.</summary>
internal sealed class ExecutionRecord
{
    public required string Arn { get; set; }

    public required string StateMachineArn { get; init; }

    public required string StateMachineName { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public required string Input { get; init; }

    public string? TraceHeader { get; init; }

    public required string Status { get; set; }

    public required DateTimeOffset StartDate { get; init; }

    public DateTimeOffset? StopDate { get; set; }

    public string? Output { get; set; }

    public string? Error { get; set; }

    public string? Cause { get; set; }

    public int RedriveCount { get; set; }

    public DateTimeOffset? RedriveDate { get; set; }

    /// <summary>The definition and role the execution runs (DescribeStateMachineForExecution).</summary>
    public required string Definition { get; init; }

    public required string RoleArn { get; init; }

    public required DateTimeOffset StateMachineUpdateDate { get; init; }

    public string? RevisionId { get; init; }

    /// <summary>History events in the API's shape, timestamps as epoch seconds.</summary>
    public List<JsonObject> Events { get; } = [];

    // Runtime only: how to stop the run and when it has ended.
    public CancellationTokenSource? Stop { get; set; }

    public (string? Error, string? Cause)? StopRequest { get; set; }

    public TaskCompletionSource Closed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsClosed => Status != "RUNNING";
}
