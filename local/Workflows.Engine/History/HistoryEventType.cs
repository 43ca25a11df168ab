namespace Workflows.Engine.History;

/// <summary>Event type names exactly as the Step Functions API model's HistoryEventType enum spells them.</summary>
public static class HistoryEventType
{
    public const string ExecutionStarted = "ExecutionStarted";
    public const string ExecutionSucceeded = "ExecutionSucceeded";
    public const string ExecutionFailed = "ExecutionFailed";
    public const string ExecutionTimedOut = "ExecutionTimedOut";
    public const string ExecutionAborted = "ExecutionAborted";
    public const string PassStateEntered = "PassStateEntered";
    public const string PassStateExited = "PassStateExited";
    public const string TaskStateEntered = "TaskStateEntered";
    public const string TaskStateExited = "TaskStateExited";
    public const string TaskScheduled = "TaskScheduled";
    public const string TaskStarted = "TaskStarted";
    public const string TaskSucceeded = "TaskSucceeded";
    public const string TaskFailed = "TaskFailed";
    public const string TaskTimedOut = "TaskTimedOut";
    public const string ChoiceStateEntered = "ChoiceStateEntered";
    public const string ChoiceStateExited = "ChoiceStateExited";
    public const string WaitStateEntered = "WaitStateEntered";
    public const string WaitStateExited = "WaitStateExited";
    public const string SucceedStateEntered = "SucceedStateEntered";
    public const string SucceedStateExited = "SucceedStateExited";
    public const string FailStateEntered = "FailStateEntered";
    public const string ParallelStateEntered = "ParallelStateEntered";
    public const string ParallelStateStarted = "ParallelStateStarted";
    public const string ParallelStateSucceeded = "ParallelStateSucceeded";
    public const string ParallelStateFailed = "ParallelStateFailed";
    public const string ParallelStateExited = "ParallelStateExited";
    public const string MapStateEntered = "MapStateEntered";
    public const string MapStateStarted = "MapStateStarted";
    public const string MapStateSucceeded = "MapStateSucceeded";
    public const string MapStateFailed = "MapStateFailed";
    public const string MapStateExited = "MapStateExited";
    public const string MapIterationStarted = "MapIterationStarted";
    public const string MapIterationSucceeded = "MapIterationSucceeded";
    public const string MapIterationFailed = "MapIterationFailed";
    public const string MapRunStarted = "MapRunStarted";
    public const string MapRunSucceeded = "MapRunSucceeded";
    public const string MapRunFailed = "MapRunFailed";
    public const string LambdaFunctionScheduled = "LambdaFunctionScheduled";
    public const string LambdaFunctionStarted = "LambdaFunctionStarted";
    public const string LambdaFunctionSucceeded = "LambdaFunctionSucceeded";
    public const string LambdaFunctionFailed = "LambdaFunctionFailed";
    public const string LambdaFunctionTimedOut = "LambdaFunctionTimedOut";

    /// <summary>The member of HistoryEvent that carries this type's details in the API model.</summary>
    public static string? DetailsMember(string type) => type switch
    {
        ExecutionStarted => "executionStartedEventDetails",
        ExecutionSucceeded => "executionSucceededEventDetails",
        ExecutionFailed => "executionFailedEventDetails",
        ExecutionTimedOut => "executionTimedOutEventDetails",
        TaskScheduled => "taskScheduledEventDetails",
        TaskStarted => "taskStartedEventDetails",
        TaskSucceeded => "taskSucceededEventDetails",
        TaskFailed => "taskFailedEventDetails",
        TaskTimedOut => "taskTimedOutEventDetails",
        MapStateStarted => "mapStateStartedEventDetails",
        MapIterationStarted => "mapIterationStartedEventDetails",
        MapIterationSucceeded => "mapIterationSucceededEventDetails",
        MapIterationFailed => "mapIterationFailedEventDetails",
        MapRunStarted => "mapRunStartedEventDetails",
        MapRunFailed => "mapRunFailedEventDetails",
        LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
        LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
        LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
        LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
        _ when type.EndsWith("StateEntered", StringComparison.Ordinal) => "stateEnteredEventDetails",
        _ when type.EndsWith("StateExited", StringComparison.Ordinal) => "stateExitedEventDetails",
        _ => null,
    };
}
