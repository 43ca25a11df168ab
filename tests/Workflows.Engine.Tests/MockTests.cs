using Workflows.Engine.Tasks;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class MockTests
{
    private const string Config = """
        {
          "StateMachines": {
            "Machine": {
              "TestCases": {
                "HappyPath": { "Create": "CreateOk" },
                "RetryPath": { "Create": "FailTwiceThenOk" },
                "Exhausted": { "Create": "AlwaysThrottled" }
              }
            }
          },
          "MockedResponses": {
            "CreateOk": { "0": { "Return": { "StatusCode": 200, "Payload": { "id": "c-1" } } } },
            "FailTwiceThenOk": {
              "0": { "Throw": { "Error": "Lambda.TooManyRequestsException", "Cause": "slow down" } },
              "1-2": { "Throw": { "Error": "Lambda.ServiceException", "Cause": "oops" } },
              "3": { "Return": { "StatusCode": 200, "Payload": { "id": "c-2" } } }
            },
            "AlwaysThrottled": { "0-9": { "Throw": { "Error": "Lambda.TooManyRequestsException", "Cause": "no" } } }
          }
        }
        """;

    private const string Definition = """
        {"StartAt":"Create","States":{"Create":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"NotDeployedAnywhere","Payload":{}},"OutputPath":"$.Payload",
          "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException","Lambda.ServiceException"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2}],
          "End":true}}}
        """;

    private static Task<ExecutionResult> RunCaseAsync(string testCase, string definition = Definition)
    {
        var options = new EngineOptions
        {
            Clock = new Time.VirtualClock(Asl.Epoch),
            StateMachineName = "Machine",
            MockConfig = MockConfig.Parse(Config),
            TestCase = testCase,
        };
        return new AslEngine(options).StartExecutionAsync(definition, "{}", "mock-1");
    }

    [Fact]
    public async Task Mock_Return_IsTheTaskResult()
    {
        var result = await RunCaseAsync("HappyPath");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""{"id":"c-1"}""");
    }

    [Fact]
    public async Task Mock_AttemptRanges_EachRetryConsumesNextIndex()
    {
        var result = await RunCaseAsync("RetryPath");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""{"id":"c-2"}""");
        result.History.Where(e => e.Type == "TaskFailed").Select(e => e.Error)
            .Should().Equal("Lambda.TooManyRequestsException", "Lambda.ServiceException", "Lambda.ServiceException");
        (result.StopDate - result.StartDate).Should().Be(TimeSpan.FromSeconds(2 + 4 + 8));
    }

    [Fact]
    public async Task Mock_Throw_FailsWithMockedErrorAfterRetries()
    {
        var result = await RunCaseAsync("Exhausted");
        (result.Error, result.Cause).Should().Be(("Lambda.TooManyRequestsException", "no"));
        result.Transitions.Should().Be(4);
    }

    [Fact]
    public async Task Mock_MockedStateNeverCallsRealTask()
    {
        var invoker = ScriptedInvoker.Echo();
        var options = new EngineOptions
        {
            Clock = new Time.VirtualClock(Asl.Epoch),
            StateMachineName = "Machine",
            MockConfig = MockConfig.Parse(Config),
            TestCase = "HappyPath",
            TaskInvokers = [invoker],
        };
        var result = await new AslEngine(options).StartExecutionAsync(
            """{"StartAt":"Create","States":{"Create":{"Type":"Task","Resource":"arn:aws:states:::test:run","End":true}}}""", "{}", "m");
        result.Status.Should().Be(ExecutionStatus.Succeeded);
        invoker.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Mock_UnmockedAttemptIndex_FailsClearly()
    {
        const string config = """
            {"StateMachines":{"Machine":{"TestCases":{"T":{"Create":"Once"}}}},
             "MockedResponses":{"Once":{"0":{"Throw":{"Error":"E","Cause":"c"}}}}}
            """;
        var options = new EngineOptions { Clock = new Time.VirtualClock(Asl.Epoch), StateMachineName = "Machine", MockConfig = MockConfig.Parse(config), TestCase = "T" };
        var result = await new AslEngine(options).StartExecutionAsync(
            """{"StartAt":"Create","States":{"Create":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F"},"Retry":[{"ErrorEquals":["E"]}],"End":true}}}""", "{}", "m");
        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().Contain("attempt 1");
    }

    [Fact]
    public void MockConfig_UnknownTestCase_Refused()
    {
        var act = () => MockConfig.Parse(Config).TestCase("Machine", "Nope");
        act.Should().Throw<ArgumentException>().WithMessage("*Nope*");
    }

    [Theory]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"zero":{"Return":1}}}}""")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"0":{}}}}""")]
    [InlineData("""{"StateMachines":{"M":{"TestCases":{"T":{"S":"Missing"}}}},"MockedResponses":{}}""")]
    [InlineData("""[]""")]
    public void MockConfig_Malformed_Refused(string json)
    {
        var act = () => MockConfig.Parse(json);
        act.Should().Throw<FormatException>();
    }

    [Fact]
    public async Task Mock_LambdaFunctionArnState_RecordsLambdaHistory()
    {
        var result = await RunCaseAsync(
            "HappyPath",
            """{"StartAt":"Create","States":{"Create":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Missing","End":true}}}""");
        result.Types().Should().Contain(["LambdaFunctionScheduled", "LambdaFunctionSucceeded"]);
    }
}
