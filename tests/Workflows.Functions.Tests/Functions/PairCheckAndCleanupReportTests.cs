using System.Text.Json;
using Workflows.Core.Errors;
using Workflows.Core.Steps;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

/// <summary>DescribeCluster's pair check, DeleteCluster's outcome and ConfirmClusterGone's leftovers.</summary>
public sealed class PairCheckAndCleanupReportTests : DsqlLocalTestBase
{
    private const string Missing = "zzzzzzzzzzzzzzzzzzzzzzzzzz";

    private static Dictionary<string, string?> Ref(JsonElement cluster) =>
        new() { ["region"] = cluster.Str("region"), ["identifier"] = cluster.Str("identifier") };

    private static DescribedCluster Seen(string region, string id, bool found, params string[] linked) =>
        new(new ClusterInfo { Region = region, Identifier = id, LinkedClusterArns = linked }, found);

    private static string Arn(string region, string id) => $"arn:aws:dsql:{region}:123456789012:cluster/{id}";

    [Fact]
    public async Task DescribeCluster_CheckPairOnAPair_IsPair()
    {
        var (primary, peer) = await ProvisionPairAsync();

        var result = await Lambda.InvokeAsync(DescribeFunction().FunctionHandler, new { clusters = new[] { Ref(primary), Ref(peer) }, checkPair = true });

        result.GetProperty("pair").GetProperty("isPair").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task DescribeCluster_CheckPairOnHalvesOfTwoPairs_NotAPairNamingBothAndTheirLinks()
    {
        var (primaryA, _) = await ProvisionPairAsync();
        var primaryB = await CreatePrimaryAsync("run-b");
        var peerB = await CreatePeerAsync(primaryB.Str("arn")!, "run-b");
        await LinkAsync(primaryB.Str("identifier")!, peerB.Str("arn")!, "run-b");

        var result = await Lambda.InvokeAsync(DescribeFunction().FunctionHandler, new { clusters = new[] { Ref(primaryA), Ref(peerB) }, checkPair = true });

        var pair = result.GetProperty("pair");
        pair.GetProperty("isPair").GetBoolean().Should().BeFalse();
        pair.Str("reason").Should().Contain(primaryA.Str("identifier")).And.Contain(peerB.Str("identifier"))
            .And.Contain("is linked to arn:aws:dsql").And.Contain("nothing was changed", "the pair check serves teardown and update");
    }

    [Fact]
    public async Task DescribeCluster_CheckPairWithoutTwoClusters_InvalidRequest()
    {
        var primary = await CreatePrimaryAsync();

        var act = () => Lambda.InvokeAsync(DescribeFunction().FunctionHandler, new { clusters = new[] { Ref(primary) }, checkPair = true });

        (await act.Should().ThrowAsync<InvalidRequestException>()).Which.Message.Should().StartWith("checkPair:");
    }

    [Fact]
    public void Pair_HalfRetiredPairWhoseSurvivorListsTheMissingOne_IsPair() =>
        DescribeClusterStep.Pair(Seen(Primary, "aaaaaaaaaaaaaaaaaaaaaaaaaa", true, Arn(Peer, Missing)), Seen(Peer, Missing, false)).IsPair.Should().BeTrue();

    [Fact]
    public void Pair_SurvivorLinkedElsewhere_NotAPair() =>
        DescribeClusterStep.Pair(Seen(Primary, "aaaaaaaaaaaaaaaaaaaaaaaaaa", true, Arn(Peer, "bbbbbbbbbbbbbbbbbbbbbbbbbb")), Seen(Peer, Missing, false))
            .Reason.Should().Contain("not to " + Missing);

    [Fact]
    public void Pair_BothGone_IsPair() =>
        DescribeClusterStep.Pair(Seen(Primary, "aaaaaaaaaaaaaaaaaaaaaaaaaa", false), Seen(Peer, Missing, false)).IsPair.Should().BeTrue();

    [Fact]
    public void Pair_UnlinkedPrimaryListedByThePeer_IsPair() =>
        DescribeClusterStep.Pair(
            Seen(Primary, "aaaaaaaaaaaaaaaaaaaaaaaaaa", true),
            Seen(Peer, Missing, true, Arn(Primary, "aaaaaaaaaaaaaaaaaaaaaaaaaa"))).IsPair.Should().BeTrue("provisioning stopped before the link");

    [Fact]
    public void Pair_UnlinkedPrimaryWhosePeerIsGone_IsPair() =>
        DescribeClusterStep.Pair(Seen(Primary, "aaaaaaaaaaaaaaaaaaaaaaaaaa", true), Seen(Peer, Missing, false)).IsPair.Should().BeTrue();

    [Fact]
    public void Pair_TwoFoundClustersListingNothing_NotAPair() =>
        DescribeClusterStep.Pair(Seen(Primary, "aaaaaaaaaaaaaaaaaaaaaaaaaa", true), Seen(Peer, Missing, true))
            .Reason.Should().Contain("linked to no cluster");

    [Fact]
    public void Pair_UnlinkedPrimaryWhosePeerListsAnother_NotAPair() =>
        DescribeClusterStep.Pair(
            Seen(Primary, "aaaaaaaaaaaaaaaaaaaaaaaaaa", true),
            Seen(Peer, Missing, true, Arn(Primary, "bbbbbbbbbbbbbbbbbbbbbbbbbb"))).IsPair.Should().BeFalse();

    [Fact]
    public void Pair_OnlyOneListsTheOther_NotAPair() =>
        DescribeClusterStep.Pair(
            Seen(Primary, "aaaaaaaaaaaaaaaaaaaaaaaaaa", true, Arn(Peer, Missing)),
            Seen(Peer, Missing, true)).IsPair.Should().BeFalse();

    [Fact]
    public async Task DeleteCluster_MissingCluster_OutcomeNotFound()
    {
        var result = await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Primary, identifier = Missing });

