using System.Text.Json;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// The workflows command end to end: the real state machines from template.yaml, the nine real Lambda functions
/// and the embedded DSQL Local on one virtual clock, checked against the emulator's own state and the history.
/// </summary>
public sealed class PairLifecycleTests
{
    private const string PeerCreateFails = "op=CreateCluster,region=us-east-2,internal=1";

    [Fact]
    public async Task UpdatingAfterLink_InstantProvisioning_PollingWaitsOutTheUpdate()
    {
        using var cli = new CliRun();

        // With no provisioning time the only thing left to wait for after the link is the primary's UPDATING
        // (DSQL Local's default updating time, 10 s): the run must poll through it rather than fail on it.
        var provision = await cli.RunAsync("provision", "--provisioning-seconds", "0", "--seed", "13", "--json");

        provision.ExitCode.Should().Be(0, provision.ToString());
        var json = provision.Json();
        json.GetProperty("status").GetString().Should().Be("SUCCEEDED");
        json.GetProperty("virtualSeconds").GetDouble().Should().BeGreaterThanOrEqualTo(10, "the pair is not ACTIVE before the update ends");
        json.GetProperty("output").GetProperty("primary").GetProperty("status").GetString().Should().Be("ACTIVE");
    }

    [Fact]
    public async Task HappyPath_ProvisionThenTeardown_ClustersLinkedThenGone()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync("provision", "--seed", "11", "--json");

        provision.ExitCode.Should().Be(0, provision.ToString());
        var json = provision.Json();
        json.GetProperty("status").GetString().Should().Be("SUCCEEDED");
        var output = json.GetProperty("output");
        output.GetProperty("witnessRegion").GetString().Should().Be("us-west-2");
        var primary = output.GetProperty("primary");
        var peer = output.GetProperty("peer");
        foreach (var (cluster, region) in new[] { (primary, "us-east-1"), (peer, "us-east-2") })
        {
            cluster.GetProperty("region").GetString().Should().Be(region);
            cluster.GetProperty("status").GetString().Should().Be("ACTIVE");
            cluster.GetProperty("arn").GetString().Should().Be($"arn:aws:dsql:{region}:123456789012:cluster/{cluster.GetProperty("identifier").GetString()}");
            cluster.GetProperty("endpoint").GetString().Should().Be($"{cluster.GetProperty("identifier").GetString()}.dsql.{region}.on.aws");
        }

        var clusters = await Emulator.ClustersAsync(cli.StateDirectory);
        clusters.Should().HaveCount(2);
        var inPrimary = clusters.Single(c => c.Region == "us-east-1");
        var inPeer = clusters.Single(c => c.Region == "us-east-2");
        inPrimary.Identifier.Should().Be(primary.GetProperty("identifier").GetString());
        inPeer.Identifier.Should().Be(peer.GetProperty("identifier").GetString());
        foreach (var c in clusters)
        {
            c.Status.Should().Be("ACTIVE");
            c.WitnessRegion.Should().Be("us-west-2");
            c.DeletionProtectionEnabled.Should().BeTrue("the request's default");
        }

        inPrimary.Peers.Should().Contain(inPeer.Arn);
        inPeer.Peers.Should().Contain(inPrimary.Arn);

        var history = await History.LastAsync(cli);
        history.StatesEntered.Should().StartWith(["Validate the request", "Create the primary cluster", "Create the peer cluster", "Link the primary to the peer", "Wait for the clusters", "Check the clusters"]);
        history.StatesEntered.Should().EndWith(["Summarize the pair", "Publish the provisioned event"]);
        history.StatesEntered.Count(s => s == "Check the clusters").Should().BeGreaterThan(1, "ten minutes outlast the first check after the initial delay");
        history.Types.Last().Should().Be("ExecutionSucceeded");
        json.GetProperty("lambdaInvocations").GetInt32().Should().Be(history.Types.Count(t => t == "LambdaFunctionScheduled"));

