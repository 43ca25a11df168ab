namespace Workflows.Engine.Errors;

/// <summary>States.DataLimitExceeded: a state's input or output is larger than 262,144 UTF-8 bytes.</summary>
public sealed class StatesDataLimitExceeded : StatesException
{
    public StatesDataLimitExceeded() : base(ErrorNames.DataLimitExceeded, (string?)null) { }

    public StatesDataLimitExceeded(string message) : base(ErrorNames.DataLimitExceeded, message) { }

    public StatesDataLimitExceeded(string message, Exception innerException) : base(ErrorNames.DataLimitExceeded, message, innerException) { }

    /// <summary>A task's result over the limit: unlike an oversized state input or output, States.ALL matches it.</summary>
    public bool FromTaskResult { get; init; }

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
