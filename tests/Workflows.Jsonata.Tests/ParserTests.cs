namespace Workflows.Jsonata.Tests;

public sealed class ParserTests
{
    [Theory]
    [InlineData("\"unterminated", "S0101")]
    [InlineData("'bad \\q escape'", "S0103")]
    [InlineData("`no closing backtick", "S0105")]
    [InlineData("/* never closed", "S0106")]
    [InlineData("1e999", "S0102")]
    [InlineData("(1; 2", "S0203")]
    [InlineData("[1, 2)", "S0202")]
    [InlineData("1 +", "S0207")]
    [InlineData("foo bar", "S0201")]
    [InlineData("function(a){a}", "S0208")]
    [InlineData("a := 1", "S0212")]
    [InlineData("Account.1", "S0213")]
    [InlineData("a@b", "S0214")]
    [InlineData("a[0]@$x", "S0215")]
    [InlineData("a{'x': 1}{'y': 2}", "S0210")]
    [InlineData("[1,2,3]{\"num\": $}[true]", "S0209")]
    [InlineData("%", "S0217")]
    [InlineData("$match('a', //)", "S0301")]
    [InlineData("$match('a', /abc)", "S0302")]
    [InlineData("[1!2]", "S0204")]
    [InlineData(")", "S0211")]
    public void Parse_MalformedExpression_ThrowsTheReferenceCode(string expression, string code)
    {
        var act = () => JsonataExpression.Parse(expression);

        act.Should().Throw<JsonataException>().Which.Code.Should().Be(code);
    }

    [Fact]
    public void Parse_Error_MessageNamesThePosition()
    {
        var ex = Eval.Error("[1, 2)");

        ex.Position.Should().Be(5);
        ex.Message.Should().Contain("position 5").And.Contain("']'");
    }

    [Theory]
    [InlineData("Account.Order[0].OrderID", "\"order103\"")]
    [InlineData("`Account Name`", "undefined")]
    [InlineData("/* comment */ 1 + /* another */ 2", "3")]
    [InlineData("-(1 + 2)", "-3")]
    [InlineData("1 + 2 * 3 - 4 / 2", "5")]
    [InlineData("true and false or true", "true")]
    [InlineData("\"a\" & 1 & true", "\"a1true\"")]
    [InlineData("[1..3, 5]", "[1,2,3,5]")]
    [InlineData("λ($x){$x * 2}(4)", "8")]
    public void Parse_Grammar_EvaluatesAsDocumented(string expression, string expected)
    {
        Eval.Run(expression, """{"Account": {"Order": [{"OrderID": "order103"}, {"OrderID": "order104"}]}}""").Should().Be(expected);
    }
}
