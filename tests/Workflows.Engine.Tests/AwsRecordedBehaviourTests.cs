using System.Text.Json.Nodes;
using Workflows.Engine.Intrinsics;
using Workflows.Engine.Paths;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

/// <summary>
/// Behaviour recorded on real AWS Step Functions (../shared/conformance/aws-recorded-sfn) where the engine used to
/// differ: each test names what AWS does.
/// </summary>
public class AwsRecordedBehaviourTests
{
    private static string Eval(string expression, string input) =>
        IntrinsicExpression.Parse(expression).Evaluate(new PathScope(JsonNode.Parse(input), new JsonObject(), new Random(1))).Json();

    [Theory]
    [InlineData("1.49", "1.5", "3")]
    [InlineData("1.5", "1.51", "4")]
    [InlineData("-1.5", "-1.51", "-3")]
    [InlineData("-2.5", "0", "-2")]
    [InlineData("-0.5", "0.5", "1")]
    [InlineData("-9", "3", "-6")]
    public void MathAdd_FractionalArguments_EachRoundedHalfUp(string a, string b, string sum) =>
        Eval("States.MathAdd($.a, $.b)", $$"""{"a":{{a}},"b":{{b}}}""").Should().Be(sum);

    [Fact]
    public void Format_ObjectAndArrayArguments_RenderedAsKeyEqualsValue() =>
        Eval("States.Format('fst={} snd={}', $.o, $.a)", """{"o":{"Arg1":1,"Arg2":[]},"a":["x",{"k":null}]}""")
            .Should().Be("\"fst={Arg1=1, Arg2=[]} snd=[x, {k=null}]\"");

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void StringToJson_EmptyOrBlankString_ReturnsNull(string text) =>
        Eval("States.StringToJson($.s)", new JsonObject { ["s"] = text }.ToJsonString()).Should().Be("null");

    [Fact]
    public void BracketNotation_BackslashBeforeOtherQuote_IsLiteral()
    {
        // The path $['Test\""Name"'] names the key Test\""Name" (only \' and \\ are escapes inside '...').
        var input = new JsonObject { ["Test\\\"\"Name\""] = "Value" };
        JsonPath.Parse("$['Test\\\"\"Name\"']").TryEvaluate(input, out var value).Should().BeTrue();
        value!.GetValue<string>().Should().Be("Value");
    }

    [Fact]
    public async Task InputPath_Missing_CauseNamesStateAndEnteredEvent()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","InputPath":"$.nope","End":true}"""), """{"a":1}""");
        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().Be("An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']");
    }

    [Fact]
    public async Task OutputPath_MissingIntermediate_SaysMissingProperty()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","OutputPath":"$.no.such","End":true}"""), """{"a":1}""");
        result.Cause.Should().Be("An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.no.such' : Missing property in path $['no']");
    }

    [Fact]
    public async Task RuntimeErrorInParallelBranch_CauseNamesInnerStateOnce()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"B","States":{"B":{"Type":"Pass","InputPath":"$.nope","End":true}}}]}}}
            """);
        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().StartWith("An error occurred while executing the state 'B' (entered at the event id #");
        result.Cause.Should().NotContain("'P'");
    }

    [Fact]
    public async Task FailState_ErrorPathMissing_CauseInAwsWording()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Fail","ErrorPath":"$.ErrorX"}"""), """{"a":1}""");
        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().Be("""An error occurred while executing the state 'S' (entered at the event id #2). The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{"a":1}'""");
    }

    [Fact]
    public async Task Wait_TimestampMoreThan2Pow31SecondsAhead_FailsDelayTooLong()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Wait","TimestampPath":"$.t","End":true}"""), """{"t":"2094-12-21T14:10:41.000Z"}""");
        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().Be("An error occurred while executing the state 'S' (entered at the event id #2). Wait state delay is too long.");
    }

    [Theory]
    [InlineData("-1", "The SecondsPath parameter references a negative value: $.w == -1")]
    [InlineData("1.5", "The SecondsPath parameter cannot be parsed as a long value: $.w == 1.5")]
    public async Task Wait_BadSecondsPathValue_CauseInAwsWording(string seconds, string cause)
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Wait","SecondsPath":"$.w","End":true}"""), $$"""{"w":{{seconds}}}""");
        result.Cause.Should().Be("An error occurred while executing the state 'S' (entered at the event id #2). " + cause);
    }

    [Fact]
    public async Task Wait_TimestampPathNotIso8601_CauseInAwsWording()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Wait","TimestampPath":"$.t","End":true}"""), """{"t":"2016-12-05 21:29:29Z"}""");
        result.Cause.Should().Be("An error occurred while executing the state 'S' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 2016-12-05 21:29:29Z");
    }

    [Fact]
    public async Task Map_MaxConcurrencyPathNotInteger_CauseInAwsWording()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrencyPath":"$.m","ItemsPath":"$.items",
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """, """{"m":"NoNumber","items":[1]}""");
        result.Cause.Should().Be("An error occurred while executing the state 'M' (entered at the event id #2). The MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.m");
    }

    [Fact]
    public async Task Map_ItemSelectorPathMissing_CauseNamesTheMapState()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemSelector":{"v.$":"$.nope"},
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """, "[1]");
        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().StartWith("An error occurred while executing the state 'M' (entered at the event id #2). The JSONPath '$.nope' specified for the field 'v.$'");
    }
}
