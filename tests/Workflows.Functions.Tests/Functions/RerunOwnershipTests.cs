using System.Text.Json;
using Workflows.Core.Errors;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

/// <summary>
/// A re-run under the same execution name (an interrupted provision started again) derives the same clientTokens,
/// so DSQL answers with the clusters its earlier attempt made, older than the re-run's start: the tags (this
/// execution, this state machine) make them the run's own. Another execution with the same idempotencyKey stays
/// someone else's (DuplicateRequestOwnershipTests).
/// </summary>
public sealed class RerunOwnershipTests : DsqlLocalTestBase
{
    private const string OtherStateMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:provision-blue";

    private Task<JsonElement> CreatePrimaryAtAsync(string execution, DateTimeOffset startedAt, string? idempotencyKey = null, string stateMachine = StateMachine) =>
        Lambda.InvokeAsync(
            PrimaryFunction().FunctionHandler,
            new { executionName = execution, stateMachineArn = stateMachine, idempotencyKey, region = Primary, witnessRegion = Witness, startedAt });

    private Task<JsonElement> CreatePeerAtAsync(string execution, string primaryArn, DateTimeOffset startedAt) =>
        Lambda.InvokeAsync(
            PeerFunction().FunctionHandler,
            new { executionName = execution, stateMachineArn = StateMachine, region = Peer, witnessRegion = Witness, primaryArn, startedAt });

    [Fact]
    public async Task CreatePrimary_RerunUnderTheSameName_OwnsTheClusterItsEarlierAttemptMade()
    {
        var first = await CreatePrimaryAtAsync(Execution, Time.GetUtcNow());
        Time.Advance(TimeSpan.FromMinutes(5));

        var rerun = await CreatePrimaryAtAsync(Execution, Time.GetUtcNow());

        rerun.Str("identifier").Should().Be(first.Str("identifier"), "the same name derives the same clientToken");
        rerun.GetProperty("createdByThisRun").GetBoolean().Should().BeTrue("its tags name this execution and this state machine");
        Clusters.Should().ContainSingle();
    }

    [Fact]
    public async Task CreatePeer_RerunUnderTheSameName_OwnsTheClusterItsEarlierAttemptMade()
    {
        var primary = await CreatePrimaryAtAsync(Execution, Time.GetUtcNow());
        var first = await CreatePeerAtAsync(Execution, primary.Str("arn")!, Time.GetUtcNow());
        Time.Advance(TimeSpan.FromMinutes(5));

        var rerun = await CreatePeerAtAsync(Execution, primary.Str("arn")!, Time.GetUtcNow());

        rerun.Str("identifier").Should().Be(first.Str("identifier"));
        rerun.GetProperty("createdByThisRun").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task CreatePrimary_KeyedRerunUnderTheSameName_StillNotCreatedByThisRun()
    {
        // Tagged with the key, which a duplicate under another name shares: the tags cannot prove this execution
        // made it, so the safe answer stays "not this run's" (the clean-up leaves it rather than risk the first
        // request's pair).
        await CreatePrimaryAtAsync(Execution, Time.GetUtcNow(), idempotencyKey: "req-rerun-1");
        Time.Advance(TimeSpan.FromMinutes(5));

        var rerun = await CreatePrimaryAtAsync(Execution, Time.GetUtcNow(), idempotencyKey: "req-rerun-1");

        rerun.GetProperty("createdByThisRun").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task CreatePrimary_RerunAfterTheEarlierAttemptsClusterWasDeleted_InvalidRequestNamingTheExecution()
    {
        var first = await CreatePrimaryAtAsync(Execution, Time.GetUtcNow());
        await Lambda.InvokeAsync(ProtectionFunction().FunctionHandler, new { executionName = Execution, stateMachineArn = StateMachine, region = Primary, identifier = first.Str("identifier"), enabled = false });
        await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, stateMachineArn = StateMachine, region = Primary, identifier = first.Str("identifier") });
        Time.Advance(TimeSpan.FromHours(1));

        var again = () => CreatePrimaryAtAsync(Execution, Time.GetUtcNow());

        var error = (await again.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be("executionName");
        error.Message.Should().Contain(first.Str("identifier"));
    }

    [Fact]
    public async Task FindExecutionClusters_RerunUnderTheSameName_FindsTheEarlierAttemptsCluster()
    {
        var earlier = await CreatePrimaryAtAsync(Execution, Time.GetUtcNow());
        await CreatePrimaryAtAsync(Execution, Time.GetUtcNow(), stateMachine: OtherStateMachine);
        Time.Advance(TimeSpan.FromMinutes(5));

        var found = await Lambda.InvokeAsync(
            FindFunction().FunctionHandler,
            new { executionName = Execution, stateMachineArn = StateMachine, regions = new[] { Primary, Peer }, createdAfter = Time.GetUtcNow() });

        found.GetProperty("clusters").EnumerateArray().Select(c => c.Str("identifier"))
            .Should().Equal([earlier.Str("identifier")], "the other state machine's cluster of the same name is not this run's");
    }
}
