using System.Text.Json;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// workflows update end to end: the real update state machine from template.yaml, the real functions and the
/// embedded DSQL Local on one virtual clock, checked against the emulator's own state. (DSQL Local does not emulate
/// UPDATING yet, so its clusters are ACTIVE again at the first check; the application suite scripts a cluster that
/// stays UPDATING for a while.)
/// </summary>
public sealed class UpdateLifecycleTests
{
    private const string PeerTaggingThrottled = "op=TagResource,region=us-east-2,throttle=1,retry-after=30";

    private static async Task<JsonElement> ProvisionAsync(CliRun cli, string seed = "21")
    {
        var provision = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--seed", seed, "--tag", "on-call=payments", "--json");
        provision.ExitCode.Should().Be(0, provision.ToString());
        return provision.Json().GetProperty("output");
    }

    [Fact]
    public async Task HappyPath_ProvisionUpdateProtectionOffThenTeardownWithoutForce_RetiresThePair()
    {
        using var cli = new CliRun();
        await ProvisionAsync(cli);

        var update = await cli.RunAsync("update", "--from-last-run", "--deletion-protection", "off", "--tag", "team=data", "--untag", "on-call", "--json");

        update.ExitCode.Should().Be(0, update.ToString());
        var json = update.Json();
        json.GetProperty("status").GetString().Should().Be("SUCCEEDED");
        json.GetProperty("workflow").GetString().Should().Be("update");
        var output = json.GetProperty("output");
        output.GetProperty("primary").GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeFalse();
        output.GetProperty("updates").EnumerateArray().Should().HaveCount(2).And.OnlyContain(u => u.GetProperty("updated").GetBoolean());
        json.GetProperty("putEvents").EnumerateArray().Select(e => e.GetProperty("detailType").GetString()).Should().Equal("DSQL Cluster Pair Updated");
        update.Error.Should().Contain("--from-last-run: updating the clusters provision");
        var clusters = await Emulator.ClustersAsync(cli.StateDirectory);
        clusters.Should().HaveCount(2).And.OnlyContain(c => c.Status == "ACTIVE" && !c.DeletionProtectionEnabled);
        foreach (var c in clusters)
        {
            c.Tags.Should().Contain("team", "data").And.NotContainKey("on-call").And.ContainKey("workflows:execution");
        }

        var history = await History.LastAsync(cli);
        history.StatesEntered.Should().StartWith(["Validate the request", "Check the pair before changing it", "Can the pair be updated?", "Update both clusters"]);
        history.StatesEntered.Should().EndWith(["Check the clusters are active", "Are both clusters active again?", "Summarize the updated pair", "Publish the updated event"]);

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--json");

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty("protection is off, so no --force is needed");
    }

    [Fact]
    public async Task Update_HumanOutput_SaysWhatChangedAndHowToRetireThePair()
    {
        using var cli = new CliRun();
        var pair = await ProvisionAsync(cli);

        var update = await cli.RunAsync("update", "--from-last-run", "--deletion-protection", "off");

        update.ExitCode.Should().Be(0, update.ToString());
        var primary = pair.GetProperty("primary").GetProperty("identifier").GetString();
        var peer = pair.GetProperty("peer").GetProperty("identifier").GetString();
        update.Out.Should().Contain("Update both clusters (Map)").And.Contain("Status              SUCCEEDED")
            .And.Contain($"{primary} in us-east-1 was updated; deletion protection off")
            .And.Contain($"Next: workflows teardown --primary us-east-1:{primary} --peer us-east-2:{peer}");
    }

    [Fact]
    public async Task RetryPath_ThrottledTagResource_RetriedToSuccess()
    {
        using var cli = new CliRun();
        await ProvisionAsync(cli);

        // A Retry-After of 30 s is more than the DSQL client waits inside a call: the state machine's retrier takes over.
        var update = await cli.RunAsync("update", "--from-last-run", "--tag", "team=data", "--fault", "op=TagResource,throttle=0.5,retry-after=30", "--seed", "4", "--json");

        update.ExitCode.Should().Be(0, update.ToString());
        var history = await History.LastAsync(cli);
        history.FailedTaskErrors.Should().Contain("ThrottlingException").And.OnlyContain(e => e == "ThrottlingException");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().OnlyContain(c => c.Tags.ContainsKey("team") && c.DeletionProtectionEnabled);
    }

