namespace Workflows.Engine.Errors;

/// <summary>States.TaskFailed: a task failed without a more specific name.</summary>
public sealed class StatesTaskFailed : StatesException
{
    public StatesTaskFailed() : base(ErrorNames.TaskFailed, (string?)null) { }

    public StatesTaskFailed(string message) : base(ErrorNames.TaskFailed, message) { }

    public StatesTaskFailed(string message, Exception innerException) : base(ErrorNames.TaskFailed, message, innerException) { }

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
