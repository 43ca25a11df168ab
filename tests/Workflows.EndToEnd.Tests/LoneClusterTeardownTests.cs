using System.Text.RegularExpressions;
using Workflows.Cli;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>teardown --cluster: a cluster no pair teardown can take is retired by the tool, never left to "the DSQL API".</summary>
public sealed partial class LoneClusterTeardownTests
{
    [Fact]
    public async Task TeardownCluster_LeftByFailedProvision_TheCommandTheFailureNamesRetiresIt()
    {
        using var cli = new CliRun();
        // The peer cannot be created and the primary's protection cannot be turned off, so clean-up leaves it.
        var failed = await cli.RunAsync(
            "provision", "--provisioning-seconds", "60",
            "--fault", "op=CreateCluster,region=us-east-2,internal=1",
            "--fault", "op=UpdateCluster,region=us-east-1,internal=1");
        failed.ExitCode.Should().Be(1, failed.ToString());
        var command = RetireCommand().Match(failed.Error);
        command.Success.Should().BeTrue($"the failure names the command that retires the lone cluster: {failed.Error}");
        failed.Error.Should().NotContain("DSQL API");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().ContainSingle();

        var retire = await cli.RunAsync("teardown", "--cluster", command.Groups["ref"].Value, "--force");

        retire.ExitCode.Should().Be(ExitCodes.Success, retire.ToString());
        retire.Out.Should().Contain("DELETED").And.Contain("turning deletion protection off");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
    }

    [Fact]
    public async Task TeardownCluster_Unprotected_DeletedWithoutForce()
    {
        using var cli = new CliRun();
        // The peer cannot be created and the clean-up cannot delete the (unprotected) primary.
        var failed = await cli.RunAsync(
            "provision", "--provisioning-seconds", "60", "--deletion-protection", "false",
            "--fault", "op=CreateCluster,region=us-east-2,internal=1",
            "--fault", "op=DeleteCluster,region=us-east-1,internal=1");
        failed.ExitCode.Should().Be(1, failed.ToString());
        var lone = (await Emulator.ClustersAsync(cli.StateDirectory)).Should().ContainSingle().Subject;

        var retire = await cli.RunAsync("teardown", "--cluster", $"us-east-1:{lone.Identifier}", "--json");

        retire.ExitCode.Should().Be(ExitCodes.Success, retire.ToString());
        retire.Json().GetProperty("outcome").GetString().Should().Be("DELETED");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
    }

    [Fact]
    public async Task TeardownCluster_ProtectedWithoutForce_RefusedAndNothingChanged()
    {
        using var cli = new CliRun();
        await cli.RunAsync(
            "provision", "--provisioning-seconds", "60",
            "--fault", "op=CreateCluster,region=us-east-2,internal=1",
            "--fault", "op=UpdateCluster,region=us-east-1,internal=1");
        var lone = (await Emulator.ClustersAsync(cli.StateDirectory)).Should().ContainSingle().Subject;

        var retire = await cli.RunAsync("teardown", "--cluster", $"us-east-1:{lone.Identifier}");

        retire.ExitCode.Should().Be(ExitCodes.Failed, retire.ToString());
        retire.Error.Should().Contain("deletion-protected").And.Contain("--force");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().ContainSingle().Which.DeletionProtectionEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task TeardownCluster_HalfOfALivePair_RefusedNamingThePairTeardown()
    {
        using var cli = new CliRun();
        var provision = (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json")).Json().GetProperty("output");
        var primary = provision.GetProperty("primary").GetProperty("identifier").GetString();
        var peerArn = provision.GetProperty("peer").GetProperty("arn").GetString()!;

        var retire = await cli.RunAsync("teardown", "--cluster", $"us-east-1:{primary}", "--force");

        retire.ExitCode.Should().Be(ExitCodes.Failed, retire.ToString());
        retire.Error.Should().Contain(peerArn).And.Contain("workflows teardown --primary");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2).And.OnlyContain(c => c.Status == "ACTIVE");
    }

    [Fact]
    public async Task TeardownCluster_NoSuchCluster_ExitsNothingToRetireUnlessOkIfGone()
    {
        using var cli = new CliRun();

        var missing = await cli.RunAsync("teardown", "--cluster", "us-east-1:abcdefghijklmnopqrstuvwxyz");
        var ok = await cli.RunAsync("teardown", "--cluster", "arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz", "--ok-if-gone", "--json");

        missing.ExitCode.Should().Be(ExitCodes.NothingToRetire, missing.ToString());
        missing.Error.Should().Contain("nothing to retire").And.Contain("abcdefghijklmnopqrstuvwxyz");
        ok.ExitCode.Should().Be(ExitCodes.Success, ok.ToString());
        ok.Json().GetProperty("outcome").GetString().Should().Be("NOT_FOUND");
    }

    [Theory]
    [InlineData("us-east-1\n:abcdefghijklmnopqrstuvwxyz", "--cluster region")]
    [InlineData("us-east-1:ABC", "--cluster identifier")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "--cluster")]
    public async Task TeardownCluster_BadReference_UsageErrorNamingTheOption(string value, string named)
    {
        using var cli = new CliRun();

        var run = await cli.RunAsync("teardown", "--cluster", value);

        run.ExitCode.Should().Be(ExitCodes.BadUsage, run.ToString());
        run.Error.Should().Contain(named);
    }

    [Fact]
    public async Task TeardownCluster_WithPairOptions_UsageError()
    {
        using var cli = new CliRun();

        var run = await cli.RunAsync("teardown", "--cluster", "us-east-1:abcdefghijklmnopqrstuvwxyz", "--from-last-run");

        run.ExitCode.Should().Be(ExitCodes.BadUsage, run.ToString());
        run.Error.Should().Contain("--cluster retires one cluster");
    }

    [GeneratedRegex(@"workflows teardown --cluster (?<ref>[a-z0-9-]+:[a-z0-9]{26}) --force")]
    private static partial Regex RetireCommand();
}
