using Workflows.Application.Tests.Support;
using Workflows.Engine;

namespace Workflows.Application.Tests;

/// <summary>statemachines/teardown.asl.json in the local engine, with the task responses of Fixtures/teardown.mocks.json.</summary>
public class TeardownWorkflowTests
{
    private const string Input = """
        {"primary":{"region":"us-east-1","identifier":"q4abtx7ukcmhsdnk2vzp3ewl5y"},
         "peer":{"arn":"arn:aws:dsql:us-east-2:123456789012:cluster/r7cdvy2mfqjt8wbn4xkz6ahs3u"}}
        """;

    private const string Primary = "q4abtx7ukcmhsdnk2vzp3ewl5y";
    private const string Peer = "r7cdvy2mfqjt8wbn4xkz6ahs3u";

    private static Task<WorkflowRun> RunAsync(string testCase) => WorkflowRun.RunAsync("teardown", testCase, Input);

    [Fact]
    public async Task Teardown_HappyPath_DeletesPrimaryThenPeerAndWaitsUntilGone()
    {
        var run = await RunAsync("HappyPath");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.Calls.Select(c => c.Function).Should().Equal(
            "ValidateTeardownRequestFunction",
            "DescribeClusterFunction",
            "DeleteClusterFunction",
            "DeleteClusterFunction",
            "ConfirmClusterGoneFunction",
            "ConfirmClusterGoneFunction");
        run.CallsTo("DeleteCluster").Select(c => c.Input["identifier"]!.GetValue<string>()).Should().Equal(Primary, Peer);
        run.CallsTo("SetDeletionProtection").Should().BeEmpty();
        var firstCheck = run.CallsTo("ConfirmClusterGone").First();
        (firstCheck.Time - WorkflowRun.Start).Should().Be(TimeSpan.FromSeconds(30), "the first wait is the request's initial delay");
        firstCheck.Input["clusters"]!.AsArray().Select(c => c!["identifier"]!.GetValue<string>()).Should().Equal(Primary, Peer);

        run.Output["primary"]!["identifier"]!.GetValue<string>().Should().Be(Primary);
        run.Output["peer"]!["identifier"]!.GetValue<string>().Should().Be(Peer);
        run.Output["primary"]!["outcome"]!.GetValue<string>().Should().Be("DELETED");
        run.Output["eventPublished"]!.GetValue<bool>().Should().BeTrue();
        run.CallsTo("DescribeCluster").Single().Input["checkPair"]!.GetValue<bool>().Should().BeTrue();
        var retired = run.Events.Should().ContainSingle().Subject;
        retired.DetailType.Should().Be("DSQL Cluster Pair Retired");
        retired.Source.Should().Be("workflows.dsql");
        retired.Detail!["peer"]!["region"]!.GetValue<string>().Should().Be("us-east-2");
    }

    [Fact]
    public async Task Teardown_ProtectedWithoutForce_FailsBeforeDeletingAnything()
    {
        var run = await RunAsync("Protected_WithoutForce");

        run.Result.Status.Should().Be(ExecutionStatus.Failed);
        run.Result.Error.Should().Be("DeletionProtectionEnabledException");
        run.Result.Cause.Should().Contain(Primary).And.Contain(Peer).And.Contain("\"force\": true");
        run.CallsTo("SetDeletionProtection").Should().BeEmpty();
        run.CallsTo("DeleteCluster").Should().BeEmpty();
        var failure = run.Events.Should().ContainSingle().Subject;
        failure.DetailType.Should().Be("DSQL Cluster Pair Teardown Failed");
        failure.Detail!["error"]!.GetValue<string>().Should().Be("DeletionProtectionEnabledException");
    }

    [Fact]
    public async Task Teardown_Force_TurnsProtectionOffBeforeDeleting()
    {
        var run = await RunAsync("Force");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        var offs = run.CallsTo("SetDeletionProtection").ToList();
        offs.Select(c => c.Input["identifier"]!.GetValue<string>()).Should().BeEquivalentTo([Primary, Peer]);
        offs.Should().OnlyContain(c => !c.Input["enabled"]!.GetValue<bool>());
        var firstDelete = run.Calls.ToList().FindIndex(c => c.Function == "DeleteClusterFunction");
        run.Calls.ToList().FindLastIndex(c => c.Function == "SetDeletionProtectionFunction").Should().BeLessThan(firstDelete);
        run.CallsTo("DeleteCluster").Should().HaveCount(2);
    }

    [Fact]
    public async Task Teardown_RetryPath_ConflictsOnProtectionAndDeletesAreRetriedLikeTheCleanUp()
    {
        var run = await RunAsync("Force_ConflictsRetried");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.CallsTo("SetDeletionProtection").Should().HaveCount(3, "one conflict, retried");
        run.CallsTo("DeleteCluster").Select(c => c.Input["identifier"]!.GetValue<string>()).Should().Equal(Primary, Primary, Peer, Peer);
    }

