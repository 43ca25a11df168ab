using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Workflows.Core.Tests.Fakes;

/// <summary>
/// A fake clock that also reports each timer as it is created, so a test can wait for the code under test
/// to start a delay and then advance exactly that far: no sleeping, no polling.
/// </summary>
internal sealed class WatchedTime : TimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public WatchedTime(DateTimeOffset start)
    {
        Fake = new FakeTimeProvider(start);
    }

    public FakeTimeProvider Fake { get; }

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created that is not <paramref name="ignore"/>.</summary>
    public async Task<TimeSpan> NextTimerAsync(TimeSpan ignore)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var due = await _created.Reader.ReadAsync(guard.Token);
            if (due != ignore)
            {
                return due;
            }
        }
    }

    public void Advance(TimeSpan by) => Fake.Advance(by);
}
