using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class TimeoutTests
{
    /// <summary>A task that takes <paramref name="duration"/> of engine time (virtual unless real-time mode).</summary>
    private static ScriptedInvoker Slow(TimeSpan duration) => new(async (_, i) =>
    {
        await i.DelayAsync(duration, CancellationToken.None);
        return JsonValue.Create("done");
    });

    [Fact]
    public async Task TimeoutSeconds_TaskRunsLonger_FailsWithStatesTimeout()
    {
        var result = await Asl.RunAsync(Asl.Single(Asl.Task("\"TimeoutSeconds\":60")), "{}", Asl.Options(Slow(TimeSpan.FromHours(1))));
        result.Error.Should().Be("States.Timeout");
        result.Types().Should().Contain("TaskTimedOut");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task TimeoutSeconds_TaskFinishesInTime_Succeeds()
    {
        var result = await Asl.RunAsync(Asl.Single(Asl.Task("\"TimeoutSeconds\":60")), "{}", Asl.Options(Slow(TimeSpan.FromSeconds(59))));
        result.Status.Should().Be(ExecutionStatus.Succeeded);
        result.Output().Json().Should().Be("\"done\"");
    }

    [Fact]
    public async Task TimeoutSecondsPath_ReadsTimeoutFromInput()
    {
        var result = await Asl.RunAsync(Asl.Single(Asl.Task("\"TimeoutSecondsPath\":\"$.t\"")), """{"t":5}""", Asl.Options(Slow(TimeSpan.FromSeconds(10))));
        result.Error.Should().Be("States.Timeout");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task HeartbeatSeconds_NoHeartbeat_FailsWithStatesTimeoutMatchingHeartbeatTimeout()
    {
        var result = await Asl.RunAsync(
            """
            {"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::test:run","HeartbeatSeconds":10,"End":true,
              "Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"Caught"}]},"Caught":{"Type":"Pass","End":true}}}
            """,
            "{}",
            Asl.Options(Slow(TimeSpan.FromSeconds(30))));
        result.Output()!["Error"]!.GetValue<string>().Should().Be("States.Timeout");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task HeartbeatSeconds_HeartbeatsSent_TaskMayRunLonger()
    {
        var invoker = new ScriptedInvoker(async (_, i) =>
        {
            for (var n = 0; n < 5; n++)
            {
                await i.DelayAsync(TimeSpan.FromSeconds(8), CancellationToken.None);
                i.SendHeartbeat();
            }

            return JsonValue.Create("done");
        });
        var result = await Asl.RunAsync(Asl.Single(Asl.Task("\"HeartbeatSeconds\":10")), "{}", Asl.Options(invoker));
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task StatesTaskFailed_DoesNotMatchTimeout()
    {
        var result = await Asl.RunAsync(
            """
            {"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::test:run","TimeoutSeconds":1,"End":true,
              "Retry":[{"ErrorEquals":["States.TaskFailed"]}],"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}]},
             "Caught":{"Type":"Pass","End":true}}}
            """,
            "{}",
            Asl.Options(Slow(TimeSpan.FromSeconds(5))));
        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("States.Timeout");
    }

    [Fact]
    public async Task StatesTimeout_RetriedByName()
    {
        var invoker = Slow(TimeSpan.FromSeconds(5));
        var result = await Asl.RunAsync(Asl.Single(Asl.Task("\"TimeoutSeconds\":1,\"Retry\":[{\"ErrorEquals\":[\"States.Timeout\"],\"MaxAttempts\":2}]")), "{}", Asl.Options(invoker));
        result.Error.Should().Be("States.Timeout");
        invoker.Calls.Should().HaveCount(3);
    }

    [Fact]
    public async Task MachineTimeoutSeconds_ExecutionTimesOut()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"W","TimeoutSeconds":10,"States":{"W":{"Type":"Wait","Seconds":100,"Next":"After"},"After":{"Type":"Succeed"}}}
            """);
        result.Status.Should().Be(ExecutionStatus.TimedOut);
        result.StatusText.Should().Be("TIMED_OUT");
        result.Error.Should().BeNull("DescribeExecution of a TIMED_OUT execution has no error (recorded on AWS)");
        result.Cause.Should().BeNull();
        result.History[^1].Type.Should().Be("ExecutionTimedOut");
        result.History[^1].Timestamp.Should().Be(Asl.Epoch.AddSeconds(10));
        result.History.Should().NotContain(e => e.StateName == "After");
    }

    [Fact]
    public async Task MachineTimeoutSeconds_FinishingEarlier_Succeeds()
    {
        var result = await Asl.RunAsync("""{"StartAt":"W","TimeoutSeconds":10,"States":{"W":{"Type":"Wait","Seconds":9,"End":true}}}""");
        result.Status.Should().Be(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task VirtualClock_NeverJumpsWhileTaskInvocationInFlight()
    {
        // One branch waits 100 s while the other's task does real asynchronous work: the clock must hold still until the task is done.
        var seen = new List<DateTimeOffset>();
        var invoker = new ScriptedInvoker(async (_, i) =>
        {
            seen.Add(i.Clock.GetUtcNow());
            for (var n = 0; n < 20; n++)
            {
                await Task.Run(() => seen.Add(i.Clock.GetUtcNow()));
            }

            return JsonValue.Create(1);
        });
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}},
              {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::test:run","End":true}}}]}}}
            """, "{}", Asl.Options(invoker));
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        seen.Distinct().Should().Equal(Asl.Epoch);
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(100));
    }

    [Fact]
    public async Task TimeoutSeconds_LambdaFunctionResource_RecordsLambdaFunctionTimedOut()
    {
        var result = await Asl.RunAsync(
            Asl.Single("""{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Slow","TimeoutSeconds":3,"End":true}"""),
            "{}",
            Asl.Options(new SlowLambda()));
        result.Error.Should().Be("States.Timeout");
        result.Types().Should().ContainInOrder("LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionTimedOut");
        result.History.Single(e => e.Type == "LambdaFunctionScheduled").Details["timeoutInSeconds"]!.GetValue<int>().Should().Be(3);
    }

    /// <summary>A custom invoker standing in for a Lambda function that takes a minute of engine time.</summary>
    private sealed class SlowLambda : Tasks.ITaskInvoker
    {
        public bool CanInvoke(string resource) => resource.EndsWith(":function:Slow", StringComparison.Ordinal);

        public async Task<JsonNode?> InvokeAsync(Tasks.TaskInvocation invocation, CancellationToken cancellationToken)
        {
            await invocation.DelayAsync(TimeSpan.FromMinutes(1), cancellationToken);
            return null;
        }
    }
}
