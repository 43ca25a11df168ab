using Workflows.Engine.Paths;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

/// <summary>InputPath → Parameters → task → ResultSelector → ResultPath → OutputPath, and the failures on the way.</summary>
public class DataFlowTests
{
    [Fact]
    public async Task Task_FullPipeline_AppliesStepsInOrder()
    {
        var invoker = new ScriptedInvoker((_, i) => Task.FromResult<System.Text.Json.Nodes.JsonNode?>(
            System.Text.Json.Nodes.JsonNode.Parse($$"""{"payload":{"got":{{i.Parameters!.ToJsonString()}}},"noise":1}""")));
        var result = await Asl.RunAsync(Asl.Single(Asl.Task("""
            "InputPath":"$.order","Parameters":{"id.$":"$.id","fixed":"f"},
            "ResultSelector":{"value.$":"$.payload.got"},"ResultPath":"$.order.result","OutputPath":"$.order"
            """)), """{"order":{"id":7},"other":true}""", Asl.Options(invoker));
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        invoker.Calls[0].Parameters.Json().Should().Be("""{"id":7,"fixed":"f"}""");
        result.Output().Json().Should().Be("""{"id":7,"result":{"value":{"id":7,"fixed":"f"}}}""");
    }

    [Fact]
    public async Task ResultPath_Null_DiscardsResultAndKeepsInput()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Result":{"x":1},"ResultPath":null,"End":true}"""), """{"keep":1}""");
        result.Output().Json().Should().Be("""{"keep":1}""");
    }

    [Fact]
    public async Task ResultPath_Dollar_ReplacesInput()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Result":{"x":1},"End":true}"""), """{"keep":1}""");
        result.Output().Json().Should().Be("""{"x":1}""");
    }

    [Fact]
    public async Task ResultPath_NestedPath_CreatesMissingObjects()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Result":1,"ResultPath":"$.a.b.c","End":true}"""), """{"z":0}""");
        result.Output().Json().Should().Be("""{"z":0,"a":{"b":{"c":1}}}""");
    }

    [Fact]
    public async Task ResultPath_ExistingField_Overwrites()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Result":2,"ResultPath":"$.a","End":true}"""), """{"a":1}""");
        result.Output().Json().Should().Be("""{"a":2}""");
    }

    [Fact]
    public async Task ResultPath_IntoNonObjectInput_FailsWithResultPathMatchFailure()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Result":2,"ResultPath":"$.a.b","End":true}"""), """{"a":"text"}""");
        result.Error.Should().Be("States.ResultPathMatchFailure");
    }

    [Fact]
    public async Task ResultPath_AppliesToRawInputNotInputPath()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","InputPath":"$.a","ResultPath":"$.copy","End":true}"""), """{"a":{"v":1},"b":2}""");
        result.Output().Json().Should().Be("""{"a":{"v":1},"b":2,"copy":{"v":1}}""");
    }

    [Fact]
    public async Task InputPath_Null_GivesEmptyObject()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","InputPath":null,"End":true}"""), """{"a":1}""");
        result.Output().Json().Should().Be("{}");
    }

    [Fact]
    public async Task OutputPath_Null_GivesEmptyObject()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","OutputPath":null,"End":true}"""), """{"a":1}""");
        result.Output().Json().Should().Be("{}");
    }

    [Fact]
    public async Task InputPath_NoMatch_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","InputPath":"$.missing","End":true}"""));
        result.Error.Should().Be("States.Runtime");
    }

    [Fact]
    public async Task OutputPath_NoMatch_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","OutputPath":"$.missing","End":true}"""));
        result.Error.Should().Be("States.Runtime");
    }

    [Fact]
    public async Task Parameters_PathMissing_FailsWithStatesRuntimeInAwsWording()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}"""), """{"a":1}""");
        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().Be("""An error occurred while executing the state 'S' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{"a":1}'""");
    }

    [Fact]
    public async Task Parameters_NestedObjectsAndArrays_Resolved()
    {
        var result = await Asl.RunAsync(
            Asl.Single("""{"Type":"Pass","Parameters":{"outer":{"inner.$":"$.v","list":[{"item.$":"$.v"},2]},"literal":"$.v"},"End":true}"""),
            """{"v":5}""");
        result.Output().Json().Should().Be("""{"outer":{"inner":5,"list":[{"item":5},2]},"literal":"$.v"}""");
    }

    [Fact]
    public async Task Parameters_ContextPath_ReadsContextObject()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Parameters":{"state.$":"$$.State.Name"},"End":true}"""));
        result.Output().Json().Should().Be("""{"state":"S"}""");
    }

    [Fact]
    public async Task Parameters_IntrinsicValue_Evaluated()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Parameters":{"msg.$":"States.Format('id={}', $.id)"},"End":true}"""), """{"id":3}""");
        result.Output().Json().Should().Be("""{"msg":"id=3"}""");
    }

    [Fact]
    public async Task Pass_ParametersWithoutResult_ParametersBecomeResult()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Parameters":{"a.$":"$.x"},"ResultPath":"$.p","End":true}"""), """{"x":1}""");
        result.Output().Json().Should().Be("""{"x":1,"p":{"a":1}}""");
    }

    [Fact]
    public async Task ResultSelector_PathMissing_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync(Asl.Single(Asl.Task("\"ResultSelector\":{\"x.$\":\"$.nope\"}")), "{}", Asl.Options(ScriptedInvoker.Echo()));
        result.Error.Should().Be("States.Runtime");
    }

    [Fact]
    public async Task DataLimit_StateOutputOver256KiB_FailsWithDataLimitExceeded()
    {
        var big = new string('x', 262_144);
        var result = await Asl.RunAsync(Asl.Single($$"""{"Type":"Pass","Result":"{{big}}","End":true}"""));
        result.Error.Should().Be("States.DataLimitExceeded");
    }

    [Fact]
    public async Task DataLimit_OutputJustUnderLimit_Succeeds()
    {
        var text = new string('x', 262_144 - 2);
        var result = await Asl.RunAsync(Asl.Single($$"""{"Type":"Pass","Result":"{{text}}","End":true}"""));
        result.Status.Should().Be(ExecutionStatus.Succeeded);
    }

    [Theory]
    [InlineData("""{"a":"x'y\"z<>&","b":[1,2.50,-3e2,true,false,null],"c":{"d":"\u00e9\u4e2d\ud83d\ude00"}}""")]
    [InlineData("""[]""")]
    [InlineData("""  "text with \\ backslash and \n newline" """)]
    [InlineData("""12345678901234567890123""")]
    public void Utf8Size_MatchesTheSerialisedText(string json)
    {
        // The payload limit counts bytes without building the text; it must agree with the text the history shows.
        var node = JsonValues.Parse(json);
        JsonValues.Utf8Size(node).Should().Be(System.Text.Encoding.UTF8.GetByteCount(JsonValues.ToJson(node)));
        var made = new System.Text.Json.Nodes.JsonObject { ["s"] = "é'\"", ["n"] = 12L, ["big"] = new string('x', 10_000) };
        JsonValues.Utf8Size(made).Should().Be(System.Text.Encoding.UTF8.GetByteCount(JsonValues.ToJson(made)));
        JsonValues.Utf8Size(null).Should().Be(4);
    }

    [Fact]
    public async Task DataLimit_LimitCheckedOnEveryStateOutput_AfterAPassThroughState()
    {
        // A Choice hands its input on unchanged; the following Pass's new output is still measured.
        var big = new string('x', 262_144);
        var result = await Asl.RunAsync("""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"P"}],"Default":"P"},
              "P":{"Type":"Pass","Result":"BIG","End":true}}}
            """.Replace("BIG", big, StringComparison.Ordinal), """{"go":true}""");
        result.Error.Should().Be("States.DataLimitExceeded");
    }

    [Fact]
    public async Task StartExecution_InputOver256KiB_Refused()
    {
        var big = "\"" + new string('x', 262_144) + "\"";
        var act = () => Asl.RunAsync(Asl.Single("""{"Type":"Succeed"}"""), big);
        (await act.Should().ThrowAsync<ExecutionRequestException>()).Which.Code.Should().Be("InvalidExecutionInput");
    }

    [Fact]
    public async Task Fail_ErrorAndCause_EndExecution()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Fail","Error":"Custom.Error","Cause":"because"}"""));
        result.Status.Should().Be(ExecutionStatus.Failed);
        (result.Error, result.Cause).Should().Be(("Custom.Error", "because"));
    }

    [Fact]
    public async Task Fail_ErrorPathAndCausePath_ReadInput()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('bad {}', $.n)"}"""), """{"e":"Dyn.Error","n":4}""");
        (result.Error, result.Cause).Should().Be(("Dyn.Error", "bad 4"));
    }

    [Fact]
    public async Task Succeed_AppliesInputAndOutputPath()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}"""), """{"a":{"b":[1]}}""");
        result.Output().Json().Should().Be("[1]");
    }

    [Fact]
    public async Task Fail_WithoutError_ExecutionHasNoErrorName()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Fail"}"""));
        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().BeNull();
    }
}
