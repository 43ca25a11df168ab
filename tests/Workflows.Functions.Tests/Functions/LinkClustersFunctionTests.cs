using Workflows.Core.Steps;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class LinkClustersFunctionTests : DsqlLocalTestBase
{
    [Fact]
    public async Task FunctionHandler_HappyPath_BackLinksAndBothClustersProvision()
    {
        var primary = await CreatePrimaryAsync();
        var peer = await CreatePeerAsync(primary.Str("arn")!);

        var link = await LinkAsync(primary.Str("identifier")!, peer.Str("arn")!);

        link.GetProperty("alreadyLinked").GetBoolean().Should().BeFalse();
        link.Str("identifier").Should().Be(primary.Str("identifier"));
        link.Str("status").Should().Be(ClusterStatus.Updating, "UpdateCluster answers UPDATING (AWS CLI user guide sample)");
        link.GetProperty("linkedClusterArns").EnumerateArray().Select(a => a.GetString()).Should().Equal(peer.Str("arn"));
        Cluster(primary.Str("identifier")!).Peers.Should().Equal(peer.Str("arn"));

        Time.Advance(ProvisioningTime);
        Clusters.Should().OnlyContain(c => c.Status == ClusterStatus.Active);
    }

    [Fact]
    public async Task FunctionHandler_SameStepTwice_OneLinkAndSuccessBothTimes()
    {
        var primary = await CreatePrimaryAsync();
        var peer = await CreatePeerAsync(primary.Str("arn")!);

        await LinkAsync(primary.Str("identifier")!, peer.Str("arn")!);
        var again = await LinkAsync(primary.Str("identifier")!, peer.Str("arn")!);
        var otherExecution = await LinkAsync(primary.Str("identifier")!, peer.Str("arn")!, "redriven-run");

        again.Str("status").Should().Be(ClusterStatus.Updating);
        otherExecution.Str("status").Should().Be(ClusterStatus.Updating);
        Cluster(primary.Str("identifier")!).Peers.Should().Equal(peer.Str("arn"));
        Clusters.Should().HaveCount(2);
    }

    [Fact]
    public async Task FunctionHandler_RetryConflictsAfterTheLinkWasMade_AlreadyLinked()
    {
        var primary = await CreatePrimaryAsync();
        var peer = await CreatePeerAsync(primary.Str("arn")!);
        var function = StepUnderTest.Of(StepCatalog.LinkClusters, new ConflictAfterEffectClients(Clients), Time, Logger);

        var link = await Lambda.InvokeAsync(
            function.FunctionHandler,
            new { executionName = Execution, region = Primary, identifier = primary.Str("identifier"), witnessRegion = Witness, peerArn = peer.Str("arn") });

        link.GetProperty("alreadyLinked").GetBoolean().Should().BeTrue();
        link.GetProperty("linkedClusterArns").EnumerateArray().Select(a => a.GetString()).Should().Equal(peer.Str("arn"));
        link.Str("status").Should().Be(ClusterStatus.Creating);
    }

    [Fact]
    public async Task FunctionHandler_ConflictWithoutTheLink_ConflictException()
    {
        var primary = await CreatePrimaryAsync(deletionProtection: false);
        var peer = await CreatePeerAsync(primary.Str("arn")!);
        await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Primary, identifier = primary.Str("identifier") });

        await FluentActions.Awaiting(() => LinkAsync(primary.Str("identifier")!, peer.Str("arn")!)).Should().ThrowAsync<ConflictException>();
        Cluster(primary.Str("identifier")!).Peers.Should().BeEmpty();
    }

    [Fact]
    public async Task FunctionHandler_PrimaryMissing_ResourceNotFoundException()
    {
        var primary = await CreatePrimaryAsync();
        var peer = await CreatePeerAsync(primary.Str("arn")!);

        await FluentActions.Awaiting(() => LinkAsync("zzzzzzzzzzzzzzzzzzzzzzzzzz", peer.Str("arn")!)).Should().ThrowAsync<ResourceNotFoundException>();
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{"executionName":"run-1","region":"us-east-1","identifier":"NOT-AN-ID","witnessRegion":"us-west-2","peerArn":"arn:aws:dsql:us-east-2:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"}""", "identifier" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"us-west-2","peerArn":"arn:aws:dsql:us-east-2:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"}""", "identifier" },
        { """{"executionName":"run-1","region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz","witnessRegion":"us-west-2","peerArn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxy0"}""", "peerArn" },
        { """{"executionName":"run-1","region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz","witnessRegion":"us-east-2","peerArn":"arn:aws:dsql:us-east-2:123456789012:cluster/abcdefghijklmnopqrstuvwxy0"}""", "witnessRegion" },
        { """{"executionName":"run-1","region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz","witnessRegion":"us-west-2","peerArn":"cluster/abc"}""", "peerArn" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task FunctionHandler_BadInput_InvalidRequestNamingTheFieldAndChangesNothing(string payload, string field)
    {
        var primary = await CreatePrimaryAsync();

        var act = () => Lambda.InvokeAsync(LinkFunction().FunctionHandler, payload);

        var error = (await act.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"{field}: ");
        Cluster(primary.Str("identifier")!).Peers.Should().BeEmpty();
    }
}