        var virtualSeconds = json.GetProperty("virtualSeconds").GetDouble();
        virtualSeconds.Should().BeGreaterThanOrEqualTo(600, "both clusters need the whole provisioning time after the link")
            .And.BeLessThan(660, "the poll loop notices ACTIVE within 10% of the provisioning time");

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--force", "--json");

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        teardown.Json().GetProperty("status").GetString().Should().Be("SUCCEEDED");
        teardown.Json().GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("status").GetString()).Should().Equal("DELETED", "DELETED");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
        var retired = await History.LastAsync(cli);
        retired.StatesEntered.Should().Contain(["Turn off deletion protection", "Delete the primary cluster", "Delete the peer cluster", "Check the clusters are gone", "Publish the retired event"]);
        retired.Types.Last().Should().Be("ExecutionSucceeded");
    }

    [Fact]
    public async Task FiveMinuteProvisioning_CountedFromTheHistory_WithinTheTransitionAndInvocationBudget()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync("provision", "--provisioning-seconds", "300", "--seed", "5", "--json");

        provision.ExitCode.Should().Be(0, provision.ToString());
        var json = provision.Json();
        json.GetProperty("transitions").GetInt32().Should().BeLessThanOrEqualTo(30);
        json.GetProperty("lambdaInvocations").GetInt32().Should().BeLessThanOrEqualTo(15);
        json.GetProperty("virtualSeconds").GetDouble().Should().BeInRange(300, 330);
    }

    [Fact]
    public async Task PeerFailure_Compensates_PrimaryDeletedAndNothingLeft()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync("provision", "--fault", PeerCreateFails, "--seed", "3", "--json");

        provision.ExitCode.Should().Be(1, provision.ToString());
        var json = provision.Json();
        json.GetProperty("status").GetString().Should().Be("FAILED");
        json.GetProperty("error").GetString().Should().Be("InternalServerException", "the execution fails with the peer's own error");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty("the primary the run created was deleted and confirmed gone");
        json.GetProperty("clusters").EnumerateArray().Should().ContainSingle()
            .Which.GetProperty("status").GetString().Should().Be("DELETED");
        json.GetProperty("putEvents").EnumerateArray().Select(e => e.GetProperty("detailType").GetString())
            .Should().Equal("DSQL Cluster Pair Provisioning Failed");

        var history = await History.LastAsync(cli);
        history.FailedTaskErrors.Should().OnlyContain(e => e == "InternalServerException");
        history.FailedTaskErrors.Should().HaveCountGreaterThan(1, "the state machine retried the peer's creation before giving up");
        history.StatesEntered.Should().Contain(["Create the peer cluster", "Delete each cluster", "Check the clusters are gone", "Publish the failure event", "Provisioning failed"]);
        history.StatesEntered.Should().NotContain("Link the primary to the peer");
        history.Types.Last().Should().Be("ExecutionFailed");
        File.Exists(Path.Combine(cli.StateDirectory, "last-provision.json")).Should().BeFalse("only a provisioned pair is recorded for teardown");
    }

    [Fact]
    public async Task CleanupProtectionOffFails_UnprotectedClusterStillDeleted_NothingLeft()
    {
        using var cli = new CliRun();

        // The peer fails, and every UpdateCluster (the clean-up's protection change) answers 500 until the
        // retriers give up; the primary was created unprotected, so the clean-up deletes it anyway.
        var provision = await cli.RunAsync(
            "provision",
            "--deletion-protection", "false",
            "--fault", PeerCreateFails,
            "--fault", "op=UpdateCluster,internal=1",
            "--seed", "3",
            "--json");

        provision.ExitCode.Should().Be(1, provision.ToString());
        var json = provision.Json();
        json.GetProperty("error").GetString().Should().Be("InternalServerException", "the execution fails with the peer's own error");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty("the unprotected primary was deleted and confirmed gone");
        var history = await History.LastAsync(cli);
        history.StatesEntered.Should().Contain(["Turn off deletion protection", "Is the cluster known to be unprotected?", "Delete the cluster"]);
        history.StatesEntered.Should().NotContain(["Take the protection error as the reason", "Record why the cluster stayed", "Name the clusters left behind"]);
    }

    [Fact]
    public async Task RetryPath_ThrottledCreatesAndChecks_RetriedToSuccess()
    {
        using var cli = new CliRun();

        // A Retry-After of 30 s is more than the DSQL client waits inside a call: the state machine's retrier
        // takes over. 1 s is waited out inside the function, on the same virtual clock.
        var provision = await cli.RunAsync(
            "provision",
            "--fault", "op=CreateCluster,throttle=0.5,retry-after=30",
            "--fault", "op=GetCluster,throttle=0.5,retry-after=1",
            "--seed", "8",
            "--json");

        provision.ExitCode.Should().Be(0, provision.ToString());
        provision.Json().GetProperty("status").GetString().Should().Be("SUCCEEDED");
        var history = await History.LastAsync(cli);
        history.FailedTaskErrors.Should().Contain("ThrottlingException", "a throttled create fails the attempt and the retrier runs it again");
        history.StatesEntered.Should().Contain("Summarize the pair");
        var log = await File.ReadAllTextAsync(Path.Combine(cli.StateDirectory, "last-run.log"));
        log.Should().Contain("failed on attempt 1 of 3 with ThrottlingException; retrying in 1000 ms", "the client's own backoff ran on the virtual clock");
        var clusters = await Emulator.ClustersAsync(cli.StateDirectory);
        clusters.Should().HaveCount(2, "client tokens make a retried create return the same cluster").And.OnlyContain(c => c.Status == "ACTIVE");
    }

    [Fact]
    public async Task RetryAfterBeyondClient_ThrottledCreates_WaitedOutByTheStateMachine()
    {
        using var cli = new CliRun();

        // A Retry-After of 45 s is more than the DSQL client waits inside a call (20 s), so each throttled create
        // comes back to the state machine at once; its throttling retrier waits 20 s and more, never less.
        var provision = await cli.RunAsync(
            "provision",
            "--fault", "op=CreateCluster,throttle=0.6,retry-after=45",
            "--seed", "8",
            "--json");

        provision.ExitCode.Should().Be(0, provision.ToString());
        provision.Json().GetProperty("status").GetString().Should().Be("SUCCEEDED");
        var history = await History.LastAsync(cli);
        history.FailedTaskErrors.Should().NotBeEmpty().And.OnlyContain(e => e == "ThrottlingException");
        var log = await File.ReadAllTextAsync(Path.Combine(cli.StateDirectory, "last-run.log"));
        log.Should().NotContain("retrying in 45000 ms", "the client does not wait out a Retry-After above its own maximum");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2).And.OnlyContain(c => c.Status == "ACTIVE");
    }

    [Fact]
    public async Task RetryAfterBeyondClient_ThrottledPastTheBound_FailsOnlyAfterTheDocumentedWait()
    {
        using var cli = new CliRun();

        // Every create is throttled: the run gives up only after the throttling retrier's documented 380 s (the
        // jittered DSQL retrier alone gave up within 75 s), and nothing was created.
        var provision = await cli.RunAsync(
            "provision",
            "--fault", "op=CreateCluster,throttle=1,retry-after=45",
            "--seed", "3",
            "--json");

        provision.ExitCode.Should().Be(1, provision.ToString());
        var json = provision.Json();
        json.GetProperty("error").GetString().Should().Be("ThrottlingException");
        json.GetProperty("virtualSeconds").GetDouble().Should().BeGreaterThanOrEqualTo(380);
        var history = await History.LastAsync(cli);
        history.FailedTaskErrors.Should().HaveCount(6, "the first attempt and five retries").And.OnlyContain(e => e == "ThrottlingException");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
    }

    [Fact]
    public async Task Teardown_ProtectedPairWithoutForce_FailsAndDeletesNothing()
    {
        using var cli = new CliRun();
        (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json")).ExitCode.Should().Be(0);

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--json");

        teardown.ExitCode.Should().Be(1, teardown.ToString());
        teardown.Json().GetProperty("error").GetString().Should().Be("DeletionProtectionEnabledException");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2).And.OnlyContain(c => c.Status == "ACTIVE");
    }

    [Fact]
    public async Task Teardown_ExplicitReferences_RetiresThePair()
    {
        using var cli = new CliRun();
        var provision = (await cli.RunAsync("provision", "--deletion-protection", "false", "--provisioning-seconds", "60", "--json")).Json().GetProperty("output");
        var primary = $"us-east-1:{provision.GetProperty("primary").GetProperty("identifier").GetString()}";
        var peerArn = provision.GetProperty("peer").GetProperty("arn").GetString()!;

        var teardown = await cli.RunAsync("teardown", "--primary", primary, "--peer", peerArn, "--json");

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
    }

    [Fact]
    public async Task Provision_Twice_VirtualTimeNeverGoesBack()
    {
        using var cli = new CliRun();
        var first = (await cli.RunAsync("provision", "--json")).Json();
        var second = (await cli.RunAsync("teardown", "--from-last-run", "--force", "--json")).Json();

        Stamp(second, "startDate").Should().BeOnOrAfter(Stamp(first, "stopDate"), "the second command starts where the first one's virtual clock stopped");
    }

    private static DateTimeOffset Stamp(JsonElement json, string member) =>
        DateTimeOffset.Parse(json.GetProperty(member).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
