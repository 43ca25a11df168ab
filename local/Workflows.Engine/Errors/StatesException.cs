namespace Workflows.Engine.Errors;

/// <summary>
/// A failure inside an execution, named the way Step Functions names it; Retry and Catch match on <see cref="Error"/>.
/// </summary>
public class StatesException : Exception
{
    public StatesException() : this("States.Runtime", (string?)null) { }

    public StatesException(string message) : this(ErrorNames.Runtime, message) { }

    public StatesException(string message, Exception innerException) : this(ErrorNames.Runtime, message, innerException) { }

    public StatesException(string error, string? cause, Exception? innerException) : base(cause ?? error, innerException)
    {
        Error = error;
        Cause = cause;
    }

    public StatesException(string error, string? cause) : base(cause ?? error)
    {
        Error = error;
        Cause = cause;
    }

    public string Error { get; }

    public string? Cause { get; }

    /// <summary>Set when the error came out of a Parallel branch or Map iteration, so States.BranchFailed can match it.</summary>
    public bool FromBranch { get; init; }

    /// <summary>A copy flagged as having escaped a branch, keeping the original name and cause.</summary>
    public virtual StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
