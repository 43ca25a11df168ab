namespace Workflows.Jsonata.Tests;

public sealed class CommonExpressionTests
{
    [Theory]
    [InlineData("$string({'a': 1.5, 'b': [true, null]})", "\"{\\\"a\\\":1.5,\\\"b\\\":[true,null]}\"")]
    [InlineData("$keys({'a': 1, 'b': 2})", "[\"a\",\"b\"]")]
    [InlineData("[1,2,3][$ > 1]", "[2,3]")]
    [InlineData("$sum([])", "0")]
    [InlineData("$count([1,2,3][$ > 5])", "0")]
    [InlineData("{'a': [1,2]}.a[-1]", "2")]
    [InlineData("$map([1,2], function($v, $i) { $v + $i })", "[1,3]")]
    [InlineData("$filter([1,2,3], function($v) { $v > 1 })", "[2,3]")]
    [InlineData("($x := [1,2,3]; $x[1])", "2")]
    [InlineData("$sort([3,1,2])", "[1,2,3]")]
    [InlineData("$merge([{'a':1},{'b':2}])", "{\"a\":1,\"b\":2}")]
    [InlineData("'abc' in ['abc']", "true")]
    [InlineData("$string(1e21) & ' ' & $string(1e-7) & ' ' & $string(123.456)", "\"1e+21 1e-7 123.456\"")]
    [InlineData("$number('0x1F') + $number('  12 ')", "43")]
    [InlineData("$join(['a','b'], ', ')", "\"a, b\"")]
    [InlineData("$type(function(){1})", "\"function\"")]
    public void Evaluate_CommonExpression_GivesTheDocumentedResult(string expression, string expected)
    {
        Eval.Run(expression, "{}").Should().Be(expected);
    }

    [Fact]
    public void DeepRecursion_NoLimitConfigured_U1001InsteadOfACrash()
    {
        var ex = Eval.Error("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))", options: new JsonataOptions());

        ex.Code.Should().Be("U1001");
    }
}
