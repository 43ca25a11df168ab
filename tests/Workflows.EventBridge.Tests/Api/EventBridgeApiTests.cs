using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workflows.EventBridge.Api;
using Workflows.EventBridge.Bus;
using Workflows.EventBridge.Tests.Bus;

namespace Workflows.EventBridge.Tests.Api;

public sealed class EventBridgeApiTests
{
    private readonly FakeTarget _target = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-26T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly EventBridgeService _service;
    private readonly EventBridgeApi _api;

    public EventBridgeApiTests()
    {
        _service = new EventBridgeService(_target, new EventBusOptions { RandomSeed = 1 }, _clock);
        _api = new EventBridgeApi(_service);
    }

    private (int Status, JsonObject Body) Call(string op, object body)
    {
        var text = body as string ?? System.Text.Json.JsonSerializer.Serialize(body);
        var response = _api.Handle("AWSEvents." + op, text);
        return (response.StatusCode, JsonNode.Parse(response.Body)!.AsObject());
    }

    private static Dictionary<string, object?> Entry(string? source = "workflows.requests", string? detailType = "T", string? detail = "{\"a\":1}") =>
        new Dictionary<string, object?> { ["Source"] = source, ["DetailType"] = detailType, ["Detail"] = detail }
            .Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);

    [Fact]
    public void PutEvents_ValidEntry_ReturnsAnEventIdAndLogsTheEvent()
    {
        var (status, body) = Call("PutEvents", new { Entries = new[] { Entry() } });

        status.Should().Be(200);
        body["FailedEntryCount"]!.GetValue<int>().Should().Be(0);
        var id = body["Entries"]![0]!["EventId"]!.GetValue<string>();
        var logged = _service.DefaultBus.ListEvents().Should().ContainSingle().Which;
        logged.EventId.Should().Be(id);
        logged.Event["source"]!.GetValue<string>().Should().Be("workflows.requests");
        logged.Event["detail"]!["a"]!.GetValue<int>().Should().Be(1);
        logged.Event["time"]!.GetValue<string>().Should().Be("2026-11-26T08:00:00Z");
        logged.Event["account"]!.GetValue<string>().Should().Be("123456789012");
    }

    [Theory]
    [InlineData(null, "T", "{}", "InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.")]
    [InlineData("s", null, "{}", "InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.")]
    [InlineData("s", "T", null, "InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.")]
    [InlineData("s", "T", "[1]", "MalformedDetail", "Detail is malformed.")]
    [InlineData("s", "T", "{nope", "MalformedDetail", "Detail is malformed.")]
    [InlineData("aws.ec2", "T", "{}", "NotAuthorizedForSourceException", "Not authorized for the source.")]
    public void PutEvents_InvalidEntry_FailsThatEntryOnly(string? source, string? detailType, string? detail, string code, string message)
    {
        var (status, body) = Call("PutEvents", new { Entries = new[] { Entry(), Entry(source, detailType, detail) } });

        status.Should().Be(200);
        body["FailedEntryCount"]!.GetValue<int>().Should().Be(1);
        body["Entries"]![0]!["EventId"].Should().NotBeNull();
        body["Entries"]![1]!["ErrorCode"]!.GetValue<string>().Should().Be(code);
        body["Entries"]![1]!["ErrorMessage"]!.GetValue<string>().Should().Be(message);
        _service.DefaultBus.ListEvents().Should().HaveCount(1);
    }

    [Fact]
    public void PutEvents_ElevenEntries_IsAValidationException()
    {
        var (status, body) = Call("PutEvents", new { Entries = Enumerable.Repeat(Entry(), 11).ToArray() });

        status.Should().Be(400);
        body["__type"]!.GetValue<string>().Should().Be("ValidationException");
        body["message"]!.GetValue<string>().Should().Contain("'entries'").And.Contain("less than or equal to 10");
        _service.DefaultBus.ListEvents().Should().BeEmpty();
    }

    [Fact]
    public void PutEvents_NoEntries_IsAValidationException()
    {
        Call("PutEvents", new { Entries = Array.Empty<object>() }).Body["__type"]!.GetValue<string>().Should().Be("ValidationException");
    }

    [Fact]
    public void PutEvents_OverTwoHundredFiftySixKilobytes_IsAValidationException()
    {
        var big = "{\"x\":\"" + new string('a', 140_000) + "\"}";

        var (status, body) = Call("PutEvents", new { Entries = new[] { Entry(detail: big), Entry(detail: big) } });

        status.Should().Be(400);
        body["message"]!.GetValue<string>().Should().StartWith("Total size of the entries in the request is over the limit.");
    }

    [Fact]
    public void PutEvents_EntrySize_CountsAsDocumented()
    {
        var entry = new PutEventsEntry("ab", "cd", "{}", ["é"], DateTimeOffset.UnixEpoch);

        EventBridgeService.EntrySize(entry).Should().Be(14 + 2 + 2 + 2 + 2);
    }

    [Fact]
    public void PutEvents_TimeAsEpochSeconds_IsTheEventsTime()
    {
        Call("PutEvents", "{\"Entries\":[{\"Source\":\"s\",\"DetailType\":\"T\",\"Detail\":\"{}\",\"Time\":1764144000}]}");

        _service.DefaultBus.ListEvents().Single().Event["time"]!.GetValue<string>().Should().Be("2025-11-26T08:00:00Z");
    }

    [Fact]
    public void PutEvents_UnknownBus_FailsTheEntry()
    {
        var (_, body) = Call("PutEvents", new { Entries = new[] { new { Source = "s", DetailType = "T", Detail = "{}", EventBusName = "nope" } } });

        body["Entries"]![0]!["ErrorCode"]!.GetValue<string>().Should().Be("ResourceNotFoundException");
    }

    [Fact]
    public void TestEventPattern_MatchingAndNot_ReturnsResult()
    {
        var evt = """{"id":"1","account":"1","source":"aws.ec2","time":"t","region":"r","resources":[],"detail-type":"d","detail":{"state":"running"}}""";

        Call("TestEventPattern", new { EventPattern = """{"detail":{"state":["running"]}}""", Event = evt }).Body["Result"]!.GetValue<bool>().Should().BeTrue();
        Call("TestEventPattern", new { EventPattern = """{"detail":{"state":["stopped"]}}""", Event = evt }).Body["Result"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public void TestEventPattern_InvalidPattern_IsInvalidEventPatternException()
    {
        var (status, body) = Call("TestEventPattern", new { EventPattern = """{"source":"x"}""", Event = "{}" });

        status.Should().Be(400);
        body["__type"]!.GetValue<string>().Should().Be("InvalidEventPatternException");
        body["message"]!.GetValue<string>().Should().StartWith("Event pattern is not valid. Reason: \"source\" must be an object or an array");
    }

    [Fact]
    public void TestEventPattern_EventWithoutAMandatoryField_IsAValidationException()
    {
        var (_, body) = Call("TestEventPattern", new { EventPattern = """{"source":["x"]}""", Event = """{"source":"x"}""" });

        body["__type"]!.GetValue<string>().Should().Be("ValidationException");
        body["message"]!.GetValue<string>().Should().Contain("'id' is required");
    }

    [Fact]
    public void PutRule_ThenDescribeRule_ReturnsTheRule()
    {
        var (_, put) = Call("PutRule", new { Name = "r1", EventPattern = """{"source":["a"]}""", Description = "d" });
        var (status, rule) = Call("DescribeRule", new { Name = "r1" });

        put["RuleArn"]!.GetValue<string>().Should().Be("arn:aws:events:us-east-1:123456789012:rule/r1");
        status.Should().Be(200);
        rule["Name"]!.GetValue<string>().Should().Be("r1");
        rule["Arn"]!.GetValue<string>().Should().Be("arn:aws:events:us-east-1:123456789012:rule/r1");
        rule["EventPattern"]!.GetValue<string>().Should().Be("""{"source":["a"]}""");
        rule["State"]!.GetValue<string>().Should().Be("ENABLED");
        rule["Description"]!.GetValue<string>().Should().Be("d");
        rule["EventBusName"]!.GetValue<string>().Should().Be("default");
    }

    [Fact]
    public void DescribeRule_Unknown_IsResourceNotFound()
    {
        var (status, body) = Call("DescribeRule", new { Name = "nope" });

        status.Should().Be(400);
        body["__type"]!.GetValue<string>().Should().Be("ResourceNotFoundException");
        body["message"]!.GetValue<string>().Should().Be("Rule nope does not exist on EventBus default.");
    }

    [Fact]
    public void PutRule_InvalidPattern_NamesTheRule()
    {
        var (_, body) = Call("PutRule", new { Name = "bad", EventPattern = """{"a":[{"numeric":[">"]}]}""" });

        body["__type"]!.GetValue<string>().Should().Be("InvalidEventPatternException");
        body["message"]!.GetValue<string>().Should().Contain("\"a[0].numeric\"").And.EndWith("(rule bad)");
    }

    [Fact]
    public void PutRule_NeitherPatternNorSchedule_IsAValidationException()
    {
        Call("PutRule", new { Name = "r" }).Body["message"]!.GetValue<string>().Should().Be("Parameter(s) EventPattern or ScheduleExpression must be specified.");
    }

    [Fact]
    public void ListRules_WithLimit_PagesThroughAllRulesInNameOrder()
    {
        foreach (var name in new[] { "c", "a", "e", "b", "d" })
        {
            Call("PutRule", new { Name = name, EventPattern = """{"source":["x"]}""" });
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = new JsonObject { ["Limit"] = 2 };
            if (token is not null)
            {
                request["NextToken"] = token;
            }

            var (_, body) = Call("ListRules", request.ToJsonString());
            names.AddRange(body["Rules"]!.AsArray().Select(r => r!["Name"]!.GetValue<string>()));
            token = body["NextToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null && pages < 10);

        names.Should().Equal("a", "b", "c", "d", "e");
        pages.Should().Be(3);
    }

    [Fact]
    public void ListRules_NamePrefix_KeepsOnlyThoseRules()
    {
        Call("PutRule", new { Name = "ProvisionA", EventPattern = """{"source":["x"]}""" });
        Call("PutRule", new { Name = "TeardownA", EventPattern = """{"source":["x"]}""" });

        var (_, body) = Call("ListRules", new { NamePrefix = "Prov" });

        body["Rules"]!.AsArray().Select(r => r!["Name"]!.GetValue<string>()).Should().Equal("ProvisionA");
        body.ContainsKey("NextToken").Should().BeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void ListRules_LimitOutOfRange_IsAValidationException(int limit)
    {
        Call("ListRules", new { Limit = limit }).Body["message"]!.GetValue<string>().Should().Contain("'limit'");
    }

    [Fact]
    public void ListRules_GarbageToken_IsAValidationException()
    {
        Call("ListRules", new { NextToken = "%%%" }).Body["message"]!.GetValue<string>().Should().Be("The NextToken is not valid.");
    }

    [Fact]
    public void PutTargets_ThenAMatchingEvent_DeliversWithTheTransformer()
    {
        Call("PutRule", new { Name = "r", EventPattern = """{"source":["workflows.requests"]}""" });
        var (status, _) = Call("PutTargets", """
            { "Rule": "r", "Targets": [ { "Id": "sm", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:P",
              "InputTransformer": { "InputPathsMap": { "a": "$.detail.a" }, "InputTemplate": "{\"value\": <a>}" },
              "RetryPolicy": { "MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 120 },
              "DeadLetterConfig": { "Arn": "arn:aws:sqs:us-east-1:123456789012:dlq" } } ] }
            """);

        Call("PutEvents", new { Entries = new[] { Entry() } });

        status.Should().Be(200);
        _target.Invocations.Should().ContainSingle().Which.Input.Should().Be("{\"value\": 1}");
        var (_, listed) = Call("ListTargetsByRule", new { Rule = "r" });
        var target = listed["Targets"]![0]!;
        target["Id"]!.GetValue<string>().Should().Be("sm");
        target["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<int>().Should().Be(2);
        target["DeadLetterConfig"]!["Arn"]!.GetValue<string>().Should().EndWith(":dlq");
        target["InputTransformer"]!["InputPathsMap"]!["a"]!.GetValue<string>().Should().Be("$.detail.a");
    }

    [Fact]
    public void PutTargets_BadRetryPolicy_IsAValidationExceptionNamingTheField()
    {
        Call("PutRule", new { Name = "r", EventPattern = """{"source":["x"]}""" });

        var (_, body) = Call("PutTargets", new { Rule = "r", Targets = new[] { new { Id = "t", Arn = "arn:x", RetryPolicy = new { MaximumRetryAttempts = 500 } } } });

        body["__type"]!.GetValue<string>().Should().Be("ValidationException");
        body["message"]!.GetValue<string>().Should().Contain("MaximumRetryAttempts");
    }

    [Fact]
    public void PutTargets_SixthTarget_IsLimitExceeded()
    {
        Call("PutRule", new { Name = "r", EventPattern = """{"source":["x"]}""" });

        var (_, body) = Call("PutTargets", new { Rule = "r", Targets = Enumerable.Range(0, 6).Select(i => new { Id = $"t{i}", Arn = "arn:x" }).ToArray() });

        body["__type"]!.GetValue<string>().Should().Be("LimitExceededException");
    }

    [Fact]
    public void DeleteRule_WithTargets_IsRefusedUntilTheyAreRemoved()
    {
        Call("PutRule", new { Name = "r", EventPattern = """{"source":["x"]}""" });
        Call("PutTargets", new { Rule = "r", Targets = new[] { new { Id = "t", Arn = "arn:x" } } });

        Call("DeleteRule", new { Name = "r" }).Body["message"]!.GetValue<string>().Should().Be("Rule can't be deleted since it has targets.");
        Call("RemoveTargets", new { Rule = "r", Ids = new[] { "t" } });
        Call("DeleteRule", new { Name = "r" }).Status.Should().Be(200);
        Call("DescribeRule", new { Name = "r" }).Body["__type"]!.GetValue<string>().Should().Be("ResourceNotFoundException");
    }

    [Fact]
    public void DisableRule_ThenAMatchingEvent_DeliversNothing()
    {
        Call("PutRule", new { Name = "r", EventPattern = """{"source":["workflows.requests"]}""" });
        Call("PutTargets", new { Rule = "r", Targets = new[] { new { Id = "t", Arn = "arn:x" } } });

        Call("DisableRule", new { Name = "r" });
        Call("PutEvents", new { Entries = new[] { Entry() } });

        _target.Invocations.Should().BeEmpty();
        Call("DescribeRule", new { Name = "r" }).Body["State"]!.GetValue<string>().Should().Be("DISABLED");
    }

    [Fact]
    public void Handle_UnknownOperation_IsUnknownOperationException()
    {
        var response = _api.Handle("AWSEvents.CreateArchive", "{}");

        response.StatusCode.Should().Be(400);
        response.ErrorType.Should().Be("UnknownOperationException");
    }

    [Fact]
    public void Handle_BodyNotJson_IsSerializationException()
    {
        _api.Handle("AWSEvents.ListRules", "{").ErrorType.Should().Be("SerializationException");
    }

    [Fact]
    public void Handle_FieldOfTheWrongType_IsSerializationExceptionNamingIt()
    {
        var response = _api.Handle("AWSEvents.DescribeRule", "{\"Name\": 5}");

        response.ErrorType.Should().Be("SerializationException");
        JsonNode.Parse(response.Body)!["message"]!.GetValue<string>().Should().Be("request.Name must be a string");
    }

    [Fact]
    public void Handle_BareOperationName_IsAccepted()
    {
        _api.Handle("ListRules", "{}").StatusCode.Should().Be(200);
    }

    [Fact]
    public void Handle_ErrorBody_HasTypeAndMessageOnly()
    {
        var body = JsonNode.Parse(_api.Handle("AWSEvents.DescribeRule", "{}").Body)!.AsObject();

        body.Select(kv => kv.Key).Should().BeEquivalentTo("__type", "message");
        Encoding.UTF8.GetByteCount(body.ToJsonString()).Should().BeGreaterThan(0);
    }
}