        result.Str("outcome").Should().Be("NOT_FOUND");
    }

    [Fact]
    public async Task DeleteCluster_ExistingCluster_OutcomeDeleted()
    {
        var primary = await CreatePrimaryAsync(deletionProtection: false);

        var result = await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Primary, identifier = primary.Str("identifier") });

        result.Str("outcome").Should().Be("DELETED");
    }

    [Fact]
    public async Task ConfirmClusterGone_ClusterTheCleanupCouldNotDelete_ReportedAsLeftoverAndNotWaitedFor()
    {
        var primary = await CreatePrimaryAsync();
        var results = new[]
        {
            new { region = Primary, identifier = primary.Str("identifier"), deleted = false, why = "AccessDeniedException: not allowed" },
        };

        var result = await Lambda.InvokeAsync(ConfirmGoneFunction().FunctionHandler, new { clusters = results });

        result.Str("decision").Should().Be("READY", "there is nothing deleted to wait for");
        var leftover = result.GetProperty("leftover").EnumerateArray().Should().ContainSingle().Subject;
        leftover.Str("identifier").Should().Be(primary.Str("identifier"));
        leftover.Str("why").Should().Be("AccessDeniedException: not allowed");
    }

    [Fact]
    public async Task ConfirmClusterGone_DeletedClusterStillActive_FailedAndListedAsLeftover()
    {
        var primary = await CreatePrimaryAsync();

        var result = await Lambda.InvokeAsync(ConfirmGoneFunction().FunctionHandler, new { clusters = new[] { Ref(primary) } });

        result.Str("decision").Should().Be("FAILED");
        result.GetProperty("leftover").EnumerateArray().Should().ContainSingle()
            .Which.Str("why").Should().Contain("still PENDING_SETUP");
    }

    [Fact]
    public async Task ConfirmClusterGone_AllGone_NoLeftover()
    {
        var result = await Lambda.InvokeAsync(ConfirmGoneFunction().FunctionHandler, new { clusters = new[] { new { region = Primary, identifier = Missing } } });

        result.Str("decision").Should().Be("READY");
        result.GetProperty("leftover").GetArrayLength().Should().Be(0);
    }
}
