namespace Workflows.Engine.Errors;

/// <summary>States.BranchFailed: a branch of a Parallel or an iteration of a Map failed.</summary>
public sealed class StatesBranchFailed : StatesException
{
    public StatesBranchFailed() : base(ErrorNames.BranchFailed, (string?)null) { }

    public StatesBranchFailed(string message) : base(ErrorNames.BranchFailed, message) { }

    public StatesBranchFailed(string message, Exception innerException) : base(ErrorNames.BranchFailed, message, innerException) { }

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
