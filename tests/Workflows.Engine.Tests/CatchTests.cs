using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class CatchTests
{
    private static Task<ExecutionResult> RunAsync(string taskFields, string input, ScriptedInvoker invoker) =>
        Asl.RunAsync(
            """{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::test:run","Next":"Done",""" + taskFields + """
            },"Handler":{"Type":"Pass","End":true},"Done":{"Type":"Succeed"}}}
            """,
            input,
            Asl.Options(invoker));

    [Fact]
    public async Task Catch_DefaultResultPath_OutputIsErrorObject()
    {
        var result = await RunAsync("\"Catch\":[{\"ErrorEquals\":[\"E\"],\"Next\":\"Handler\"}]", """{"a":1}""", ScriptedInvoker.AlwaysFail("E"));
        result.Output().Json().Should().Be("""{"Error":"E","Cause":"call 0 failed"}""");
    }

    [Fact]
    public async Task Catch_ResultPath_AppliedToRawInput()
    {
        var result = await RunAsync(
            "\"InputPath\":\"$.sub\",\"Parameters\":{\"p\":1},\"Catch\":[{\"ErrorEquals\":[\"E\"],\"ResultPath\":\"$.error\",\"Next\":\"Handler\"}]",
            """{"sub":{"x":1},"top":true}""",
            ScriptedInvoker.AlwaysFail("E"));
        result.Output().Json().Should().Be("""{"sub":{"x":1},"top":true,"error":{"Error":"E","Cause":"call 0 failed"}}""");
    }

    [Fact]
    public async Task Catch_OutputPathNotAppliedAfterCatch()
    {
        var result = await RunAsync(
            "\"OutputPath\":\"$.sub\",\"Catch\":[{\"ErrorEquals\":[\"E\"],\"ResultPath\":\"$.error\",\"Next\":\"Handler\"}]",
            """{"sub":{"x":1}}""",
            ScriptedInvoker.AlwaysFail("E"));
        result.Output().Json().Should().Be("""{"sub":{"x":1},"error":{"Error":"E","Cause":"call 0 failed"}}""");
    }

    [Fact]
    public async Task Catch_ResultPathNull_KeepsRawInput()
    {
        var result = await RunAsync("\"Catch\":[{\"ErrorEquals\":[\"E\"],\"ResultPath\":null,\"Next\":\"Handler\"}]", """{"a":1}""", ScriptedInvoker.AlwaysFail("E"));
        result.Output().Json().Should().Be("""{"a":1}""");
    }

    [Fact]
    public async Task Catch_FirstMatchingCatcherInOrderWins()
    {
        var result = await RunAsync(
            "\"Catch\":[{\"ErrorEquals\":[\"Other\"],\"Next\":\"Done\"},{\"ErrorEquals\":[\"E\"],\"Next\":\"Handler\"},{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Done\"}]",
            "{}",
            ScriptedInvoker.AlwaysFail("E"));
        result.History.Should().Contain(e => e.Type == "PassStateEntered" && e.StateName == "Handler");
    }

    [Fact]
    public async Task Catch_NoMatchingCatcher_ExecutionFailsWithTaskError()
    {
        var result = await RunAsync("\"Catch\":[{\"ErrorEquals\":[\"Other\"],\"Next\":\"Handler\"}]", "{}", ScriptedInvoker.AlwaysFail("E"));
        result.Status.Should().Be(ExecutionStatus.Failed);
        (result.Error, result.Cause).Should().Be(("E", "call 0 failed"));
    }

    [Fact]
    public async Task Catch_ParameterPathMissing_IsStatesRuntimeAndNotCaught()
    {
        // AWS raises States.Runtime here (recorded), which no catcher catches, not the spec's ParameterPathFailure.
        var result = await RunAsync("\"Parameters\":{\"x.$\":\"$.nope\"},\"Catch\":[{\"ErrorEquals\":[\"States.ParameterPathFailure\"],\"Next\":\"Handler\"}]", "{}", ScriptedInvoker.Echo());
        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("States.Runtime");
    }

    [Fact]
    public async Task Catch_StatesRuntime_NeverCaught()
    {
        var result = await RunAsync("\"InputPath\":\"$.nope\",\"Catch\":[{\"ErrorEquals\":[\"States.Runtime\"],\"Next\":\"Handler\"}]", "{}", ScriptedInvoker.Echo());
        result.Error.Should().Be("States.Runtime");
    }

    [Fact]
    public async Task Catch_ResultPathMatchFailure_IsCatchable()
    {
        var result = await RunAsync("\"ResultPath\":\"$.a.b\",\"Catch\":[{\"ErrorEquals\":[\"States.ResultPathMatchFailure\"],\"Next\":\"Handler\"}]", """{"a":1}""", ScriptedInvoker.Echo());
        result.Status.Should().Be(ExecutionStatus.Succeeded);
        result.Output()!["Error"]!.GetValue<string>().Should().Be("States.ResultPathMatchFailure");
    }
}
