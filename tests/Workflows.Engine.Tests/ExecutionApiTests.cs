using Workflows.Engine.Tests.Support;
using Workflows.Engine.Time;

namespace Workflows.Engine.Tests;

public class ExecutionApiTests
{
    private const string Succeed = """{"StartAt":"S","States":{"S":{"Type":"Succeed"}}}""";

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("star*")]
    [InlineData("question?")]
    [InlineData("slash/name")]
    [InlineData("brace{")]
    [InlineData("dollar$")]
    [InlineData("colon:name")]
    public async Task StartExecution_InvalidName_RefusedWithInvalidName(string name)
    {
        var act = () => new AslEngine(Asl.Options()).StartExecutionAsync(Succeed, "{}", name);
        (await act.Should().ThrowAsync<ExecutionRequestException>()).Which.Code.Should().Be("InvalidName");
    }

    [Fact]
    public async Task StartExecution_NameOver80Characters_Refused()
    {
        var act = () => new AslEngine(Asl.Options()).StartExecutionAsync(Succeed, "{}", new string('a', 81));
        (await act.Should().ThrowAsync<ExecutionRequestException>()).Which.Code.Should().Be("InvalidName");
    }

    [Fact]
    public async Task StartExecution_Name80Characters_Accepted()
    {
        var result = await new AslEngine(Asl.Options()).StartExecutionAsync(Succeed, "{}", new string('a', 80));
        result.Name.Should().HaveLength(80);
    }

    [Fact]
    public async Task StartExecution_InvalidJsonInput_RefusedWithInvalidExecutionInput()
    {
        var act = () => new AslEngine(Asl.Options()).StartExecutionAsync(Succeed, "{oops", "n");
        (await act.Should().ThrowAsync<ExecutionRequestException>()).Which.Code.Should().Be("InvalidExecutionInput");
    }

    [Fact]
    public async Task StartExecution_NoName_GeneratesReproducibleUuidName()
    {
        var a = await new AslEngine(Asl.Options(seed: 3)).StartExecutionAsync(Succeed);
        var b = await new AslEngine(Asl.Options(seed: 3)).StartExecutionAsync(Succeed);
        a.Name.Should().Be(b.Name).And.MatchRegex("^[0-9a-f-]{36}$");
    }

    [Fact]
    public async Task StartExecution_Result_CarriesArnStatusInputOutput()
    {
        var result = await new AslEngine(Asl.Options()).StartExecutionAsync(Succeed, """{"a":1}""", "run-9");
        result.ExecutionArn.Should().Be("arn:aws:states:us-east-1:123456789012:execution:Machine:run-9");
        (result.StatusText, result.Input, result.Output).Should().Be(("SUCCEEDED", """{"a":1}""", """{"a":1}"""));
        result.Error.Should().BeNull();
    }

    [Fact]
    public async Task StartExecution_Failed_StatusTextFailed()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Fail","Error":"E"}"""));
        result.StatusText.Should().Be("FAILED");
        result.Output.Should().BeNull();
    }

    [Fact]
    public async Task StartExecution_SharedVirtualClock_SeenByTaskCode()
    {
        var clock = new VirtualClock(Asl.Epoch);
        DateTimeOffset seen = default;
        var invoker = new ScriptedInvoker((_, i) =>
        {
            seen = i.Clock.GetUtcNow();
            return Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
        });
        var engine = new AslEngine(new EngineOptions { Clock = clock, TaskInvokers = [invoker] });
        await engine.StartExecutionAsync("""{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"T"},"T":{"Type":"Task","Resource":"arn:aws:states:::test:run","End":true}}}""");
        engine.Clock.Should().BeSameAs(clock);
        seen.Should().Be(Asl.Epoch.AddSeconds(30));
        clock.GetUtcNow().Should().Be(Asl.Epoch.AddSeconds(30));
    }

    [Fact]
    public async Task StartExecution_RealTimeMode_RunsOnSystemClock()
    {
        var engine = new AslEngine(new EngineOptions { ClockMode = ClockMode.RealTime });
        engine.Clock.Should().BeSameAs(TimeProvider.System);
        engine.VirtualClock.Should().BeNull();
        var result = await engine.StartExecutionAsync("""{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"W"},"W":{"Type":"Wait","Seconds":0,"End":true}}}""", """{"x":1}""", "real");
        result.Status.Should().Be(ExecutionStatus.Succeeded);
        result.Output.Should().Be("""{"x":1}""");
    }

    [Fact]
    public async Task StartExecution_SameSeed_SameHistoryTimestamps()
    {
        const string def = """{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::test:run","Retry":[{"ErrorEquals":["E"],"JitterStrategy":"FULL","IntervalSeconds":5}],"End":true}}}""";
        var a = await Asl.RunAsync(def, "{}", Asl.Options(ScriptedInvoker.AlwaysFail("E"), seed: 11));
        var b = await Asl.RunAsync(def, "{}", Asl.Options(ScriptedInvoker.AlwaysFail("E"), seed: 11));
        a.History.Select(e => e.Timestamp).Should().Equal(b.History.Select(e => e.Timestamp));
    }

    [Fact]
    public async Task Result_ApiShapedJson_ForCliOutput()
    {
        var engine = new AslEngine(Asl.Options());
        var result = await engine.StartExecutionAsync(Succeed, "{}", "json-1");
        var describe = result.ToDescribeExecutionJson(engine.StateMachineArn);
        describe["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        describe["stateMachineArn"]!.GetValue<string>().Should().Be("arn:aws:states:us-east-1:123456789012:stateMachine:Machine");
        result.ToHistoryJson()["events"]!.AsArray().Should().HaveCount(result.History.Count);
    }

    [Fact]
    public async Task StartExecution_CancelledDuringWait_AbortedWithPartialHistory()
    {
        using var cancel = new CancellationTokenSource();
        var options = Asl.Options();
        var engine = new AslEngine(new EngineOptions
        {
            Clock = options.Clock,
            Seed = 1,
            StateMachineName = "Machine",
            // Cancelled as the year-long wait begins: without the stop, virtual time would simply jump over it.
            OnHistoryEvent = e =>
            {
                if (e.Type == "WaitStateEntered")
                {
                    cancel.Cancel();
                }
            },
        });

        var result = await engine.StartExecutionAsync(
            """{"StartAt":"First","States":{"First":{"Type":"Pass","Next":"Long"},"Long":{"Type":"Wait","Seconds":31536000,"Next":"Never"},"Never":{"Type":"Succeed"}}}""",
            "{}",
            "stopped",
            cancel.Token);

        result.Status.Should().Be(ExecutionStatus.Aborted);
        result.StatusText.Should().Be("ABORTED");
        result.Types().Should().StartWith(["ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered"]).And.EndWith("ExecutionAborted");
        result.Types().Should().NotContain("SucceedStateEntered");
    }

    [Fact]
    public async Task StartExecution_AlreadyCancelled_AbortedBeforeAnyState()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var result = await new AslEngine(Asl.Options()).StartExecutionAsync(Succeed, "{}", "pre", cancel.Token);

        result.Status.Should().Be(ExecutionStatus.Aborted);
        result.Types().Last().Should().Be("ExecutionAborted");
    }
}
