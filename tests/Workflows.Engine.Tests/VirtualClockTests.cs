using Workflows.Engine.Time;

namespace Workflows.Engine.Tests;

public class VirtualClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FireNext_JumpsToEarliestTimerAndFiresIt()
    {
        var clock = new VirtualClock(Start);
        var fired = new List<string>();
        using var late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        clock.FireNext().Should().BeTrue();
        fired.Should().Equal("early");
        clock.GetUtcNow().Should().Be(Start.AddMinutes(1));
    }

    [Fact]
    public void FireNext_TiesFireInCreationOrder()
    {
        var clock = new VirtualClock(Start);
        var fired = new List<int>();
        using var a = clock.CreateTimer(_ => fired.Add(1), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var b = clock.CreateTimer(_ => fired.Add(2), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        clock.FireNext();
        clock.FireNext();
        fired.Should().Equal(1, 2);
    }

    [Fact]
    public void Advance_FiresDueTimersAndStopsAtTarget()
    {
        var clock = new VirtualClock(Start);
        var count = 0;
        using var periodic = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(35));
        count.Should().Be(3);
        clock.GetUtcNow().Should().Be(Start.AddSeconds(35));
        clock.PendingTimers.Should().Be(1);
    }

    [Fact]
    public void DisposedTimer_NeverFires()
    {
        var clock = new VirtualClock(Start);
        var fired = false;
        var timer = clock.CreateTimer(_ => fired = true, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        clock.FireNext().Should().BeFalse();
        fired.Should().BeFalse();
    }

    [Fact]
    public async Task ClockDelay_OneYearOnVirtualClock_CompletesWhenAdvanced()
    {
        var clock = new VirtualClock(Start);
        var delay = ClockDelay.DelayAsync(clock, TimeSpan.FromDays(365), CancellationToken.None);
        delay.IsCompleted.Should().BeFalse();
        clock.Advance(TimeSpan.FromDays(365));
        await delay;
        clock.GetUtcNow().Year.Should().Be(2027);
    }
}
