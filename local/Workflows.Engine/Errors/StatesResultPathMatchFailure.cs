namespace Workflows.Engine.Errors;

/// <summary>States.ResultPathMatchFailure: the ResultPath could not be applied to the state's input.</summary>
public sealed class StatesResultPathMatchFailure : StatesException
{
    public StatesResultPathMatchFailure() : base(ErrorNames.ResultPathMatchFailure, (string?)null) { }

    public StatesResultPathMatchFailure(string message) : base(ErrorNames.ResultPathMatchFailure, message) { }

    public StatesResultPathMatchFailure(string message, Exception innerException) : base(ErrorNames.ResultPathMatchFailure, message, innerException) { }

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
