namespace Workflows.Engine.Errors;

/// <summary>States.Runtime: an execution-level fault (bad path on a payload, missing Choice variable); never retried or caught.</summary>
public sealed class StatesRuntime : StatesException
{
    public StatesRuntime() : base(ErrorNames.Runtime, (string?)null) { }

    public StatesRuntime(string message) : base(ErrorNames.Runtime, message) { }

    public StatesRuntime(string message, Exception innerException) : base(ErrorNames.Runtime, message, innerException) { }

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
