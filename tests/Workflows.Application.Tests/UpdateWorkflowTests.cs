using System.Text.Json.Nodes;
using Workflows.Application.Tests.Support;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Engine;
using Workflows.Engine.History;
using Workflows.Engine.Time;

namespace Workflows.Application.Tests;

/// <summary>
/// statemachines/update.asl.json in the local engine with the real functions (bound from template.yaml as the local
/// engine binds them) on a scripted DSQL (<see cref="ScriptedDsql"/>): DSQL Local does not emulate UPDATING yet, so a
/// cluster that stays UPDATING after UpdateCluster is scripted here. The end-to-end suite runs the same machine on DSQL Local.
/// </summary>
public class UpdateWorkflowTests
{
    private const string Primary = "q4abtx7ukcmhsdnk2vzp3ewl5y";
    private const string Peer = "r7cdvy2mfqjt8wbn4xkz6ahs3u";

    // events/update-input.json: protection off, retire-after set, on-call removed.
    private static readonly string Input = File.ReadAllText(Path.Combine(Repository.Root, "events", "update-input.json"));

    private readonly VirtualClock _clock = new(WorkflowRun.Start);
    private readonly ScriptedDsql _dsql;
    private readonly ScriptedCluster _primary;
    private readonly ScriptedCluster _peer;

    public UpdateWorkflowTests()
    {
        _dsql = new ScriptedDsql(_clock);
        (_primary, _peer) = _dsql.AddPair(Primary, Peer);
    }

    private Task<WorkflowRun> RunAsync(string testCase, string? input = null, VirtualClock? clock = null) =>
        WorkflowRun.RunAsync("update", testCase, input ?? Input, _dsql, clock ?? _clock);

    private static void ShouldBeUpdated(ScriptedCluster cluster)
    {
        cluster.DeletionProtection.Should().BeFalse();
        cluster.Tags.Should().Contain("retire-after", "2026-12-31").And.NotContainKey("on-call").And.ContainKey("workflows:execution");
    }

    private static void ShouldBeUntouched(ScriptedCluster cluster)
    {
        cluster.DeletionProtection.Should().BeTrue();
        cluster.Tags.Should().ContainKey("on-call").And.NotContainKey("retire-after");
        cluster.ClientTokens.Should().BeEmpty();
    }

    private List<(string Operation, string Region)> Changes => _dsql.Calls.Where(c => c.Operation is "UpdateCluster" or "TagResource" or "UntagResource").ToList();

    [Fact]
    public async Task Update_HappyPath_ChangesBothClustersWaitsUntilActiveAndPublishes()
    {
        var run = await RunAsync("HappyPath");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        ShouldBeUpdated(_primary);
        ShouldBeUpdated(_peer);
        run.Calls.Select(c => c.Function).Should().StartWith(["ValidateUpdateRequestFunction", "DescribeClusterFunction"]).And.EndWith("DescribeClusterFunction");
        run.CallsTo("UpdateClusterTags").Should().HaveCount(2);
        run.CallsTo("SetDeletionProtection").Should().HaveCount(2).And.OnlyContain(c => !c.Input["enabled"]!.GetValue<bool>());
        run.CallsTo("DescribeCluster").First().Input["checkPair"]!.GetValue<bool>().Should().BeTrue("the pair is checked before anything changes");
        _primary.ClientTokens.Should().ContainSingle().Which.Should().StartWith("SetDeletionProtection-");

        run.Output["primary"]!["status"]!.GetValue<string>().Should().Be("ACTIVE");
        run.Output["peer"]!["deletionProtectionEnabled"]!.GetValue<bool>().Should().BeFalse();
        run.Output["updates"]!.AsArray().Should().HaveCount(2).And.OnlyContain(u => u!["updated"]!.GetValue<bool>());
        run.Output["eventPublished"]!.GetValue<bool>().Should().BeTrue();
        var updated = run.Events.Should().ContainSingle().Subject;
        updated.DetailType.Should().Be("DSQL Cluster Pair Updated");
        updated.Source.Should().Be("workflows.dsql");
        updated.Detail!["peer"]!["identifier"]!.GetValue<string>().Should().Be(Peer);
    }

