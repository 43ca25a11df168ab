using Workflows.Engine.Definition;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

/// <summary>States in the JSONata query language: Arguments, Output, Assign, Condition, Items, $states and the errors.</summary>
public class JsonataStateTests
{
    private const string Test = ScriptedInvoker.Resource;

    private static string Machine(string states, string startAt = "A") =>
        "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"" + startAt + "\",\"States\":{" + states + "}}";

    private static async Task<ExecutionResult> RunAsync(string definition, string input = "{}", ScriptedInvoker? invoker = null) =>
        await Asl.RunAsync(definition, input, invoker is null ? Asl.Options() : Asl.Options(invoker));

    private static async Task<string> OutputOf(string definition, string input = "{}", ScriptedInvoker? invoker = null)
    {
        var result = await RunAsync(definition, input, invoker);
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        return result.Output().Json();
    }

    private static AslValidationException Refused(string json)
    {
        var act = () => StateMachineDefinition.Load(json);
        return act.Should().Throw<AslValidationException>().Which;
    }

    [Fact]
    public async Task Pass_OutputObjectWithExpressions_EvaluatesEveryNestedExpression() =>
        (await OutputOf(Machine("""
            "A":{"Type":"Pass","Output":{"sum":"{% $sum($states.input.xs) %}","list":["{% $states.input.xs[0] %}","lit"],"plain":"$.not"},"End":true}
            """), """{"xs":[1,2,3]}""")).Should().Be("""{"sum":6,"list":[1,"lit"],"plain":"$.not"}""");

    [Fact]
    public async Task Pass_NoOutput_PassesInputThrough() =>
        (await OutputOf(Machine("""
            "A":{"Type":"Pass","End":true}
            """), """{"a":1}""")).Should().Be("""{"a":1}""");

    [Fact]
    public async Task Pass_OutputUndefined_FailsWithQueryEvaluationErrorNamingTheField()
    {
        var result = await RunAsync(Machine("""
            "A":{"Type":"Pass","Output":{"r":"{% $nothing %}"},"End":true}
            """));

        result.Error.Should().Be("States.QueryEvaluationError");
        result.Cause.Should().Be("An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '$nothing' specified for the field 'Output/r' returned nothing (undefined).");
    }

