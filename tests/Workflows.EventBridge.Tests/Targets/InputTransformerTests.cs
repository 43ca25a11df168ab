using System.Text.Json.Nodes;
using Workflows.EventBridge.Targets;

namespace Workflows.EventBridge.Tests.Targets;

/// <summary>
/// The examples table of docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
/// ("Input Transform Examples"), on its EC2 event and InputPathsMap.
/// </summary>
public sealed class InputTransformerTests
{
    private static readonly JsonObject Ec2Event = JsonNode.Parse("""
        {
          "version": "0",
          "id": "7bf73129-1428-4cd3-a780-95db273d1602",
          "detail-type": "EC2 Instance State-change Notification",
          "source": "aws.ec2",
          "account": "123456789012",
          "time": "2015-11-11T21:29:54Z",
          "region": "us-east-1",
          "resources": [ "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111" ],
          "detail": { "instance-id": "i-0123456789", "state": "RUNNING" }
        }
        """)!.AsObject();

    private static readonly Dictionary<string, string> Paths = new()
    {
        ["timestamp"] = "$.time",
        ["instance"] = "$.detail.instance-id",
        ["state"] = "$.detail.state",
        ["resource"] = "$.resources[0]",
    };

    private static readonly TransformContext Context = new("arn:aws:events:us-east-2:123456789012:rule/example", "example", DateTimeOffset.Parse("2015-11-11T21:29:55Z", System.Globalization.CultureInfo.InvariantCulture));

    private static string Transform(string template) => new InputTransformer(Paths, template).Transform(Ec2Event, Context);

    [Fact]
    public void Transform_SimpleString_InsertsTextInsideTheQuotes()
    {
        Transform("\"instance <instance> is in <state>\"").Should().Be("\"instance i-0123456789 is in RUNNING\"");
    }

    [Fact]
    public void Transform_StringWithEscapedQuotes_KeepsTheEscapes()
    {
        Transform("\"instance \\\"<instance>\\\" is in <state>\"").Should().Be("\"instance \\\"i-0123456789\\\" is in RUNNING\"");
    }

    [Fact]
    public void Transform_SimpleJson_QuotesStringsOutsideStrings()
    {
        var output = Transform("{ \"instance\" : <instance>, \"state\": <state> }");

        JsonNode.DeepEquals(JsonNode.Parse(output), JsonNode.Parse("""{ "instance": "i-0123456789", "state": "RUNNING" }""")).Should().BeTrue(output);
    }

    [Fact]
    public void Transform_JsonWithStringsAndVariables_MixesBothForms()
    {
        var output = Transform("{ \"instance\" : <instance>, \"state\": \"<state>\", \"instanceStatus\": \"instance \\\"<instance>\\\" is in <state>\" }");

        JsonNode.DeepEquals(JsonNode.Parse(output), JsonNode.Parse("""{ "instance": "i-0123456789", "state": "RUNNING", "instanceStatus": "instance \"i-0123456789\" is in RUNNING" }""")).Should().BeTrue(output);
    }

    [Fact]
    public void Transform_JsonWithStaticInformation_KeepsTheStaticParts()
    {
        var output = Transform("{ \"instance\" : <instance>, \"state\": [ 9, <state>, true ], \"Transformed\" : \"Yes\" }");

        JsonNode.DeepEquals(JsonNode.Parse(output), JsonNode.Parse("""{ "instance": "i-0123456789", "state": [ 9, "RUNNING", true ], "Transformed": "Yes" }""")).Should().BeTrue(output);
    }

    [Fact]
    public void Transform_ReservedVariablesInJson_InsertsRuleAndOriginalEvent()
    {
        var output = JsonNode.Parse(Transform("{ \"instance\" : <instance>, \"ruleArn\" : <aws.events.rule-arn>, \"ruleName\" : <aws.events.rule-name>, \"originalEvent\" : <aws.events.event.json>, \"withoutDetail\": <aws.events.event>, \"at\": <aws.events.event.ingestion-time> }"))!;

        output["ruleArn"]!.GetValue<string>().Should().Be("arn:aws:events:us-east-2:123456789012:rule/example");
        output["ruleName"]!.GetValue<string>().Should().Be("example");
        JsonNode.DeepEquals(output["originalEvent"], Ec2Event).Should().BeTrue();
        output["withoutDetail"]!.AsObject().ContainsKey("detail").Should().BeFalse();
        output["withoutDetail"]!["source"]!.GetValue<string>().Should().Be("aws.ec2");
        output["at"]!.GetValue<string>().Should().Be("2015-11-11T21:29:55Z");
    }

