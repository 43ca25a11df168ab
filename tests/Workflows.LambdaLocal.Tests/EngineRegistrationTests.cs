using System.Text.Json.Nodes;
using Workflows.Engine;
using Workflows.Engine.Tasks;
using Workflows.LambdaLocal.Tests.Support;

namespace Workflows.LambdaLocal.Tests;

/// <summary>Task states of the local engine invoking bootstrap processes, through the engine's function registry.</summary>
public class EngineRegistrationTests
{
    private const string Machine = """
        {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Echo","End":true}}}
        """;

    private const string InvokeMachine = """
        {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Echo","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}}
        """;

    private static async Task<(LambdaService Service, AslEngine Engine)> StartAsync()
    {
        var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        var registry = new LambdaFunctionRegistry();
        service.RegisterAll(registry);
        return (service, new AslEngine(new EngineOptions { Seed = 1, StateMachineName = "Machine", Lambda = registry }));
    }

    [Fact]
    public async Task RegisterAll_TaskSucceeds_OutputIsTheProcessesResponse()
    {
        var (service, engine) = await StartAsync();
        await using var _ = service;

        var result = await engine.StartExecutionAsync(InvokeMachine, """{"mode":"echo","k":"v"}""", "ok");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        JsonNode.Parse(result.Output!)!["event"]!["k"]!.GetValue<string>().Should().Be("v");
    }

    [Fact]
    public async Task RegisterAll_FunctionError_ErrorIsErrorTypeAndCauseIsTheErrorDocument()
    {
        var (service, engine) = await StartAsync();
        await using var _ = service;

        var result = await engine.StartExecutionAsync(Machine, """{"mode":"error","errorType":"ConflictException"}""", "err");

        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("ConflictException");
        var cause = JsonNode.Parse(result.Cause!)!;
        cause["errorType"]!.GetValue<string>().Should().Be("ConflictException");
        cause["errorMessage"]!.GetValue<string>().Should().Be("failed on purpose");
    }

    [Fact]
    public async Task RegisterAll_ProcessCrashes_ErrorIsRuntimeExitError()
    {
        var (service, engine) = await StartAsync();
        await using var _ = service;

        var result = await engine.StartExecutionAsync(Machine, """{"mode":"crash"}""", "crash");

        result.Error.Should().Be("Runtime.ExitError");
        JsonNode.Parse(result.Cause!)!["errorMessage"]!.GetValue<string>().Should().EndWith("exit status 3");
    }

    [Fact]
    public async Task RegisterAll_InlineRegistry_Refused()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());

        var act = () => service.RegisterAll(new LambdaFunctionRegistry { InlineHandlers = true });

        act.Should().Throw<ArgumentException>();
    }
}
