using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workflows.Engine.Tests.Support;
using Workflows.Engine.Time;

namespace Workflows.Engine.Tests;

/// <summary>The options a host resumes a redriven execution with, and the real-time clock it may supply.</summary>
public class RedriveOptionsTests
{
    private const string TwoSteps = """
        {"StartAt":"First","States":{
          "First":{"Type":"Pass","Result":"first","ResultPath":"$.first","Next":"Second"},
          "Second":{"Type":"Pass","Parameters":{"redrives.$":"$$.Execution.RedriveCount","input.$":"$"},"End":true}}}
        """;

    [Fact]
    public async Task StartAt_SecondState_FirstNeverEnteredAndRedriveCountInContext()
    {
        var options = Asl.Options();
        var result = await Asl.RunAsync(TwoSteps, """{"given":1}""", new EngineOptions { Clock = options.Clock, Seed = 7, StateMachineName = "Machine", StartAt = "Second", RedriveCount = 2 });

        result.History.Select(e => e.StateName).Where(n => n is not null).Should().NotContain("First");
        var output = JsonNode.Parse(result.Output!)!;
        output["redrives"]!.GetValue<int>().Should().Be(2);
        output["input"]!["given"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task StartAt_NotATopLevelState_RefusedNamingIt()
    {
        var act = () => Asl.RunAsync(TwoSteps, "{}", new EngineOptions { Clock = new VirtualClock(), StateMachineName = "Machine", StartAt = "Third" });

        (await act.Should().ThrowAsync<ExecutionRequestException>()).Which.Message.Should().Contain("'Third'");
    }

    [Fact]
    public async Task RealTimeClock_Given_TimestampsComeFromIt()
    {
        var fake = new FakeTimeProvider(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var engine = new AslEngine(new EngineOptions { ClockMode = ClockMode.RealTime, RealTimeClock = fake, StateMachineName = "Machine" });

        var result = await engine.StartExecutionAsync(TwoSteps, "{}", "real");

        engine.Clock.Should().BeSameAs(fake);
        result.StartDate.Should().Be(fake.GetUtcNow());
    }
}
