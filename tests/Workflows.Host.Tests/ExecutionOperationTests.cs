using System.Text.Json.Nodes;
using Workflows.Engine.Tasks;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>Start, describe, list, history, stop, redrive and the machine an execution ran, over HTTP.</summary>
public sealed class ExecutionOperationTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _workCalls;
    private int _failUntilCall;
    private HostHarness _h = null!;

    public async Task InitializeAsync()
    {
        var lambda = new LambdaFunctionRegistry();
        // "work": blocks until released when asked to, fails while _failUntilCall is ahead, else echoes.
        lambda.Register("work", async (payload, ct) =>
        {
            var call = Interlocked.Increment(ref _workCalls);
            if (payload?["block"] is not null)
            {
                await _release.Task.WaitAsync(ct);
            }

            if (call <= _failUntilCall)
            {
                throw new InvalidOperationException($"call {call} fails");
            }

            return new JsonObject { ["done"] = true, ["call"] = call };
        });
        _h = await HostHarness.StartAsync(lambda: lambda);
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task StartExecution_PassMachine_SucceedsWithOutput()
    {
        var machine = await _h.CreateMachineAsync("pass", Definitions.PassOnly);

        var arn = await _h.StartAsync(machine, "run-1", """{"x":1}""");
        var described = await _h.WaitAsync(arn);

        arn.Should().Be("arn:aws:states:us-east-1:123456789012:execution:pass:run-1");
        described["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        JsonNode.Parse(described["output"]!.GetValue<string>())!["said"]!["greeting"]!.GetValue<string>().Should().Be("hi");
        described["input"]!.GetValue<string>().Should().Be("""{"x":1}""");
        described["stopDate"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(described["startDate"]!.GetValue<double>());
    }

    [Fact]
    public async Task StartExecution_TenMinuteWaitOnVirtualClock_SucceedsTenVirtualMinutesLater()
    {
        var machine = await _h.CreateMachineAsync("waits", Definitions.WaitTenMinutes);

        var described = await _h.WaitAsync(await _h.StartAsync(machine));

        described["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        (described["stopDate"]!.GetValue<double>() - described["startDate"]!.GetValue<double>()).Should().Be(600);
    }

    [Fact]
    public async Task StartExecution_NoName_GeneratedUuidName()
    {
        var machine = await _h.CreateMachineAsync("unnamed", Definitions.PassOnly);

        var arn = await _h.StartAsync(machine);

        Guid.TryParse(arn.Split(':')[^1], out _).Should().BeTrue(arn);
    }

    [Fact]
    public async Task StartExecution_SameNameSameInputWhileRunning_SameExecution()
    {
        var machine = await _h.CreateMachineAsync("idem", Definitions.CallsWork(Definitions.WorkArn));
        var first = await _h.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "n", ["input"] = """{"block":true}""" });

        var again = await _h.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "n", ["input"] = """{"block":true}""" });

        again["executionArn"]!.GetValue<string>().Should().Be(first["executionArn"]!.GetValue<string>());
        again["startDate"]!.GetValue<double>().Should().Be(first["startDate"]!.GetValue<double>());
    }

    [Fact]
    public async Task StartExecution_SameNameOtherInput_ExecutionAlreadyExists()
    {
        var machine = await _h.CreateMachineAsync("clash", Definitions.CallsWork(Definitions.WorkArn));
        await _h.StartAsync(machine, "n", """{"block":true}""");

        await _h.RefusedAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "n", ["input"] = """{"block":false}""" }, "ExecutionAlreadyExists");
    }

    [Fact]
    public async Task StartExecution_SameNameAfterItClosed_ExecutionAlreadyExists()
    {
        var machine = await _h.CreateMachineAsync("closed", Definitions.PassOnly);
        await _h.WaitAsync(await _h.StartAsync(machine, "n"));

        await _h.RefusedAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "n", ["input"] = "{}" }, "ExecutionAlreadyExists");
    }

    [Fact]
    public async Task StartExecution_InputNotJson_InvalidExecutionInput()
    {
        var machine = await _h.CreateMachineAsync("badinput", Definitions.PassOnly);

        await _h.RefusedAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["input"] = "{not json" }, "InvalidExecutionInput");
    }

    [Fact]
    public async Task StartExecution_UnknownMachine_StateMachineDoesNotExist()
    {
        await _h.RefusedAsync("StartExecution", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:none" }, "StateMachineDoesNotExist");
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:missing", "Lambda.ResourceNotFoundException", "function:missing")]
    [InlineData("arn:aws:states:::dynamodb:putItem", "States.Runtime", "dynamodb:putItem")]
    public async Task StartExecution_ResourceNothingPerforms_FailsNamingIt(string resource, string error, string named)
    {
        var machine = await _h.CreateMachineAsync("nowhere", Definitions.CallsWork(resource));

        var described = await _h.WaitAsync(await _h.StartAsync(machine));

        described["status"]!.GetValue<string>().Should().Be("FAILED");
        described["error"]!.GetValue<string>().Should().Be(error);
        described["cause"]!.GetValue<string>().Should().Contain(named);
    }

    [Fact]
    public async Task DescribeExecution_Unknown_ExecutionDoesNotExist()
    {
        await _h.RefusedAsync("DescribeExecution", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:execution:none:x" }, "ExecutionDoesNotExist");
    }

    [Fact]
    public async Task DescribeExecution_MachineArnGiven_InvalidArn()
    {
        await _h.RefusedAsync("DescribeExecution", new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:none" }, "InvalidArn");
    }

    [Fact]
    public async Task ListExecutions_StatusFilterAndPaging_NewestFirstMatchingOnly()
    {
        var machine = await _h.CreateMachineAsync("many", Definitions.CallsWork(Definitions.WorkArn));
        foreach (var name in new[] { "one", "two", "three" })
        {
            await _h.WaitAsync(await _h.StartAsync(machine, name));
        }

        await _h.StartAsync(machine, "running", """{"block":true}""");

        var page1 = await _h.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "SUCCEEDED", ["maxResults"] = 2 });
        var page2 = await _h.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "SUCCEEDED", ["maxResults"] = 2, ["nextToken"] = page1["nextToken"]!.GetValue<string>() });
        var running = await _h.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "RUNNING" });

        Names(page1).Should().Equal("three", "two");
        Names(page2).Should().Equal("one");
        Names(running).Should().Equal("running");
    }

    [Fact]
    public async Task ListExecutions_BadStatusFilter_ValidationException()
    {
        var machine = await _h.CreateMachineAsync("filter", Definitions.PassOnly);

        var message = await _h.RefusedAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "DONE" }, "ValidationException");
        message.Should().Contain("statusFilter");
    }

    [Fact]
    public async Task GetExecutionHistory_PagedReversedWithoutData_EventsAsTheModelShapesThem()
    {
        var machine = await _h.CreateMachineAsync("history", Definitions.PassOnly);
        var arn = await _h.StartAsync(machine, input: """{"secret":1}""");
        await _h.WaitAsync(arn);

        var all = (await _h.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn }))["events"]!.AsArray();
        var first = await _h.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["maxResults"] = 2, ["reverseOrder"] = true, ["includeExecutionData"] = false });
        var rest = await _h.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["maxResults"] = 10, ["reverseOrder"] = true, ["nextToken"] = first["nextToken"]!.GetValue<string>() });

        all.Select(e => e!["type"]!.GetValue<string>()).Should().Equal("ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded");
        all[0]!["executionStartedEventDetails"]!["input"]!.GetValue<string>().Should().Contain("secret");
        all[0]!["timestamp"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
        first["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()).Should().Equal(4, 3);
        first["events"]!.ToJsonString().Should().NotContain("\"output\"");
        rest["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()).Should().Equal(2, 1);
        rest["nextToken"].Should().BeNull();
    }

    [Fact]
    public async Task StopExecution_Running_AbortedWithTheGivenErrorAndCause()
    {
        var machine = await _h.CreateMachineAsync("stoppable", Definitions.CallsWork(Definitions.WorkArn));
        var arn = await _h.StartAsync(machine, input: """{"block":true}""");

        var stopped = await _h.CallAsync("StopExecution", new JsonObject { ["executionArn"] = arn, ["error"] = "Operator", ["cause"] = "not needed" });
        var described = await _h.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = arn });
        var events = (await _h.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn }))["events"]!.AsArray();

        stopped["stopDate"]!.GetValue<double>().Should().BePositive();
        described["status"]!.GetValue<string>().Should().Be("ABORTED");
        described["error"]!.GetValue<string>().Should().Be("Operator");
        described["cause"]!.GetValue<string>().Should().Be("not needed");
        described["redriveStatus"]!.GetValue<string>().Should().Be("REDRIVABLE");
        var last = events[^1]!;
        last["type"]!.GetValue<string>().Should().Be("ExecutionAborted");
        last["executionAbortedEventDetails"]!["error"]!.GetValue<string>().Should().Be("Operator");
    }

    [Fact]
    public async Task StopExecution_AlreadySucceeded_ValidationException()
    {
        var machine = await _h.CreateMachineAsync("done", Definitions.PassOnly);
        var arn = await _h.StartAsync(machine);
        await _h.WaitAsync(arn);

        await _h.RefusedAsync("StopExecution", new JsonObject { ["executionArn"] = arn }, "ValidationException");
    }

    [Fact]
    public async Task RedriveExecution_FailedTask_ResumesAtTheFailedStateAndSucceeds()
    {
        _failUntilCall = 1;
        var machine = await _h.CreateMachineAsync("redrive", Definitions.CallsWork(Definitions.WorkArn));
        var arn = await _h.StartAsync(machine);
        var failed = await _h.WaitAsync(arn);
        failed["status"]!.GetValue<string>().Should().Be("FAILED");
        var failedEvents = (await _h.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn }))["events"]!.AsArray().Count;

        var redriven = await _h.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn });
        var described = await _h.WaitAsync(arn);
        var events = (await _h.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn }))["events"]!.AsArray();

        redriven["redriveDate"]!.GetValue<double>().Should().BePositive();
        described["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        described["redriveCount"]!.GetValue<int>().Should().Be(1);
        JsonNode.Parse(described["output"]!.GetValue<string>())!["call"]!.GetValue<int>().Should().Be(2);
        var resumed = events.Skip(failedEvents).ToList();
        resumed[0]!["type"]!.GetValue<string>().Should().Be("ExecutionRedriven");
        resumed[0]!["id"]!.GetValue<long>().Should().Be(failedEvents + 1);
        resumed[0]!["executionRedrivenEventDetails"]!["redriveCount"]!.GetValue<int>().Should().Be(1);
        // Resumed at Work: Prepare, which had succeeded, is not entered again.
        resumed[1]!["type"]!.GetValue<string>().Should().Be("TaskStateEntered");
        resumed[1]!["stateEnteredEventDetails"]!["name"]!.GetValue<string>().Should().Be("Work");
        resumed[1]!["stateEnteredEventDetails"]!["input"]!.GetValue<string>().Should().Contain("prepared");
    }

    [Fact]
    public async Task RedriveExecution_Succeeded_ExecutionNotRedrivable()
    {
        var machine = await _h.CreateMachineAsync("fine", Definitions.PassOnly);
        var arn = await _h.StartAsync(machine);
        await _h.WaitAsync(arn);

        await _h.RefusedAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn }, "ExecutionNotRedrivable");
    }

    [Fact]
    public async Task DescribeStateMachineForExecution_MachineUpdatedSince_TheDefinitionItRan()
    {
        var machine = await _h.CreateMachineAsync("versioned", Definitions.PassOnly);
        var arn = await _h.StartAsync(machine);
        await _h.WaitAsync(arn);
        await _h.CallAsync("UpdateStateMachine", new JsonObject { ["stateMachineArn"] = machine, ["definition"] = Definitions.WaitTenMinutes });

        var ran = await _h.CallAsync("DescribeStateMachineForExecution", new JsonObject { ["executionArn"] = arn });

        ran["definition"]!.GetValue<string>().Should().Be(Definitions.PassOnly);
        ran["stateMachineArn"]!.GetValue<string>().Should().Be(machine);
        ran["name"]!.GetValue<string>().Should().Be("versioned");
    }

    [Fact]
    public async Task StartSyncExecution_Express_ReturnsTheOutcome()
    {
        var machine = await _h.CreateMachineAsync("quick", Definitions.PassOnly, "EXPRESS");

        var result = await _h.CallAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "s1", ["input"] = "{}" });

        result["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        result["executionArn"]!.GetValue<string>().Should().StartWith("arn:aws:states:us-east-1:123456789012:express:quick:s1:");
        result["output"]!.GetValue<string>().Should().Contain("greeting");
    }

    [Fact]
    public async Task StartSyncExecution_Standard_StateMachineTypeNotSupported()
    {
        var machine = await _h.CreateMachineAsync("slow", Definitions.PassOnly);

        await _h.RefusedAsync("StartSyncExecution", new JsonObject { ["stateMachineArn"] = machine }, "StateMachineTypeNotSupported");
    }

    private static List<string> Names(JsonObject list) =>
        [.. list["executions"]!.AsArray().Select(m => m!["name"]!.GetValue<string>())];
}
