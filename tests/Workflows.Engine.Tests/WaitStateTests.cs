using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class WaitStateTests
{
    private static async Task<TimeSpan> WaitedAsync(string waitFields, string input = "{}")
    {
        var result = await Asl.RunAsync(Asl.Single($$"""{"Type":"Wait",{{waitFields}},"End":true}"""), input);
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        return result.StopDate - result.StartDate;
    }

    [Fact]
    public async Task Wait_Seconds_AdvancesVirtualTime() =>
        (await WaitedAsync("\"Seconds\":90")).Should().Be(TimeSpan.FromSeconds(90));

    [Fact]
    public async Task Wait_SecondsPath_ReadsSecondsFromInput() =>
        (await WaitedAsync("\"SecondsPath\":\"$.delay\"", """{"delay":42}""")).Should().Be(TimeSpan.FromSeconds(42));

    [Fact]
    public async Task Wait_Timestamp_WaitsUntilInstant() =>
        (await WaitedAsync("\"Timestamp\":\"2026-01-01T02:00:00Z\"")).Should().Be(TimeSpan.FromHours(2));

    [Fact]
    public async Task Wait_TimestampPath_WaitsUntilInstantFromInput() =>
        (await WaitedAsync("\"TimestampPath\":\"$.until\"", """{"until":"2026-01-03T00:00:00+00:00"}""")).Should().Be(TimeSpan.FromDays(2));

    [Fact]
    public async Task Wait_PastTimestamp_ProceedsAtOnce() =>
        (await WaitedAsync("\"Timestamp\":\"2020-01-01T00:00:00Z\"")).Should().Be(TimeSpan.Zero);

    [Fact]
    public async Task Wait_SecondsPathNotAnInteger_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Wait","SecondsPath":"$.d","End":true}"""), """{"d":"soon"}""");
        result.Error.Should().Be("States.Runtime");
    }

    [Fact]
    public async Task Wait_TimestampPathNotATimestamp_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Wait","TimestampPath":"$.t","End":true}"""), """{"t":"tomorrow"}""");
        result.Error.Should().Be("States.Runtime");
    }

    [Fact]
    public async Task Wait_OneYear_FinishesAtOnceAndHistoryShowsTheYear()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Wait","Seconds":31536000,"End":true}"""));
        result.Status.Should().Be(ExecutionStatus.Succeeded);
        var exited = result.History.Single(e => e.Type == "WaitStateExited");
        exited.Timestamp.Should().Be(Asl.Epoch.AddSeconds(31_536_000));
        exited.Timestamp.Year.Should().Be(2027);
        result.History[0].Timestamp.Year.Should().Be(2026);
    }

    [Fact]
    public async Task Wait_InputAndOutputPaths_Apply()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Wait","Seconds":1,"InputPath":"$.a","OutputPath":"$.b","End":true}"""), """{"a":{"b":7}}""");
        result.Output().Json().Should().Be("7");
    }
}
