using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Workflows.Jsonata.Tests;

public sealed class SemanticsTests
{
    private const string Orders = """
        {"Account": {"Order": [
          {"OrderID": "o1", "Product": [{"Name": "Hat", "Price": 10, "Qty": 2}, {"Name": "Cloak", "Price": 5, "Qty": 1}]},
          {"OrderID": "o2", "Product": [{"Name": "Hat", "Price": 10, "Qty": 1}]}
        ]}}
        """;

    [Fact]
    public void Path_SingleMatch_IsUnwrappedFromItsSequence()
    {
        Eval.Run("Account.Order[1].Product.Name", Orders).Should().Be("\"Hat\"");
    }

    [Fact]
    public void Path_KeepArrayBrackets_KeepASingletonAsAnArray()
    {
        Eval.Run("Account.Order[1].Product.Name[]", Orders).Should().Be("[\"Hat\"]");
    }

    [Fact]
    public void Path_PredicateOnAStep_AppliesPerParentNotGlobally()
    {
        Eval.Run("Account.Order.Product[0].Name", Orders).Should().Be("[\"Hat\",\"Hat\"]");
        Eval.Run("(Account.Order.Product)[0].Name", Orders).Should().Be("\"Hat\"");
    }

    [Fact]
    public void Path_MissingField_IsUndefinedNotNull()
    {
        Eval.Run("Account.Nothing.Here", Orders).Should().Be("undefined");
        Eval.Run("$exists(Account.Nothing)", Orders).Should().Be("false");
        Eval.Run("null", Orders).Should().Be("null");
    }

    [Fact]
    public void ObjectConstructor_OnAPath_GroupsByKey()
    {
        Eval.Run("Account.Order.Product{Name: $sum(Price)}", Orders).Should().Be("{\"Hat\":20,\"Cloak\":5}");
    }

    [Fact]
    public void Parent_InsideAStep_ReadsTheEnclosingObject()
    {
        Eval.Run("Account.Order.Product.{'n': Name, 'o': %.OrderID}", Orders)
            .Should().Be("[{\"n\":\"Hat\",\"o\":\"o1\"},{\"n\":\"Cloak\",\"o\":\"o1\"},{\"n\":\"Hat\",\"o\":\"o2\"}]");
    }

    [Fact]
    public void PositionalBinding_Hash_GivesTheIndexInTheStep()
    {
        Eval.Run("Account.Order#$i.{'id': OrderID, 'i': $i}", Orders).Should().Be("[{\"id\":\"o1\",\"i\":0},{\"id\":\"o2\",\"i\":1}]");
    }

    [Fact]
    public void OrderBy_Descending_IsStable()
    {
        Eval.Run("Account.Order.Product^(>Price).Name", Orders).Should().Be("[\"Hat\",\"Hat\",\"Cloak\"]");
    }

    [Fact]
    public void Transform_CopiesAndUpdates_LeavingTheInputAlone()
    {
        var input = JsonNode.Parse("""{"a": {"b": 1, "c": 2}}""");
        var e = JsonataExpression.Parse("$ ~> |a|{'b': 10}, ['c']|");

        e.Evaluate(input)!.ToJsonString().Should().Be("{\"a\":{\"b\":10}}");
        input!.ToJsonString().Should().Be("{\"a\":{\"b\":1,\"c\":2}}");
    }

    [Fact]
    public void TailRecursion_DeepLoop_RunsWithinASmallDepthLimit()
    {
        var options = new JsonataOptions { MaxDepth = 200, TimeProvider = new FakeTimeProvider(Eval.FixedNow) };

        Eval.Run("($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(10000, 0))", options: options)
            .Should().Be("10000");
    }

    [Fact]
    public void Recursion_NotInTailPosition_StopsAtTheDepthLimitWithU1001()
    {
        var options = new JsonataOptions { MaxDepth = 200, TimeProvider = new FakeTimeProvider(Eval.FixedNow) };

        Eval.Error("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000))", options: options).Code.Should().Be("U1001");
    }

    [Fact]
    public void InfiniteLoop_TimeLimitOnTheInjectedClock_StopsWithU1001()
    {
        var clock = new FakeTimeProvider(Eval.FixedNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(10) };
        var options = new JsonataOptions { TimeLimit = TimeSpan.FromSeconds(1), TimeProvider = clock };

        Eval.Error("($f := function() { $f() }; $f())", options: options).Code.Should().Be("U1001");
    }

    [Theory]
    [InlineData("1 + 'a'", "T2002")]
    [InlineData("'a' - 1", "T2001")]
    [InlineData("1 < 'a'", "T2009")]
    [InlineData("{} < 1", "T2010")]
    [InlineData("[1..'x']", "T2004")]
    [InlineData("$substring('a', 'b')", "T0410")]
    [InlineData("$sum(['a'])", "T0412")]
    [InlineData("{1: 2}", "T1003")]
    [InlineData("$x := 1; $x()", "T1006")]
    [InlineData("$error('boom')", "D3137")]
    [InlineData("$number('abc')", "D3030")]
    public void Evaluate_TypeErrors_CarryTheReferenceCode(string expression, string code)
    {
        Eval.Error("(" + expression + ")").Code.Should().Be(code);
    }

    [Fact]
    public void Bindings_AreVisibleAsVariables()
    {
        var bindings = new Dictionary<string, JsonNode?> { ["rate"] = JsonValue.Create(2) };

        Eval.Run("$sum(Account.Order.Product.Price) * $rate", Orders, bindings: bindings).Should().Be("50");
    }
}