    [Fact]
    public async Task Teardown_AlreadyRetired_Succeeds()
    {
        var run = await RunAsync("AlreadyRetired");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.CallsTo("DeleteCluster").Should().BeEmpty();
        var retired = run.Events.Should().ContainSingle().Subject;
        retired.DetailType.Should().Be("DSQL Cluster Pair Retired");
        retired.Detail!["primary"]!["outcome"]!.GetValue<string>().Should().Be("NOT_FOUND", "there was nothing to delete");
        run.Output["peer"]!["outcome"]!.GetValue<string>().Should().Be("NOT_FOUND");
    }

    [Fact]
    public async Task Teardown_HalvesOfTwoPairs_FailsWithNotAPairBeforeTouchingAnything()
    {
        var run = await RunAsync("NotAPair");

        run.Result.Error.Should().Be("Workflows.NotAPair");
        run.Result.Cause.Should().Contain(Primary).And.Contain(Peer).And.Contain("is linked to");
        run.CallsTo("SetDeletionProtection").Should().BeEmpty();
        run.CallsTo("DeleteCluster").Should().BeEmpty();
        run.Events.Should().ContainSingle().Which.Detail!["error"]!.GetValue<string>().Should().Be("Workflows.NotAPair");
    }

    [Fact]
    public async Task Teardown_PublishFails_SucceedsSayingTheEventWasNotPublished()
    {
        var run = await RunAsync("PublishFails");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.Output["eventPublished"]!.GetValue<bool>().Should().BeFalse();
        run.Output["primary"]!["outcome"]!.GetValue<string>().Should().Be("DELETED");
    }

    [Fact]
    public async Task Teardown_ValidationFailure_PublishesFailureAndDeletesNothing()
    {
        var run = await RunAsync("ValidationFailure");

        run.Result.Error.Should().Be("InvalidRequestException");
        run.Calls.Select(c => c.Function).Should().Equal("ValidateTeardownRequestFunction");
        var failure = run.Events.Should().ContainSingle().Subject;
        failure.DetailType.Should().Be("DSQL Cluster Pair Teardown Failed");
        failure.Detail!["request"]!["primary"]!["identifier"]!.GetValue<string>().Should().Be(Primary, "the request as it came");
    }

    [Fact]
    public async Task Teardown_ProtectionTurnedOnMeanwhile_FailsWithTheDeleteError()
    {
        var run = await RunAsync("ProtectedMeanwhile");

        run.Result.Error.Should().Be("DeletionProtectionEnabledException");
        run.CallsTo("DeleteCluster").Should().ContainSingle("a protected cluster is not retried");
        run.Events.Should().ContainSingle().Which.DetailType.Should().Be("DSQL Cluster Pair Teardown Failed");
    }

    [Fact]
    public async Task Teardown_ClusterStays_FailsWithTheReason()
    {
        var run = await RunAsync("ClusterStays");

        run.Result.Error.Should().Be("Workflows.ClusterNotDeleted");
        run.Result.Cause.Should().Contain("is ACTIVE");
    }

    [Fact]
    public async Task Teardown_ClusterStays_FailureEventSaysWhatWasCheckedAndDeleted()
    {
        var run = await RunAsync("ClusterStays");

        var detail = run.Events.Should().ContainSingle().Which.Detail!;
        detail["before"]!["clusters"]!.AsArray().Select(c => c!["identifier"]!.GetValue<string>()).Should().Equal(Primary, Peer);
        detail["deletions"]!["primary"]!["identifier"]!.GetValue<string>().Should().Be(Primary);
        detail["deletions"]!["peer"]!["identifier"]!.GetValue<string>().Should().Be(Peer);
    }

    [Fact]
    public async Task Teardown_ProtectionTurnedOnMeanwhile_FailureEventSaysNothingWasDeleted()
    {
        var run = await RunAsync("ProtectedMeanwhile");

        var detail = run.Events.Should().ContainSingle().Which.Detail!;
        detail["before"]!["clusters"]!.AsArray().Should().HaveCount(2);
        detail["deletions"]!.AsObject().Should().BeEmpty();
    }

    [Fact]
    public async Task Teardown_ValidationFailure_FailureEventSaysNothingWasCheckedOrDeleted()
    {
        var run = await RunAsync("ValidationFailure");

        var detail = run.Events.Should().ContainSingle().Which.Detail!;
        detail["before"].Should().BeNull();
        detail.AsObject().ContainsKey("before").Should().BeTrue();
        detail["deletions"]!.AsObject().Should().BeEmpty();
    }
}
