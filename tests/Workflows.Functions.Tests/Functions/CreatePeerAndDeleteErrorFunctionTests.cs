using Workflows.Core.Steps;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

/// <summary>The remaining errors of CreatePeerCluster and DeleteCluster that DSQL Local answers itself.</summary>
public sealed class CreatePeerAndDeleteErrorFunctionTests : DsqlLocalTestBase
{
    [Fact]
    public async Task CreatePeerCluster_MultiRegionQuotaReachedInThePeersRegion_ServiceQuotaExceededExceptionAndNoPeer()
    {
        var primary = await CreatePrimaryAsync();
        var peerRegion = Clients.ForRegion(Peer);
        for (var i = 0; i < 5; i++)
        {
            await peerRegion.CreateClusterAsync(new CreateClusterRequest { ClientToken = $"filler-{i}", MultiRegionProperties = new MultiRegionProperties { WitnessRegion = Witness } });
        }

        var error = (await FluentActions.Awaiting(() => CreatePeerAsync(primary.Str("arn")!)).Should().ThrowAsync<ServiceQuotaExceededException>()).Which;

        error.GetType().Name.Should().Be("ServiceQuotaExceededException");
        Clusters.Where(c => c.Region == Peer).Should().HaveCount(5).And.OnlyContain(c => c.Peers.Count == 0);
    }

    [Fact]
    public async Task CreatePeerCluster_TokenReusedWithADifferentRequest_ConflictExceptionAndOnePeer()
    {
        var primaryArn = (await CreatePrimaryAsync()).Str("arn")!;
        await CreatePeerAsync(primaryArn);

        // The same execution and step asking for something else: DSQL refuses to reuse the token.
        await FluentActions.Awaiting(() => CreatePeerAsync(primaryArn, deletionProtection: false)).Should().ThrowAsync<ConflictException>();
        Clusters.Where(c => c.Region == Peer).Should().ContainSingle().Which.DeletionProtectionEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task DeleteCluster_ConflictWhileTheClusterIsNotLeaving_ConflictExceptionAndTheClusterStays()
    {
        const string sharedToken = "token-already-used-for-another-delete";
        var other = (await CreatePrimaryAsync("other-run", deletionProtection: false)).Str("identifier")!;
        var id = (await CreatePrimaryAsync(deletionProtection: false)).Str("identifier")!;
        await Clients.ForRegion(Primary).DeleteClusterAsync(new DeleteClusterRequest { Identifier = other, ClientToken = sharedToken });
        var function = StepUnderTest.Of(StepCatalog.DeleteCluster, new ClientTokenOverrideClients(Clients, sharedToken), Time, Logger);

        var act = () => Lambda.InvokeAsync(function.FunctionHandler, new { executionName = Execution, region = Primary, identifier = id });

        // The step re-reads the cluster on a conflict; one that is not on its way out is a real conflict.
        await act.Should().ThrowAsync<ConflictException>();
        Cluster(id).Status.Should().Be(ClusterStatus.PendingSetup);
    }
}