    [Fact]
    public void Transform_ReservedVariableInAString_InsertsItsText()
    {
        Transform("\"<aws.events.rule-name> triggered\"").Should().Be("\"example triggered\"");
    }

    [Fact]
    public void Transform_VariableOfAMissingPath_RendersNothingInAStringAndNullOutside()
    {
        var transformer = new InputTransformer(new Dictionary<string, string> { ["gone"] = "$.detail.nothing" }, "{ \"a\": <gone>, \"b\": \"x<gone>y\" }");

        transformer.Transform(Ec2Event, Context).Should().Be("{ \"a\": null, \"b\": \"xy\" }");
    }

    [Fact]
    public void Transform_UnknownPlaceholder_StaysAsWritten()
    {
        new InputTransformer(Paths, "\"a <b> c\"").Transform(Ec2Event, Context).Should().Be("\"a <b> c\"");
    }

    [Fact]
    public void Transform_NonStringValueInsideAString_InsertsItsJsonText()
    {
        new InputTransformer(new Dictionary<string, string> { ["d"] = "$.detail" }, "\"<d>\"").Transform(Ec2Event, Context)
            .Should().Be("\"{\"instance-id\":\"i-0123456789\",\"state\":\"RUNNING\"}\"");
    }

    [Theory]
    [InlineData("aws.events.rule-name", "$.x", "reserved")]
    [InlineData("has space", "$.x", "must be 1 to 256 of")]
    [InlineData("ok", "detail.x", "must start with '$'")]
    [InlineData("ok", "$.a[*]", "only an array index or a quoted name")]
    public void Constructor_BadInputPathsMap_ThrowsNamingTheVariable(string name, string path, string reason)
    {
        var act = () => new InputTransformer(new Dictionary<string, string> { [name] = path }, "\"x\"");

        act.Should().Throw<FormatException>().WithMessage($"InputTransformer.InputPathsMap*{reason}*");
    }

    [Fact]
    public void Constructor_EmptyTemplate_Throws()
    {
        var act = () => new InputTransformer(null, "");

        act.Should().Throw<FormatException>().WithMessage("InputTransformer.InputTemplate: required*");
    }

    [Fact]
    public void Constructor_TooManyVariables_Throws()
    {
        var map = Enumerable.Range(0, 101).ToDictionary(i => $"v{i}", _ => "$.x");

        var act = () => new InputTransformer(map, "\"x\"");

        act.Should().Throw<FormatException>().WithMessage("*101 variables, over the limit of 100");
    }

    [Fact]
    public void RenderInput_InputPath_SelectsThatPartOfTheEvent()
    {
        var target = new RuleTarget("t", "arn:aws:states:us-east-1:123456789012:stateMachine:m", inputPath: "$.detail");

        JsonNode.DeepEquals(JsonNode.Parse(target.RenderInput(Ec2Event, Context)), Ec2Event["detail"]).Should().BeTrue();
    }

    [Fact]
    public void RenderInput_NoInputChoice_SendsTheWholeEvent()
    {
        var target = new RuleTarget("t", "arn:x");

        JsonNode.DeepEquals(JsonNode.Parse(target.RenderInput(Ec2Event, Context)), Ec2Event).Should().BeTrue();
    }

    [Fact]
    public void RenderInput_ConstantInput_SendsItAsGiven()
    {
        new RuleTarget("t", "arn:x", input: "{\"fixed\":1}").RenderInput(Ec2Event, Context).Should().Be("{\"fixed\":1}");
    }

    [Fact]
    public void Constructor_TwoInputChoices_Throws()
    {
        var act = () => new RuleTarget("t", "arn:x", input: "{}", inputPath: "$.detail");

        act.Should().Throw<FormatException>().WithMessage("Target t: only one of Input, InputPath and InputTransformer may be given");
    }

    [Theory]
    [InlineData(186, 60, "MaximumRetryAttempts: 186 is outside 0 to 185")]
    [InlineData(0, 59, "MaximumEventAgeInSeconds: 59 is outside 60 to 86400")]
    public void RetryPolicy_OutOfBounds_Throws(int attempts, int age, string message)
    {
        var act = () => new RetryPolicy(attempts, age);

        act.Should().Throw<FormatException>().WithMessage($"RetryPolicy.{message}");
    }
}
