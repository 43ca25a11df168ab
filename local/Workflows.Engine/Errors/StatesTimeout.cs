namespace Workflows.Engine.Errors;

/// <summary>States.Timeout: a Task ran longer than TimeoutSeconds or missed its HeartbeatSeconds.</summary>
public sealed class StatesTimeout : StatesException
{
    public StatesTimeout() : base(ErrorNames.Timeout, (string?)null) { }

    public StatesTimeout(string message) : base(ErrorNames.Timeout, message) { }

    public StatesTimeout(string message, Exception innerException) : base(ErrorNames.Timeout, message, innerException) { }

    /// <summary>True when the timeout came from HeartbeatSeconds, so a States.HeartbeatTimeout retrier also matches.</summary>
    public bool FromHeartbeat { get; init; }

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
