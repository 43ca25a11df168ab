using Workflows.EventBridge.Targets;

namespace Workflows.EventBridge.Tests.Bus;

/// <summary>A target that answers from a script (one outcome per call, the last one repeated) and records every invocation.</summary>
internal sealed class FakeTarget : IEventTarget
{
    private readonly Queue<Func<TargetInvocation, TargetOutcome>> _script = new();
    private Func<TargetInvocation, TargetOutcome> _last = _ => TargetOutcome.Success;

    public List<TargetInvocation> Invocations { get; } = [];

    public FakeTarget Then(TargetOutcome outcome) => Then(_ => outcome);

    public FakeTarget Then(Func<TargetInvocation, TargetOutcome> outcome)
    {
        _script.Enqueue(outcome);
        _last = outcome;
        return this;
    }

    public Task<TargetOutcome> DeliverAsync(TargetInvocation invocation, CancellationToken cancellationToken)
    {
        Invocations.Add(invocation);
        var next = _script.Count > 0 ? _script.Dequeue() : _last;
        return Task.FromResult(next(invocation));
    }
}
