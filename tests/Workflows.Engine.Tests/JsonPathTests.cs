using System.Text.Json.Nodes;
using Workflows.Engine.Paths;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class JsonPathTests
{
    private static readonly JsonNode Doc = JsonNode.Parse("""
        {"store":{"book":[{"title":"A","price":8,"isbn":"1"},{"title":"B","price":12},{"title":"C","price":5,"isbn":"3"}],
         "bicycle":{"price":20}},"odd key":{"x":1},"n":null}
        """)!;

    private static string Eval(string path) => JsonPath.Parse(path).TryEvaluate(Doc, out var v) ? v.Json() : "<none>";

    [Theory]
    [InlineData("$", null)]
    [InlineData("$.store.bicycle.price", "20")]
    [InlineData("$['store']['bicycle']['price']", "20")]
    [InlineData("$[\"odd key\"].x", "1")]
    [InlineData("$.store.book[1].title", "\"B\"")]
    [InlineData("$.store.book[-1].title", "\"C\"")]
    [InlineData("$.n", "null")]
    [InlineData("$.missing", "<none>")]
    [InlineData("$.store.book[9]", "<none>")]
    public void Evaluate_DefinitePath_ReturnsSingleNode(string path, string? expected) =>
        Eval(path).Should().Be(expected ?? Doc.ToJsonString());

    [Theory]
    [InlineData("$.store.book[*].title", "[\"A\",\"B\",\"C\"]")]
    [InlineData("$.store.book.*.price", "[8,12,5]")]
    [InlineData("$.store.book[0:2].title", "[\"A\",\"B\"]")]
    [InlineData("$.store.book[1:].title", "[\"B\",\"C\"]")]
    [InlineData("$.store.book[:-1].title", "[\"A\",\"B\"]")]
    [InlineData("$.store.book[0,2].title", "[\"A\",\"C\"]")]
    [InlineData("$.store.bicycle['price','none']", "[20]")]
    [InlineData("$..price", "[8,12,5,20]")]
    [InlineData("$.store.book[?(@.price < 10)].title", "[\"A\",\"C\"]")]
    [InlineData("$.store.book[?(@.title == 'B')].price", "[12]")]
    [InlineData("$.store.book[?(@.isbn)].title", "[\"A\",\"C\"]")]
    [InlineData("$.store.book[?(@.price > 6 && @.isbn)].title", "[\"A\"]")]
    [InlineData("$.store.book[?(@.price > 10 || @.title == 'C')].title", "[\"B\",\"C\"]")]
    [InlineData("$.nothing[*]", "[]")]
    public void Evaluate_IndefinitePath_ReturnsArrayOfMatches(string path, string expected) =>
        Eval(path).Should().Be(expected);

    [Theory]
    [InlineData("store")]
    [InlineData("$.a.length()")]
    [InlineData("$.a[")]
    [InlineData("$.a[?(x == 1)]")]
    [InlineData("$..")]
    public void Parse_UnsupportedSyntax_RefusedClearly(string path)
    {
        var act = () => JsonPath.Parse(path);
        act.Should().Throw<FormatException>().WithMessage($"*{path}*");
    }

    [Theory]
    [InlineData("$.a.b", true)]
    [InlineData("$['a'][0]", true)]
    [InlineData("$.a[*]", false)]
    [InlineData("$..a", false)]
    [InlineData("$.a[-1]", false)]
    [InlineData("$$.Execution.Id", false)]
    public void IsReferencePath_OnlyNamesAndIndexes(string path, bool expected) =>
        JsonPath.Parse(path).IsReferencePath.Should().Be(expected);

    [Fact]
    public async Task InputPath_Wildcard_YieldsArrayForState()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","InputPath":"$.items[*].id","End":true}"""), """{"items":[{"id":1},{"id":2}]}""");
        result.Output().Json().Should().Be("[1,2]");
    }
}
