using Workflows.Engine.Definition;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class DistributedMapTests
{
    private static string Machine(string mapFields, string processor = """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", string executionType = "STANDARD")
    {
        var body = processor.Insert(1, $$"""
            "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"{{executionType}}"},
            """);
        return """{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":""" + body + mapFields + "}}}";
    }

    private const string FailOnOdd = """
        {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":1,"Next":"F"},{"Variable":"$","NumericEquals":3,"Next":"F"}],"Default":"OK"},
         "F":{"Type":"Fail","Error":"Item.Bad","Cause":"odd"},"OK":{"Type":"Pass","End":true}}}
        """;

    [Theory]
    [InlineData("STANDARD")]
    [InlineData("EXPRESS")]
    public async Task Distributed_InlineItems_OutputInItemOrderWithMapRunEvents(string executionType)
    {
        var result = await Asl.RunAsync(Machine(",\"MaxConcurrency\":2", executionType: executionType), "[1,2,3]");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("[1,2,3]");
        result.Types().Should().ContainInOrder("MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited");
        result.Types().Should().NotContain("MapIterationStarted", "the child executions' events are not the parent's");
    }

    [Fact]
    public async Task Distributed_MapRunArn_NamesMachineAndLabel()
    {
        var result = await Asl.RunAsync(Machine(",\"Label\":\"Batch1\""), "[1]");

        var started = result.History.Single(e => e.Type == "MapRunStarted");
        ((string?)started.Details!["mapRunArn"]).Should().StartWith("arn:aws:states:").And.Contain(":mapRun:Machine/Batch1:");
    }

    [Fact]
    public async Task Distributed_ItemBatcher_GroupsItemsWithBatchInput()
    {
        var result = await Asl.RunAsync(
            Machine(",\"ItemsPath\":\"$.items\",\"ItemBatcher\":{\"MaxItemsPerBatch\":2,\"BatchInput\":{\"tag.$\":\"$.tag\"}}"),
            """{"items":[1,2,3,4,5],"tag":"t"}""");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""[{"BatchInput":{"tag":"t"},"Items":[1,2]},{"BatchInput":{"tag":"t"},"Items":[3,4]},{"BatchInput":{"tag":"t"},"Items":[5]}]""");
    }

    [Fact]
    public async Task Distributed_MaxInputBytesPerBatch_ClosesBatchBeforeTheLimit()
    {
        // ["aaaa","bbbb"] is 15 bytes; a third string would pass 20.
        var result = await Asl.RunAsync(Machine(",\"ItemBatcher\":{\"MaxInputBytesPerBatchPath\":\"$.limit\"},\"ItemsPath\":\"$.items\""),
            """{"items":["aaaa","bbbb","cccc"],"limit":20}""");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""[{"Items":["aaaa","bbbb"]},{"Items":["cccc"]}]""");
    }

    [Fact]
    public async Task Distributed_FailuresWithinToleratedCount_Succeeds()
    {
        var result = await Asl.RunAsync(Machine(",\"ToleratedFailureCount\":2", FailOnOdd), "[0,1,2,3]");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""[0,{"Error":"Item.Bad","Cause":"odd"},2,{"Error":"Item.Bad","Cause":"odd"}]""");
    }

    [Fact]
    public async Task Distributed_FailuresPastToleratedPercentage_FailsWithExceedThreshold()
    {
        var result = await Asl.RunAsync(Machine(",\"ToleratedFailurePercentage\":25", FailOnOdd), "[0,1,2,3]");

        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("States.ExceedToleratedFailureThreshold");
        result.Types().Should().ContainInOrder("MapRunStarted", "MapRunFailed", "MapStateFailed");
    }

    [Fact]
    public async Task Distributed_NoToleranceAndOneFailure_Fails()
    {
        var result = await Asl.RunAsync(Machine("", FailOnOdd), "[0,1]");

        result.Error.Should().Be("States.ExceedToleratedFailureThreshold");
    }

    [Theory]
    [InlineData("""{"i":[1],"n":-1}""", "ToleratedFailureCount cannot be negative.")]
    [InlineData("""{"i":[1],"n":"x"}""", "The ToleratedFailureCountPath field refers to value \"x\" which is not a valid integer: $.n")]
    public async Task Distributed_BadToleratedFailureCountPath_FailsWithAwsWording(string input, string cause)
    {
        var result = await Asl.RunAsync(Machine(",\"ItemsPath\":\"$.i\",\"ToleratedFailureCountPath\":\"$.n\""), input);

        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().EndWith(cause).And.StartWith("An error occurred while executing the state 'M'");
    }

    [Theory]
    [InlineData(",\"Label\":\"x\"", "Label")]
    [InlineData(",\"ToleratedFailureCount\":1", "ToleratedFailureCount")]
    [InlineData(",\"ItemBatcher\":{\"MaxItemsPerBatch\":1}", "ItemBatcher")]
    public void Inline_DistributedOnlyField_RefusedByName(string fields, string field)
    {
        var definition = """{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""" + fields + "}}}";

        var act = () => AslEngine.Load(definition);

        act.Should().Throw<AslValidationException>().Which.Problems.Should().Contain(p => p.Field == field);
    }

    [Theory]
    [InlineData(",\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"Parameters\":{}}", "ItemReader")]
    [InlineData(",\"ResultWriter\":{\"Resource\":\"arn:aws:states:::s3:putObject\",\"Parameters\":{}}", "ResultWriter")]
    public void Distributed_S3ReaderOrWriter_RefusedByName(string fields, string field)
    {
        var act = () => AslEngine.Load(Machine(fields));

        act.Should().Throw<AslValidationException>().Which.Problems.Should().Contain(p => p.Field == field && p.Message.Contains("S3"));
    }

    [Fact]
    public void Distributed_WithoutExecutionType_Refused()
    {
        var definition = """{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}""";

        var act = () => AslEngine.Load(definition);

        act.Should().Throw<AslValidationException>().Which.Problems.Should().Contain(p => p.Field == "ItemProcessor.ProcessorConfig.ExecutionType");
    }
}
