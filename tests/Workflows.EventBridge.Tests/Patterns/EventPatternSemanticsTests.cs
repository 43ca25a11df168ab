using Workflows.EventBridge.Patterns;

namespace Workflows.EventBridge.Tests.Patterns;

/// <summary>Behaviour beyond the documentation's own examples: limits, arrays of objects, escapes.</summary>
public sealed class EventPatternSemanticsTests
{
    [Fact]
    public void Parse_OrOverOneThousandCombinations_Throws()
    {
        // 11 x 10 x 10 = 1100 combinations; the documentation's limit is 1000.
        static string Or(string field, int n) =>
            "\"$or\": [" + string.Join(',', Enumerable.Range(0, n).Select(i => $"{{\"{field}\": [{i}]}}")) + "]";
        var pattern = $"{{ {Or("a", 11)}, \"x\": {{ {Or("b", 10)} }}, \"y\": {{ {Or("c", 10)} }} }}";

        var act = () => EventPattern.Parse(pattern, "Big");

        act.Should().Throw<InvalidEventPatternException>().WithMessage("*1100 rule combinations*limit of 1000*(rule Big)");
    }

    [Fact]
    public void Parse_OrAtOneThousandCombinations_IsAccepted()
    {
        static string Or(string field, int n) =>
            "\"$or\": [" + string.Join(',', Enumerable.Range(0, n).Select(i => $"{{\"{field}\": [{i}]}}")) + "]";
        var pattern = $"{{ {Or("a", 10)}, \"x\": {{ {Or("b", 10)} }}, \"y\": {{ {Or("c", 10)} }} }}";

        EventPattern.Parse(pattern).Combinations.Should().Be(1000);
    }

    [Fact]
    public void Matches_FieldsOfAnArrayOfObjects_ComeFromTheSameElement()
    {
        var pattern = EventPattern.Parse("""{ "items": { "name": ["a"], "size": [1] } }""");

        pattern.Matches("""{ "items": [ { "name": "a", "size": 2 }, { "name": "b", "size": 1 } ] }""").Should().BeFalse();
        pattern.Matches("""{ "items": [ { "name": "b", "size": 1 }, { "name": "a", "size": 1 } ] }""").Should().BeTrue();
    }

    [Fact]
    public void Matches_NestedArraysOfScalars_AreFlattened()
    {
        var pattern = EventPattern.Parse("""{ "tags": ["x"] }""");

        pattern.Matches("""{ "tags": [ ["a"], ["b", "x"] ] }""").Should().BeTrue();
        pattern.Matches("""{ "tags": [ ["a"], ["b"] ] }""").Should().BeFalse();
    }

    [Theory]
    [InlineData("""a\\*b""", "a*b", true)]
    [InlineData("""a\\*b""", "axb", false)]
    [InlineData("""a\\\\*""", "a\\zzz", true)]
    [InlineData("*", "", true)]
    [InlineData("*a*b*", "xxaxxbxx", true)]
    [InlineData("*a*b*", "xxbxxaxx", false)]
    [InlineData("ab*ba", "aba", false)]
    public void Matches_Wildcard_FollowsStarsAndEscapes(string wildcard, string value, bool expected)
    {
        var pattern = EventPattern.Parse($$"""{ "f": [ { "wildcard": "{{wildcard}}" } ] }""");

        pattern.Matches($$"""{ "f": {{System.Text.Json.JsonSerializer.Serialize(value)}} }""").Should().Be(expected);
    }

    [Fact]
    public void Matches_ExistsFalseUnderAnAbsentParent_Matches()
    {
        var pattern = EventPattern.Parse("""{ "detail": { "c-count": [ { "exists": false } ] } }""");

        pattern.Matches("""{ "source": "x" }""").Should().BeTrue();
    }

    [Fact]
    public void Matches_ExistsFalseOrAValue_MatchesEitherAbsenceOrTheValue()
    {
        var pattern = EventPattern.Parse("""{ "a": [ "x", { "exists": false } ] }""");

        pattern.Matches("{}").Should().BeTrue();
        pattern.Matches("""{ "a": "x" }""").Should().BeTrue();
        pattern.Matches("""{ "a": "y" }""").Should().BeFalse();
    }

    [Fact]
    public void Matches_NotAnObjectEvent_OnlyAbsenceMatches()
    {
        EventPattern.Parse("""{ "a": ["x"] }""").Matches("[1]").Should().BeFalse();
        EventPattern.Parse("""{ "a": [ { "exists": false } ] }""").Matches("\"text\"").Should().BeTrue();
    }

    [Fact]
    public void Matches_EventNotJson_ThrowsFormatException()
    {
        var act = () => EventPattern.Parse("""{ "a": ["x"] }""").Matches("{ nope");

        act.Should().Throw<FormatException>().WithMessage("event: not valid JSON*");
    }

    [Fact]
    public void Matches_CidrWithoutPrefix_MatchesOnlyThatAddress()
    {
        var pattern = EventPattern.Parse("""{ "ip": [ { "cidr": "192.168.1.7" } ] }""");

        pattern.Matches("""{ "ip": "192.168.1.7" }""").Should().BeTrue();
        pattern.Matches("""{ "ip": "192.168.1.8" }""").Should().BeFalse();
    }

    [Fact]
    public void Matches_CidrAgainstAShortIpv4Form_DoesNotMatch()
    {
        // .NET would read "10" as 0.0.0.10; an event's "10" is not an address.
        EventPattern.Parse("""{ "ip": [ { "cidr": "0.0.0.0/0" } ] }""").Matches("""{ "ip": "10" }""").Should().BeFalse();
    }

    [Fact]
    public void Matches_AnythingButNumberAgainstAString_Matches()
    {
        // Inferred: a value of another type is "anything but" the excluded numbers.
        EventPattern.Parse("""{ "a": [ { "anything-but": [1, 2] } ] }""").Matches("""{ "a": "1" }""").Should().BeTrue();
    }

    [Fact]
    public void Matches_AnythingButPrefixAgainstANumber_DoesNotMatch()
    {
        EventPattern.Parse("""{ "a": [ { "anything-but": { "prefix": "x" } } ] }""").Matches("""{ "a": 5 }""").Should().BeFalse();
    }

    [Fact]
    public void Parse_TooManyWildcards_ThrowsTooComplex()
    {
        var wildcard = string.Concat(Enumerable.Repeat("a*", 26));

        var act = () => EventPattern.Parse($$"""{ "f": [ { "wildcard": "{{wildcard}}" } ] }""");

        act.Should().Throw<InvalidEventPatternException>().WithMessage("*Rule is too complex*");
    }

    [Fact]
    public void Parse_OptionsRaiseTheWildcardLimit_Accepts()
    {
        var wildcard = string.Concat(Enumerable.Repeat("a*", 26));

        var pattern = EventPattern.Parse($$"""{ "f": [ { "wildcard": "{{wildcard}}" } ] }""", options: new EventPatternOptions { MaxWildcardsPerValue = 30 });

        pattern.Matches("""{ "f": "aaaaaaaaaaaaaaaaaaaaaaaaaa" }""").Should().BeTrue();
    }
}
