namespace Workflows.LambdaLocal;

/// <summary>A function's execution environments: an idle one takes the next invocation, else a new one starts.</summary>
internal sealed class FunctionPool(LambdaFunction function, LambdaLocalOptions options, Action<int> onProcessStarted)
{
    private readonly List<RuntimeInstance> _instances = [];
    private readonly List<Task> _retiring = [];
    private readonly Lock _gate = new();
    private int _sequence;
    private bool _closed;

    public LambdaFunction Function { get; } = function;

    public async Task<InvocationResult> InvokeAsync(PendingInvocation invocation, CancellationToken ct)
    {
        RuntimeInstance? fresh = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            foreach (var dead in _instances.Where(i => i.IsDead).ToList())
            {
                // A dead environment (timed out, crashed, init failed) is never reused; its host and process go away.
                _instances.Remove(dead);
                _retiring.Add(dead.DisposeAsync().AsTask());
            }

            if (!_instances.Any(i => i.TryAssign(invocation)))
            {
                fresh = new RuntimeInstance(Function, options, $"{Function.Name}-{++_sequence}", onProcessStarted);
                fresh.TryAssign(invocation);
                _instances.Add(fresh);
            }
        }

        if (fresh is not null)
        {
            await fresh.StartAsync(CancellationToken.None);
        }

        return await invocation.Completion.WaitAsync(ct);
    }

    public IReadOnlyList<int> LiveProcessIds()
    {
        lock (_gate)
        {
            return [.. _instances.Where(i => !i.IsDead && i.ProcessId is not null).Select(i => i.ProcessId!.Value)];
        }
    }

    public async Task ShutdownAsync(TimeSpan grace)
    {
        RuntimeInstance[] all;
        lock (_gate)
        {
            _closed = true;
            all = [.. _instances];
            _instances.Clear();
        }

        await Task.WhenAll(all.Select(i => grace > TimeSpan.Zero ? i.ShutdownAsync(grace) : i.DisposeAsync().AsTask()).Concat(_retiring));
    }
}
