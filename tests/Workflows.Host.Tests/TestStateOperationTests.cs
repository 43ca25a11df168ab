using System.Text.Json.Nodes;
using Workflows.Engine.Tasks;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>TestState over HTTP: one state run through the engine, its status, next state and inspection data.</summary>
public sealed class TestStateOperationTests : IAsyncLifetime
{
    private HostHarness _h = null!;

    public async Task InitializeAsync()
    {
        var lambda = new LambdaFunctionRegistry();
        // "work" doubles its input's n; "broken" always fails with InvalidOperationException.
        lambda.Register("work", (payload, _) => Task.FromResult<JsonNode?>(new JsonObject { ["doubled"] = payload!["n"]!.GetValue<int>() * 2 }));
        lambda.Register("broken", (JsonNode? _, CancellationToken _) => throw new InvalidOperationException("always fails"));
        _h = await HostHarness.StartAsync(lambda: lambda);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static JsonObject Request(string definition, string input = "{}", string? level = null)
    {
        var r = new JsonObject { ["definition"] = definition, ["roleArn"] = HostHarness.RoleArn, ["input"] = input };
        if (level is not null)
        {
            r["inspectionLevel"] = level;
        }

        return r;
    }

    [Fact]
    public async Task TestState_PassInfo_OutputNextStateNoInspection()
    {
        var answer = await _h.CallAsync("TestState", Request("""{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Next":"After"}""", """{"a":2}"""));

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        answer["nextState"]!.GetValue<string>().Should().Be("After");
        JsonNode.Parse(answer["output"]!.GetValue<string>())!.ToJsonString().Should().Be("""{"a":2,"r":{"x":1}}""");
        answer.ContainsKey("inspectionData").Should().BeFalse();
    }

    [Fact]
    public async Task TestState_PassDebug_InspectionDataFlow()
    {
        var answer = await _h.CallAsync("TestState", Request("""{"Type":"Pass","InputPath":"$.in","End":true}""", """{"in":{"k":"v"},"other":1}""", "DEBUG"));

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        answer.ContainsKey("nextState").Should().BeFalse();
        var d = answer["inspectionData"]!;
        JsonNode.Parse(d["input"]!.GetValue<string>())!["other"]!.GetValue<int>().Should().Be(1);
        d["afterInputPath"]!.GetValue<string>().Should().Be("""{"k":"v"}""");
        JsonNode.Parse(d["afterResultPath"]!.GetValue<string>())!.ToJsonString().Should().Be("""{"k":"v"}""");
    }

    [Fact]
    public async Task TestState_Variables_VisibleToTheState()
    {
        var request = Request("""{"Type":"Pass","Parameters":{"greeting.$":"$name"},"Next":"After"}""");
        request["variables"] = """{"name":"local"}""";

        var answer = await _h.CallAsync("TestState", request);

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED", answer.ToJsonString());
        answer["nextState"]!.GetValue<string>().Should().Be("After");
        JsonNode.Parse(answer["output"]!.GetValue<string>())!["greeting"]!.GetValue<string>().Should().Be("local");
    }

    [Fact]
    public async Task TestState_TaskCallingServedFunction_ResultAndParametersInspected()
    {
        var answer = await _h.CallAsync("TestState", Request(
            """{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:work","Parameters":{"n.$":"$.value"},"ResultPath":"$.out","End":true}""",
            """{"value":21}""", "DEBUG"));

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED", answer.ToJsonString());
        JsonNode.Parse(answer["output"]!.GetValue<string>())!["out"]!["doubled"]!.GetValue<int>().Should().Be(42);
        var d = answer["inspectionData"]!;
        JsonNode.Parse(d["afterParameters"]!.GetValue<string>())!["n"]!.GetValue<int>().Should().Be(21);
        JsonNode.Parse(d["result"]!.GetValue<string>())!["doubled"]!.GetValue<int>().Should().Be(42);
    }

    [Fact]
    public async Task TestState_TaskErrorCaught_CaughtErrorWithCatchNext()
    {
        var answer = await _h.CallAsync("TestState", Request(
            """{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:broken","Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Recover"}],"Next":"Done"}""",
            """{"keep":true}"""));

        answer["status"]!.GetValue<string>().Should().Be("CAUGHT_ERROR", answer.ToJsonString());
        answer["nextState"]!.GetValue<string>().Should().Be("Recover");
        answer["error"]!.GetValue<string>().Should().Be("InvalidOperationException");
        var output = JsonNode.Parse(answer["output"]!.GetValue<string>())!;
        output["keep"]!.GetValue<bool>().Should().BeTrue();
        output["error"]!["Error"]!.GetValue<string>().Should().Be("InvalidOperationException");
    }

    [Fact]
    public async Task TestState_TaskErrorMatchingRetrier_RetriableWithoutRetrying()
    {
        var answer = await _h.CallAsync("TestState", Request(
            """{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:broken","Retry":[{"ErrorEquals":["InvalidOperationException"],"MaxAttempts":2}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],"End":true}"""));

        answer["status"]!.GetValue<string>().Should().Be("RETRIABLE", answer.ToJsonString());
        answer["error"]!.GetValue<string>().Should().Be("InvalidOperationException");
        answer.ContainsKey("nextState").Should().BeFalse();
    }

    [Fact]
    public async Task TestState_RetrierExhaustedByStateConfiguration_CaughtError()
    {
        var request = Request("""{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:broken","Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],"End":true}""");
        request["stateConfiguration"] = new JsonObject { ["retrierRetryCount"] = 2 };

        var answer = await _h.CallAsync("TestState", request);

        answer["status"]!.GetValue<string>().Should().Be("CAUGHT_ERROR", answer.ToJsonString());
        answer["nextState"]!.GetValue<string>().Should().Be("Recover");
    }

    [Fact]
    public async Task TestState_FailState_FailedWithItsErrorAndCause()
    {
        var answer = await _h.CallAsync("TestState", Request("""{"Type":"Fail","Error":"Custom.Bad","Cause":"said so"}"""));

        answer["status"]!.GetValue<string>().Should().Be("FAILED");
        answer["error"]!.GetValue<string>().Should().Be("Custom.Bad");
        answer["cause"]!.GetValue<string>().Should().Be("said so");
    }

    [Fact]
    public async Task TestState_MockResult_UsedInsteadOfTheFunction()
    {
        var request = Request("""{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:broken","End":true}""");
        request["mock"] = new JsonObject { ["result"] = """{"mocked":true}""" };

        var answer = await _h.CallAsync("TestState", request);

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED", answer.ToJsonString());
        JsonNode.Parse(answer["output"]!.GetValue<string>())!["mocked"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task TestState_ParallelWithoutMock_ValidationException()
    {
        var message = await _h.RefusedAsync("TestState", Request("""{"Type":"Parallel","Branches":[{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}],"End":true}"""), "ValidationException");

        message.Should().Contain("Parallel").And.Contain("mock");
    }

    [Fact]
    public async Task TestState_MockOnPassState_ValidationException()
    {
        var request = Request("""{"Type":"Pass","End":true}""");
        request["mock"] = new JsonObject { ["result"] = "{}" };

        var message = await _h.RefusedAsync("TestState", request, "ValidationException");

        message.Should().Contain("mock");
    }

    [Fact]
    public async Task TestState_UnknownInspectionLevel_ValidationNamingTheField()
    {
        var (status, body) = await _h.SendAsync("TestState", Request("""{"Type":"Pass","End":true}""", level: "VERBOSE"));

        status.Should().Be(400);
        body["message"]!.GetValue<string>().Should().Contain("inspectionLevel");
    }

    [Fact]
    public async Task TestState_PassWithParametersDebug_AfterParametersEvaluated()
    {
        var answer = await _h.CallAsync("TestState", Request("""{"Type":"Pass","InputPath":"$.in","Parameters":{"v.$":"$.x","k":1},"End":true}""", """{"in":{"x":7}}""", "DEBUG"));

        answer["inspectionData"]!["afterParameters"]!.GetValue<string>().Should().Be("""{"v":7,"k":1}""");
    }

    [Fact]
    public async Task TestState_RetriableDebug_ErrorDetailsRetryIndexAndBackoff()
    {
        var request = Request(
            """{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:broken","Retry":[{"ErrorEquals":["Other"]},{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"BackoffRate":2,"MaxAttempts":5}],"End":true}""",
            level: "DEBUG");
        request["stateConfiguration"] = new JsonObject { ["retrierRetryCount"] = 2 };

        var answer = await _h.CallAsync("TestState", request);

        answer["status"]!.GetValue<string>().Should().Be("RETRIABLE", answer.ToJsonString());
        var details = answer["inspectionData"]!["errorDetails"]!;
        details["retryIndex"]!.GetValue<int>().Should().Be(1);
        details["retryBackoffIntervalSeconds"]!.GetValue<int>().Should().Be(12, "3 s x 2^2 after two retries");
    }

    [Fact]
    public async Task TestState_CaughtDebug_ErrorDetailsCatchIndex()
    {
        var answer = await _h.CallAsync("TestState", Request(
            """{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:broken","Catch":[{"ErrorEquals":["Other"],"Next":"A"},{"ErrorEquals":["States.ALL"],"Next":"B"}],"End":true}""",
            level: "DEBUG"));

        answer["status"]!.GetValue<string>().Should().Be("CAUGHT_ERROR", answer.ToJsonString());
        answer["inspectionData"]!["errorDetails"]!["catchIndex"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task TestState_MockedWaitForTaskToken_RunsWithTheMockResult()
    {
        var request = Request("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"work","Payload":{"n":1}},"End":true}""");
        request["mock"] = new JsonObject { ["result"] = """{"approved":true}""", ["fieldValidationMode"] = "NONE" };

        var answer = await _h.CallAsync("TestState", request);

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED", answer.ToJsonString());
        JsonNode.Parse(answer["output"]!.GetValue<string>())!["approved"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task TestState_SyncTaskWithoutMock_ValidationNamingThePattern()
    {
        var message = await _h.RefusedAsync("TestState", Request("""{"Type":"Task","Resource":"arn:aws:states:::ecs:runTask.sync","End":true}"""), "ValidationException");

        message.Should().Contain(".sync").And.Contain("mock");
    }

    [Fact]
    public async Task TestState_UnknownFieldValidationMode_ValidationNamingTheField()
    {
        var request = Request("""{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:work","End":true}""");
        request["mock"] = new JsonObject { ["result"] = "{}", ["fieldValidationMode"] = "LOOSE" };

        var message = await _h.RefusedAsync("TestState", request, "ValidationException");

        message.Should().Contain("fieldValidationMode");
    }

    [Theory]
    [InlineData("errorCausedByState", "\"Inner\"")]
    [InlineData("mapIterationFailureCount", "1")]
    [InlineData("mapItemReaderData", "\"[]\"")]
    public async Task TestState_MapOnlyStateConfiguration_ValidationNamingTheField(string field, string value)
    {
        var request = Request("""{"Type":"Pass","End":true}""");
        request["stateConfiguration"] = new JsonObject { [field] = JsonNode.Parse(value) };

        var message = await _h.RefusedAsync("TestState", request, "ValidationException");

        message.Should().Contain("stateConfiguration." + field);
    }

    private const string InnerMap = "\"ItemProcessor\":{\"StartAt\":\"Each\",\"States\":{\"Each\":{\"Type\":\"Pass\",\"End\":true}}}";

    [Fact]
    public async Task TestState_MockedMap_MockIsTheResultWithItemsPathInspected()
    {
        var request = Request("{\"Type\":\"Map\",\"ItemsPath\":\"$.items\",\"MaxConcurrency\":2,\"ToleratedFailureCount\":1,\"ResultPath\":\"$.results\"," + InnerMap + ",\"Next\":\"After\"}", """{"items":[1,2]}""", "DEBUG");
        request["mock"] = new JsonObject { ["result"] = """[{"n":1},{"n":2}]""" };

        var answer = await _h.CallAsync("TestState", request);

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED", answer.ToJsonString());
        answer["nextState"]!.GetValue<string>().Should().Be("After");
        JsonNode.Parse(answer["output"]!.GetValue<string>())!.ToJsonString().Should().Be("""{"items":[1,2],"results":[{"n":1},{"n":2}]}""");
        var d = answer["inspectionData"]!;
        d["afterItemsPath"]!.GetValue<string>().Should().Be("[1,2]");
        d["maxConcurrency"]!.GetValue<int>().Should().Be(2);
        d["toleratedFailureCount"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task TestState_MockedMapWithObjectResult_ValidationNamingMockResult()
    {
        var request = Request("{\"Type\":\"Map\"," + InnerMap + ",\"End\":true}", "[]");
        request["mock"] = new JsonObject { ["result"] = """{"not":"an array"}""" };

        var message = await _h.RefusedAsync("TestState", request, "ValidationException");

        message.Should().Contain("mock.result").And.Contain("array");
    }

    [Fact]
    public async Task TestState_MockedParallelError_CaughtWithCatchIndex()
    {
        var request = Request("""{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"Catch":[{"ErrorEquals":["Other"],"Next":"X"},{"ErrorEquals":["Branch.Failed"],"Next":"Recover"}],"End":true}""", level: "DEBUG");
        request["mock"] = new JsonObject { ["errorOutput"] = new JsonObject { ["error"] = "Branch.Failed", ["cause"] = "mocked" } };
        request["stateConfiguration"] = new JsonObject { ["errorCausedByState"] = "B" };

        var answer = await _h.CallAsync("TestState", request);

        answer["status"]!.GetValue<string>().Should().Be("CAUGHT_ERROR", answer.ToJsonString());
        answer["nextState"]!.GetValue<string>().Should().Be("Recover");
        answer["inspectionData"]!["errorDetails"]!["catchIndex"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task TestState_ErrorCausedByStateNotInsideTheParallel_ValidationNamingTheField()
    {
        var request = Request("""{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"End":true}""");
        request["mock"] = new JsonObject { ["errorOutput"] = new JsonObject { ["error"] = "E" } };
        request["stateConfiguration"] = new JsonObject { ["errorCausedByState"] = "Elsewhere" };

        var message = await _h.RefusedAsync("TestState", request, "ValidationException");

        message.Should().Contain("stateConfiguration.errorCausedByState").And.Contain("Elsewhere");
    }

    [Fact]
    public async Task TestState_MockedActivity_RunsWithTheMockResult()
    {
        var request = Request("""{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:approve","End":true}""");
        request["mock"] = new JsonObject { ["result"] = """{"approved":true}""" };

        var answer = await _h.CallAsync("TestState", request);

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED", answer.ToJsonString());
        JsonNode.Parse(answer["output"]!.GetValue<string>())!["approved"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task TestState_JsonataTaskDebug_AfterArgumentsNoJsonPathFields()
    {
        var answer = await _h.CallAsync("TestState", Request(
            """{"QueryLanguage":"JSONata","Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:work","Arguments":{"n":"{% $states.input.x + 1 %}"},"Output":"{% $states.result %}","End":true}""",
            """{"x":2}""",
            "DEBUG"));

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED", answer.ToJsonString());
        var d = answer["inspectionData"]!.AsObject();
        JsonNode.Parse(d["afterArguments"]!.GetValue<string>())!["n"]!.GetValue<int>().Should().Be(3);
        d.Select(kv => kv.Key).Should().NotContain(["afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath"]);
        JsonNode.Parse(answer["output"]!.GetValue<string>())!["doubled"]!.GetValue<int>().Should().Be(6);
    }
}
