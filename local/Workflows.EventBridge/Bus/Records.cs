using System.Text.Json.Nodes;

namespace Workflows.EventBridge.Bus;

/// <summary>An event as it was put on a bus, with the rules it matched (for listing and tailing).</summary>
public sealed record BusEventRecord(long Sequence, string EventBusName, string EventId, DateTimeOffset IngestionTime, JsonObject Event, IReadOnlyList<string> MatchedRules);

/// <summary>
/// A delivery that failed for good. The members are the attributes EventBridge puts on a dead-letter message
/// (RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS; eb-rule-dlq.html).
/// <see cref="QueueArn"/> is null when the target has no DeadLetterConfig: EventBridge would drop the event, and it is
/// kept here all the same so that a local run can show it.
/// </summary>
public sealed record DeadLetter(
    string EventId,
    string RuleName,
    string RuleArn,
    string TargetId,
    string TargetArn,
    string? QueueArn,
    string ErrorCode,
    string ErrorMessage,
    string? ExhaustedRetryCondition,
    int RetryAttempts,
    DateTimeOffset FailedAt,
    string Input,
    JsonObject Event);

/// <summary>A successful delivery, for inspection.</summary>
public sealed record Delivery(string EventId, string RuleName, string TargetId, string TargetArn, string Input, int Attempts, DateTimeOffset DeliveredAt);
