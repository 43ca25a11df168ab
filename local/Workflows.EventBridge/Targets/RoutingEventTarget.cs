namespace Workflows.EventBridge.Targets;

/// <summary>
/// An <see cref="IEventTarget"/> that hands each invocation to the handler registered for its target's ARN (the host
/// registers one per state machine, calling StartExecution). An ARN nothing is registered for fails with NO_RESOURCE,
/// which EventBridge does not retry ("a target resource that no longer exists").
/// </summary>
public sealed class RoutingEventTarget : IEventTarget
{
    private readonly Dictionary<string, Func<TargetInvocation, CancellationToken, Task<TargetOutcome>>> _handlers = new(StringComparer.Ordinal);

    public RoutingEventTarget Register(string arn, Func<TargetInvocation, CancellationToken, Task<TargetOutcome>> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(arn);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlers)
        {
            _handlers[arn] = handler;
        }

        return this;
    }

    public Task<TargetOutcome> DeliverAsync(TargetInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        Func<TargetInvocation, CancellationToken, Task<TargetOutcome>>? handler;
        lock (_handlers)
        {
            _handlers.TryGetValue(invocation.Target.Arn, out handler);
        }

        return handler is null
            ? Task.FromResult(TargetOutcome.Failure("NO_RESOURCE", $"No target is bound to {invocation.Target.Arn} locally."))
            : handler(invocation, cancellationToken);
    }
}
