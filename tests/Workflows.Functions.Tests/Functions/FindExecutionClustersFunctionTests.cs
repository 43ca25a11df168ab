using Workflows.Core.Steps;
using System.Text.Json;
using Workflows.Core.Errors;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class FindExecutionClustersFunctionTests : DsqlLocalTestBase
{
    private Task<JsonElement> FindAsync(string execution = Execution, string? idempotencyKey = null, string stateMachine = StateMachine, string[]? regions = null) =>
        Lambda.InvokeAsync(
            FindFunction().FunctionHandler,
            new { executionName = execution, stateMachineArn = stateMachine, idempotencyKey, regions = regions ?? [Primary, Peer] });

    private static List<string?> Identifiers(JsonElement output) =>
        output.GetProperty("clusters").EnumerateArray().Select(c => c.Str("identifier")).ToList();

    [Fact]
    public async Task FunctionHandler_HappyPath_FindsBothClustersOfTheExecutionAndNoOthers()
    {
        var (primary, peer) = await ProvisionPairAsync();
        await CreatePrimaryAsync("another-run");
        await CreatePrimaryAsync(Execution, stateMachine: "arn:aws:states:us-east-1:123456789012:stateMachine:other-stack-provision");

        var found = await FindAsync();

        Identifiers(found).Should().Equal(primary.Str("identifier"), peer.Str("identifier"));
        var first = found.GetProperty("clusters")[0];
        first.Str("region").Should().Be(Primary);
        first.Str("arn").Should().Be(primary.Str("arn"));
    }

    [Fact]
    public async Task FunctionHandler_CreateAnswerLost_FindsTheClusterTheCallMade()
    {
        // The create went through but its answer never reached the state machine: only the tags tell.
        var primary = await CreatePrimaryAsync();
        var peer = StepUnderTest.Of(StepCatalog.CreatePeerCluster, new AnswerLostClients(Clients), Time, Logger);
        var lost = () => Lambda.InvokeAsync(
            peer.FunctionHandler,
            new { executionName = Execution, stateMachineArn = StateMachine, region = Peer, witnessRegion = Witness, primaryArn = primary.Str("arn") });
        await lost.Should().ThrowAsync<Workflows.Core.Dsql.Exceptions.DsqlTransportException>();

        var found = await FindAsync();

        Identifiers(found).Should().HaveCount(2).And.Contain(primary.Str("identifier"));
        Clusters.Should().HaveCount(2);
    }

    [Fact]
    public async Task FunctionHandler_NothingCreated_FindsNothing()
    {
        await CreatePrimaryAsync("another-run");

        Identifiers(await FindAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task FunctionHandler_IdempotencyKey_FindsTheKeysClustersWhateverTheExecutionName()
    {
        var created = await CreatePrimaryAsync("delivery-1", idempotencyKey: "req-7f3a");

        Identifiers(await FindAsync("delivery-2", idempotencyKey: "req-7f3a")).Should().Equal(created.Str("identifier"));
        Identifiers(await FindAsync("delivery-1")).Should().BeEmpty("without the key the run is another one");
    }

    [Theory]
    [InlineData("""{"executionName":"run-1","regions":[]}""", "regions")]
    [InlineData("""{"executionName":"run-1"}""", "regions")]
    [InlineData("""{"executionName":"run-1","regions":["us-east-1","us-east-1"]}""", "regions[1]")]
    [InlineData("""{"executionName":"run-1","regions":["mars-1"]}""", "regions[0]")]
    [InlineData("""{"regions":["us-east-1"]}""", "executionName")]
    [InlineData("""{"executionName":"run-1","regions":["us-east-1"],"idempotencyKey":"a b"}""", "idempotencyKey")]
    public async Task FunctionHandler_BadInput_InvalidRequestNamingTheField(string json, string field)
    {
        var act = () => Lambda.InvokeAsync(FindFunction().FunctionHandler, json);

        (await act.Should().ThrowAsync<InvalidRequestException>()).Which.Message.Should().StartWith(field + ":");
    }
}
