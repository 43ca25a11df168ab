using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class ParallelAndMapTests
{
    [Fact]
    public async Task Parallel_BranchesRunConcurrently_OutputInBranchOrder()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Slow","States":{"Slow":{"Type":"Wait","Seconds":10,"Next":"R1"},"R1":{"Type":"Pass","Result":"slow","End":true}}},
              {"StartAt":"Fast","States":{"Fast":{"Type":"Wait","Seconds":1,"Next":"R2"},"R2":{"Type":"Pass","Result":"fast","End":true}}}]}}}
            """);
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""["slow","fast"]""");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Parallel_EachBranchGetsEffectiveInput()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"InputPath":"$.in","Parameters":{"v.$":"$.v"},"ResultPath":"$.out","Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Pass","OutputPath":"$.v","End":true}}}]}}}
            """, """{"in":{"v":3}}""");
        result.Output().Json().Should().Be("""{"in":{"v":3},"out":[{"v":3},3]}""");
    }

    [Fact]
    public async Task Parallel_FailingBranch_FailsStateWithBranchErrorAndAbortsOthers()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Long","States":{"Long":{"Type":"Wait","Seconds":100,"Next":"After"},"After":{"Type":"Pass","End":true}}},
              {"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Branch.Error","Cause":"bad"}}}]}}}
            """);
        result.Status.Should().Be(ExecutionStatus.Failed);
        (result.Error, result.Cause).Should().Be(("Branch.Error", "bad"));
        result.Types().Should().Contain("ParallelStateFailed");
        result.History.Should().NotContain(e => e.StateName == "After");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public async Task Parallel_BranchErrorCaughtByName()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Ok","Catch":[{"ErrorEquals":["Branch.Error"],"Next":"Caught"}],"Branches":[
              {"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Branch.Error"}}}]},
             "Ok":{"Type":"Succeed"},"Caught":{"Type":"Pass","Result":"caught","End":true}}}
            """);
        result.Output().Json().Should().Be("\"caught\"");
    }

    [Fact]
    public async Task Parallel_BranchFailureMatchesStatesBranchFailed()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Catch":[{"ErrorEquals":["States.BranchFailed"],"Next":"Caught"}],"Branches":[
              {"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Branch.Error"}}}]},
             "Caught":{"Type":"Pass","End":true}}}
            """);
        result.Status.Should().Be(ExecutionStatus.Succeeded);
        result.Output()!["Error"]!.GetValue<string>().Should().Be("Branch.Error");
    }

    [Fact]
    public async Task Map_ItemsPathAndItemSelector_ResultsInItemOrder()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.items",
              "ItemSelector":{"value.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index","shared.$":"$.shared"},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"W","States":{
                "W":{"Type":"Wait","SecondsPath":"$.value.wait","Next":"Out"},
                "Out":{"Type":"Pass","Parameters":{"i.$":"$.index","n.$":"$.value.n","s.$":"$.shared"},"End":true}}}}}}
            """, """{"shared":"x","items":[{"n":"a","wait":30},{"n":"b","wait":10},{"n":"c","wait":20}]}""");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""[{"i":0,"n":"a","s":"x"},{"i":1,"n":"b","s":"x"},{"i":2,"n":"c","s":"x"}]""");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Map_MaxConcurrencyOne_RunsItemsOneAfterAnother()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":1,
              "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}}}}
            """, "[1,2,3]");
        result.Output().Json().Should().Be("[1,2,3]");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Map_MaxConcurrencyZero_RunsAllAtOnce()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":0,
              "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}}}}
            """, "[1,2,3]");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Map_LegacyIteratorAndParameters_Supported()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.xs","Parameters":{"x.$":"$$.Map.Item.Value"},
              "Iterator":{"StartAt":"P","States":{"P":{"Type":"Pass","OutputPath":"$.x","End":true}}}}}}
            """, """{"xs":["p","q"]}""");
        result.Output().Json().Should().Be("""["p","q"]""");
    }

    [Fact]
    public async Task Map_EmptyArray_ReturnsEmptyArray()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """, "[]");
        result.Output().Json().Should().Be("[]");
    }

    [Fact]
    public async Task Map_FailingIteration_FailsStateWithItsError()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,
              "ItemProcessor":{"StartAt":"C","States":{
                "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Good"},
                "Bad":{"Type":"Fail","Error":"Item.Bad","Cause":"two"},"Good":{"Type":"Pass","End":true}}}}}}
            """, "[1,2,3]");
        (result.Error, result.Cause).Should().Be(("Item.Bad", "two"));
        result.Types().Should().Contain(["MapIterationFailed", "MapStateFailed"]);
    }

    [Fact]
    public async Task Map_ItemsPathNotArray_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.x","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """, """{"x":{"a":1}}""");
        result.Error.Should().Be("States.Runtime");
    }

    [Fact]
    public async Task Map_ResultSelectorAndResultPath_ApplyToResultArray()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.xs","ResultSelector":{"count.$":"States.ArrayLength($)"},"ResultPath":"$.summary",
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """, """{"xs":[1,2]}""");
        result.Output().Json().Should().Be("""{"xs":[1,2],"summary":{"count":2}}""");
    }

    [Fact]
    public async Task Map_HistoryHasIterationEventsPerItem()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """, "[1,2]");
        result.History.Where(e => e.Type == "MapIterationStarted").Select(e => (int)e.Details["index"]!).Should().Equal(0, 1);
        result.History.Single(e => e.Type == "MapStateStarted").Details["length"]!.GetValue<int>().Should().Be(2);
        result.Types().Count(t => t == "MapIterationSucceeded").Should().Be(2);
    }
}
