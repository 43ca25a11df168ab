using System.Text.Json.Nodes;
using Workflows.Engine.Tasks;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class LambdaBindingTests
{
    private const string Assembly = "Workflows.Engine.Tests";
    private const string Type = "Workflows.Engine.Tests.Fixtures.Handlers";
    private const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:";

    private static AslEngine EngineWith(params (string Name, string Method)[] functions)
    {
        var engine = new AslEngine(Asl.Options());
        foreach (var (name, method) in functions)
        {
            engine.Lambda.RegisterHandler(name, $"{Assembly}::{Type}::{method}", AppContext.BaseDirectory);
        }

        return engine;
    }

    [Fact]
    public async Task FunctionArnResource_ReflectionLoadedHandler_ResultIsHandlerOutput()
    {
        var engine = EngineWith(("Echo", "Echo"));
        var result = await engine.StartExecutionAsync(Asl.Single($$"""{"Type":"Task","Resource":"{{FunctionArn}}Echo","End":true}"""), """{"a":1}""", "e1");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""{"echo":{"a":1}}""");
    }

    [Fact]
    public async Task LambdaInvoke_WrapsOutputAsInvokeResponse()
    {
        var engine = EngineWith(("Greeter", "Greet"));
        var result = await engine.StartExecutionAsync(
            Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Greeter","Payload":{"name.$":"$.who"}},"End":true}"""),
            """{"who":"Ana"}""",
            "e2");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        var output = result.Output()!;
        output["Payload"].Json().Should().Be("""{"greeting":"hello Ana","hadContext":false}""");
        output["StatusCode"]!.GetValue<int>().Should().Be(200);
        output["ExecutedVersion"]!.GetValue<string>().Should().Be("$LATEST");
        output["SdkHttpMetadata"]!["HttpStatusCode"]!.GetValue<int>().Should().Be(200);
        output["SdkResponseMetadata"]!["RequestId"].Should().NotBeNull();
    }

    [Fact]
    public async Task LambdaInvoke_FunctionNameAsArn_Resolved()
    {
        var engine = EngineWith(("Echo", "Echo"));
        var result = await engine.StartExecutionAsync(
            Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:Echo:$LATEST","Payload":{"x":1}},"OutputPath":"$.Payload","End":true}"""),
            "{}",
            "e3");
        result.Output().Json().Should().Be("""{"echo":{"x":1}}""");
    }

    [Fact]
    public async Task HandlerException_ErrorIsTypeNameAndCauseIsLambdaJson()
    {
        var engine = EngineWith(("Boom", "Boom"));
        var result = await engine.StartExecutionAsync(Asl.Single($$"""{"Type":"Task","Resource":"{{FunctionArn}}Boom","End":true}"""), """{"k":1}""", "e4");
        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("InvalidOperationException");
        var cause = JsonNode.Parse(result.Cause!)!;
        cause["errorType"]!.GetValue<string>().Should().Be("InvalidOperationException");
        cause["errorMessage"]!.GetValue<string>().Should().Be("boom: {\"k\":1}");
        cause["stackTrace"].Should().BeOfType<JsonArray>().Which.Should().NotBeEmpty();
        result.Types().Should().Contain("LambdaFunctionFailed");
    }

    [Fact]
    public async Task FunctionErrorException_ErrorAndCausePassedThroughUnchanged()
    {
        const string Document = """{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: r1 Error: Task timed out after 1.00 seconds"}""";
        var engine = new AslEngine(Asl.Options());
        engine.Lambda.Register("OutOfProcess", new LambdaHandlerLoader.Handler((_, _) => throw new LambdaFunctionErrorException("Sandbox.Timedout", Document)));

        var result = await engine.StartExecutionAsync(Asl.Single($$"""{"Type":"Task","Resource":"{{FunctionArn}}OutOfProcess","End":true}"""), "{}", "e4b");

        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("Sandbox.Timedout");
        result.Cause.Should().Be(Document);
    }

    [Fact]
    public async Task AsyncHandlerException_MappedThroughLambdaInvoke()
    {
        var engine = EngineWith(("Late", "BoomAsync"));
        var result = await engine.StartExecutionAsync(
            Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Late","Payload":{}},"End":true}"""), "{}", "e5");
        result.Error.Should().Be("TimeoutException");
        result.History.Single(e => e.Type == "TaskFailed").Details["resourceType"]!.GetValue<string>().Should().Be("lambda");
    }

    [Fact]
    public async Task HandlerException_RetriedByExceptionName()
    {
        var engine = EngineWith(("Boom", "Boom"));
        var result = await engine.StartExecutionAsync(
            Asl.Single($$"""{"Type":"Task","Resource":"{{FunctionArn}}Boom","Retry":[{"ErrorEquals":["InvalidOperationException"],"MaxAttempts":2}],"End":true}"""), "{}", "e6");
        result.History.Count(e => e.Type == "LambdaFunctionScheduled").Should().Be(3);
    }

    [Fact]
    public async Task UnknownFunction_FailsWithLambdaResourceNotFound()
    {
        var engine = EngineWith();
        var result = await engine.StartExecutionAsync(
            Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Nope","Payload":{}},"End":true}"""), "{}", "e7");
        result.Error.Should().Be("Lambda.ResourceNotFoundException");
        result.Cause.Should().Contain("function:Nope");
    }

    [Fact]
    public async Task InstanceHandler_CreatedOnceAndReusedLikeWarmContainer()
    {
        var engine = EngineWith(("Counter", "Count"));
        var def = Asl.Single($$"""{"Type":"Task","Resource":"{{FunctionArn}}Counter","End":true}""");
        await engine.StartExecutionAsync(def, "{}", "c1");
        var second = await engine.StartExecutionAsync(def, "{}", "c2");
        second.Output().Json().Should().Be("""{"count":2}""");
    }

    [Fact]
    public async Task StaticHandler_Supported()
    {
        var engine = EngineWith(("Static", "StaticEcho"));
        var result = await engine.StartExecutionAsync(Asl.Single($$"""{"Type":"Task","Resource":"{{FunctionArn}}Static","End":true}"""), """[1]""", "s1");
        result.Output().Json().Should().Be("[1]");
    }

    [Fact]
    public void Loader_MalformedHandlerString_Refused()
    {
        var act = () => LambdaHandlerLoader.Load("JustAnAssembly", AppContext.BaseDirectory);
        act.Should().Throw<ArgumentException>().WithMessage("*Assembly::Namespace.Type::Method*");
    }

    [Fact]
    public void Loader_UnsupportedSignature_Refused()
    {
        var act = () => LambdaHandlerLoader.Load($"{Assembly}::{Type}::NotAStreamHandler", AppContext.BaseDirectory);
        act.Should().Throw<InvalidOperationException>().WithMessage("*unsupported signature*");
    }

    [Fact]
    public void Loader_MissingAssembly_NamesPath()
    {
        var act = () => LambdaHandlerLoader.Load("No.Such.Assembly::T::M", AppContext.BaseDirectory);
        act.Should().Throw<InvalidOperationException>().WithMessage("*No.Such.Assembly*");
    }

    [Fact]
    public void Loader_MissingMethod_Refused()
    {
        var act = () => LambdaHandlerLoader.Load($"{Assembly}::{Type}::Missing", AppContext.BaseDirectory);
        act.Should().Throw<InvalidOperationException>().WithMessage("*Missing*");
    }

    [Fact]
    public async Task LambdaFunctionResource_HistoryUsesLambdaEvents()
    {
        var engine = EngineWith(("Echo", "Echo"));
        var result = await engine.StartExecutionAsync(Asl.Single($$"""{"Type":"Task","Resource":"{{FunctionArn}}Echo","End":true}"""), "{}", "h1");
        result.Types().Should().Equal("ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded");
        result.History.Single(e => e.Type == "LambdaFunctionScheduled").Resource.Should().Be(FunctionArn + "Echo");
    }

    [Fact]
    public async Task UnboundResource_RefusedAtStartNamingIt()
    {
        var engine = new AslEngine(Asl.Options());
        var act = () => engine.StartExecutionAsync(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","End":true}"""));
        (await act.Should().ThrowAsync<Definition.AslValidationException>()).Which.Problems
            .Should().Contain(p => p.State == "S" && p.Field == "Resource" && p.Message.Contains("dynamodb:putItem"));
    }

    [Theory]
    [InlineData("Payloadd")]
    [InlineData("InvocationTyp")]
    public void Load_LambdaInvokeUnknownParameter_RefusedNamingIt(string field)
    {
        var act = () => AslEngine.Load(Asl.Single($$$"""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Echo","{{{field}}}":{}},"End":true}"""));

        act.Should().Throw<Definition.AslValidationException>().Which.Problems
            .Should().ContainSingle(p => p.State == "S" && p.Field == $"Parameters.{field}" && p.Message.Contains("FunctionName, Payload"));
    }

    [Fact]
    public void Load_LambdaInvokeLogType_Accepted()
    {
        // Invoke's LogType is a parameter AWS's lambda:invoke takes (recorded with "Tail"); locally it has no effect.
        var act = () => AslEngine.Load(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Echo","LogType":"Tail"},"End":true}"""));

        act.Should().NotThrow();
    }

    [Fact]
    public void Load_LambdaInvokeAsynchronous_RefusedAsUnsupported()
    {
        var act = () => AslEngine.Load(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Echo","InvocationType":"Event"},"End":true}"""));

        act.Should().Throw<Definition.AslValidationException>().Which.Problems
            .Should().ContainSingle(p => p.Field == "Parameters.InvocationType" && p.Message.Contains("'Event'"));
    }

    [Fact]
    public async Task LambdaInvoke_InputWithUnknownParameter_FailsWithStatesRuntime()
    {
        var engine = EngineWith(("Echo", "Echo"));

        // No Parameters: the state input is the request, so its names are only known at run time.
        var result = await engine.StartExecutionAsync(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}"""), """{"FunctionName":"Echo","Payloadd":{}}""", "dyn");

        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().Contain("'Payloadd' is not a parameter");
    }

    [Fact]
    public async Task LambdaInvoke_SameSeed_SameRequestIds()
    {
        const string Definition = """{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Echo","Payload":{}},"End":true}}}""";
        async Task<ExecutionResult> RunAsync(int seed)
        {
            var engine = new AslEngine(Asl.Options(seed));
            engine.Lambda.RegisterHandler("Echo", $"{Assembly}::{Type}::Echo", AppContext.BaseDirectory);
            return await engine.StartExecutionAsync(Definition, "{}", "same");
        }

        var first = await RunAsync(3);
        var second = await RunAsync(3);
        var other = await RunAsync(4);

        second.ToHistoryJson().Json().Should().Be(first.ToHistoryJson().Json());
        second.Output.Should().Be(first.Output);
        other.Output()!["SdkResponseMetadata"]!["RequestId"].Json().Should().NotBe(first.Output()!["SdkResponseMetadata"]!["RequestId"].Json());
    }
}
