using Workflows.Engine.Definition;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

/// <summary>Structure validation: every problem names its state and field; unsupported features are refused by name.</summary>
public class LoadingTests
{
    private static AslValidationException Refused(string json)
    {
        var act = () => StateMachineDefinition.Load(json);
        return act.Should().Throw<AslValidationException>().Which;
    }

    [Fact]
    public void Load_ValidDefinition_ExposesStartAtAndStates()
    {
        var d = StateMachineDefinition.Load("""{"StartAt":"A","TimeoutSeconds":5,"States":{"A":{"Type":"Succeed"}}}""");
        d.StartAt.Should().Be("A");
        d.TimeoutSeconds.Should().Be(5);
        d.Body.States.Should().ContainKey("A");
    }

    [Fact]
    public void Load_InvalidJson_Refused() =>
        Refused("{not json").Message.Should().Contain("not valid JSON");

    [Fact]
    public void Load_StartAtMissingState_NamesStartAt() =>
        Refused("""{"StartAt":"Nope","States":{"A":{"Type":"Succeed"}}}""").Problems
            .Should().Contain(p => p.Field == "StartAt" && p.Message.Contains("Nope"));

    [Fact]
    public void Load_NextTargetMissing_NamesStateAndField() =>
        Refused("""{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Ghost"}}}""").Problems
            .Should().Contain(p => p.State == "A" && p.Field == "Next" && p.Message.Contains("Ghost"));

    [Fact]
    public void Load_DefaultTargetMissing_NamesDefault() =>
        Refused("""{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"C"}],"Default":"Ghost"}}}""").Problems
            .Should().Contain(p => p.State == "C" && p.Field == "Default");

    [Fact]
    public void Load_ChoiceRuleNextMissingTarget_NamesRule() =>
        Refused("""{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"Ghost"}]}}}""").Problems
            .Should().Contain(p => p.State == "C" && p.Field == "Choices[0].Next");

