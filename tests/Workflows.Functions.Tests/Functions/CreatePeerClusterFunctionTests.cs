using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class CreatePeerClusterFunctionTests : DsqlLocalTestBase
{
    [Fact]
    public async Task FunctionHandler_HappyPath_CreatesThePeerListingThePrimary()
    {
        var primary = await CreatePrimaryAsync();

        var peer = await CreatePeerAsync(primary.Str("arn")!);

        var cluster = Cluster(peer.Str("identifier")!);
        cluster.Region.Should().Be(Peer);
        cluster.WitnessRegion.Should().Be(Witness);
        cluster.Peers.Should().Equal(primary.Str("arn"));
        cluster.Tags.Should().Contain("workflows:execution", Execution);
        peer.Str("status").Should().Be(ClusterStatus.PendingSetup);
        peer.GetProperty("linkedClusterArns").EnumerateArray().Select(a => a.GetString()).Should().Equal(primary.Str("arn"));
        Cluster(primary.Str("identifier")!).Status.Should().Be(ClusterStatus.PendingSetup, "the back-link is still missing");
    }

    [Fact]
    public async Task FunctionHandler_Retried_MakesOnePeer()
    {
        var primary = await CreatePrimaryAsync();

        var first = await CreatePeerAsync(primary.Str("arn")!);
        var retried = await CreatePeerAsync(primary.Str("arn")!);

        retried.Str("identifier").Should().Be(first.Str("identifier"));
        Clusters.Should().HaveCount(2);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{"executionName":"run-1","region":"us-east-2","witnessRegion":"us-west-2"}""", "primaryArn" },
        { """{"executionName":"run-1","region":"us-east-2","witnessRegion":"us-west-2","primaryArn":"arn:aws:dsql:us-east-1:123456789012:cluster/short"}""", "primaryArn" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"us-west-2","primaryArn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"}""", "region" },
        { """{"executionName":"run-1","region":"us-east-2","witnessRegion":"us-east-1","primaryArn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"}""", "witnessRegion" },
        { """{"executionName":"run-1","region":"us-east-2","witnessRegion":"us-east-2","primaryArn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"}""", "witnessRegion" },
        { """{"region":"us-east-2","witnessRegion":"us-west-2","primaryArn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"}""", "executionName" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task FunctionHandler_BadInput_InvalidRequestNamingTheFieldAndCreatesNothing(string payload, string field)
    {
        await CreatePrimaryAsync();

        var act = () => Lambda.InvokeAsync(PeerFunction().FunctionHandler, payload);

        var error = (await act.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"{field}: ");
        Clusters.Should().ContainSingle("only the primary exists");
    }

    [Fact]
    public async Task FunctionHandler_WitnessDiffersFromThePrimarys_ValidationExceptionFromDsql()
    {
        var primary = await CreatePrimaryAsync();
        var payload = new { executionName = Execution, region = Peer, witnessRegion = "eu-west-1", primaryArn = primary.Str("arn") };

        var error = (await FluentActions.Awaiting(() => Lambda.InvokeAsync(PeerFunction().FunctionHandler, payload))
            .Should().ThrowAsync<ValidationException>()).Which;
        error.FieldList.Should().Contain(f => f.Name == "multiRegionProperties.witnessRegion");
        Clusters.Should().ContainSingle();
    }

    [Fact]
    public async Task FunctionHandler_PrimaryDoesNotExist_ValidationExceptionFromDsql()
    {
        var missing = $"arn:aws:dsql:{Primary}:123456789012:cluster/abcdefghijklmnopqrstuvwxyz";

        await FluentActions.Awaiting(() => CreatePeerAsync(missing)).Should().ThrowAsync<ValidationException>();
        Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task FunctionHandler_Throttled_ThrottlingExceptionAndNoPeer()
    {
        var primary = await CreatePrimaryAsync();
        Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "CreateCluster", Region = Peer, ThrottleRate = 1.0 }] };

        await FluentActions.Awaiting(() => CreatePeerAsync(primary.Str("arn")!)).Should().ThrowAsync<ThrottlingException>();
        Clusters.Should().ContainSingle();
    }
}
