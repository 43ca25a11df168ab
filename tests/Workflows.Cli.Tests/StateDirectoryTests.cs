using System.Text.Json.Nodes;
using Workflows.Cli.Runs;
using Xunit;

namespace Workflows.Cli.Tests;

/// <summary>The state directory never loses track of a run: journaled before it starts, written atomically under a lock.</summary>
public sealed class StateDirectoryTests : IDisposable
{
    private const string Target = "http://127.0.0.1:8787/";
    private const string Machine = "ProvisionStateMachine";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wf-state-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Record_ConcurrentWritersOnOneDirectory_KeepEveryRecord()
    {
        const int writers = 16;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(() =>
            ExecutionNames.Record(_directory, Target, Machine, $"run-{i}", "{}", "SUCCEEDED", new JsonObject { ["n"] = i }, new JsonObject()))));

        for (var i = 0; i < writers; i++)
        {
            Assert.Equal("SUCCEEDED", ExecutionNames.Find(_directory, Target, Machine, $"run-{i}")?.Status);
        }

        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Lock_HeldByAnother_FailsAfterTheWaitNamingTheLockFile()
    {
        using var held = StateFiles.Lock(_directory);
        var e = Assert.Throws<UsageException>(() => StateFiles.Lock(_directory, TimeSpan.Zero));
        Assert.Contains(StateFiles.LockFileName, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unfinished_ProcessDiedAfterBegin_ReturnsThatNameForTheSameInput()
    {
        ExecutionNames.Begin(_directory, Target, Machine, "killed-run", "{\"a\":1}");

        Assert.Equal("killed-run", ExecutionNames.Unfinished(_directory, Target, Machine, "{\"a\":1}"));
        Assert.Null(ExecutionNames.Unfinished(_directory, Target, Machine, "{\"a\":2}"));
        Assert.Null(ExecutionNames.Unfinished(_directory, "embedded", Machine, "{\"a\":1}"));
    }

    [Fact]
    public void Unfinished_RunRecordedAsSucceededAndShown_ReturnsNull()
    {
        ExecutionNames.Begin(_directory, Target, Machine, "done-run", "{}");
        ExecutionNames.Record(_directory, Target, Machine, "done-run", "{}", "SUCCEEDED", [], []);
        ExecutionNames.MarkShown(_directory, Target, Machine, "done-run");

        Assert.Null(ExecutionNames.Unfinished(_directory, Target, Machine, "{}"));
    }

    [Fact]
    public void Unfinished_RunRecordedButNeverShown_ReturnsItSoTheSameCommandShowsIt()
    {
        ExecutionNames.Begin(_directory, Target, Machine, "killed-before-summary", "{}");
        ExecutionNames.Record(_directory, Target, Machine, "killed-before-summary", "{}", "SUCCEEDED", [], []);

        Assert.Equal("killed-before-summary", ExecutionNames.Unfinished(_directory, Target, Machine, "{}"));
    }

    [Fact]
    public void LoadLastProvision_ProvisionNeverFinished_RefusesAndNamesTheExecutionToResume()
    {
        LastProvision.Save(_directory, Target, "arn:old", "SUCCEEDED", Pair("old-primary", "old-peer"));
        LastProvision.Begin(_directory, Target, "killed-run", "{}");

        var e = Assert.Throws<UsageException>(() => LastProvision.Load(_directory, Target, "--dsql-endpoint"));
        Assert.Contains("killed-run", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("old-primary", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EndIfRunning_ProvisionRecordedNothing_RestoresTheEarlierPair()
    {
        LastProvision.Save(_directory, Target, "arn:old", "SUCCEEDED", Pair("old-primary", "old-peer"));
        LastProvision.Begin(_directory, Target, "failed-run", "{}");

        LastProvision.EndIfRunning(_directory, "failed-run");

        Assert.Equal("old-primary", LastProvision.Load(_directory, Target, "--dsql-endpoint").Primary["identifier"]?.GetValue<string>());
    }

    private static JsonObject Pair(string primary, string peer) => new()
    {
        ["primary"] = new JsonObject { ["region"] = "us-east-1", ["identifier"] = primary },
        ["peer"] = new JsonObject { ["region"] = "us-east-2", ["identifier"] = peer },
    };
}