    [Fact]
    public void Load_CatchNextMissingTarget_NamesCatch() =>
        Refused(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::test:run","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Ghost"}]}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == "Catch[0].Next");

    [Fact]
    public void Load_NextAndEndBoth_Refused() =>
        Refused("""{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A","End":true}}}""").Problems
            .Should().Contain(p => p.State == "A" && p.Message.Contains("exactly one of Next"));

    [Fact]
    public void Load_NeitherNextNorEnd_Refused() =>
        Refused("""{"StartAt":"A","States":{"A":{"Type":"Pass"}}}""").Problems
            .Should().Contain(p => p.State == "A" && p.Field == "Next");

    [Fact]
    public void Load_TerminalStateWithNext_Refused() =>
        Refused("""{"StartAt":"A","States":{"A":{"Type":"Succeed","Next":"A"}}}""").Problems
            .Should().Contain(p => p.State == "A" && p.Field == "Next");

    [Fact]
    public void Load_WaitWithTwoFields_Refused() =>
        Refused(Asl.Single("""{"Type":"Wait","Seconds":1,"Timestamp":"2026-01-01T00:00:00Z","End":true}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Message.Contains("exactly one of Seconds"));

    [Fact]
    public void Load_WaitWithNoField_Refused() =>
        Refused(Asl.Single("""{"Type":"Wait","End":true}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Message.Contains("exactly one of Seconds"));

    [Fact]
    public void Load_StatesAllNotLastRetrier_Refused() =>
        Refused(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::test:run","End":true,"Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["E"]}]}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == "Retry.ErrorEquals" && p.Message.Contains("States.ALL"));

    [Fact]
    public void Load_StatesAllNotAloneInCatch_Refused() =>
        Refused("""{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::test:run","End":true,"Catch":[{"ErrorEquals":["States.ALL","E"],"Next":"S"}]}}}""").Problems
            .Should().Contain(p => p.Field == "Catch.ErrorEquals");

    [Fact]
    public void Load_FieldOfWrongType_NamesField() =>
        Refused(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::test:run","TimeoutSeconds":"ten","End":true}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == "TimeoutSeconds");

    [Fact]
    public void Load_UnknownField_RefusedByName() =>
        Refused(Asl.Single("""{"Type":"Pass","Bogus":1,"End":true}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == "Bogus");

    [Fact]
    public void Load_UnknownStateType_Refused() =>
        Refused(Asl.Single("""{"Type":"Sleep","End":true}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == "Type" && p.Message.Contains("Sleep"));

    [Fact]
    public void Load_UnknownQueryLanguage_RefusedByName() =>
        Refused("""{"QueryLanguage":"XPath","StartAt":"A","States":{"A":{"Type":"Succeed"}}}""").Problems
            .Should().Contain(p => p.Field == "QueryLanguage" && p.Message.Contains("XPath"));

    [Fact]
    public void Load_AssignWithInvalidVariableName_RefusedByName() =>
        Refused(Asl.Single("""{"Type":"Pass","Assign":{"1x":1,"states":2},"End":true}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == "Assign" && p.Message.Contains("'1x'"))
            .And.Contain(p => p.Message.Contains("reserved"));

    [Fact]
    public void Load_AssignOnSucceedState_Refused() =>
        Refused(Asl.Single("""{"Type":"Succeed","Assign":{"x":1}}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == "Assign");

    [Fact]
    public void Load_ResultPathOnVariable_Refused() =>
        Refused(Asl.Single("""{"Type":"Pass","ResultPath":"$x","End":true}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == "ResultPath");

    [Fact]
    public void Load_DistributedMapItemReader_RefusedByNameTheRestAccepted()
    {
        var problems = Refused(Asl.Single("""
            {"Type":"Map","ItemReader":{},"ToleratedFailureCount":1,"End":true,
             "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}}}
            """)).Problems;
        problems.Select(p => p.Field).Should().Equal("ItemReader");
    }

    [Fact]
    public void Load_ActivityResource_Refused() =>
        Refused(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:work","End":true}""")).Problems
            .Should().Contain(p => p.Field == "Resource" && p.Message.Contains("activities"));

    [Fact]
    public void Load_WaitForTaskTokenResource_Refused() =>
        Refused(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true}""")).Problems
            .Should().Contain(p => p.Field == "Resource" && p.Message.Contains("waitForTaskToken"));

    [Fact]
    public void Load_UnsubstitutedPlaceholder_Refused() =>
        Refused(Asl.Single("""{"Type":"Task","Resource":"${MyFunctionArn}","End":true}""")).Problems
            .Should().Contain(p => p.Field == "Resource" && p.Message.Contains("placeholder"));

    [Fact]
    public void Load_ResultPathNotReferencePath_Refused() =>
        Refused(Asl.Single("""{"Type":"Pass","ResultPath":"$.a[*]","End":true}""")).Problems
            .Should().Contain(p => p.Field == "ResultPath" && p.Message.Contains("reference path"));

    [Fact]
    public void Load_UnsupportedJsonPathFunction_Refused() =>
        Refused(Asl.Single("""{"Type":"Pass","InputPath":"$.items.length()","End":true}""")).Problems
            .Should().Contain(p => p.Field == "InputPath" && p.Message.Contains("not supported"));

    [Fact]
    public void Load_UnknownIntrinsic_Refused() =>
        Refused(Asl.Single("""{"Type":"Pass","Parameters":{"x.$":"States.Nope(1)"},"End":true}""")).Problems
            .Should().Contain(p => p.Field == "Parameters" && p.Message.Contains("States.Nope"));

    [Fact]
    public void Load_IntrinsicWrongArity_Refused() =>
        Refused(Asl.Single("""{"Type":"Pass","Parameters":{"x.$":"States.ArrayLength()"},"End":true}""")).Problems
            .Should().Contain(p => p.Message.Contains("takes 1 argument"));

    [Fact]
    public void Load_ChoiceComparisonWithWrongOperandType_Refused() =>
        Refused("""{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":"1","Next":"C"}]}}}""").Problems
            .Should().Contain(p => p.State == "C" && p.Field == "Choices[0].NumericEquals");

    [Fact]
    public void Load_BranchNextTargetOutsideBranch_Refused() =>
        Refused("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"B","States":{"B":{"Type":"Pass","Next":"P"}}}]}}}
            """).Problems.Should().Contain(p => p.State == "B" && p.Field == "Next");

    [Fact]
    public void Load_ManyProblems_AllReported() =>
        Refused("""{"StartAt":"X","States":{"A":{"Type":"Pass","Next":"B"},"C":{"Type":"Wait","End":true}}}""").Problems
            .Should().HaveCountGreaterThanOrEqualTo(3);

    [Fact]
    public void Load_UnreachableState_Refused() =>
        Refused("""{"StartAt":"A","States":{"A":{"Type":"Succeed"},"Orphan":{"Type":"Succeed"}}}""").Problems
            .Should().Contain(p => p.State == "Orphan" && p.Message.Contains("not reachable"));

    [Fact]
    public void Load_StateReachableOnlyThroughCatchOrChoice_Accepted()
    {
        var act = () => StateMachineDefinition.Load("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::test:run","Next":"C","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handler"}]},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"Yes"}],"Default":"No"},
              "Handler":{"Type":"Fail"},"Yes":{"Type":"Succeed"},"No":{"Type":"Succeed"}}}
            """);
        act.Should().NotThrow();
    }
}
