using System.Text.Json;
using Workflows.Core.Errors;
using Workflows.Core.Steps;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

/// <summary>
/// A duplicate request (same idempotencyKey, later execution) is answered with the first request's clusters: the
/// create steps and the search must tell them from the clusters the run made itself.
/// </summary>
public sealed class DuplicateRequestOwnershipTests : DsqlLocalTestBase
{
    private const string Key = "req-dup-1";

    private Task<JsonElement> CreatePrimaryAtAsync(string execution, DateTimeOffset startedAt) =>
        Lambda.InvokeAsync(
            PrimaryFunction().FunctionHandler,
            new { executionName = execution, stateMachineArn = StateMachine, idempotencyKey = Key, region = Primary, witnessRegion = Witness, startedAt });

    private Task<JsonElement> FindSinceAsync(string execution, DateTimeOffset createdAfter) =>
        Lambda.InvokeAsync(
            FindFunction().FunctionHandler,
            new { executionName = execution, stateMachineArn = StateMachine, idempotencyKey = Key, regions = new[] { Primary, Peer }, createdAfter });

    [Fact]
    public async Task CreatePrimary_FirstRun_CreatedByThisRun()
    {
        var created = await CreatePrimaryAtAsync("delivery-1", Time.GetUtcNow());

        created.GetProperty("createdByThisRun").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task CreatePrimary_DuplicateRunStartedLater_ReplayedClusterNotCreatedByThisRun()
    {
        var first = await CreatePrimaryAtAsync("delivery-1", Time.GetUtcNow());
        Time.Advance(TimeSpan.FromMinutes(5));

        var second = await CreatePrimaryAtAsync("delivery-2", Time.GetUtcNow());

        second.Str("identifier").Should().Be(first.Str("identifier"));
        second.GetProperty("createdByThisRun").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task CreatePrimary_ClusterMadeWithinTheRunsFirstSecond_CreatedByThisRun()
    {
        // The run started 0.9 s into a second; DSQL may report the creation to the whole second.
        var startedAt = Time.GetUtcNow().AddMilliseconds(-100);

        var created = await CreatePrimaryAtAsync("delivery-1", startedAt);

        created.GetProperty("createdByThisRun").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task CreatePrimary_KeyReusedAfterTheClusterWasDeleted_InvalidRequestNamingTheKey()
    {
        var first = await CreatePrimaryAtAsync("delivery-1", Time.GetUtcNow());
        await Lambda.InvokeAsync(ProtectionFunction().FunctionHandler, new { executionName = "delivery-1", stateMachineArn = StateMachine, idempotencyKey = Key, region = Primary, identifier = first.Str("identifier"), enabled = false });
        await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = "delivery-1", stateMachineArn = StateMachine, idempotencyKey = Key, region = Primary, identifier = first.Str("identifier") });
        Time.Advance(TimeSpan.FromHours(1));

        var again = () => CreatePrimaryAtAsync("delivery-2", Time.GetUtcNow());

        var error = (await again.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be("idempotencyKey");
        error.Message.Should().Contain($"'{Key}'").And.Contain(first.Str("identifier")).And.Contain("new idempotencyKey");
    }

    [Fact]
    public async Task FindExecutionClusters_CreatedAfterTheRunStarted_OnlyTheRunsOwnClusters()
    {
        var earlier = await CreatePrimaryAtAsync("delivery-1", Time.GetUtcNow());
        Time.Advance(TimeSpan.FromMinutes(5));
        var secondStart = Time.GetUtcNow();
        // The duplicate's own peer (the first run never made one) carries the same tags.
        var ownPeer = await Lambda.InvokeAsync(
            PeerFunction().FunctionHandler,
            new { executionName = "delivery-2", stateMachineArn = StateMachine, idempotencyKey = Key, region = Peer, witnessRegion = Witness, primaryArn = earlier.Str("arn"), startedAt = secondStart });

        var found = await FindSinceAsync("delivery-2", secondStart);

        found.GetProperty("clusters").EnumerateArray().Select(c => c.Str("identifier")).Should().Equal(ownPeer.Str("identifier"));
        var all = await Lambda.InvokeAsync(FindFunction().FunctionHandler, new { executionName = "delivery-2", stateMachineArn = StateMachine, idempotencyKey = Key, regions = new[] { Primary, Peer } });
        all.GetProperty("clusters").GetArrayLength().Should().Be(2, "without createdAfter every tagged cluster counts");
    }

    [Fact]
    public async Task ConfirmClusterGone_KeptCluster_NeitherWaitedForNorLeftOver()
    {
        var earlier = await CreatePrimaryAtAsync("delivery-1", Time.GetUtcNow());

        var output = await Lambda.InvokeAsync(
            ConfirmGoneFunction().FunctionHandler,
            new { clusters = new[] { new { region = Primary, identifier = earlier.Str("identifier"), deleted = false, kept = true, why = "an earlier execution's" } } });

        output.Str("decision").Should().Be("READY");
        output.GetProperty("leftover").GetArrayLength().Should().Be(0);
        output.GetProperty("clusters").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public void RunOwnership_CreatedBeforeTheRunsSecond_NotTheRuns() =>
        RunOwnership.CreatedSince(Start.AddSeconds(-1), Start.AddMilliseconds(500)).Should().BeFalse();
}
