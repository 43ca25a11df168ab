using Workflows.Engine.History;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class HistoryTests
{
    [Fact]
    public async Task History_EventNamesFollowTheApiModel()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{
              "P":{"Type":"Pass","Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"W"}],"Default":"F"},
              "W":{"Type":"Wait","Seconds":5,"Next":"T"},
              "T":{"Type":"Task","Resource":"arn:aws:states:::test:run","Next":"Par"},
              "Par":{"Type":"Parallel","Next":"M","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]},
              "M":{"Type":"Map","ItemsPath":"$","Next":"Ok","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}},
              "Ok":{"Type":"Succeed"},
              "F":{"Type":"Fail"}}}
            """, """{"go":true}""", Asl.Options(ScriptedInvoker.Echo()));
        result.Types().Should().Equal(
            "ExecutionStarted",
            "PassStateEntered", "PassStateExited",
            "ChoiceStateEntered", "ChoiceStateExited",
            "WaitStateEntered", "WaitStateExited",
            "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
            "ParallelStateEntered", "ParallelStateStarted", "PassStateEntered", "PassStateExited", "ParallelStateSucceeded", "ParallelStateExited",
            "MapStateEntered", "MapStateStarted", "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded", "MapStateSucceeded", "MapStateExited",
            "SucceedStateEntered", "SucceedStateExited",
            "ExecutionSucceeded");
    }

    [Fact]
    public async Task History_FailPath_EndsWithFailStateEnteredAndExecutionFailed()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Fail","Error":"E","Cause":"C"}"""));
        result.Types().Should().Equal("ExecutionStarted", "FailStateEntered", "ExecutionFailed");
        result.History[^1].Error.Should().Be("E");
        result.History[^1].Cause.Should().Be("C");
    }

    [Fact]
    public async Task History_IdsSequentialAndPreviousEventIdsChain()
    {
        var result = await Asl.RunAsync("""{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}""");
        result.History.Select(e => e.Id).Should().Equal(1, 2, 3, 4, 5, 6);
        result.History.Select(e => e.PreviousEventId).Should().Equal(0, 1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task History_LongerThanOneStorageChunk_KeepsEveryEventInOrder()
    {
        // 4N + 4 events for N loop iterations: several of the history's 4,096-event chunks.
        var result = await Asl.RunAsync("""
            {"StartAt":"Inc","States":{
              "Inc":{"Type":"Pass","Parameters":{"limit.$":"$.limit","count.$":"States.MathAdd($.count, 1)"},"Next":"Loop"},
              "Loop":{"Type":"Choice","Choices":[{"Variable":"$.count","NumericLessThanPath":"$.limit","Next":"Inc"}],"Default":"Done"},
              "Done":{"Type":"Succeed"}}}
            """, """{"limit":5000,"count":0}""");
        var history = result.History;
        history.Should().HaveCount(20_004);
        history.Select(e => e.Id).Should().Equal(Enumerable.Range(1, 20_004).Select(i => (long)i));
        history.Select(e => e.PreviousEventId).Should().Equal(Enumerable.Range(0, 20_004).Select(i => (long)i));
        history[4095].Id.Should().Be(4096);
        history[4096].Id.Should().Be(4097);
        history[^1].Type.Should().Be("ExecutionSucceeded");
        history[8193].Type.Should().Be("PassStateEntered");
        history[8193].Input.Should().Be("""{"limit":5000,"count":2048}""");
        var act = () => history[20_004];
        act.Should().Throw<ArgumentOutOfRangeException>();
        result.Transitions.Should().Be(10_001);
    }

    [Fact]
    public async Task History_TimestampsAreVirtual()
    {
        var result = await Asl.RunAsync("""{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"Next":"P"},"P":{"Type":"Pass","End":true}}}""");
        result.History[0].Timestamp.Should().Be(Asl.Epoch);
        result.History.Single(e => e.Type == "PassStateEntered").Timestamp.Should().Be(Asl.Epoch.AddHours(1));
        result.StartDate.Should().Be(Asl.Epoch);
        result.StopDate.Should().Be(Asl.Epoch.AddHours(1));
    }

    [Fact]
    public async Task History_DetailsCarryInputOutputAndNames()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Result":{"r":1},"End":true}"""), """{"i":1}""");
        result.History[0].Input.Should().Be("""{"i":1}""");
        var entered = result.History.Single(e => e.Type == "PassStateEntered");
        (entered.StateName, entered.Input).Should().Be(("S", """{"i":1}"""));
        result.History.Single(e => e.Type == "PassStateExited").Output.Should().Be("""{"r":1}""");
        result.History[^1].Output.Should().Be("""{"r":1}""");
    }

    [Fact]
    public async Task History_TaskFailureDetails_CarryErrorCauseAndResource()
    {
        var result = await Asl.RunAsync(Asl.Single(Asl.Task()), "{}", Asl.Options(ScriptedInvoker.AlwaysFail("Boom")));
        var failed = result.History.Single(e => e.Type == "TaskFailed");
        (failed.Error, failed.Cause, failed.Resource).Should().Be(("Boom", "call 0 failed", "run"));
        failed.Details["resourceType"]!.GetValue<string>().Should().Be("test");
    }

    [Fact]
    public async Task History_ToJson_UsesApiMemberNames()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","End":true}"""));
        var json = result.History[1].ToJson();
        json["type"]!.GetValue<string>().Should().Be("PassStateEntered");
        json["stateEnteredEventDetails"]!["name"]!.GetValue<string>().Should().Be("S");
        json["timestamp"]!.GetValue<string>().Should().Be("2026-01-01T00:00:00.000Z");
    }

    [Fact]
    public async Task Transitions_CountStatesEnteredPlusRetries()
    {
        var result = await Asl.RunAsync(
            """{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"T"},"T":{"Type":"Task","Resource":"arn:aws:states:::test:run","Retry":[{"ErrorEquals":["E"]}],"End":true}}}""",
            "{}",
            Asl.Options(ScriptedInvoker.FailOn("E", 0, 1)));
        result.Transitions.Should().Be(4);
        ExecutionHistory.CountTransitions(result.History).Should().Be(4);
    }

    [Fact]
    public async Task History_AbortedBranchAddsNoEventsAfterFailure()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}},
              {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"X"}}}]}}}
            """);
        result.History.Should().NotContain(e => e.Type == "WaitStateExited");
        result.History[^1].Type.Should().Be("ExecutionFailed");
    }

    [Fact]
    public async Task History_Over25000Events_FailsExecution()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"Loop","States":{"Loop":{"Type":"Pass","Next":"Loop"}}}
            """);
        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("States.Runtime");
        result.History.Should().HaveCount(ExecutionHistory.MaxEvents);
        result.History[^1].Type.Should().Be("ExecutionFailed");
    }

    [Fact]
    public async Task OnHistoryEvent_Execution_SeesEveryEventInOrderWhileRunning()
    {
        var seen = new List<HistoryEvent>();
        var engine = new AslEngine(new EngineOptions { OnHistoryEvent = seen.Add });
        var result = await engine.StartExecutionAsync("""
            {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"Next":"Ok"},"Ok":{"Type":"Succeed"}}}
            """);
        seen.Select(e => e.Id).Should().Equal(result.History.Select(e => e.Id));
        seen.Should().ContainSingle(e => e.Type == "WaitStateEntered" && e.StateName == "W");
    }
}
