namespace Workflows.Engine.Errors;

/// <summary>States.NoChoiceMatched: no Choice rule matched and the state has no Default.</summary>
public sealed class StatesNoChoiceMatched : StatesException
{
    public StatesNoChoiceMatched() : base(ErrorNames.NoChoiceMatched, (string?)null) { }

    public StatesNoChoiceMatched(string message) : base(ErrorNames.NoChoiceMatched, message) { }

    public StatesNoChoiceMatched(string message, Exception innerException) : base(ErrorNames.NoChoiceMatched, message, innerException) { }

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
