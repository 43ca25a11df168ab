using Workflows.EventBridge.Patterns;

namespace Workflows.EventBridge.Tests.Patterns;

/// <summary>Pattern conformance: each documentation example (see <see cref="DocumentationExamples"/>) row by row.</summary>
public sealed class EventPatternDocumentationTests
{
    public static TheoryData<string, int> MatchingRows()
    {
        var rows = new TheoryData<string, int>();
        foreach (var c in DocumentationExamples.Cases)
        {
            for (var i = 0; i < c["match"]!.AsArray().Count; i++)
            {
                rows.Add((string)c["id"]!, i);
            }
        }

        return rows;
    }

    public static TheoryData<string, int> NonMatchingRows()
    {
        var rows = new TheoryData<string, int>();
        foreach (var c in DocumentationExamples.Cases)
        {
            for (var i = 0; i < c["noMatch"]!.AsArray().Count; i++)
            {
                rows.Add((string)c["id"]!, i);
            }
        }

        return rows;
    }

    public static TheoryData<string> InvalidRows()
    {
        var rows = new TheoryData<string>();
        foreach (var c in DocumentationExamples.Invalid)
        {
            rows.Add((string)c["id"]!);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(MatchingRows))]
    public void Matches_DocumentedExampleWithAnEventItDescribes_Matches(string id, int index)
    {
        var row = DocumentationExamples.Case(id);
        var pattern = EventPattern.Parse(DocumentationExamples.PatternText(row));

        var evt = row["match"]![index]!.ToJsonString();

        pattern.Matches(evt).Should().BeTrue($"{id} documents that {evt} matches {pattern.Text}");
    }

    [Theory]
    [MemberData(nameof(NonMatchingRows))]
    public void Matches_DocumentedExampleWithAnEventOutsideIt_DoesNotMatch(string id, int index)
    {
        var row = DocumentationExamples.Case(id);
        var pattern = EventPattern.Parse(DocumentationExamples.PatternText(row));

        var evt = row["noMatch"]![index]!.ToJsonString();

        pattern.Matches(evt).Should().BeFalse($"{id}: {evt} is outside {pattern.Text}");
    }

    [Theory]
    [MemberData(nameof(InvalidRows))]
    public void Parse_InvalidPattern_ThrowsNamingThePathAndTheRule(string id)
    {
        var row = DocumentationExamples.InvalidCase(id);

        var act = () => EventPattern.Parse(DocumentationExamples.PatternText(row), ruleName: "MyRule");

        var error = act.Should().Throw<InvalidEventPatternException>().Which;
        error.Message.Should().StartWith("Event pattern is not valid. Reason: ").And.Contain((string)row["reason"]!).And.EndWith("(rule MyRule)");
        error.Path.Should().Be((string?)row["path"] ?? string.Empty);
        error.RuleName.Should().Be("MyRule");
    }

    [Fact]
    public void Table_CoversEveryFilterTypeOfTheDocumentation()
    {
        var all = string.Join('\n', DocumentationExamples.Cases.Select(DocumentationExamples.PatternText));

        foreach (var keyword in new[] { "\"prefix\"", "\"suffix\"", "\"anything-but\"", "\"numeric\"", "\"cidr\"", "\"exists\"", "\"equals-ignore-case\"", "\"wildcard\"", "\"$or\"", "null" })
        {
            all.Should().Contain(keyword);
        }
    }
}
