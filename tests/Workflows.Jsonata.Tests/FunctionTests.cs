using Microsoft.Extensions.Time.Testing;

namespace Workflows.Jsonata.Tests;

public sealed class FunctionTests
{
    [Fact]
    public void Now_ReadsTheInjectedClockOncePerEvaluation()
    {
        var clock = new FakeTimeProvider(Eval.FixedNow) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        var options = new JsonataOptions { TimeProvider = clock };

        Eval.Run("[$now(), $now(), $millis() = $millis()]", options: options)
            .Should().Be("[\"2026-12-03T14:02:07.123Z\",\"2026-12-03T14:02:07.123Z\",true]");
    }

    [Fact]
    public void Random_SameSeed_SameSequence()
    {
        var a = Eval.Run("[$random(), $random()]", options: new JsonataOptions { RandomSeed = 7 });
        var b = Eval.Run("[$random(), $random()]", options: new JsonataOptions { RandomSeed = 7 });
        var c = Eval.Run("[$random(), $random()]", options: new JsonataOptions { RandomSeed = 8 });

        a.Should().Be(b).And.NotBe(c);
    }

    [Theory]
    [InlineData("$fromMillis(1521801216617, '[FNn], [D1o] [MNn] [Y]')", "\"Friday, 23rd March 2018\"")]
    [InlineData("$fromMillis(1531310400000, '[H01]:[m01][Z]', '-0500')", "\"07:00-05:00\"")]
    [InlineData("$toMillis('27th April 2008', '[D1o] [MNn] [Y0001]')", "1209254400000")]
    [InlineData("$formatNumber(1234.5678, '#,##0.00')", "\"1,234.57\"")]
    [InlineData("$formatInteger(1984, 'I')", "\"MCMLXXXIV\"")]
    [InlineData("$formatInteger(3731, 'w;o')", "\"three thousand, seven hundred and thirty-first\"")]
    [InlineData("$parseInteger('twelve', 'w')", "12")]
    [InlineData("$formatBase(255, 16)", "\"ff\"")]
    [InlineData("$round(2.5) & ' ' & $round(3.5)", "\"2 4\"")]
    [InlineData("$string(0.1 + 0.2)", "\"0.3\"")]
    [InlineData("$replace('abc', /(b)/, '[$1]')", "\"a[b]c\"")]
    [InlineData("$split('a1b2c', /[0-9]/)", "[\"a\",\"b\",\"c\"]")]
    [InlineData("$reduce([1, 2, 3], function($a, $b) { $a + $b })", "6")]
    [InlineData("$eval('1 + $x', {})", "undefined")]
    public void Library_DocumentedExamples_Work(string expression, string expected)
    {
        Eval.Run(expression).Should().Be(expected);
    }

    [Fact]
    public void ToMillis_NotIso8601_ThrowsD3110()
    {
        Eval.Error("$toMillis('2018-02-03 11:15:33')").Code.Should().Be("D3110");
    }
}
