using Workflows.Engine.Tasks;
using Workflows.Engine.Tests.Fixtures;
using Workflows.Engine.Tests.Support;
using Workflows.Engine.Time;

namespace Workflows.Engine.Tests;

/// <summary>The host's seam for constructing handlers (an activator), and inline handlers that wait on the virtual clock.</summary>
public class HandlerActivationTests
{
    private const string Assembly = "Workflows.Engine.Tests";
    private const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:";

    private static string Waiter(string method) => $"{Assembly}::{typeof(ClockWaiter).FullName}::{method}";

    private static string Call(string function, int? timeoutSeconds = null) =>
        Asl.Single($$"""{"Type":"Task","Resource":"{{FunctionArn}}{{function}}"{{(timeoutSeconds is { } t ? $",\"TimeoutSeconds\":{t}" : string.Empty)}},"End":true}""");

    private static AslEngine InlineEngine(VirtualClock clock) =>
        new(new EngineOptions
        {
            Clock = clock,
            Seed = 7,
            StateMachineName = "Machine",
            Lambda = new LambdaFunctionRegistry
            {
                Activator = type => type == typeof(ClockWaiter) ? new ClockWaiter(clock, "activated") : null,
                InlineHandlers = true,
            },
        });

    [Fact]
    public async Task RegisterHandler_ActivatorGivesInstance_HandlerUsesIt()
    {
        var clock = new VirtualClock(Asl.Epoch);
        var engine = InlineEngine(clock);
        engine.Lambda.RegisterHandler("Wait", Waiter(nameof(ClockWaiter.Wait)), AppContext.BaseDirectory);

        var result = await engine.StartExecutionAsync(Call("Wait"), """{"seconds":0}""", "a1");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output()!["label"]!.GetValue<string>().Should().Be("activated");
    }

    [Fact]
    public async Task RegisterHandler_ActivatorAnswersNull_UsesParameterlessConstructor()
    {
        var registry = new LambdaFunctionRegistry { Activator = _ => null };
        var engine = new AslEngine(new EngineOptions { Clock = new VirtualClock(Asl.Epoch), Seed = 7, Lambda = registry });
        engine.Lambda.RegisterHandler("Count", $"{Assembly}::{typeof(Handlers).FullName}::Count", AppContext.BaseDirectory);

        var result = await engine.StartExecutionAsync(Call("Count"), "{}", "a2");

        result.Output().Json().Should().Be("""{"count":1}""");
    }

    [Fact]
    public void RegisterHandler_NoActivatorAndNoParameterlessConstructor_RefusedNamingTheType()
    {
        var registry = new LambdaFunctionRegistry();

        var act = () => registry.RegisterHandler("Wait", Waiter(nameof(ClockWaiter.Wait)), AppContext.BaseDirectory);

        act.Should().Throw<InvalidOperationException>().WithMessage("*ClockWaiter*public parameterless constructor*");
    }

    [Fact]
    public void RegisterHandler_ActivatorAnswersAnotherType_Refused()
    {
        var registry = new LambdaFunctionRegistry { Activator = _ => new Handlers() };

        var act = () => registry.RegisterHandler("Wait", Waiter(nameof(ClockWaiter.Wait)), AppContext.BaseDirectory);

        act.Should().Throw<InvalidOperationException>().WithMessage("*activator returned*Handlers*not a*ClockWaiter*");
    }

    [Fact]
    public async Task InlineHandler_WaitsOnVirtualClock_TimeJumpsToTheEndOfTheWait()
    {
        var clock = new VirtualClock(Asl.Epoch);
        var engine = InlineEngine(clock);
        engine.Lambda.RegisterHandler("Wait", Waiter(nameof(ClockWaiter.Wait)), AppContext.BaseDirectory);

        var result = await engine.StartExecutionAsync(Call("Wait"), """{"seconds":20}""", "a3");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output()!["waited"]!.GetValue<double>().Should().Be(20);
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task InlineHandler_ResumesOffCapturedContext_StillCompletes()
    {
        var clock = new VirtualClock(Asl.Epoch);
        var engine = InlineEngine(clock);
        engine.Lambda.RegisterHandler("Wait", Waiter(nameof(ClockWaiter.WaitTwiceUncaptured)), AppContext.BaseDirectory);

        var result = await engine.StartExecutionAsync(Call("Wait"), "{}", "a4");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output()!["waited"]!.GetValue<double>().Should().Be(7);
    }

    [Fact]
    public async Task InlineHandler_WaitsPastTimeoutSeconds_TaskTimesOut()
    {
        var clock = new VirtualClock(Asl.Epoch);
        var engine = InlineEngine(clock);
        engine.Lambda.RegisterHandler("Wait", Waiter(nameof(ClockWaiter.Wait)), AppContext.BaseDirectory);

        var result = await engine.StartExecutionAsync(Call("Wait", timeoutSeconds: 10), """{"seconds":60}""", "a5");

        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("States.Timeout");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(10));
        result.Types().Should().Contain("LambdaFunctionTimedOut");
    }

    [Fact]
    public async Task InlineHandlers_TwoMapIterationsWaitingDifferently_InterleaveByVirtualTime()
    {
        var clock = new VirtualClock(Asl.Epoch);
        var engine = InlineEngine(clock);
        engine.Lambda.RegisterHandler("Wait", Waiter(nameof(ClockWaiter.Wait)), AppContext.BaseDirectory);
        var definition =
            """{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.waits","ItemSelector":{"seconds.$":"$$.Map.Item.Value"},"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Task","Resource":""" +
            $"\"{FunctionArn}Wait\"" +
            ""","End":true}}},"End":true}}}""";

        var result = await engine.StartExecutionAsync(definition, """{"waits":[30,5]}""", "a6");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(30));
        var succeeded = result.History.Where(e => e.Type == "LambdaFunctionSucceeded").Select(e => e.Timestamp - result.StartDate).ToList();
        succeeded.Should().Equal(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
    }
}
