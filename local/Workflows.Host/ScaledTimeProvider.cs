namespace Workflows.Host;

/// <summary>
/// Wall time sped up by a factor: from its start, every wall second counts <see cref="Scale"/> seconds, and a timer
/// due in d fires after d / Scale of wall time. With 60, a 10-minute provisioning really waits, for 10 seconds.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _wall;
    private readonly DateTimeOffset _origin;
    private readonly long _originTimestamp;

    /// <param name="start">Where scaled time begins (the wall clock's now if null).</param>
    public ScaledTimeProvider(TimeProvider wall, double scale, DateTimeOffset? start = null)
    {
        ArgumentNullException.ThrowIfNull(wall);
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the time scale must be a positive number");
        }

        _wall = wall;
        Scale = scale;
        _origin = start ?? wall.GetUtcNow();
        _originTimestamp = wall.GetTimestamp();
    }

    public double Scale { get; }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => _origin + _wall.GetElapsedTime(_originTimestamp) * Scale;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_wall.CreateTimer(callback, state, Shrink(dueTime), Shrink(period)), this);

    private TimeSpan Shrink(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : span / Scale;

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Shrink(dueTime), owner.Shrink(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
