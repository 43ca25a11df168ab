namespace Workflows.Engine.Errors;

/// <summary>An error with a name of the task's or the Fail state's choosing (e.g. a Lambda exception type).</summary>
public sealed class TaskError : StatesException
{
    public TaskError() : base(ErrorNames.TaskFailed, (string?)null) { }

    public TaskError(string message) : base(ErrorNames.TaskFailed, message) { }

    public TaskError(string message, Exception innerException) : base(ErrorNames.TaskFailed, message, innerException) { }

    public TaskError(string error, string? cause) : base(error, cause) { }
}
