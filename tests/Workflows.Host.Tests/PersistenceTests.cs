using System.Text.Json.Nodes;
using Workflows.Engine.Tasks;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>Machines, executions and histories outlive the host; a run cut off by a restart can be redriven.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "host-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Restart_EarlierExecutions_ListedWithTheirHistories()
    {
        string machine, arn;
        await using (var first = await HostHarness.StartAsync(_directory))
        {
            machine = await first.CreateMachineAsync("kept", Definitions.PassOnly);
            arn = await first.StartAsync(machine, "before-restart");
            await first.WaitAsync(arn);
        }

        await using var second = await HostHarness.StartAsync(_directory);
        var listed = await second.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine });
        var history = await second.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn });

        listed["executions"]!.AsArray().Select(e => e!["status"]!.GetValue<string>()).Should().Equal("SUCCEEDED");
        history["events"]!.AsArray().Should().HaveCount(4);
    }

    [Fact]
    public async Task Restart_ExecutionStillRunning_MarkedAbortedAndRedrivableToSuccess()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var working = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lambda = new LambdaFunctionRegistry();
        lambda.Register("work", async (payload, ct) =>
        {
            if (payload?["block"]?.GetValue<bool>() == true)
            {
                working.TrySetResult();
                await release.Task.WaitAsync(ct);
            }

            return new JsonObject { ["done"] = true };
        });
        string arn;
        await using (var first = await HostHarness.StartAsync(_directory, lambda))
        {
            var machine = await first.CreateMachineAsync("cut", Definitions.CallsWork(Definitions.WorkArn));
            arn = await first.StartAsync(machine, "cut-off", """{"block":true}""");
            // Stopped only once the execution is inside Work: StartExecution answers before the first state runs.
            await working.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        release.SetResult();
        await using var second = await HostHarness.StartAsync(_directory, lambda);
        var interrupted = await second.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = arn });
        await second.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn });
        var redriven = await second.WaitAsync(arn);

        interrupted["status"]!.GetValue<string>().Should().Be("ABORTED");
        interrupted["cause"]!.GetValue<string>().Should().Contain("stopped while the execution was running");
        interrupted["redriveStatus"]!.GetValue<string>().Should().Be("REDRIVABLE");
        redriven["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        redriven["redriveCount"]!.GetValue<int>().Should().Be(1);
        // The history kept up to the interruption, so the redrive resumed at Work instead of starting again.
        var types = (await second.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn }))["events"]!.AsArray()
            .Select(e => e!["type"]!.GetValue<string>() + (e["stateEnteredEventDetails"]?["name"] is { } n ? ":" + n.GetValue<string>() : string.Empty))
            .ToList();
        types.Should().ContainInOrder("ExecutionStarted", "PassStateEntered:Prepare", "TaskStateEntered:Work", "ExecutionAborted", "ExecutionRedriven", "TaskStateEntered:Work", "ExecutionSucceeded");
        types.Count(t => t == "PassStateEntered:Prepare").Should().Be(1);
    }

    [Fact]
    public async Task Start_CorruptMachinesFile_InvalidDataNamingTheFile()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "stepfunctions"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "stepfunctions", "state-machines.json"), "{oops");

        var start = () => HostHarness.StartAsync(_directory);

        (await start.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("state-machines.json");
    }
}
