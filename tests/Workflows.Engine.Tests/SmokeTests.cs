using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class SmokeTests
{
    [Fact]
    public async Task StartExecution_PassThenWait_Succeeds()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{
              "P":{"Type":"Pass","Result":{"a":1},"ResultPath":"$.r","Next":"W"},
              "W":{"Type":"Wait","Seconds":10,"End":true}}}
            """, """{"x":1}""");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""{"x":1,"r":{"a":1}}""");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(10));
    }
}
