using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Intrinsics;
using Workflows.Engine.Paths;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class IntrinsicFunctionTests
{
    private static readonly JsonNode Input = JsonNode.Parse("""
        {"name":"Ana","n":3,"list":[1,2,2,3],"obj":{"a":1,"b":{"c":2}},"other":{"b":9,"d":4},"text":"a,b;;c","json":"{\"k\":[1,2]}"}
        """)!;

    private static string Eval(string expression, int seed = 1) =>
        IntrinsicExpression.Parse(expression).Evaluate(new PathScope(Input, new JsonObject { ["State"] = new JsonObject { ["Name"] = "S" } }, new Random(seed))).Json();

    [Fact]
    public void Format_SubstitutesPlaceholdersInOrder() =>
        Eval("States.Format('Hello {}, you have {} items', $.name, $.n)").Should().Be("\"Hello Ana, you have 3 items\"");

    [Fact]
    public void Format_EscapedBracesAndQuotes_AreLiteral() =>
        Eval(@"States.Format('\{{}\} it\'s', $.name)").Should().Be("\"{Ana} it's\"");

    [Fact]
    public void Format_PlaceholderCountMismatch_IntrinsicFailure()
    {
        var act = () => Eval("States.Format('{} {}', $.name)");
        act.Should().Throw<StatesIntrinsicFailure>();
    }

    [Fact]
    public void StringToJson_ParsesJson() => Eval("States.StringToJson($.json)").Should().Be("""{"k":[1,2]}""");

    [Fact]
    public void StringToJson_InvalidJson_IntrinsicFailure()
    {
        var act = () => Eval("States.StringToJson($.name)");
        act.Should().Throw<StatesIntrinsicFailure>();
    }

    [Fact]
    public void JsonToString_SerializesCompactly() => Eval("States.JsonToString($.obj)").Should().Be("""
        "{\"a\":1,\"b\":{\"c\":2}}"
        """.Trim());

    [Fact]
    public void Array_BuildsArrayOfArguments() => Eval("States.Array('a', 1, $.n, null, true)").Should().Be("""["a",1,3,null,true]""");

    [Fact]
    public void ArrayPartition_ChunksArray() => Eval("States.ArrayPartition($.list, 3)").Should().Be("[[1,2,2],[3]]");

    [Fact]
    public void ArrayPartition_NonPositiveSize_IntrinsicFailure()
    {
        var act = () => Eval("States.ArrayPartition($.list, 0)");
        act.Should().Throw<StatesIntrinsicFailure>();
    }

    [Fact]
    public void ArrayContains_FindsValue() => Eval("States.ArrayContains($.list, 3)").Should().Be("true");

    [Fact]
    public void ArrayRange_InclusiveWithStep() => Eval("States.ArrayRange(1, 9, 2)").Should().Be("[1,3,5,7,9]");

    [Fact]
    public void ArrayRange_OverThousandItems_IntrinsicFailure()
    {
        var act = () => Eval("States.ArrayRange(1, 2000, 1)");
        act.Should().Throw<StatesIntrinsicFailure>();
    }

    [Fact]
    public void ArrayGetItem_ReturnsIndex() => Eval("States.ArrayGetItem($.list, 3)").Should().Be("3");

    [Fact]
    public void ArrayGetItem_OutOfBounds_IntrinsicFailure()
    {
        var act = () => Eval("States.ArrayGetItem($.list, 4)");
        act.Should().Throw<StatesIntrinsicFailure>();
    }

    [Fact]
    public void ArrayLength_CountsItems() => Eval("States.ArrayLength($.list)").Should().Be("4");

    [Fact]
    public void ArrayUnique_RemovesDuplicatesKeepingOrder() => Eval("States.ArrayUnique($.list)").Should().Be("[1,2,3]");

    [Fact]
    public void Base64Encode_EncodesUtf8() => Eval("States.Base64Encode('Data to encode')").Should().Be("\"RGF0YSB0byBlbmNvZGU=\"");

    [Fact]
    public void Base64Decode_DecodesUtf8() => Eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')").Should().Be("\"Data to encode\"");

    [Theory]
    [InlineData("MD5", "5d41402abc4b2a76b9719d911017c592")]
    [InlineData("SHA-1", "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d")]
    [InlineData("SHA-256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")]
    [InlineData("SHA-384", "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f")]
    [InlineData("SHA-512", "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043")]
    public void Hash_EachAlgorithm_HexDigest(string algorithm, string expected) =>
        Eval($"States.Hash('hello', '{algorithm}')").Should().Be($"\"{expected}\"");

    [Fact]
    public void Hash_UnknownAlgorithm_IntrinsicFailure()
    {
        var act = () => Eval("States.Hash('hello', 'CRC32')");
        act.Should().Throw<StatesIntrinsicFailure>();
    }

    [Fact]
    public void JsonMerge_ShallowRightWins() => Eval("States.JsonMerge($.obj, $.other, false)").Should().Be("""{"a":1,"b":9,"d":4}""");

    [Fact]
    public void JsonMerge_DeepMerge_IntrinsicFailure()
    {
        var act = () => Eval("States.JsonMerge($.obj, $.other, true)");
        act.Should().Throw<StatesIntrinsicFailure>();
    }

    [Fact]
    public void MathRandom_WithSeedArgument_Reproducible()
    {
        var a = Eval("States.MathRandom(1, 1000, 42)", seed: 1);
        var b = Eval("States.MathRandom(1, 1000, 42)", seed: 2);
        a.Should().Be(b);
        int.Parse(a, System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 999);
    }

    [Fact]
    public void MathRandom_EngineSeed_Reproducible() =>
        Eval("States.MathRandom(0, 1000000)", seed: 5).Should().Be(Eval("States.MathRandom(0, 1000000)", seed: 5));

    [Fact]
    public void MathAdd_AddsIntegers() => Eval("States.MathAdd($.n, -5)").Should().Be("-2");

    [Fact]
    public void MathAdd_NonInteger_IntrinsicFailure()
    {
        var act = () => Eval("States.MathAdd($.name, 1)");
        act.Should().Throw<StatesIntrinsicFailure>();
    }

    [Fact]
    public void StringSplit_SplitsOnAnyDelimiterCharacter() => Eval("States.StringSplit($.text, ',;')").Should().Be("""["a","b","c"]""");

    [Fact]
    public void Uuid_SeededEngine_ReproducibleVersion4()
    {
        var a = Eval("States.UUID()", seed: 9);
        a.Should().Be(Eval("States.UUID()", seed: 9));
        a.Should().MatchRegex("^\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"$");
    }

    [Fact]
    public void NestedCalls_Evaluated() =>
        Eval("States.ArrayLength(States.StringSplit(States.Format('{},{}', $.name, 'x'), ','))").Should().Be("2");

    [Fact]
    public void ContextPathArgument_ReadsContext() => Eval("States.Format('{}', $$.State.Name)").Should().Be("\"S\"");

    [Fact]
    public void MissingPathArgument_StatesRuntime()
    {
        var act = () => Eval("States.Format('{}', $.nope)");
        act.Should().Throw<StatesRuntime>();
    }

    [Fact]
    public void Parse_UnterminatedString_Refused()
    {
        var act = () => IntrinsicExpression.Parse("States.Format('abc)");
        act.Should().Throw<FormatException>();
    }

    [Fact]
    public void Names_CoverEveryIntrinsic() => IntrinsicFunctions.Names.Should().HaveCount(18);

    [Fact]
    public async Task Intrinsic_FailingInState_ReportedAsIntrinsicFailure()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Pass","Parameters":{"x.$":"States.ArrayGetItem($.a, 5)"},"End":true}"""), """{"a":[1]}""");
        result.Error.Should().Be("States.IntrinsicFailure");
    }
}
