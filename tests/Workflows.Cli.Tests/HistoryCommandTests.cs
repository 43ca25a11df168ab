using System.Text.Json;
using Workflows.Cli.Tests.Support;

namespace Workflows.Cli.Tests;

public class HistoryCommandTests
{
    private static readonly string[] RetryRun =
        ["run", CliRun.Fixture("provision.asl.json"), "--input", """{"region":"us-east-1"}""", "--mock-config", CliRun.Fixture("provision.mocks.json"), "--test-case", "RetryPath", "--name", "retry-1"];

    [Fact]
    public async Task History_AfterRunJson_PrintsGetExecutionHistoryShape()
    {
        using var cli = new CliRun();
        (await cli.RunAsync(RetryRun)).ExitCode.Should().Be(0);

        var result = await cli.RunAsync("history", "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        var json = result.Json();
        json.EnumerateObject().Select(p => p.Name).Should().Equal("events");
        var events = json.GetProperty("events").EnumerateArray().ToList();
        events[0].GetProperty("type").GetString().Should().Be("ExecutionStarted");
        events[^1].GetProperty("type").GetString().Should().Be("ExecutionSucceeded");
        events.Select(e => e.GetProperty("id").GetInt64()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        events.Select(e => e.TryGetProperty("timestamp", out var _) && e.TryGetProperty("previousEventId", out var _)).Should().AllBeEquivalentTo(true);
        events.Single(e => e.GetProperty("type").GetString() == "TaskStateEntered" && e.GetProperty("stateEnteredEventDetails").GetProperty("name").GetString() == "Announce")
            .ValueKind.Should().Be(JsonValueKind.Object);
    }

    [Fact]
    public async Task History_AfterRunTable_ListsEventsWithStatesAndRetryErrors()
    {
        using var cli = new CliRun();
        (await cli.RunAsync(RetryRun)).ExitCode.Should().Be(0);

        var result = await cli.RunAsync("history");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().StartWith("retry-1 SUCCEEDED");
        var rows = result.Out.Split('\n');
        rows.Count(r => r.Contains("TaskFailed", StringComparison.Ordinal) && r.Contains("ThrottlingException: Rate exceeded", StringComparison.Ordinal)).Should().Be(2);
        rows.Should().Contain(r => r.Contains("TaskStateEntered", StringComparison.Ordinal) && r.Contains("CreateCluster", StringComparison.Ordinal));
        rows.Should().Contain(r => r.Contains("ExecutionSucceeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task History_WorkflowsHome_IsWhereRunSavesAndHistoryReads()
    {
        using var cli = new CliRun();
        var home = Path.Combine(cli.WorkingDirectory, "elsewhere");
        cli.With("WORKFLOWS_HOME", home);
        (await cli.RunAsync(RetryRun)).ExitCode.Should().Be(0);

        File.Exists(Path.Combine(home, "last-run.json")).Should().BeTrue();
        Directory.Exists(Path.Combine(cli.WorkingDirectory, ".workflows")).Should().BeFalse();
        (await cli.RunAsync("history", "--json")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task History_StateDirAndFile_ReadTheRunSavedThere()
    {
        using var cli = new CliRun();
        (await cli.RunAsync([.. RetryRun, "--state-dir", "runs"])).ExitCode.Should().Be(0);

        var byDir = await cli.RunAsync("history", "--state-dir", "runs", "--json");
        var byFile = await cli.RunAsync("history", "--file", Path.Combine("runs", "last-run.json"), "--json");

        byDir.ExitCode.Should().Be(0, byDir.ToString());
        byFile.Out.Should().Be(byDir.Out);
    }

    [Fact]
    public async Task History_NoRunYet_Exits2SayingSo()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("history");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("no saved run at").And.Contain("last-run.json");
    }

    [Fact]
    public async Task History_LatestRun_ReplacesThePreviousOne()
    {
        using var cli = new CliRun();
        (await cli.RunAsync(RetryRun)).ExitCode.Should().Be(0);
        (await cli.RunAsync("run", CliRun.Fixture("fail.asl.json"), "--name", "second")).ExitCode.Should().Be(1);

        var result = await cli.RunAsync("history");

        result.Out.Should().StartWith("second FAILED");
        result.Out.Should().Contain("Cluster.NotReady: the peer never became ACTIVE");
    }
}