    [Fact]
    public async Task PartialFailure_ThenReRun_NamesTheClusterLeftUnchangedAndTheReRunFinishesTheJob()
    {
        using var cli = new CliRun();
        var pair = await ProvisionAsync(cli);
        var peer = pair.GetProperty("peer").GetProperty("identifier").GetString();

        var first = await cli.RunAsync("update", "--from-last-run", "--deletion-protection", "off", "--tag", "team=data", "--fault", PeerTaggingThrottled, "--json");

        first.ExitCode.Should().Be(1, first.ToString());
        var json = first.Json();
        json.GetProperty("error").GetString().Should().Be("Workflows.UpdateIncomplete");
        json.GetProperty("cause").GetString().Should().Contain("in us-east-1 was updated").And.Contain($"{peer} in us-east-2 was not changed (ThrottlingException)");
        var failed = json.GetProperty("putEvents").EnumerateArray().Should().ContainSingle().Subject;
        failed.GetProperty("detailType").GetString().Should().Be("DSQL Cluster Pair Update Failed");
        var clusters = await Emulator.ClustersAsync(cli.StateDirectory);
        var inPrimary = clusters.Single(c => c.Region == "us-east-1");
        var inPeer = clusters.Single(c => c.Region == "us-east-2");
        inPrimary.DeletionProtectionEnabled.Should().BeFalse();
        inPrimary.Tags.Should().ContainKey("team");
        inPeer.DeletionProtectionEnabled.Should().BeTrue("the peer's tags failed first, so its protection was not touched");
        inPeer.Tags.Should().NotContainKey("team");

        var rerun = await cli.RunAsync("update", "--from-last-run", "--deletion-protection", "off", "--tag", "team=data", "--json");

        rerun.ExitCode.Should().Be(0, rerun.ToString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2).And.OnlyContain(c => !c.DeletionProtectionEnabled && c.Tags["team"] == "data");
        (await cli.RunAsync("teardown", "--from-last-run", "--json")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task NotAPair_HalvesOfTwoPairs_FailsAndChangesNothing()
    {
        using var cli = new CliRun();
        var one = await ProvisionAsync(cli, "31");
        var other = await ProvisionAsync(cli, "32");

        var update = await cli.RunAsync(
            "update",
            "--primary", one.GetProperty("primary").GetProperty("arn").GetString()!,
            "--peer", other.GetProperty("peer").GetProperty("arn").GetString()!,
            "--deletion-protection", "off",
            "--json");

        update.ExitCode.Should().Be(1, update.ToString());
        update.Json().GetProperty("error").GetString().Should().Be("Workflows.NotAPair");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(4).And.OnlyContain(c => c.DeletionProtectionEnabled && c.Tags.ContainsKey("on-call"));
    }

    [Theory]
    [InlineData("--tag", "workflows:execution=mine", "reserved prefix 'workflows:' (set by --tag)")]
    [InlineData("--untag", "aws:cloudformation:stack-id", "reserved prefix 'aws:' (set by --untag)")]
    [InlineData("--deletion-protection", "maybe", "--deletion-protection 'maybe' must be on or off")]
    public async Task BadInput_ExitCode2AndNothingRuns(string option, string value, string message)
    {
        using var cli = new CliRun();
        await ProvisionAsync(cli);

        var update = await cli.RunAsync("update", "--from-last-run", option, value);

        update.ExitCode.Should().Be(2, update.ToString());
        update.Error.Should().Contain(message);
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().OnlyContain(c => c.DeletionProtectionEnabled && c.Tags.ContainsKey("on-call"));
    }

    [Fact]
    public async Task NoChangeGiven_ExitCode2BeforeReadingTheLastRun()
    {
        using var cli = new CliRun();

        var update = await cli.RunAsync("update", "--from-last-run");

        update.ExitCode.Should().Be(2, update.ToString());
        update.Error.Should().Contain("say what to change");
    }
}