    [Fact]
    public async Task Assign_JsonataValues_ReadableByLaterJsonataAndJsonPathStates() =>
        (await OutputOf("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","QueryLanguage":"JSONata","Assign":{"n":"{% $states.input.v * 2 %}","lit":"x"},"Next":"B"},
              "B":{"Type":"Pass","QueryLanguage":"JSONata","Output":{"n":"{% $n %}","lit":"{% $lit %}"},"Next":"C"},
              "C":{"Type":"Pass","Parameters":{"both.$":"States.Array($n, $.n)"},"End":true}}}
            """, """{"v":21}""")).Should().Be("""{"both":[42,42]}""");

    [Fact]
    public async Task Assign_SameState_OutputReadsValuesFromEntry() =>
        (await OutputOf(Machine("""
            "A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},
            "B":{"Type":"Pass","Assign":{"x":2},"Output":"{% $x %}","End":true}
            """))).Should().Be("1");

    [Fact]
    public async Task Task_ArgumentsAndOutput_ReadInputThenResult()
    {
        var invoker = ScriptedInvoker.Echo();
        var output = await OutputOf(Machine($$"""
            "A":{"Type":"Task","Resource":"{{Test}}","Arguments":{"name":"{% $states.input.who %}"},
                 "Output":{"greeting":"{% 'hi ' & $states.result.name %}","was":"{% $states.input.who %}"},"End":true}
            """), """{"who":"ann"}""", invoker);

        output.Should().Be("""{"greeting":"hi ann","was":"ann"}""");
        invoker.Calls.Single().Parameters.Json().Should().Be("""{"name":"ann"}""");
    }

    [Fact]
    public async Task Task_NoOutput_OutputIsTheResult() =>
        (await OutputOf(Machine($$"""
            "A":{"Type":"Task","Resource":"{{Test}}","Arguments":{"k":1},"End":true}
            """), """{"ignored":true}""", ScriptedInvoker.Echo())).Should().Be("""{"k":1}""");

    [Fact]
    public async Task Catch_OutputAndAssign_ReadErrorOutput() =>
        (await OutputOf(Machine($$"""
            "A":{"Type":"Task","Resource":"{{Test}}","Catch":[{"ErrorEquals":["E"],"Assign":{"err":"{% $states.errorOutput.Error %}"},
                 "Output":{"in":"{% $states.input.a %}","cause":"{% $states.errorOutput.Cause %}"},"Next":"B"}],"End":true},
            "B":{"Type":"Pass","Output":{"err":"{% $err %}","got":"{% $states.input %}"},"End":true}
            """), """{"a":1}""", ScriptedInvoker.AlwaysFail("E"))).Should().Be("""{"err":"E","got":{"in":1,"cause":"call 0 failed"}}""");

    [Fact]
    public async Task Catch_QueryEvaluationErrorInArguments_IsCatchable() =>
        (await OutputOf(Machine($$"""
            "A":{"Type":"Task","Resource":"{{Test}}","Arguments":"{% $missing %}","Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Next":"B"}],"End":true},
            "B":{"Type":"Pass","Output":"{% $states.input.Error %}","End":true}
            """), "{}", ScriptedInvoker.Echo())).Should().Be("\"States.QueryEvaluationError\"");

    [Fact]
    public async Task Task_TimeoutSecondsExpressionNotAnInteger_FailsWithQueryEvaluationError()
    {
        var result = await RunAsync(Machine($$"""
            "A":{"Type":"Task","Resource":"{{Test}}","TimeoutSeconds":"{% 'soon' %}","End":true}
            """), "{}", ScriptedInvoker.Echo());

        result.Error.Should().Be("States.QueryEvaluationError");
        result.Cause.Should().Contain("'TimeoutSeconds'");
    }

    [Theory]
    [InlineData(5, "\"big\"")]
    [InlineData(1, "\"small\"")]
    public async Task Choice_Condition_FirstTrueRuleWinsWithItsOutput(int value, string expected) =>
        (await OutputOf(Machine("""
            "A":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.v > 3 %}","Output":"big","Next":"Done"}],
                 "Default":"Done","Output":"small"},
            "Done":{"Type":"Succeed"}
            """), $$"""{"v":{{value}}}""")).Should().Be(expected);

    [Fact]
    public async Task Choice_ConditionNotBoolean_FailsWithQueryEvaluationError() =>
        (await RunAsync(Machine("""
            "A":{"Type":"Choice","Choices":[{"Condition":"{% 'yes' %}","Next":"Done"}],"Default":"Done"},
            "Done":{"Type":"Succeed"}
            """))).Error.Should().Be("States.QueryEvaluationError");

    [Fact]
    public async Task Map_ItemsAndItemSelector_ReadContextItemAndVariables() =>
        (await OutputOf(Machine("""
            "A":{"Type":"Pass","Assign":{"tag":"t"},"Next":"M"},
            "M":{"Type":"Map","Items":"{% $states.input.xs %}","MaxConcurrency":"{% 1 %}",
                 "ItemSelector":{"v":"{% $states.context.Map.Item.Value %}","i":"{% $states.context.Map.Item.Index %}","tag":"{% $tag %}"},
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}
            """), """{"xs":["a","b"]}""")).Should().Be("""[{"v":"a","i":0,"tag":"t"},{"v":"b","i":1,"tag":"t"}]""");

    [Fact]
    public async Task Map_ItemsNotAnArray_FailsWithAwsWording()
    {
        var result = await RunAsync(Machine("""
            "A":{"Type":"Map","Items":"{% {'foo':'bar'} %}","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}
            """));

        result.Error.Should().Be("States.QueryEvaluationError");
        result.Cause.Should().EndWith("returned an unexpected result type. Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}");
    }

    [Fact]
    public async Task Wait_SecondsExpression_WaitsOnTheVirtualClock()
    {
        var result = await RunAsync(Machine("""
            "A":{"Type":"Wait","Seconds":"{% $states.input.s %}","Output":"{% $millis() %}","End":true}
            """), """{"s":90}""");

        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be(Asl.Epoch.AddSeconds(90).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Wait_TimestampUnparseable_FailsWithAwsWording() =>
        (await RunAsync(Machine("""
            "A":{"Type":"Wait","Timestamp":"{% $states.input.t %}","End":true}
            """), """{"t":"2016-13-05T21:29:29Z"}""")).Cause.Should()
            .EndWith("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-13-05T21:29:29Z");

    [Fact]
    public async Task Fail_ErrorAndCauseExpressions_EndTheExecution()
    {
        var result = await RunAsync(Machine("""
            "A":{"Type":"Fail","Error":"{% 'E.' & $states.input.code %}","Cause":"{% $string($states.input) %}"}
            """), """{"code":"X"}""");

        result.Error.Should().Be("E.X");
        result.Cause.Should().Be("""{"code":"X"}""");
    }

    [Theory]
    [InlineData("$partition([1,2,3], 2)", "[[1,2],[3]]")]
    [InlineData("$range(0, 10, 5)", "[0,5,10]")]
    [InlineData("$hash('abc', 'SHA-256')", "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"")]
    [InlineData("$parse('{\"a\":[1]}')", "{\"a\":[1]}")]
    [InlineData("$random(7) = $random(7)", "true")]
    [InlineData("$length($uuid())", "36")]
    public async Task Functions_StepFunctionsAdditions_Evaluate(string expression, string expected) =>
        (await OutputOf(Machine($$"""
            "A":{"Type":"Pass","Output":"{% {{expression.Replace("\"", "\\\"", StringComparison.Ordinal)}} %}","End":true}
            """))).Should().Be(expected);

    [Fact]
    public async Task Functions_UuidAndRandom_RepeatForTheSameEngineSeed()
    {
        var definition = Machine("""
            "A":{"Type":"Pass","Output":["{% $uuid() %}","{% $random() %}"],"End":true}
            """);

        var first = await Asl.RunAsync(definition, "{}", Asl.Options(seed: 3));
        var second = await Asl.RunAsync(definition, "{}", Asl.Options(seed: 3));
        var other = await Asl.RunAsync(definition, "{}", Asl.Options(seed: 4));

        second.Output.Should().Be(first.Output);
        other.Output.Should().NotBe(first.Output);
    }

    [Fact]
    public async Task States_Context_HoldsExecutionAndStateName() =>
        (await OutputOf(Machine("""
            "Start":{"Type":"Pass","Output":"{% $states.context.State.Name & '/' & $states.context.Execution.Input.x %}","End":true}
            """, startAt: "Start"), """{"x":"in"}""")).Should().Be("\"Start/in\"");

    [Fact]
    public async Task Mixed_JsonPathStateAfterJsonataState_UsesPaths() =>
        (await OutputOf("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","QueryLanguage":"JSONata","Output":{"v":"{% 1 + 1 %}"},"Next":"B"},
              "B":{"Type":"Pass","Parameters":{"w.$":"$.v"},"End":true}}}
            """)).Should().Be("""{"w":2}""");

    [Theory]
    [InlineData("Parameters", "{}")]
    [InlineData("ResultPath", "\"$.r\"")]
    [InlineData("InputPath", "\"$\"")]
    [InlineData("OutputPath", "\"$\"")]
    [InlineData("ResultSelector", "{}")]
    public void Load_JsonPathFieldInJsonataState_RefusedByName(string field, string value) =>
        Refused(Asl.Single($$"""{"Type":"Task","QueryLanguage":"JSONata","Resource":"{{Test}}","{{field}}":{{value}},"End":true}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == field && p.Message.Contains("JSONPath only"));

    [Fact]
    public void Load_OutputInJsonPathState_RefusedByName() =>
        Refused(Asl.Single("""{"Type":"Pass","Output":{},"End":true}""")).Problems
            .Should().Contain(p => p.State == "S" && p.Field == "Output" && p.Message.Contains("JSONata only"));

    [Fact]
    public void Load_ExpressionThatDoesNotParse_RefusedNamingTheField() =>
        Refused(Machine("""
            "A":{"Type":"Pass","Output":{"x":"{% 1 + %}"},"End":true}
            """)).Problems.Should().Contain(p => p.State == "A" && p.Field == "Output" && p.Message.Contains("1 +"));

    [Fact]
    public void Load_ChoiceRuleWithVariableInJsonata_RefusedByName() =>
        Refused(Machine("""
            "A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"D"}],"Default":"D"},
            "D":{"Type":"Succeed"}
            """)).Problems.Should().Contain(p => p.State == "A" && p.Field == "Variable");

    [Fact]
    public void Load_JsonPathStateInJsonataMachine_Refused() =>
        Refused(Machine("""
            "A":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}
            """)).Problems.Should().Contain(p => p.State == "A" && p.Field == "QueryLanguage" && p.Message.Contains("JSONPath is not allowed"));

    [Fact]
    public async Task Load_JsonataMachine_NestedBranchStatesInheritJsonata() =>
        (await OutputOf(Machine("""
            "A":{"Type":"Parallel","Arguments":{"x":"{% $states.input.v %}"},"Output":"{% $states.result[0] %}",
                 "Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Output":"{% $states.input.x + 1 %}","End":true}}}],"End":true}
            """), """{"v":1}""")).Should().Be("2");

    [Fact]
    public async Task Pass_OutputIsAFunction_FailsWithUnsupportedResultType() =>
        (await RunAsync(Machine("""
            "A":{"Type":"Pass","Output":"{% function($x){$x} %}","End":true}
            """))).Cause.Should().EndWith("The JSONata expression 'function($x){$x}' specified for the field 'Output' returned an unsupported result type.");

    [Fact]
    public async Task Pass_OutputEmptyString_IsNotMistakenForAFunction() =>
        (await OutputOf(Machine("""
            "A":{"Type":"Pass","Output":"{% '' %}","End":true}
            """))).Should().Be("\"\"");

    [Fact]
    public async Task Retry_QueryEvaluationError_IsRetriedThenFails()
    {
        var invoker = ScriptedInvoker.Echo();
        var result = await RunAsync(Machine($$"""
            "A":{"Type":"Task","Resource":"{{Test}}","Output":"{% $states.result.missing %}",
                 "Retry":[{"ErrorEquals":["States.QueryEvaluationError"],"MaxAttempts":2,"IntervalSeconds":1}],"End":true}
            """), """{"a":1}""", invoker);

        result.Error.Should().Be("States.QueryEvaluationError");
        invoker.Calls.Should().HaveCount(3);
    }

    [Fact]
    public async Task Map_ToleratedFailureExpressionOnInlineMap_EvaluatedWithoutEffect() =>
        (await OutputOf(Machine("""
            "A":{"Type":"Map","Items":[1,2],"ToleratedFailurePercentage":"{% $states.input.p %}",
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $states.input * 10 %}","End":true}}},
                 "Output":{"n":"{% $count($states.result) %}","r":"{% $states.result %}"},"End":true}
            """), """{"p":50}""")).Should().Be("""{"n":2,"r":[10,20]}""");

    [Fact]
    public async Task Map_ToleratedFailurePercentageOutOfRange_FailsWithQueryEvaluationError() =>
        (await RunAsync(Machine("""
            "A":{"Type":"Map","Items":[1],"ToleratedFailurePercentage":"{% 101 %}",
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}
            """))).Error.Should().Be("States.QueryEvaluationError");
}
