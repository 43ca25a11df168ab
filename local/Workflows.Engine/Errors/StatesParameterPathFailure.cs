namespace Workflows.Engine.Errors;

/// <summary>States.ParameterPathFailure: a '.$' field of Parameters or ItemSelector named a path absent from the input.</summary>
public sealed class StatesParameterPathFailure : StatesException
{
    public StatesParameterPathFailure() : base(ErrorNames.ParameterPathFailure, (string?)null) { }

    public StatesParameterPathFailure(string message) : base(ErrorNames.ParameterPathFailure, message) { }

    public StatesParameterPathFailure(string message, Exception innerException) : base(ErrorNames.ParameterPathFailure, message, innerException) { }

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