    [Fact]
    public async Task Update_UpdatingPath_PollsUntilBothClustersAreActiveAgain()
    {
        _dsql.UpdatingFor = TimeSpan.FromMinutes(2);

        var run = await RunAsync("UpdatingPath");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        var checks = run.Result.History.Where(e => e.Type == HistoryEventType.LambdaFunctionSucceeded && e.Output!.Contains("\"decision\"", StringComparison.Ordinal)).Skip(1)
            .Select(e => JsonNode.Parse(e.Output!)!).ToList();
        checks.Should().HaveCountGreaterThan(2, "two minutes of UPDATING outlast the first checks");
        checks.SkipLast(1).Should().OnlyContain(c => c["decision"]!.GetValue<string>() == "WAIT")
            .And.Contain(c => c["clusters"]![0]!["status"]!.GetValue<string>() == "UPDATING");
        checks.Last()["decision"]!.GetValue<string>().Should().Be("READY");
        (run.Result.StopDate - WorkflowRun.Start).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMinutes(2))
            .And.BeLessThan(TimeSpan.FromMinutes(3), "the loop notices ACTIVE within its 5-30 s pacing");
        run.Output["primary"]!["status"]!.GetValue<string>().Should().Be("ACTIVE");
    }

    [Fact]
    public async Task Update_RetryPath_ThrottledTagResourceIsRetriedToSuccess()
    {
        _dsql.Fail("TagResource", "us-east-1", 2, ScriptedDsql.Throttled);

        var run = await RunAsync("RetryPath");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.Result.History.Where(e => e.Type == HistoryEventType.LambdaFunctionFailed).Select(e => e.Error).Should().Equal("ThrottlingException", "ThrottlingException");
        run.CallsTo("UpdateClusterTags").Should().HaveCount(4, "two throttled attempts on the primary, then one each");
        ShouldBeUpdated(_primary);
        ShouldBeUpdated(_peer);
    }

    [Fact]
    public async Task Update_NotAPair_FailsWithNotAPairBeforeChangingAnything()
    {
        _primary.Linked.Clear();
        _primary.Linked.Add("arn:aws:dsql:us-east-2:123456789012:cluster/bbbbbbbbbbbbbbbbbbbbbbbbbb");
        _peer.Linked.Clear();
        _peer.Linked.Add("arn:aws:dsql:us-east-1:123456789012:cluster/aaaaaaaaaaaaaaaaaaaaaaaaaa");

        var run = await RunAsync("NotAPair");

        run.Result.Error.Should().Be("Workflows.NotAPair");
        run.Result.Cause.Should().Contain(Primary).And.Contain(Peer).And.Contain("nothing was changed");
        Changes.Should().BeEmpty();
        ShouldBeUntouched(_primary);
        ShouldBeUntouched(_peer);
        var failure = run.Events.Should().ContainSingle().Subject;
        failure.DetailType.Should().Be("DSQL Cluster Pair Update Failed");
        failure.Detail!["error"]!.GetValue<string>().Should().Be("Workflows.NotAPair");
        failure.Detail["updates"].Should().BeNull("nothing was changed");
    }

    [Fact]
    public async Task Update_ClusterMissing_FailsBeforeChangingAnything()
    {
        _peer.Exists = false;

        var run = await RunAsync("ClusterMissing");

        run.Result.Error.Should().Be("Workflows.ClusterNotFound");
        run.Result.Cause.Should().Contain($"{Peer} in us-east-2 found: false");
        Changes.Should().BeEmpty();
        ShouldBeUntouched(_primary);
    }

    [Fact]
    public async Task Update_ClusterLeaving_FailsBeforeChangingAnything()
    {
        _peer.Status = "DELETING";

        var run = await RunAsync("ClusterLeaving");

        run.Result.Error.Should().Be("Workflows.ClusterNotActive");
        run.Result.Cause.Should().Contain($"{Peer} in us-east-2 is DELETING");
        Changes.Should().BeEmpty();
    }

    [Fact]
    public async Task Update_PartialFailure_NamesTheClusterThatChangedAndTheOneThatDidNot()
    {
        // Every attempt the retrier makes (1 + 10) is throttled in the peer's Region.
        _dsql.Fail("TagResource", "us-east-2", 11, ScriptedDsql.Throttled);

        var run = await RunAsync("PartialFailure");

        run.Result.Status.Should().Be(ExecutionStatus.Failed);
        run.Result.Error.Should().Be("Workflows.UpdateIncomplete");
        run.Result.Cause.Should().Contain($"{Primary} in us-east-1 was updated")
            .And.Contain($"{Peer} in us-east-2 was not changed (ThrottlingException)")
            .And.Contain("Run the same update again");
        ShouldBeUpdated(_primary);
        ShouldBeUntouched(_peer);
        var detail = run.Events.Should().ContainSingle().Which.Detail!;
        detail["error"]!.GetValue<string>().Should().Be("Workflows.UpdateIncomplete");
        var updates = detail["updates"]!.AsArray();
        updates.Single(u => u!["region"]!.GetValue<string>() == "us-east-1")!["updated"]!.GetValue<bool>().Should().BeTrue();
        var peer = updates.Single(u => u!["region"]!.GetValue<string>() == "us-east-2")!;
        peer["updated"]!.GetValue<bool>().Should().BeFalse();
        peer["tagsChanged"]!.GetValue<bool>().Should().BeFalse();
        peer["deletionProtectionChanged"]!.GetValue<bool>().Should().BeFalse();
        peer["error"]!.GetValue<string>().Should().Be("ThrottlingException");
    }

    [Fact]
    public async Task Update_ReRunAfterPartialFailure_FinishesTheJob()
    {
        _dsql.Fail("TagResource", "us-east-2", 11, ScriptedDsql.Throttled);
        (await RunAsync("PartialFailure")).Result.Error.Should().Be("Workflows.UpdateIncomplete");
        var firstToken = _primary.ClientTokens.Single();

        var rerun = await RunAsync("PartialFailure_ReRun", clock: new VirtualClock(WorkflowRun.Start.AddHours(1)));

        rerun.Result.Status.Should().Be(ExecutionStatus.Succeeded, rerun.Result.Cause);
        ShouldBeUpdated(_primary);
        ShouldBeUpdated(_peer);
        _primary.ClientTokens.Should().HaveCount(2);
        _primary.ClientTokens[1].Should().NotBe(firstToken, "each execution derives its own clientToken");
        rerun.Events.Should().ContainSingle().Which.DetailType.Should().Be("DSQL Cluster Pair Updated");
    }

    [Fact]
    public async Task Update_ProtectionFailsAfterTheTags_RecordsTheClusterAsChangedInPart()
    {
        _dsql.Fail("UpdateCluster", "us-east-2", 1, () => new AccessDeniedException("not allowed", null));

        var run = await RunAsync("ProtectionFailsAfterTags");

        run.Result.Error.Should().Be("Workflows.UpdateIncomplete");
        run.Result.Cause.Should().Contain($"{Peer} in us-east-2 has its new tags but not its deletion protection (AccessDeniedException)");
        _peer.DeletionProtection.Should().BeTrue();
        _peer.Tags.Should().ContainKey("retire-after");
        ShouldBeUpdated(_primary);
        var peer = run.Events.Single().Detail!["updates"]!.AsArray().Single(u => u!["region"]!.GetValue<string>() == "us-east-2")!;
        peer["tagsChanged"]!.GetValue<bool>().Should().BeTrue();
        peer["deletionProtectionChanged"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Update_TagsOnly_NeverCallsUpdateCluster()
    {
        const string input = """{"primary":{"region":"us-east-1","identifier":"q4abtx7ukcmhsdnk2vzp3ewl5y"},"peer":{"region":"us-east-2","identifier":"r7cdvy2mfqjt8wbn4xkz6ahs3u"},"tags":{"team":"data"}}""";

        var run = await RunAsync("TagsOnly", input);

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.CallsTo("SetDeletionProtection").Should().BeEmpty();
        _dsql.Calls.Should().NotContain(c => c.Operation == "UpdateCluster" || c.Operation == "UntagResource");
        _primary.Tags.Should().Contain("team", "data");
        _primary.DeletionProtection.Should().BeTrue();
    }

    [Fact]
    public async Task Update_ReservedTagPrefix_FailsNamingTheKeyAndChangesNothing()
    {
        const string input = """{"primary":{"region":"us-east-1","identifier":"q4abtx7ukcmhsdnk2vzp3ewl5y"},"peer":{"region":"us-east-2","identifier":"r7cdvy2mfqjt8wbn4xkz6ahs3u"},"untagKeys":["workflows:execution"]}""";

        var run = await RunAsync("ValidationFailure", input);

        run.Result.Error.Should().Be("InvalidRequestException");
        run.Result.Cause.Should().Contain("workflows:execution").And.Contain("reserved prefix");
        _dsql.Calls.Should().BeEmpty();
        var failure = run.Events.Should().ContainSingle().Subject;
        failure.DetailType.Should().Be("DSQL Cluster Pair Update Failed");
        failure.Detail!["request"]!["untagKeys"]![0]!.GetValue<string>().Should().Be("workflows:execution", "the request as it came");
    }

    [Fact]
    public async Task Update_PublishFails_SucceedsSayingTheEventWasNotPublished()
    {
        var run = await RunAsync("PublishFails");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.Output["eventPublished"]!.GetValue<bool>().Should().BeFalse();
        ShouldBeUpdated(_peer);
    }
}
