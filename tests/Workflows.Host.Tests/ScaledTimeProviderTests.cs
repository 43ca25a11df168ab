using Microsoft.Extensions.Time.Testing;

namespace Workflows.Host.Tests;

public sealed class ScaledTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetUtcNow_OneWallSecondAtSixty_OneMinuteLater()
    {
        var wall = new FakeTimeProvider(Start);
        var scaled = new ScaledTimeProvider(wall, 60);

        wall.Advance(TimeSpan.FromSeconds(1));

        scaled.GetUtcNow().Should().Be(Start + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Delay_TenMinutesAtSixty_DoneAfterTenWallSecondsNotBefore()
    {
        var wall = new FakeTimeProvider(Start);
        var scaled = new ScaledTimeProvider(wall, 60);

        var delay = Task.Delay(TimeSpan.FromMinutes(10), scaled);
        wall.Advance(TimeSpan.FromSeconds(9.9));
        var early = delay.IsCompleted;
        wall.Advance(TimeSpan.FromSeconds(0.1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10));

        early.Should().BeFalse();
        delay.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Constructor_NonPositiveScale_Refused(double scale)
    {
        var create = () => new ScaledTimeProvider(TimeProvider.System, scale);

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*positive*");
    }
}
