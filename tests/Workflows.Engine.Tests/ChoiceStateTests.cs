using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class ChoiceStateTests
{
    private static async Task<string> ChooseAsync(string rule, string input)
    {
        var result = await Asl.RunAsync(
            """{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[""" + rule + """
            ],"Default":"No"},"Yes":{"Type":"Pass","Result":"yes","End":true},"No":{"Type":"Pass","Result":"no","End":true}}}
            """,
            input);
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        return result.Output()!.GetValue<string>();
    }

    [Theory]
    [InlineData("StringEquals", "\"b\"", "\"b\"", "yes")]
    [InlineData("StringEquals", "\"b\"", "\"B\"", "no")]
    [InlineData("StringLessThan", "\"a\"", "\"b\"", "yes")]
    [InlineData("StringLessThan", "\"b\"", "\"b\"", "no")]
    [InlineData("StringGreaterThan", "\"c\"", "\"b\"", "yes")]
    [InlineData("StringGreaterThan", "\"a\"", "\"b\"", "no")]
    [InlineData("StringLessThanEquals", "\"b\"", "\"b\"", "yes")]
    [InlineData("StringLessThanEquals", "\"c\"", "\"b\"", "no")]
    [InlineData("StringGreaterThanEquals", "\"b\"", "\"b\"", "yes")]
    [InlineData("StringGreaterThanEquals", "\"a\"", "\"b\"", "no")]
    [InlineData("NumericEquals", "1.0", "1", "yes")]
    [InlineData("NumericEquals", "2", "1", "no")]
    [InlineData("NumericLessThan", "1", "2", "yes")]
    [InlineData("NumericLessThan", "2", "2", "no")]
    [InlineData("NumericGreaterThan", "3", "2", "yes")]
    [InlineData("NumericGreaterThan", "2", "2", "no")]
    [InlineData("NumericLessThanEquals", "2", "2", "yes")]
    [InlineData("NumericLessThanEquals", "2.5", "2", "no")]
    [InlineData("NumericGreaterThanEquals", "2", "2", "yes")]
    [InlineData("NumericGreaterThanEquals", "1.5", "2", "no")]
    [InlineData("BooleanEquals", "true", "true", "yes")]
    [InlineData("BooleanEquals", "false", "true", "no")]
    [InlineData("TimestampEquals", "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T01:00:00+01:00\"", "yes")]
    [InlineData("TimestampEquals", "\"2026-01-01T00:00:01Z\"", "\"2026-01-01T00:00:00Z\"", "no")]
    [InlineData("TimestampLessThan", "\"2025-12-31T23:59:59Z\"", "\"2026-01-01T00:00:00Z\"", "yes")]
    [InlineData("TimestampLessThan", "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "no")]
    [InlineData("TimestampGreaterThan", "\"2026-01-02T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "yes")]
    [InlineData("TimestampGreaterThan", "\"2025-01-02T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "no")]
    [InlineData("TimestampLessThanEquals", "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "yes")]
    [InlineData("TimestampLessThanEquals", "\"2026-01-01T00:00:01Z\"", "\"2026-01-01T00:00:00Z\"", "no")]
    [InlineData("TimestampGreaterThanEquals", "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "yes")]
    [InlineData("TimestampGreaterThanEquals", "\"2025-12-31T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "no")]
    public async Task Choice_LiteralOperator_ComparesAsAwsDoes(string op, string value, string operand, string expected)
    {
        var rule = $$"""{"Variable":"$.v","{{op}}":{{operand}},"Next":"Yes"}""";
        (await ChooseAsync(rule, $$"""{"v":{{value}}}""")).Should().Be(expected);
    }

    [Theory]
    [InlineData("StringEqualsPath", "\"b\"", "\"b\"", "yes")]
    [InlineData("StringLessThanPath", "\"a\"", "\"b\"", "yes")]
    [InlineData("StringGreaterThanPath", "\"a\"", "\"b\"", "no")]
    [InlineData("StringLessThanEqualsPath", "\"b\"", "\"b\"", "yes")]
    [InlineData("StringGreaterThanEqualsPath", "\"c\"", "\"b\"", "yes")]
    [InlineData("NumericEqualsPath", "5", "5", "yes")]
    [InlineData("NumericLessThanPath", "4", "5", "yes")]
    [InlineData("NumericGreaterThanPath", "4", "5", "no")]
    [InlineData("NumericLessThanEqualsPath", "5", "5", "yes")]
    [InlineData("NumericGreaterThanEqualsPath", "6", "5", "yes")]
    [InlineData("BooleanEqualsPath", "false", "false", "yes")]
    [InlineData("TimestampEqualsPath", "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "yes")]
    [InlineData("TimestampLessThanPath", "\"2025-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "yes")]
    [InlineData("TimestampGreaterThanPath", "\"2025-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "no")]
    [InlineData("TimestampLessThanEqualsPath", "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "yes")]
    [InlineData("TimestampGreaterThanEqualsPath", "\"2027-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00Z\"", "yes")]
    public async Task Choice_PathOperator_ComparesWithSecondPath(string op, string value, string other, string expected)
    {
        var rule = $$"""{"Variable":"$.v","{{op}}":"$.other","Next":"Yes"}""";
        (await ChooseAsync(rule, $$"""{"v":{{value}},"other":{{other}}}""")).Should().Be(expected);
    }

    [Theory]
    [InlineData("log-*.txt", "log-2026.txt", "yes")]
    [InlineData("*.txt", "a.json", "no")]
    [InlineData("a*b*c", "aXXbYYc", "yes")]
    [InlineData("*", "", "yes")]
    [InlineData("exact", "exact", "yes")]
    [InlineData("exact", "exactly", "no")]
    public async Task Choice_StringMatches_StarMatchesAnyRun(string pattern, string value, string expected)
    {
        var rule = $$"""{"Variable":"$.v","StringMatches":"{{pattern}}","Next":"Yes"}""";
        (await ChooseAsync(rule, $$"""{"v":"{{value}}"}""")).Should().Be(expected);
    }

    [Fact]
    public async Task Choice_StringMatchesEscapedStar_MatchesLiteralStar()
    {
        (await ChooseAsync("""{"Variable":"$.v","StringMatches":"a\\*b","Next":"Yes"}""", """{"v":"a*b"}""")).Should().Be("yes");
        (await ChooseAsync("""{"Variable":"$.v","StringMatches":"a\\*b","Next":"Yes"}""", """{"v":"aXb"}""")).Should().Be("no");
    }

    [Theory]
    [InlineData("IsNull", "true", "null", "yes")]
    [InlineData("IsNull", "true", "0", "no")]
    [InlineData("IsNull", "false", "0", "yes")]
    [InlineData("IsNumeric", "true", "1.5", "yes")]
    [InlineData("IsNumeric", "true", "\"1\"", "no")]
    [InlineData("IsString", "true", "\"x\"", "yes")]
    [InlineData("IsString", "true", "1", "no")]
    [InlineData("IsBoolean", "true", "false", "yes")]
    [InlineData("IsBoolean", "true", "\"true\"", "no")]
    [InlineData("IsTimestamp", "true", "\"2026-03-01T12:00:00Z\"", "yes")]
    [InlineData("IsTimestamp", "true", "\"2026-03-01\"", "no")]
    [InlineData("IsPresent", "true", "1", "yes")]
    [InlineData("IsPresent", "false", "1", "no")]
    public async Task Choice_TypeTest_ChecksJsonType(string op, string flag, string value, string expected)
    {
        var rule = $$"""{"Variable":"$.v","{{op}}":{{flag}},"Next":"Yes"}""";
        (await ChooseAsync(rule, $$"""{"v":{{value}}}""")).Should().Be(expected);
    }

    [Fact]
    public async Task Choice_IsPresentFalseOnMissingVariable_MatchesWithoutError() =>
        (await ChooseAsync("""{"Variable":"$.missing","IsPresent":false,"Next":"Yes"}""", "{}")).Should().Be("yes");

    [Fact]
    public async Task Choice_And_RequiresAll() =>
        (await ChooseAsync("""{"And":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.b","NumericEquals":2}],"Next":"Yes"}""", """{"a":1,"b":3}""")).Should().Be("no");

    [Fact]
    public async Task Choice_Or_RequiresAny() =>
        (await ChooseAsync("""{"Or":[{"Variable":"$.a","NumericEquals":9},{"Variable":"$.b","NumericEquals":2}],"Next":"Yes"}""", """{"a":1,"b":2}""")).Should().Be("yes");

    [Fact]
    public async Task Choice_Not_Inverts() =>
        (await ChooseAsync("""{"Not":{"Variable":"$.a","StringEquals":"x"},"Next":"Yes"}""", """{"a":"y"}""")).Should().Be("yes");

    [Fact]
    public async Task Choice_NestedAndOrNot_Evaluates() =>
        (await ChooseAsync("""{"And":[{"Not":{"Variable":"$.a","IsNull":true}},{"Or":[{"Variable":"$.a","NumericGreaterThan":10},{"Variable":"$.a","NumericLessThan":0}]}],"Next":"Yes"}""", """{"a":11}""")).Should().Be("yes");

    [Fact]
    public async Task Choice_MismatchedTypes_CompareFalse() =>
        (await ChooseAsync("""{"Variable":"$.v","NumericEquals":1,"Next":"Yes"}""", """{"v":"1"}""")).Should().Be("no");

    [Fact]
    public async Task Choice_TimestampComparedWithNonTimestampString_False() =>
        (await ChooseAsync("""{"Variable":"$.v","TimestampLessThan":"2026-01-01T00:00:00Z","Next":"Yes"}""", """{"v":"yesterday"}""")).Should().Be("no");

    [Fact]
    public async Task Choice_FirstMatchingRuleWins()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[
                {"Variable":"$.v","NumericGreaterThan":1,"Next":"First"},
                {"Variable":"$.v","NumericGreaterThan":0,"Next":"Second"}]},
              "First":{"Type":"Pass","Result":"first","End":true},
              "Second":{"Type":"Pass","Result":"second","End":true}}}
            """, """{"v":5}""");
        result.Output()!.GetValue<string>().Should().Be("first");
    }

    [Fact]
    public async Task Choice_NoMatch_GoesToDefault() =>
        (await ChooseAsync("""{"Variable":"$.v","NumericEquals":1,"Next":"Yes"}""", """{"v":2}""")).Should().Be("no");

    [Fact]
    public async Task Choice_NoMatchNoDefault_FailsWithNoChoiceMatched()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericEquals":1,"Next":"Y"}]},
             "Y":{"Type":"Succeed"}}}
            """, """{"v":2}""");
        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("States.NoChoiceMatched");
    }

    [Fact]
    public async Task Choice_MissingVariable_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.missing","StringEquals":"x","Next":"Y"}],"Default":"Y"},
             "Y":{"Type":"Succeed"}}}
            """);
        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().Contain("$.missing");
    }

    [Fact]
    public async Task Choice_OutputIsFilteredInput()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"C","States":{"C":{"Type":"Choice","InputPath":"$.in","OutputPath":"$.keep","Choices":[{"Variable":"$.v","IsPresent":true,"Next":"Y"}]},
             "Y":{"Type":"Succeed"}}}
            """, """{"in":{"v":1,"keep":{"k":true}}}""");
        result.Output().Json().Should().Be("""{"k":true}""");
    }
}
