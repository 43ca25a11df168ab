namespace Workflows.Core.Polling;

/// <summary>What a poll step tells its state machine's Choice state to do next.</summary>
public static class PollDecision
{
    /// <summary>Every cluster reached the target.</summary>
    public const string Ready = "READY";

    /// <summary>Not there yet: wait <c>nextWaitSeconds</c> and look again.</summary>
    public const string Wait = "WAIT";

    /// <summary>A cluster can no longer reach the target; <c>reason</c> says which and why.</summary>
    public const string Failed = "FAILED";

    /// <summary>The deadline passed or the attempts ran out; <c>reason</c> says which.</summary>
    public const string DeadlineExceeded = "DEADLINE_EXCEEDED";
}
