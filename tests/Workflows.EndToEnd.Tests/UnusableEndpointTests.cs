using DsqlLocal;
using Workflows.Cli;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// An endpoint that is down, or one that refuses the credentials, is reported before anything starts: one read-only
/// call with one attempt, the URL and the socket's or the service's own words, exit 1, nothing recorded or created.
/// </summary>
public sealed class UnusableEndpointTests
{
    [Theory]
    [InlineData("provision")]
    [InlineData("teardown", "--primary", "us-east-1:abcdefghijklmnopqrstuvwxyz", "--peer", "us-east-2:zyxwvutsrqponmlkjihgfedcba")]
    [InlineData("teardown", "--cluster", "us-east-1:abcdefghijklmnopqrstuvwxyz")]
    public async Task Command_NothingListening_FailsNamingTheUrlAndTheSocketError(params string[] command)
    {
        using var cli = new CliRun();

        var run = await cli.RunAsync([.. command, "--dsql-endpoint", "http://127.0.0.1:1", "--local-credentials"]);

        run.ExitCode.Should().Be(ExitCodes.Failed, run.ToString());
        run.Error.Should().Contain("http://127.0.0.1:1").And.Contain("Connection refused").And.Contain("nothing was started");
        run.Error.Should().Contain("after 1 attempt(s)", "the check does not retry");
        File.Exists(Path.Combine(cli.StateDirectory, "executions.json")).Should().BeFalse("no execution was begun");
        File.Exists(Path.Combine(cli.StateDirectory, "last-provision.json")).Should().BeFalse();
    }

    [Fact]
    public async Task Provision_CredentialsRefused_FailsAtOnceAndCreatesNothing()
    {
        // An emulator that knows another key pair only: DSQL Local's documented pair is an unknown client here.
        await using var server = await DsqlLocalServer.StartAsync(
            new DsqlLocalOptions { AccessKeys = [new AccessKeyPair("AKIAOTHERKEYEXAMPLE1", "another-secret")], ProvisioningTime = TimeSpan.Zero },
            TimeProvider.System,
            inProcess: true);
        using var handler = server.CreateHandler();
        using var cli = new CliRun { DsqlHandler = handler };

        var run = await cli.RunAsync("provision", "--dsql-endpoint", server.BaseAddress.ToString(), "--local-credentials");

        run.ExitCode.Should().Be(ExitCodes.Failed, run.ToString());
        run.Error.Should().Contain("refused the credentials").And.Contain("UnrecognizedClientException");
        server.GetClusters().Should().BeEmpty();
        File.Exists(Path.Combine(cli.StateDirectory, "executions.json")).Should().BeFalse();
    }
}
