namespace Workflows.Core.Polling;

/// <summary>A poll decision with the loop state to carry on with (see <see cref="PollPolicy"/>).</summary>
public sealed record PollOutcome(string Decision, string? Reason, int Attempt, DateTimeOffset StartedAt, int NextWaitSeconds);
