using System.Text.Json;
using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Polling;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

/// <summary>
/// The steps on the real service's states (FACTS): the own ARN in multiRegionProperties.clusters, IDLE and
/// INACTIVE pairs as healthy, UPDATING waited out, and a teardown of a pair nobody used for weeks.
/// </summary>
public sealed class ServiceStatesStepTests : DsqlLocalTestBase
{
    private static readonly TimeSpan UpdatingTime = TimeSpan.FromMinutes(15);

    protected override void Configure(DsqlLocalOptions options) => options.UpdatingTime = UpdatingTime;

    private Task<JsonElement> DescribeAsync(object payload) => Lambda.InvokeAsync(DescribeFunction().FunctionHandler, payload);

    private static object Ref(JsonElement cluster) => new { arn = cluster.Str("arn") };

    [Fact]
    public async Task DescribeCluster_OwnArnInClusters_PairCheckPassesAndPeersLeaveItOut()
    {
        var (primary, peer) = await ProvisionPairAsync();
        Time.Advance(UpdatingTime);

        var result = await DescribeAsync(new { clusters = new[] { Ref(primary), Ref(peer) }, checkPair = true });

        result.GetProperty("pair").GetProperty("isPair").GetBoolean().Should().BeTrue();
        result.Str("decision").Should().Be(PollDecision.Ready);
        var described = result.GetProperty("clusters").EnumerateArray().ToList();
        described[0].GetProperty("linkedClusterArns").EnumerateArray().Select(a => a.GetString()).Should().Equal(peer.Str("arn"));
        described[1].GetProperty("linkedClusterArns").EnumerateArray().Select(a => a.GetString()).Should().Equal(primary.Str("arn"));
    }

    [Theory]
    [InlineData(ClusterStatus.Idle)]
    [InlineData(ClusterStatus.Inactive)]
    public async Task DescribeCluster_IdlePair_CountsAsReady(string status)
    {
        var (primary, peer) = await ProvisionPairAsync();
        Time.Advance(UpdatingTime);
        Server.SetClusterStatus(primary.Str("identifier")!, status);
        Server.SetClusterStatus(peer.Str("identifier")!, ClusterStatus.Idle);

        var result = await DescribeAsync(new { clusters = new[] { Ref(primary), Ref(peer) }, checkPair = true });

        result.Str("decision").Should().Be(PollDecision.Ready);
        result.GetProperty("pair").GetProperty("isPair").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task DescribeCluster_UpdatingAfterLink_WaitsItOutThenReady()
    {
        var (primary, peer) = await ProvisionPairAsync();
        Time.Advance(ProvisioningTime);

        var during = await DescribeAsync(new { clusters = new[] { Ref(primary), Ref(peer) } });
        Time.Advance(UpdatingTime - ProvisioningTime);
        var after = await DescribeAsync(new { clusters = new[] { Ref(primary), Ref(peer) }, poll = during });

        during.GetProperty("clusters").EnumerateArray().Select(c => c.Str("status")).Should().Equal(ClusterStatus.Updating, ClusterStatus.Active);
        during.Str("decision").Should().Be(PollDecision.Wait);
        after.Str("decision").Should().Be(PollDecision.Ready);
    }

    [Fact]
    public async Task DescribeCluster_FailedCreation_FailsThePoll()
    {
        var (primary, peer) = await ProvisionPairAsync();
        Server.SetClusterStatus(peer.Str("identifier")!, ClusterStatus.Failed);

        var result = await DescribeAsync(new { clusters = new[] { Ref(primary), Ref(peer) } });

        result.Str("decision").Should().Be(PollDecision.Failed);
    }

    [Fact]
    public async Task Teardown_IdlePairTeardown_UnprotectsDeletesAndConfirmsBothGone()
    {
        var (primary, peer) = await ProvisionPairAsync();
        Time.Advance(UpdatingTime);
        Server.SetClusterStatus(primary.Str("identifier")!, ClusterStatus.Inactive);
        Server.SetClusterStatus(peer.Str("identifier")!, ClusterStatus.Idle);

        foreach (var (cluster, region) in new[] { (primary, Primary), (peer, Peer) })
        {
            var off = await Lambda.InvokeAsync(
                ProtectionFunction().FunctionHandler,
                new { executionName = Execution, stateMachineArn = StateMachine, region, identifier = cluster.Str("identifier"), enabled = false });
            off.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeFalse();
        }

        foreach (var (cluster, region) in new[] { (primary, Primary), (peer, Peer) })
        {
            await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, stateMachineArn = StateMachine, region, identifier = cluster.Str("identifier") });
        }

        Time.Advance(DeletionTime);
        var gone = await Lambda.InvokeAsync(ConfirmGoneFunction().FunctionHandler, new { clusters = new[] { Ref(primary), Ref(peer) } });

        gone.Str("decision").Should().Be(PollDecision.Ready);
        Clusters.Should().BeEmpty();
    }
}
