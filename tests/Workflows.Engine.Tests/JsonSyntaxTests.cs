using System.Text.Json;
using Workflows.Engine.Definition;

namespace Workflows.Engine.Tests;

/// <summary>JSON syntax errors in our words: one-based line and column in characters, and what was expected there.</summary>
public sealed class JsonSyntaxTests
{
    [Theory]
    [InlineData("{\"a\": 1,}", "line 1, column 9: a comma before '}': JSON allows no trailing comma; remove the ',' at column 8")]
    [InlineData("[1, 2,]", "line 1, column 7: a comma before ']'")]
    [InlineData("{\"a\": }", "line 1, column 7: expected a value (a string, number, object, array, true, false or null), found '}'")]
    [InlineData("{\"a\": 1 \"b\": 2}", "line 1, column 9: expected ',' or '}' after a value, found '\"b\"'")]
    [InlineData("{a: 1}", "line 1, column 2: expected a property name in double quotes, found 'a'")]
    [InlineData("{\"a\" 1}", "line 1, column 6: expected ':' after the property name, found '1'")]
    [InlineData("{'a': 1}", "line 1, column 2: a single quote: JSON strings and names take double quotes")]
    [InlineData("{\"a\": 1 // why\n}", "line 1, column 9: a comment: JSON has no comments")]
    [InlineData("{\"States\": {\"A\": {\"Type\": \"Pass\"", "the text ends too early: expected '}' (or more) to close the object still open")]
    [InlineData("{}\n  x", "line 2, column 3: unexpected 'x' after the end of the JSON value")]
    [InlineData("{\n  \"Comment\": \"é\",\n  \"StartAt\" \"A\"\n}", "line 3, column 13: expected ':' after the property name, found '\"A\"'")]
    public void Describe_SyntaxError_SaysWhereAndWhatWasExpected(string text, string expected)
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow }));

        JsonSyntax.Describe(text, error).Should().Contain(expected);
    }

    [Fact]
    public void Describe_MultiByteCharactersBeforeTheError_ColumnCountsCharactersNotBytes()
    {
        const string text = "{\"é€😀\": }";
        var error = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));

        JsonSyntax.Describe(text, error).Should().StartWith("line 1, column 10:");
    }

    [Fact]
    public void Load_DefinitionWithTrailingComma_RefusedInOurWordsWithLineAndColumn()
    {
        var act = () => DefinitionReader.ParseDocument("{\n  \"StartAt\": \"A\",\n}");

        act.Should().Throw<AslValidationException>()
            .WithMessage("The definition is not valid JSON at line 3, column 1: a comma before '}'*")
            .Which.Message.Should().NotContain("BytePositionInLine");
    }
}
