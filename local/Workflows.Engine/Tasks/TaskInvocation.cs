using System.Text.Json.Nodes;

namespace Workflows.Engine.Tasks;

/// <summary>One attempt of a Task state, as handed to an <see cref="ITaskInvoker"/>.</summary>
public sealed class TaskInvocation
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Action _heartbeat;
    private readonly Random _random;

    internal TaskInvocation(Func<TimeSpan, CancellationToken, Task> delay, Action heartbeat, Random random)
    {
        _delay = delay;
        _heartbeat = heartbeat;
        _random = random;
    }

    public required string Resource { get; init; }

    /// <summary>The state's effective parameters (InputPath and Parameters applied).</summary>
    public required JsonNode? Parameters { get; init; }

    public required string StateName { get; init; }

    public required string ExecutionArn { get; init; }

    public required string StateMachineArn { get; init; }

    /// <summary>0 on the first attempt, then the number of retries so far ($$.State.RetryCount).</summary>
    public required int RetryCount { get; init; }

    public required string Region { get; init; }

    public required string Account { get; init; }

    /// <summary>The engine's clock: virtual time unless the engine runs in real time.</summary>
    public required TimeProvider Clock { get; init; }

    /// <summary>
    /// Waits on the engine's clock. Use this rather than Task.Delay with <see cref="Clock"/>: it tells the engine
    /// that the invocation is idle, so virtual time may jump while it waits.
    /// </summary>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => _delay(delay, cancellationToken);

    /// <summary>
    /// A version-4 UUID for whatever the integration answers with (request ids, event ids), drawn from the
    /// execution's seeded RNG so a seeded run repeats exactly. Each invocation has its own generator, seeded on the
    /// execution's thread when the attempt starts, so invokers running elsewhere never race for the shared one.
    /// </summary>
    public string NewId()
    {
        lock (_random)
        {
            return Intrinsics.IntrinsicFunctions.NewUuid(_random);
        }
    }

    /// <summary>Resets the HeartbeatSeconds timer of the state.</summary>
    public void SendHeartbeat() => _heartbeat();
}
