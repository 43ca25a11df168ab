namespace Workflows.Engine.Time;

/// <summary>
/// Delays on a <see cref="TimeProvider"/> without Task.Delay's ~49-day ceiling: Standard workflows may wait up to a
/// year. A virtual clock takes the whole span as one timer; a real clock waits in chunks.
/// </summary>
public static class ClockDelay
{
    private static readonly TimeSpan MaxChunk = TimeSpan.FromDays(24);

    public static async Task DelayAsync(TimeProvider clock, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (delay <= TimeSpan.Zero)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }

        if (clock is VirtualClock)
        {
            await OneTimerAsync(clock, delay, cancellationToken);
            return;
        }

        var until = clock.GetUtcNow() + delay;
        for (var left = delay; left > TimeSpan.Zero; left = until - clock.GetUtcNow())
        {
            await Task.Delay(left < MaxChunk ? left : MaxChunk, clock, cancellationToken);
        }
    }

    private static Task OneTimerAsync(TimeProvider clock, TimeSpan delay, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = clock.CreateTimer(_ => tcs.TrySetResult(), null, delay, Timeout.InfiniteTimeSpan);
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                timer.Dispose();
                tcs.TrySetCanceled(cancellationToken);
            });
            tcs.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return tcs.Task;
    }
}
