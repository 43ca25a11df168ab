using System.Text.Json;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// Duplicate requests (one idempotency key, one pair), a blocked clean-up named in the outcome, and a teardown of
/// clusters that are not one pair, each through the CLI on the embedded DSQL Local.
/// </summary>
public sealed class DuplicateRequestAndCleanupTests
{
    [Fact]
    public async Task CleanupBlocked_PrimaryLeftBehind_NamedInTheCauseAndTheFailureEvent()
    {
        using var cli = new CliRun();

        // The peer cannot be created and the primary's protection cannot be turned off: the primary stays.
        var provision = await cli.RunAsync(
            "provision",
            "--fault", "op=CreateCluster,region=us-east-2,internal=1",
            "--fault", "op=UpdateCluster,region=us-east-1,internal=1",
            "--seed", "4",
            "--json");

        provision.ExitCode.Should().Be(1, provision.ToString());
        var json = provision.Json();
        json.GetProperty("error").GetString().Should().Be("InternalServerException", "the peer's error started the failure path");
        var left = (await Emulator.ClustersAsync(cli.StateDirectory)).Should().ContainSingle().Subject;
        left.Region.Should().Be("us-east-1");
        var cause = json.GetProperty("cause").GetString();
        cause.Should().Contain("may still exist").And.Contain(left.Identifier).And.Contain("InternalServerException");
        var failed = json.GetProperty("putEvents").EnumerateArray().Should().ContainSingle().Subject;
        failed.GetProperty("detailType").GetString().Should().Be("DSQL Cluster Pair Provisioning Failed");
        failed.GetRawText().Should().Contain(left.Identifier);

        var history = await History.LastAsync(cli);
        history.StatesEntered.Should().Contain(["Look for the clusters this execution created", "Record why the cluster stayed", "Check the clusters are gone", "Name the clusters left behind"]);
    }

    [Fact]
    public async Task DuplicateRequest_SameIdempotencyKeyUnderTwoExecutionNames_OnePair()
    {
        using var cli = new CliRun();
        const string request = """{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","idempotencyKey":"req-0001"}""";

        var first = await cli.RunAsync("provision", "--input", request, "--name", "delivery-1", "--provisioning-seconds", "60", "--json");
        var second = await cli.RunAsync("provision", "--input", request, "--name", "delivery-2", "--provisioning-seconds", "60", "--json");

        first.ExitCode.Should().Be(0, first.ToString());
        second.ExitCode.Should().Be(0, second.ToString());
        foreach (var role in new[] { "primary", "peer" })
        {
            Id(second, role).Should().Be(Id(first, role), "the duplicate delivery gets the first pair back");
        }

        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2);
    }

    [Fact]
    public async Task DuplicateRequest_SecondExecutionFails_FirstPairKept()
    {
        using var cli = new CliRun();
        const string request = """{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","idempotencyKey":"req-0002"}""";
        var first = await cli.RunAsync("provision", "--input", request, "--name", "d1", "--provisioning-seconds", "60", "--json");
        first.ExitCode.Should().Be(0, first.ToString());

        // Every read in the peer's Region fails: the duplicate's peer create and its search break, and it cleans up.
        var second = await cli.RunAsync(
            "provision", "--input", request, "--name", "d2", "--provisioning-seconds", "60", "--fault", "op=GetCluster,region=us-east-2,internal=1", "--json");

        second.ExitCode.Should().Be(1, second.ToString());
        var clusters = await Emulator.ClustersAsync(cli.StateDirectory);
        clusters.Select(c => c.Identifier).Should().BeEquivalentTo([Id(first, "primary"), Id(first, "peer")]);
        clusters.Should().OnlyContain(c => c.Status == "ACTIVE" && c.DeletionProtectionEnabled, "the first execution's pair is untouched");
        (await History.LastAsync(cli)).StatesEntered.Should().Contain("Leave the earlier execution's cluster");
    }

    [Fact]
    public async Task DuplicateRequest_KeyReusedAfterTeardown_FailsAtOnceNamingTheKey()
    {
        using var cli = new CliRun();
        const string request = """{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","idempotencyKey":"req-0003"}""";
        (await cli.RunAsync("provision", "--input", request, "--name", "k1", "--provisioning-seconds", "60", "--json")).ExitCode.Should().Be(0);
        (await cli.RunAsync("teardown", "--from-last-run", "--force", "--json")).ExitCode.Should().Be(0);

        var again = await cli.RunAsync("provision", "--input", request, "--name", "k2", "--provisioning-seconds", "60", "--json");

        again.ExitCode.Should().Be(1, again.ToString());
        again.Json().GetProperty("error").GetString().Should().Be("InvalidRequestException");
        again.Json().GetProperty("cause").GetString().Should().Contain("req-0003").And.Contain("new idempotencyKey");
        (await History.LastAsync(cli)).StatesEntered.Should().NotContain("Wait for the clusters", "it stops before any polling");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
    }

    [Fact]
    public async Task Teardown_HalvesOfTwoPairs_RefusedWithNotAPairAndNothingTouched()
    {
        using var cli = new CliRun();
        var a = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json");
        var b = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json");

        var teardown = await cli.RunAsync(
            "teardown", "--primary", $"us-east-1:{Id(a, "primary")}", "--peer", $"us-east-2:{Id(b, "peer")}", "--force", "--json");

        teardown.ExitCode.Should().Be(1, teardown.ToString());
        var json = teardown.Json();
        json.GetProperty("error").GetString().Should().Be("Workflows.NotAPair");
        json.GetProperty("cause").GetString().Should().Contain(Id(a, "primary")).And.Contain(Id(b, "peer")).And.Contain("is linked to");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(4)
            .And.OnlyContain(c => c.Status == "ACTIVE" && c.DeletionProtectionEnabled, "nothing was deleted or unprotected");
    }

    private static string Id(CliResult result, string role) =>
        result.Json().GetProperty("output").GetProperty(role).GetProperty("identifier").GetString()!;
}
