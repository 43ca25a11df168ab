namespace Workflows.Engine.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when told: the engine jumps it to the next due timer once
/// nothing in the execution can make progress, so a one-year Wait costs nothing in wall time. Task
/// implementations receive the same instance, so an emulator in the same process sees the same "now".
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<VirtualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _sequence;

    public VirtualClock(DateTimeOffset start) => _now = start;

    /// <summary>Starts at the current wall-clock time (whole milliseconds), then runs virtually.</summary>
    public VirtualClock()
        : this(DateTimeOffset.FromUnixTimeMilliseconds(System.GetUtcNow().ToUnixTimeMilliseconds()))
    {
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers still waiting to fire.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return Earliest()?.Due;
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time to the earliest timer (never backwards) and fires it; false when no timer is pending.</summary>
    public bool FireNext()
    {
        VirtualTimer? timer;
        lock (_gate)
        {
            timer = Earliest();
            if (timer is null)
            {
                return false;
            }

            if (timer.Due > _now)
            {
                _now = timer.Due;
            }

            _timers.Remove(timer);
            if (timer.Rearm(_now, NextSequence()))
            {
                _timers.Add(timer);
            }
        }

        timer.Fire();
        return true;
    }

    /// <summary>Moves time forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        var target = GetUtcNow() + delta;
        while (NextDue is { } due && due <= target)
        {
            FireNext();
        }

        lock (_gate)
        {
            if (target > _now)
            {
                _now = target;
            }
        }
    }

    internal void Schedule(VirtualTimer timer, TimeSpan dueTime)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.Due = _now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
            timer.Sequence = NextSequence();
            _timers.Add(timer);
        }
    }

    internal void Cancel(VirtualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private long NextSequence() => ++_sequence;

    // Ties fire in creation order so runs are reproducible.
    private VirtualTimer? Earliest()
    {
        VirtualTimer? best = null;
        foreach (var t in _timers)
        {
            if (best is null || t.Due < best.Due || (t.Due == best.Due && t.Sequence < best.Sequence))
            {
                best = t;
            }
        }

        return best;
    }
}
