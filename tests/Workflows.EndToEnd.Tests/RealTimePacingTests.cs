using System.Text.Json;
using DsqlLocal;
using Workflows.Cli;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// Real time against DSQL Local: the first check comes when the emulator says its clusters are ready, not after the
/// 180 s AWS needs; --initial-wait and --poll set the pacing anywhere, within the request's own ranges.
/// </summary>
public sealed class RealTimePacingTests
{
    [Fact]
    public async Task Provision_DsqlLocalEndpointNoPolling_PacedByTheEmulatorsLifecycle()
    {
        await using var server = await DsqlLocalServer.StartAsync(
            new DsqlLocalOptions { ProvisioningTime = TimeSpan.Zero, DeletionTime = TimeSpan.Zero, UpdatingTime = TimeSpan.Zero },
            TimeProvider.System,
            inProcess: true);
        using var handler = server.CreateHandler();
        using var cli = new CliRun { DsqlHandler = handler };

        var provision = await cli.RunAsync("provision", "--dsql-endpoint", server.BaseAddress.ToString(), "--local-credentials", "--deletion-protection", "false", "--json");

        provision.ExitCode.Should().Be(ExitCodes.Success, provision.ToString());
        var polling = StartedInput(cli).GetProperty("polling");
        polling.GetProperty("initialDelaySeconds").GetInt32().Should().Be(1, "the emulator provisions at once: one second, not 180");
        polling.GetProperty("minDelaySeconds").GetInt32().Should().Be(1);
        provision.Out.Should().NotContain("Virtual time");
    }

    [Fact]
    public async Task Provision_PacingFlags_InTheExecutionInput()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--initial-wait", "30", "--poll", "15");

        provision.ExitCode.Should().Be(ExitCodes.Success, provision.ToString());
        var polling = StartedInput(cli).GetProperty("polling");
        polling.GetProperty("initialDelaySeconds").GetInt32().Should().Be(30);
        polling.GetProperty("maxDelaySeconds").GetInt32().Should().Be(15);
        provision.Out.Should().Contain("Virtual time");
    }

    [Theory]
    [InlineData("--poll", "0", "--poll '0' must be a whole number of seconds from 1 to 300")]
    [InlineData("--initial-wait", "3600", "polling.initialDelaySeconds: must be less than polling.deadlineSeconds")]
    public async Task Provision_PacingOutsideTheRequestsRules_UsageErrorAndNothingCreated(string option, string value, string expected)
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync("provision", option, value);

        provision.ExitCode.Should().Be(ExitCodes.BadUsage, provision.ToString());
        provision.Error.Should().Contain(expected);
        File.Exists(Path.Combine(cli.StateDirectory, "executions.json")).Should().BeFalse();
    }

    private static JsonElement StartedInput(CliRun cli)
    {
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.StateDirectory, "last-run.json")));
        using var input = JsonDocument.Parse(run.RootElement.GetProperty("execution").GetProperty("input").GetString()!);
        return input.RootElement.Clone();
    }
}
