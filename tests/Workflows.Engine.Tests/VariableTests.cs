using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

/// <summary>Workflow variables in the JSONPath query language: Assign on each state type, $name references, scopes.</summary>
public class VariableTests
{
    private static async Task<string> OutputOf(string definition, string input = "{}", ScriptedInvoker? invoker = null)
    {
        var result = await Asl.RunAsync(definition, input, invoker is null ? Asl.Options() : Asl.Options(invoker));
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        return result.Output().Json();
    }

    [Fact]
    public async Task Assign_Pass_LiteralAndPathValuesReadableInNextState() =>
        (await OutputOf("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"lit":"$notAPath","n":1,"fromInput.$":"$.v"},"Next":"B"},
              "B":{"Type":"Pass","Parameters":{"lit.$":"$lit","n.$":"$n","v.$":"$fromInput"},"End":true}}}
            """, """{"v":7}""")).Should().Be("""{"lit":"$notAPath","n":1,"v":7}""");

    [Fact]
    public async Task Assign_Pass_ReadsTheResultNotTheInput() =>
        (await OutputOf("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Result":{"answer":42},"ResultPath":"$.r","Assign":{"x.$":"$.answer"},"Next":"B"},
              "B":{"Type":"Pass","OutputPath":"$x","End":true}}}
            """)).Should().Be("42");

    [Fact]
    public async Task Assign_SameField_ReferencesReadValuesFromStateEntry() =>
        (await OutputOf("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},
              "B":{"Type":"Pass","Assign":{"x":2,"old.$":"$x"},"Parameters":{"during.$":"$x"},"Next":"C"},
              "C":{"Type":"Pass","Parameters":{"x.$":"$x","old.$":"$old","during.$":"$.during"},"End":true}}}
            """)).Should().Be("""{"x":2,"old":1,"during":1}""");

    [Fact]
    public async Task Assign_Task_ReadsResultAfterResultSelector()
    {
        var invoker = ScriptedInvoker.Echo();
        (await OutputOf("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::test:run","Parameters":{"a":5},"ResultSelector":{"b.$":"$.a"},
                   "Assign":{"got.$":"$.b"},"ResultPath":null,"Next":"P"},
              "P":{"Type":"Pass","Parameters":{"got.$":"$got"},"End":true}}}
            """, "{}", invoker)).Should().Be("""{"got":5}""");
    }

    [Fact]
    public async Task Assign_Catcher_ReadsErrorOutputAndReplacesStateAssign()
    {
        var invoker = ScriptedInvoker.AlwaysFail("Boom");
        (await OutputOf("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::test:run","Assign":{"ok":true},
                   "Catch":[{"ErrorEquals":["Boom"],"Assign":{"err.$":"$.Error"},"Next":"P"}],"End":true},
              "P":{"Type":"Pass","Parameters":{"err.$":"$err"},"Next":"Q"},
              "Q":{"Type":"Choice","Choices":[{"Variable":"$ok","IsPresent":true,"Next":"Bad"}],"Default":"Done"},
              "Bad":{"Type":"Fail","Error":"StateAssignApplied"},
              "Done":{"Type":"Pass","End":true}}}
            """, "{}", invoker)).Should().Be("""{"err":"Boom"}""");
    }

    [Fact]
    public async Task Assign_ChoiceRule_UsedWhenRuleMatches_StateAssignOnDefault()
    {
        const string Definition = """
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericEquals":1,"Assign":{"s":"one"},"Next":"P"}],
                   "Assign":{"s":"other"},"Default":"P"},
              "P":{"Type":"Pass","Parameters":{"s.$":"$s"},"End":true}}}
            """;
        (await OutputOf(Definition, """{"v":1}""")).Should().Be("""{"s":"one"}""");
        (await OutputOf(Definition, """{"v":2}""")).Should().Be("""{"s":"other"}""");
    }

    [Fact]
    public async Task Variables_InChoiceWaitAndFailPaths()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"guess":"g","answer":"g","wait":0,"err":"E","cause":"C"},"Next":"W"},
              "W":{"Type":"Wait","SecondsPath":"$wait","Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$guess","StringEqualsPath":"$answer","Next":"F"}],"Default":"W"},
              "F":{"Type":"Fail","ErrorPath":"$err","CausePath":"$cause"}}}
            """);
        result.Error.Should().Be("E");
        result.Cause.Should().Be("C");
    }

    [Fact]
    public async Task Variables_OuterReadableInMapIteration_InnerAssignDoesNotLeak() =>
        (await OutputOf("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"x":1,"items":[10,20]},"Next":"M"},
              "M":{"Type":"Map","ItemsPath":"$items","ItemProcessor":{"StartAt":"I","States":{
                     "I":{"Type":"Pass","Assign":{"x":99},"Next":"J"},
                     "J":{"Type":"Pass","Parameters":{"item.$":"$","inner.$":"$x"},"End":true}}},
                   "ResultPath":"$.r","Next":"B"},
              "B":{"Type":"Pass","Parameters":{"r.$":"$.r","outer.$":"$x"},"End":true}}}
            """)).Should().Be("""{"r":[{"item":10,"inner":99},{"item":20,"inner":99}],"outer":1}""");

    [Fact]
    public async Task Variables_UndefinedReference_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Parameters":{"v.$":"$nope"},"End":true}"""));
        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().Contain("'$nope'");
    }

    [Fact]
    public async Task Assign_ValuesOver256KiB_FailWithDataLimitExceeded()
    {
        var big = new string('x', 270_000);
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Assign":{"v.$":"$.big"},"End":true}"""), "{\"big\":\"" + big[..200_000] + "\",\"more\":1}");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        var over = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Assign":{"v.$":"$.big","w.$":"$.big"},"End":true}"""), "{\"big\":\"" + big[..200_000] + "\"}");
        over.Error.Should().Be("States.DataLimitExceeded");
    }
}
