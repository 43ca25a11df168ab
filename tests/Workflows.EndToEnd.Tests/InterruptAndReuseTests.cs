using System.Text.Json.Nodes;
using DsqlLocal;
using Microsoft.Extensions.Time.Testing;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// What a run leaves behind when it is interrupted, when its execution name was used before, and when it is run
/// twice from the same seed.
/// </summary>
public sealed class InterruptAndReuseTests
{
    private const string FastPolling = """{"initialDelaySeconds":0,"minDelaySeconds":1,"maxDelaySeconds":5,"deadlineSeconds":60,"maxAttempts":10}""";
    private const string SlowPolling = """{"initialDelaySeconds":60,"minDelaySeconds":1,"maxDelaySeconds":60,"deadlineSeconds":600,"maxAttempts":10}""";

    [Fact]
    public async Task Provision_InterruptedInRealTime_SavesHistoryAndPairForTeardownAndExits130()
    {
        await using var server = await DsqlLocalServer.StartAsync(
            new DsqlLocalOptions { ProvisioningTime = TimeSpan.FromMinutes(10), Seed = 9 },
            TimeProvider.System,
            inProcess: true);
        using var cancel = new CancellationTokenSource();
        // Ctrl-C the moment the pair is linked: the run then sits in its first real-time Wait.
        using var handler = new CancelWhenLinked(server, cancel);
        using var cli = new CliRun { DsqlHandler = handler, Cancellation = cancel.Token };

        var result = await cli.RunAsync(
            "provision", "--input", $$"""{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","polling":{{SlowPolling}}}""",
            "--dsql-endpoint", server.BaseAddress.ToString(), "--local-credentials");

        result.ExitCode.Should().Be(130, result.ToString());
        cancel.IsCancellationRequested.Should().BeTrue();
        result.Error.Should().Contain("interrupted").And.Contain($"workflows teardown --from-last-run --force --dsql-endpoint {server.BaseAddress}");
        result.Out.Should().Contain("ABORTED");

        var history = await History.LastAsync(cli);
        history.Types.Last().Should().Be("ExecutionAborted");
        history.StatesEntered.Should().Contain("Create the peer cluster");

        var clusters = server.GetClusters();
        clusters.Should().HaveCount(2);
        var recorded = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cli.StateDirectory, "last-provision.json")))!;
        recorded["target"]!.GetValue<string>().Should().Be(server.BaseAddress.ToString());
        new[] { recorded["output"]!["primary"]!["identifier"]!.GetValue<string>(), recorded["output"]!["peer"]!["identifier"]!.GetValue<string>() }
            .Should().BeEquivalentTo(clusters.Select(c => c.Identifier));
    }

    [Fact]
    public async Task Teardown_AfterProvisionInterruptedBeforeTheLink_RetiresTheUnlinkedPair()
    {
        await using var server = await DsqlLocalServer.StartAsync(
            new DsqlLocalOptions { ProvisioningTime = TimeSpan.FromMinutes(10), DeletionTime = TimeSpan.Zero, Seed = 12 },
            TimeProvider.System,
            inProcess: true);
        using var cancel = new CancellationTokenSource();
        using var handler = new CancelWhenPeerCreated(server, cancel);
        using var cli = new CliRun { DsqlHandler = handler, Cancellation = cancel.Token };
        string[] endpoint = ["--dsql-endpoint", server.BaseAddress.ToString(), "--local-credentials"];

        var provision = await cli.RunAsync([
            "provision", "--input", $$"""{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","polling":{{SlowPolling}}}""", .. endpoint]);

        provision.ExitCode.Should().Be(130, provision.ToString());
        var clusters = server.GetClusters();
        clusters.Should().HaveCount(2);
        clusters.Should().ContainSingle(c => c.Peers.Count == 0, "the primary was never linked");
        string Arn(string region) => clusters.Single(c => c.Region == region).Arn;

        using var quiet = new CliRun { DsqlHandler = server.CreateHandler() };
        var teardown = await quiet.RunAsync([
            "teardown", "--input",
            $$"""{"primary":{"arn":"{{Arn("us-east-1")}}"},"peer":{"arn":"{{Arn("us-east-2")}}"},"force":true,"polling":{{FastPolling}}}""",
            .. endpoint, "--json"]);

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task Provision_TokenCancelledBeforeStart_Exits130WithoutInternalError()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        using var cli = new CliRun { Cancellation = cancel.Token };

        var result = await cli.RunAsync("provision");

        result.ExitCode.Should().Be(130, result.ToString());
        result.Error.Should().NotContain("internal error");
    }

    [Fact]
    public async Task Provision_NameReusedWithOtherInput_Exits2NamingName()
    {
        using var cli = new CliRun();
        (await cli.RunAsync("provision", "--name", "same-1", "--provisioning-seconds", "60", "--json")).ExitCode.Should().Be(0);
        (await cli.RunAsync("teardown", "--from-last-run", "--force", "--json")).ExitCode.Should().Be(0);

        var again = await cli.RunAsync("provision", "--name", "same-1", "--deletion-protection", "false");

        again.ExitCode.Should().Be(2, again.ToString());
        again.Error.Should().Contain("--name").And.Contain("'same-1'").And.Contain("different input");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty("nothing ran");
    }

    [Fact]
    public async Task Provision_NameReusedWithSameInput_ShowsRecordedRunWithoutRunning()
    {
        using var cli = new CliRun();
        var first = await cli.RunAsync("provision", "--name", "same-2", "--provisioning-seconds", "60", "--json");
        first.ExitCode.Should().Be(0, first.ToString());

        var again = await cli.RunAsync("provision", "--name", "same-2", "--provisioning-seconds", "60", "--json");

        again.ExitCode.Should().Be(0, again.ToString());
        again.Json().GetProperty("recorded").GetBoolean().Should().BeTrue();
        again.Json().GetProperty("executionArn").GetString().Should().Be(first.Json().GetProperty("executionArn").GetString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2, "the recorded pair, and no new one");
        var human = await cli.RunAsync("provision", "--name", "same-2", "--provisioning-seconds", "60");
        human.Out.Should().Contain("already ran with this input");
    }

    [Fact]
    public async Task Provision_SameSeedNameAndClock_IdenticalOutputAndHistory()
    {
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using var first = new CliRun { Time = new FakeTimeProvider(start) };
        using var second = new CliRun { Time = new FakeTimeProvider(start) };
        string[] args = ["provision", "--seed", "21", "--name", "repeat-1", "--provisioning-seconds", "120", "--json"];

        var a = await first.RunAsync(args);
        var b = await second.RunAsync(args);

        a.ExitCode.Should().Be(0, a.ToString());
        // The one difference allowed: each run names its own scratch state directory.
        b.Out.Replace(second.WorkingDirectory, first.WorkingDirectory, StringComparison.Ordinal).Should().Be(a.Out);
        var historyA = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(first.StateDirectory, "last-run.json")))!["history"]!.ToJsonString();
        var historyB = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(second.StateDirectory, "last-run.json")))!["history"]!.ToJsonString();
        historyB.Should().Be(historyA);
        historyA.Should().Contain("EventId", "the putEvents answer, with its ids, is part of the history");
    }

    [Fact]
    public async Task Describe_AfterQuickStartProvision_ReadsTheEmbeddedCluster()
    {
        using var cli = new CliRun();
        var provision = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json");
        var peer = provision.Json().GetProperty("output").GetProperty("peer");

        var result = await cli.RunAsync("describe", "--region", "us-east-2", "--identifier", peer.GetProperty("identifier").GetString()!, "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Json().GetProperty("arn").GetString().Should().Be(peer.GetProperty("arn").GetString());
        result.Json().GetProperty("status").GetString().Should().Be("ACTIVE");
    }

    [Fact]
    public async Task Describe_EmptyStateDirectory_Exits1SayingNoClusters()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("describe", "--region", "us-east-1", "--identifier", "abcdefghijklmnopqrstuvwxyz");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Error.Should().StartWith("ResourceNotFoundException: no embedded clusters");
    }

    /// <summary>Passes requests to DSQL Local and cancels the run once the peer exists, before the primary is linked.</summary>
    private sealed class CancelWhenPeerCreated(DsqlLocalServer server, CancellationTokenSource cancel) : DelegatingHandler(server.CreateHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (server.GetClusters().Count == 2)
            {
                await cancel.CancelAsync();
            }

            return response;
        }
    }

    /// <summary>Passes requests to DSQL Local and cancels the run once both clusters exist and list each other.</summary>
    private sealed class CancelWhenLinked(DsqlLocalServer server, CancellationTokenSource cancel) : DelegatingHandler(server.CreateHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var clusters = server.GetClusters();
            if (clusters.Count == 2 && clusters.All(c => c.Peers.Count > 0))
            {
                await cancel.CancelAsync();
            }

            return response;
        }
    }
}
