using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class ContextObjectTests
{
    private static async Task<System.Text.Json.Nodes.JsonNode> ContextAsync(string input = """{"in":1}""")
    {
        var options = Asl.Options();
        var engine = new AslEngine(new EngineOptions { Clock = options.Clock, Seed = 1, StateMachineName = "Provision", Region = "eu-west-1", Account = "111122223333", RoleArn = "arn:aws:iam::111122223333:role/sfn" });
        var result = await engine.StartExecutionAsync(
            """{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":7,"Next":"Read"},"Read":{"Type":"Pass","Parameters":{"ctx.$":"$$"},"End":true}}}""",
            input,
            "exec-42");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        return result.Output()!["ctx"]!;
    }

    [Fact]
    public async Task Context_ExecutionId_IsExecutionArn() =>
        (await ContextAsync())["Execution"]!["Id"]!.GetValue<string>().Should().Be("arn:aws:states:eu-west-1:111122223333:execution:Provision:exec-42");

    [Fact]
    public async Task Context_ExecutionNameInputStartTimeRoleArn()
    {
        var execution = (await ContextAsync())["Execution"]!;
        execution["Name"]!.GetValue<string>().Should().Be("exec-42");
        execution["Input"].Json().Should().Be("""{"in":1}""");
        execution["StartTime"]!.GetValue<string>().Should().Be("2026-01-01T00:00:00.000Z");
        execution["RoleArn"]!.GetValue<string>().Should().Be("arn:aws:iam::111122223333:role/sfn");
    }

    [Fact]
    public async Task Context_StateMachineIdAndName()
    {
        var machine = (await ContextAsync())["StateMachine"]!;
        machine["Id"]!.GetValue<string>().Should().Be("arn:aws:states:eu-west-1:111122223333:stateMachine:Provision");
        machine["Name"]!.GetValue<string>().Should().Be("Provision");
    }

    [Fact]
    public async Task Context_StateNameEnteredTime_NoRetryCountOutsideRetryableStates()
    {
        var state = (await ContextAsync())["State"]!;
        state["Name"]!.GetValue<string>().Should().Be("Read");
        state["EnteredTime"]!.GetValue<string>().Should().Be("2026-01-01T00:00:07.000Z");
        // AWS leaves RetryCount out of a Pass state's context object (recorded); Task, Parallel and Map have it.
        state.AsObject().ContainsKey("RetryCount").Should().BeFalse();
    }

    [Fact]
    public async Task Context_TaskState_HasRetryCountZero()
    {
        var invoker = ScriptedInvoker.Echo();
        var result = await Asl.RunAsync(Asl.Single(Asl.Task("\"Parameters\":{\"s.$\":\"$$.State\"}")), "{}", Asl.Options(invoker));
        result.Output()!["s"]!["RetryCount"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task InputPath_ContextPath_SelectsFromContextObject()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","InputPath":"$$.Execution.Input","End":true}"""), """{"in":1}""");
        result.Output().Json().Should().Be("""{"in":1}""");
    }

    [Fact]
    public async Task OutputPath_ContextPath_SelectsFromContextObject()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Result":{"other":2},"OutputPath":"$$.State.Name","End":true}"""), """{"in":1}""");
        result.Output().Json().Should().Be("\"S\"");
    }

    [Fact]
    public async Task Context_TaskTokenAbsent()
    {
        var ctx = await ContextAsync();
        ctx.AsObject().ContainsKey("Task").Should().BeFalse();
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Parameters":{"t.$":"$$.Task.Token"},"End":true}"""));
        // AWS raises States.Runtime for an unresolvable Parameters path, not the spec's ParameterPathFailure.
        result.Error.Should().Be("States.Runtime");
    }

    [Fact]
    public async Task Context_MapItemOnlyInsideItemSelector()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """, """["a","b"]""");
        result.Output().Json().Should().Be("""[{"v":"a","i":0},{"v":"b","i":1}]""");
    }

    [Fact]
    public async Task Context_ExpressExecution_ExpressArnAndNoRedriveCount()
    {
        var engine = new AslEngine(new EngineOptions { Clock = Asl.Options().Clock, Seed = 1, StateMachineName = "Fast", ExecutionType = ExecutionType.Express });
        var result = await engine.StartExecutionAsync(Asl.Single("""{"Type":"Pass","Parameters":{"e.$":"$$.Execution"},"End":true}"""), "{}", "run-9");
        var execution = result.Output()!["e"]!.AsObject();
        execution["Id"]!.GetValue<string>().Should().MatchRegex("^arn:aws:states:us-east-1:123456789012:express:Fast:run-9:[0-9a-f-]{36}$");
        execution.ContainsKey("RedriveCount").Should().BeFalse();
        result.ExecutionArn.Should().Be(execution["Id"]!.GetValue<string>());
    }
}
