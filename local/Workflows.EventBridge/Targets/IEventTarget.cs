using System.Text.Json.Nodes;

namespace Workflows.EventBridge.Targets;

/// <summary>One delivery of a matched event to a target (the host turns a state machine ARN into StartExecution).</summary>
/// <param name="RuleName">The rule that matched.</param>
/// <param name="RuleArn">Its ARN.</param>
/// <param name="Target">The target.</param>
/// <param name="Input">The rendered input text.</param>
/// <param name="Event">The event as it is on the bus.</param>
/// <param name="Attempt">1 for the first try, 2 for the first retry, and so on.</param>
public sealed record TargetInvocation(string RuleName, string RuleArn, RuleTarget Target, string Input, JsonObject Event, int Attempt);

/// <summary>
/// How a delivery went. The error codes are those a dead-letter message carries (eb-rule-dlq.html): NO_PERMISSIONS
/// and NO_RESOURCE are not retried ("Rather than retrying, EventBridge sends these events directly to the DLQ"),
/// others (THROTTLING, TIMEOUT, ...) are, unless <see cref="Retryable"/> says otherwise.
/// </summary>
public sealed record TargetOutcome(bool Succeeded, string? ErrorCode = null, string? ErrorMessage = null, bool Retryable = true)
{
    public static TargetOutcome Success { get; } = new(true);

    public static TargetOutcome Failure(string errorCode, string errorMessage) =>
        new(false, errorCode, errorMessage, errorCode is not ("NO_PERMISSIONS" or "NO_RESOURCE"));
}

/// <summary>Where a bus delivers matched events.</summary>
public interface IEventTarget
{
    /// <summary>Delivers one invocation. An exception counts as a retryable failure with code INTERNAL_ERROR (Inferred).</summary>
    Task<TargetOutcome> DeliverAsync(TargetInvocation invocation, CancellationToken cancellationToken);
}
