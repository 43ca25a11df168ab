namespace Workflows.Engine.Errors;

/// <summary>States.IntrinsicFailure: an intrinsic function call failed.</summary>
public sealed class StatesIntrinsicFailure : StatesException
{
    public StatesIntrinsicFailure() : base(ErrorNames.IntrinsicFailure, (string?)null) { }

    public StatesIntrinsicFailure(string message) : base(ErrorNames.IntrinsicFailure, message) { }

    public StatesIntrinsicFailure(string message, Exception innerException) : base(ErrorNames.IntrinsicFailure, message, innerException) { }

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
