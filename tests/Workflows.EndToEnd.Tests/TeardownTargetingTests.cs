using System.Text.Json;
using Workflows.Cli;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// Which clusters a teardown takes and what it says of them (an interrupted teardown finished by the same command,
/// a pair that never existed, --from-last-run after a failed or kept provision), and execution names that are used
/// up only when a run made something; through the tool on the embedded DSQL Local.
/// </summary>
public sealed class TeardownTargetingTests
{
    [Fact]
    public async Task Teardown_InterruptedUnderGivenName_SameTeardownAgainFinishesIt()
    {
        using var cli = new CliRun();
        (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--deletion-protection", "false", "--json")).ExitCode.Should().Be(0);
        string[] teardown = ["teardown", "--from-last-run", "--name", "retire-1", "--deletion-seconds", "60"];

        var interrupted = await RunCancellingAtAsync(cli, "Delete the primary cluster", teardown);

        interrupted.Code.Should().Be(130, interrupted.Error);
        interrupted.Error.Should().Contain("Run the same teardown again to finish");

        var again = await cli.RunAsync([.. teardown, "--json"]);

        again.ExitCode.Should().Be(0, again.ToString());
        again.Json().GetProperty("status").GetString().Should().Be("SUCCEEDED");
        again.Json().TryGetProperty("recorded", out _).Should().BeFalse("the interrupted run is run again, not shown");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();

        var third = await cli.RunAsync([.. teardown, "--json"]);
        third.ExitCode.Should().Be(0, third.ToString());
        third.Json().GetProperty("recorded").GetBoolean().Should().BeTrue("a finished run is shown, not repeated");
    }

    [Fact]
    public async Task Teardown_PairThatNeverExisted_ShowsNotFoundWarnsAndExitsNothingToRetire()
    {
        using var cli = new CliRun();
        string[] args = ["teardown", "--primary", "us-east-1:abcdefghijklmnopqrstuvwxyz", "--peer", "us-east-2:zyxwvutsrqponmlkjihgfedcba", "--force"];

        var json = await cli.RunAsync([.. args, "--name", "never-1", "--json"]);
        var human = await cli.RunAsync([.. args, "--name", "never-2"]);

        json.ExitCode.Should().Be(ExitCodes.NothingToRetire, json.ToString());
        var clusters = json.Json().GetProperty("clusters").EnumerateArray().ToList();
        clusters.Should().HaveCount(2).And.OnlyContain(c => c.GetProperty("status").GetString() == "NOT FOUND");
        json.Json().GetProperty("output").GetProperty("primary").GetProperty("outcome").GetString().Should().Be("NOT_FOUND");
        json.Error.Should().Contain("warning: no cluster abcdefghijklmnopqrstuvwxyz exists in us-east-1")
            .And.Contain("warning: no cluster zyxwvutsrqponmlkjihgfedcba exists in us-east-2");
        human.ExitCode.Should().Be(ExitCodes.NothingToRetire, human.ToString());
        human.Out.Should().Contain("NOT FOUND").And.NotContain("DELETED");
        human.Error.Should().Contain("nothing was deleted there").And.Contain("--ok-if-gone");

        var okIfGone = await cli.RunAsync([.. args, "--name", "never-3", "--ok-if-gone"]);
        okIfGone.ExitCode.Should().Be(ExitCodes.Success, okIfGone.ToString());
    }

    [Fact]
    public async Task Teardown_RealPair_ShowsDeletedWithoutWarning()
    {
        using var cli = new CliRun();
        (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json")).ExitCode.Should().Be(0);

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--force", "--json");

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        teardown.Json().GetProperty("clusters").EnumerateArray().Should().HaveCount(2)
            .And.OnlyContain(c => c.GetProperty("status").GetString() == "DELETED");
        teardown.Error.Should().NotContain("warning");
    }

    [Fact]
    public async Task TeardownFromLastRun_AfterFailedProvisionKeptItsPair_RetiresTheKeptPairNotTheOlderOne()
    {
        using var cli = new CliRun();
        var older = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json");
        older.ExitCode.Should().Be(0, older.ToString());
        var olderIds = new[] { Id(older, "primary"), Id(older, "peer") };

        var failed = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--keep-on-failure", "--fault", "op=GetCluster,internal=1");

        failed.ExitCode.Should().Be(1, failed.ToString());
        failed.Out.Should().Contain("Next: workflows teardown --from-last-run --force");
        failed.Error.Should().Contain("recorded for teardown");
        var all = await Emulator.ClustersAsync(cli.StateDirectory);
        var kept = all.Where(c => !olderIds.Contains(c.Identifier)).Select(c => c.Identifier).ToList();
        kept.Should().HaveCount(2, "keepOnFailure kept the failed run's pair");

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--force");

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        teardown.Out.Should().Contain("(FAILED)").And.Contain(kept[0]).And.Contain(kept[1]);
        (await Emulator.ClustersAsync(cli.StateDirectory)).Select(c => c.Identifier).Should().BeEquivalentTo(olderIds, "the older pair is not the one recorded last");
    }

    [Fact]
    public async Task TeardownFromLastRun_AfterFailureLeftOneCluster_RefusedRatherThanRetiringTheOlderPair()
    {
        using var cli = new CliRun();
        (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json")).ExitCode.Should().Be(0);

        // The peer cannot be created and the primary's protection cannot be turned off: the primary stays.
        var failed = await cli.RunAsync(
            "provision", "--provisioning-seconds", "60",
            "--fault", "op=CreateCluster,region=us-east-2,internal=1",
            "--fault", "op=UpdateCluster,region=us-east-1,internal=1");
        failed.ExitCode.Should().Be(1, failed.ToString());
        failed.Error.Should().Contain("left only");

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--force");

        teardown.ExitCode.Should().Be(2, teardown.ToString());
        teardown.Error.Should().Contain("--from-last-run");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(3, "nothing was deleted");
    }

    [Fact]
    public async Task TeardownFromLastRun_AfterSuccess_NamesTheExecutionAndClusters()
    {
        using var cli = new CliRun();
        var provision = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json");

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--force");

        teardown.Out.Should().Contain(provision.Json().GetProperty("executionArn").GetString()).And.Contain("(SUCCEEDED)")
            .And.Contain(Id(provision, "primary")).And.Contain(Id(provision, "peer"));
    }

    [Theory]
    [InlineData("release(1)")]
    [InlineData("v1!")]
    [InlineData("it's")]
    public async Task Provision_NameStepFunctionsAccepts_NeverFailsAfterStartingNorBurnsTheName(string name)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--name", name, "--provisioning-seconds", "60", "--json");

        // Either the name is refused up front by the core's own rule (exit 2, --name, nothing run or recorded)
        // or it is one the functions accept and the provision succeeds: never a start that fails on the name.
        if (result.ExitCode == 2)
        {
            result.Error.Should().StartWith("error: --name").And.Contain(name);
            File.Exists(Path.Combine(cli.StateDirectory, "executions.json")).Should().BeFalse("a refused name is not used up");
        }
        else
        {
            result.ExitCode.Should().Be(0, result.ToString());
        }
    }

    [Theory]
    [InlineData("FAILED", "InvalidRequestException", 0, false)]
    [InlineData("FAILED", "InvalidRequestException", 1, true)]
    [InlineData("FAILED", "InternalServerException", 0, true)]
    [InlineData("SUCCEEDED", null, 2, true)]
    [InlineData("ABORTED", null, 0, true)]
    public void Burns_RunRefusedBeforeAnyCluster_LeavesTheNameFree(string status, string? error, int clusters, bool burns) =>
        Workflows.Cli.Runs.ExecutionNames.Burns(status, error, clusters).Should().Be(burns);

    private static string Id(CliResult result, string role) =>
        result.Json().GetProperty("output").GetProperty(role).GetProperty("identifier").GetString()!;

    /// <summary>Runs the tool with plain progress and presses Ctrl-C the moment a state of that name is entered.</summary>
    private static async Task<(int Code, string Out, string Error)> RunCancellingAtAsync(CliRun cli, string state, params string[] args)
    {
        using var cancel = new CancellationTokenSource();
        using var stdout = new CancellingWriter(state, cancel);
        using var stderr = new StringWriter();
        var host = new CliHost
        {
            WorkingDirectory = cli.WorkingDirectory,
            Environment = name => name == "WORKFLOWS_IAM" ? Support.EndToEndIam.Mode : null,
            IsTerminal = false,
            Time = TimeProvider.System,
        };
        var code = await Workflows.Cli.Program.RunAsync(args, stdout, stderr, host, cancel.Token);
        cancel.IsCancellationRequested.Should().BeTrue($"the run should have entered '{state}'");
        return (code, stdout.ToString(), stderr.ToString());
    }

    private sealed class CancellingWriter(string trigger, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(trigger, StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        }
    }
}
