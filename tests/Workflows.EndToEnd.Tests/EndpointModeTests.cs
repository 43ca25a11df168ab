using DsqlLocal;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// --dsql-endpoint: the engine in real time, the functions' clients signing with DSQL Local's key pair and sending to
/// the given URL (here through the tool's test seam to an in-process server on the system clock). Provisioning and
/// deletion (and the UPDATING after the link) take no time and the polls start at once, so nothing waits.
/// </summary>
public sealed class EndpointModeTests : IAsyncLifetime
{
    private const string Polling = """{"initialDelaySeconds":0,"minDelaySeconds":1,"maxDelaySeconds":5,"deadlineSeconds":60,"maxAttempts":10}""";
    private DsqlLocalServer _server = null!;
    private HttpMessageHandler _handler = null!;

    public async Task InitializeAsync()
    {
        _server = await DsqlLocalServer.StartAsync(
            new DsqlLocalOptions { ProvisioningTime = TimeSpan.Zero, DeletionTime = TimeSpan.Zero, UpdatingTime = TimeSpan.Zero, Seed = 4 },
            TimeProvider.System,
            inProcess: true);
        _handler = _server.CreateHandler();
    }

    public async Task DisposeAsync()
    {
        _handler.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ProvisionThenTeardown_DsqlEndpoint_RealTimeAgainstTheGivenEmulator()
    {
        using var cli = new CliRun { DsqlHandler = _handler };
        string[] endpoint = ["--dsql-endpoint", _server.BaseAddress.ToString(), "--local-credentials"];

        var provision = await cli.RunAsync([
            "provision", "--input", $$"""{"primaryRegion":"eu-west-1","peerRegion":"eu-west-3","witnessRegion":"eu-central-1","deletionProtection":false,"polling":{{Polling}}}""",
            .. endpoint, "--json"]);

        provision.ExitCode.Should().Be(0, provision.ToString());
        provision.Json().GetProperty("target").GetString().Should().Be($"DSQL endpoint {_server.BaseAddress}");
        _server.GetClusters().Should().HaveCount(2).And.OnlyContain(c => c.Status == "ACTIVE" && c.WitnessRegion == "eu-central-1");
        File.Exists(Path.Combine(cli.StateDirectory, "dsql-local.json")).Should().BeFalse("no embedded emulator ran");

        var embedded = await cli.RunAsync("teardown", "--from-last-run");
        embedded.ExitCode.Should().Be(2, "the last provision ran against the endpoint, not the embedded emulator");

        var output = provision.Json().GetProperty("output");
        var teardown = await cli.RunAsync([
            "teardown", "--input",
            $$"""{"primary":{"arn":"{{output.GetProperty("primary").GetProperty("arn").GetString()}}"},"peer":{"arn":"{{output.GetProperty("peer").GetProperty("arn").GetString()}}"},"polling":{{Polling}}}""",
            .. endpoint, "--json"]);

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        _server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task IdlePairTeardown_PairInactiveAndIdle_TeardownRetiresBoth()
    {
        using var cli = new CliRun { DsqlHandler = _handler };
        string[] endpoint = ["--dsql-endpoint", _server.BaseAddress.ToString(), "--local-credentials"];
        var provision = await cli.RunAsync([
            "provision", "--input", $$"""{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","deletionProtection":false,"polling":{{Polling}}}""",
            .. endpoint, "--json"]);
        provision.ExitCode.Should().Be(0, provision.ToString());
        var output = provision.Json().GetProperty("output");
        string Field(string cluster, string name) => output.GetProperty(cluster).GetProperty(name).GetString()!;

        // Weeks later, unused: scaled down (FACTS: a pair provisioned weeks ago is likely IDLE or INACTIVE).
        _server.SetClusterStatus(Field("primary", "identifier"), "INACTIVE");
        _server.SetClusterStatus(Field("peer", "identifier"), "IDLE");
        var teardown = await cli.RunAsync([
            "teardown", "--input",
            $$"""{"primary":{"arn":"{{Field("primary", "arn")}}"},"peer":{"arn":"{{Field("peer", "arn")}}"},"polling":{{Polling}}}""",
            .. endpoint, "--json"]);

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        _server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task Provision_Terminal_LiveProgressEndsWithTheSummary()
    {
        using var cli = new CliRun { IsTerminal = true };

        var result = await cli.RunAsync("provision", "--provisioning-seconds", "30");

        result.ExitCode.Should().Be(0, result.ToString());
        // Scrolled lines are drained at the end whatever the refresh timing; the spinner line itself is not asserted.
        result.Out.Should().Contain("Create the peer cluster").And.Contain("us-east-2").And.Contain(": ACTIVE").And.Contain("SUCCEEDED").And.Contain("Next:");
    }
}
