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

    private const string EchoContext = """
        {"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"Parameters":{
          "ExecutionId.$":"$$.Execution.Id","ExecutionName.$":"$$.Execution.Name","Input.$":"$$.Execution.Input",
          "RoleArn.$":"$$.Execution.RoleArn","StartTime.$":"$$.Execution.StartTime",
          "MachineId.$":"$$.StateMachine.Id","MachineName.$":"$$.StateMachine.Name"}}}}
        """;

    [Fact]
    public async Task Distributed_ChildContext_HasOwnExecutionAndLabelledStateMachine()
    {
        var result = await Asl.RunAsync(Machine(",\"Label\":\"Batch1\"", EchoContext), "[10,20]", name: "parent");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        var children = result.Output()!.AsArray();
        children.Should().HaveCount(2);
        var names = new HashSet<string>();
        for (var i = 0; i < 2; i++)
        {
            var child = children[i]!.AsObject();
            var name = (string)child["ExecutionName"]!;
            Guid.TryParse(name, out _).Should().BeTrue($"a child's name is a UUID, got {name}");
            names.Add(name);
            ((string)child["ExecutionId"]!).Should().MatchRegex("^arn:aws:states:[^:]+:[0-9]+:execution:Machine/Batch1:").And.EndWith(":" + name);
            ((string)child["MachineId"]!).Should().MatchRegex("^arn:aws:states:[^:]+:[0-9]+:stateMachine:Machine/Batch1$");
            ((string)child["MachineName"]!).Should().Be("Machine/Batch1");
            child["Input"].Json().Should().Be(i == 0 ? "10" : "20");
            ((string?)child["RoleArn"]).Should().NotBeNullOrEmpty();
            ((string?)child["StartTime"]).Should().NotBeNullOrEmpty();
        }

        names.Should().HaveCount(2, "each child execution has its own name");
    }

    [Fact]
    public async Task Distributed_NoLabel_ChildArnsUseStateName()
    {
        var result = await Asl.RunAsync(Machine("", EchoContext), "[1]");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        ((string)result.Output()![0]!["MachineId"]!).Should().EndWith(":stateMachine:Machine/M");
        ((string)result.Output()![0]!["ExecutionId"]!).Should().Contain(":execution:Machine/M:");
    }

    [Fact]
    public async Task Distributed_ExpressChild_HasNoRedriveCount()
    {
        const string redrive = """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"Parameters":{"E.$":"$$.Execution"}}}}""";

        var standard = await Asl.RunAsync(Machine("", redrive), "[1]");
        var express = await Asl.RunAsync(Machine("", redrive, "EXPRESS"), "[1]");

        standard.Output()![0]!["E"]!["RedriveCount"].Json().Should().Be("0");
        express.Output()![0]!["E"]!.AsObject().ContainsKey("RedriveCount").Should().BeFalse();
    }

    [Fact]
    public async Task Distributed_NestedParallelInChild_SeesChildContext()
    {
        const string processor = """
            {"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"Parameters":{"Id.$":"$$.Execution.Id"}}}}]}}}
            """;

        var result = await Asl.RunAsync(Machine("", processor), "[1]");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        ((string)result.Output()![0]![0]!["Id"]!).Should().Contain(":execution:Machine/M:");
    }

    [Fact]
    public async Task Distributed_ItemSelector_StillReadsParentContext()
    {
        var result = await Asl.RunAsync(
            Machine(",\"ItemSelector\":{\"id.$\":\"$$.Execution.Id\",\"v.$\":\"$$.Map.Item.Value\"}"), "[5]", name: "parent");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        ((string)result.Output()![0]!["id"]!).Should().EndWith(":execution:Machine:parent");
        result.Output()![0]!["v"].Json().Should().Be("5");
    }

    [Fact]
    public async Task InlineMap_ChildContext_SharesParentExecution()
    {
        const string definition = """
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},
              "StartAt":"P","States":{"P":{"Type":"Pass","End":true,"Parameters":{"Id.$":"$$.Execution.Id","Machine.$":"$$.StateMachine.Id","Name.$":"$$.Execution.Name"}}}}}}}
            """;

        var result = await Asl.RunAsync(definition, "[1]", name: "parent");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        ((string)result.Output()![0]!["Id"]!).Should().EndWith(":execution:Machine:parent");
        ((string)result.Output()![0]!["Machine"]!).Should().EndWith(":stateMachine:Machine");
        ((string)result.Output()![0]!["Name"]!).Should().Be("parent");
    }

    [Fact]
    public async Task Distributed_SameSeed_SameChildNames()
    {
        var definition = Machine(",\"MaxConcurrency\":2", EchoContext);

        var first = await Asl.RunAsync(definition, "[1,2,3]", Asl.Options(seed: 11), name: "parent");
        var second = await Asl.RunAsync(definition, "[1,2,3]", Asl.Options(seed: 11), name: "parent");
        var other = await Asl.RunAsync(definition, "[1,2,3]", Asl.Options(seed: 12), name: "parent");

        first.Output().Json().Should().Be(second.Output().Json());
        ((string)other.Output()![0]!["ExecutionName"]!).Should().NotBe((string)first.Output()![0]!["ExecutionName"]!);
    }
}
