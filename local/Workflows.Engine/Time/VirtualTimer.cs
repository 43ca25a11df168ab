namespace Workflows.Engine.Time;

internal sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
{
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private bool _disposed;

    public DateTimeOffset Due { get; set; }

    public long Sequence { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed)
        {
            return false;
        }

        _period = period;
        clock.Schedule(this, dueTime);
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        clock.Cancel(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // Called under the clock's lock just before firing: a periodic timer goes back in the queue.
    internal bool Rearm(DateTimeOffset now, long sequence)
    {
        if (_disposed || _period == Timeout.InfiniteTimeSpan || _period <= TimeSpan.Zero)
        {
            return false;
        }

        Due = now + _period;
        Sequence = sequence;
        return true;
    }

    internal void Fire()
    {
        if (!_disposed)
        {
            callback(state);
        }
    }
}
