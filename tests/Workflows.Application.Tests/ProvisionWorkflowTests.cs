using System.Text.Json.Nodes;
using Workflows.Application.Tests.Support;
using Workflows.Engine;

namespace Workflows.Application.Tests;

/// <summary>statemachines/provision.asl.json in the local engine, with the task responses of Fixtures/provision.mocks.json.</summary>
public class ProvisionWorkflowTests
{
    private const string Input = """
        {"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","tags":{"team":"payments"}}
        """;

    private const string Primary = "q4abtx7ukcmhsdnk2vzp3ewl5y";
    private const string Peer = "r7cdvy2mfqjt8wbn4xkz6ahs3u";

    private static Task<WorkflowRun> RunAsync(string testCase, DateTimeOffset? activeAt = null) =>
        WorkflowRun.RunAsync("provision", testCase, Input, new ScriptedProvisioning(activeAt ?? WorkflowRun.Start.AddMinutes(5)));

    [Fact]
    public async Task Provision_HappyPath_SucceedsWithinTheTransitionAndInvocationBudget()
    {
        // Both clusters turn ACTIVE five minutes after the link (the mocked steps take no virtual time).
        var activeAt = WorkflowRun.Start.AddMinutes(5);

        var run = await RunAsync("HappyPath", activeAt);

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.Result.Transitions.Should().BeLessThanOrEqualTo(30);
        run.Calls.Should().HaveCountLessThanOrEqualTo(15);
        (run.Result.StopDate - activeAt).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(30));
        run.CallsTo("DescribeCluster").Select(c => (int)(c.Time - WorkflowRun.Start).TotalSeconds)
            .Should().Equal(180, 198, 217, 238, 261, 287, 315);
        run.Result.Transitions.Should().Be(27);
        run.Output["eventPublished"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Provision_HappyPath_OutputsBothClustersAndPublishesTheProvisionedEvent()
    {
        var run = await RunAsync("HappyPath");

        var output = run.Output;
        output["witnessRegion"]!.GetValue<string>().Should().Be("us-west-2");
        foreach (var (key, region, id) in new[] { ("primary", "us-east-1", Primary), ("peer", "us-east-2", Peer) })
        {
            var cluster = output[key]!;
            cluster["region"]!.GetValue<string>().Should().Be(region);
            cluster["identifier"]!.GetValue<string>().Should().Be(id);
            cluster["arn"]!.GetValue<string>().Should().Be($"arn:aws:dsql:{region}:123456789012:cluster/{id}");
            cluster["status"]!.GetValue<string>().Should().Be("ACTIVE");
            cluster["endpoint"]!.GetValue<string>().Should().Be($"{id}.dsql.{region}.on.aws");
        }

        var published = run.Events.Should().ContainSingle().Subject;
        published.EventBusName.Should().Be("workflows");
        published.Source.Should().Be("workflows.dsql");
        published.DetailType.Should().Be("DSQL Cluster Pair Provisioned");
        published.Detail!["primary"]!["identifier"]!.GetValue<string>().Should().Be(Primary);
        published.Detail["peer"]!["identifier"]!.GetValue<string>().Should().Be(Peer);
        published.Detail["executionArn"]!.GetValue<string>().Should().Be(run.Result.ExecutionArn);
    }

    [Fact]
    public async Task Provision_HappyPath_PassesTheContractPayloads()
    {
        var run = await RunAsync("HappyPath");

        run.Calls.Select(c => c.Function).Take(4).Should().Equal(
            "ValidateProvisionRequestFunction", "CreatePrimaryClusterFunction", "CreatePeerClusterFunction", "LinkClustersFunction");
        var validate = run.CallsTo("ValidateProvisionRequest").Single().Input;
        validate["request"]!["primaryRegion"]!.GetValue<string>().Should().Be("us-east-1");
        validate["startedAt"]!.GetValue<string>().Should().StartWith("2026-11-26T08:00:00");

        var primary = run.CallsTo("CreatePrimaryCluster").Single().Input;
        primary["executionName"]!.GetValue<string>().Should().Be("run-HappyPath");
        primary["stateMachineArn"]!.GetValue<string>().Should().EndWith(":stateMachine:provision");
        primary["region"]!.GetValue<string>().Should().Be("us-east-1");
        primary["witnessRegion"]!.GetValue<string>().Should().Be("us-west-2");
        primary["deletionProtection"]!.GetValue<bool>().Should().BeTrue();
        primary["tags"]!["team"]!.GetValue<string>().Should().Be("payments");

        var peer = run.CallsTo("CreatePeerCluster").Single().Input;
        peer["region"]!.GetValue<string>().Should().Be("us-east-2");
        peer["primaryArn"]!.GetValue<string>().Should().Be($"arn:aws:dsql:us-east-1:123456789012:cluster/{Primary}");

        var link = run.CallsTo("LinkClusters").Single().Input;
        link["region"]!.GetValue<string>().Should().Be("us-east-1");
        link["identifier"]!.GetValue<string>().Should().Be(Primary);
        link["peerArn"]!.GetValue<string>().Should().Be($"arn:aws:dsql:us-east-2:123456789012:cluster/{Peer}");

        var check = run.CallsTo("DescribeCluster").First().Input;
        check["clusters"]!.AsArray().Select(c => c!["identifier"]!.GetValue<string>()).Should().Equal(Primary, Peer);
        check["waitFor"]!.GetValue<string>().Should().Be("ACTIVE");
        check["poll"]!["attempt"]!.GetValue<int>().Should().Be(0);
        check["polling"]!["deadlineSeconds"]!.GetValue<int>().Should().Be(3600);
    }

    [Theory]
    [InlineData(600)]
    [InlineData(1200)]
    [InlineData(2400)]
    public async Task Provision_LongerProvisioning_NoticesActiveWithinATenthOfTheTime(int seconds)
    {
        var activeAt = WorkflowRun.Start.AddSeconds(seconds);

        var run = await RunAsync("HappyPath", activeAt);

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        // The last wait is at most a tenth of the time elapsed when it started (capped at 120 s), plus a second of rounding.
        (run.Result.StopDate - activeAt).TotalSeconds.Should().BeLessThanOrEqualTo(Math.Min(120, (seconds / 10) + 1));
    }

    [Fact]
    public async Task Provision_RetryPath_RetriesThrottledCreateThenSucceeds()
    {
        var run = await RunAsync("RetryPath");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.CallsTo("CreatePrimaryCluster").Should().HaveCount(2);
        var retry = run.CallsTo("CreatePrimaryCluster").ToList();
        (retry[1].Time - retry[0].Time).Should().Be(TimeSpan.FromSeconds(20), "a throttle reaching the state machine outlasted the client's own wait (20 s), and a Retry-After is a floor, so no jitter");
        run.CallsTo("DeleteCluster").Should().BeEmpty();
    }

    [Fact]
    public async Task Provision_RetryAfterBeyondClient_WaitsWithoutJitterAndSucceeds()
    {
        // Five throttled answers that the client handed back (a Retry-After above its own 20 s): the state machine
        // retries 20, 40, 80, 120 and 120 s apart, never sooner, and the sixth attempt is answered.
        var run = await RunAsync("RetryAfterBeyondClient");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        var times = run.CallsTo("CreatePrimaryCluster").Select(c => c.Time).ToList();
        times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).Should().Equal(20, 40, 80, 120, 120);
        run.CallsTo("DeleteCluster").Should().BeEmpty();
    }

    [Fact]
    public async Task Provision_RetryAfterBeyondClient_ThrottledPastTheBoundFailsAfter380Seconds()
    {
        var run = await RunAsync("RetryAfterBeyondClient_PastTheBound");

        run.Result.Error.Should().Be("ThrottlingException");
        var times = run.CallsTo("CreatePrimaryCluster").Select(c => c.Time).ToList();
        times.Should().HaveCount(6, "the first attempt and the throttling retrier's five");
        (times[^1] - times[0]).Should().Be(TimeSpan.FromSeconds(380), "the documented bound: a Retry-After of up to 380 s is waited out");
        run.CallsTo("FindExecutionClusters").Should().ContainSingle("a throttled create proves nothing, so the run looks before it gives up");
    }

    [Fact]
    public async Task Provision_LambdaRetryPath_RetriesLambdaServiceErrors()
    {
        var run = await RunAsync("LambdaRetryPath");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        var calls = run.CallsTo("CreatePrimaryCluster").ToList();
        calls.Should().HaveCount(3);
        (calls[1].Time - calls[0].Time).Should().Be(TimeSpan.FromSeconds(2));
        (calls[2].Time - calls[1].Time).Should().Be(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Provision_ValidationFailure_PublishesFailureAndCreatesNothing()
    {
        var run = await RunAsync("ValidationFailure");

        run.Result.Status.Should().Be(ExecutionStatus.Failed);
        run.Result.Error.Should().Be("InvalidRequestException");
        run.Result.Cause.Should().Contain("peerRegion: must differ from primaryRegion");
        run.Calls.Select(c => c.Function).Should().Equal("ValidateProvisionRequestFunction");
        var failure = run.Events.Should().ContainSingle().Subject;
        failure.DetailType.Should().Be("DSQL Cluster Pair Provisioning Failed");
        failure.Detail!["error"]!.GetValue<string>().Should().Be("InvalidRequestException");
        failure.Detail["request"]!["primaryRegion"]!.GetValue<string>().Should().Be("us-east-1", "the request as it came");
        failure.Detail["cleanup"]!["action"]!.GetValue<string>().Should().Be("NONE");
    }

    [Theory]
    [InlineData("PrimaryFailure", "ServiceQuotaExceededException")]
    [InlineData("PrimaryRejected", "ValidationException")]
    public async Task Provision_PrimaryFailure_NothingToCleanUp(string testCase, string error)
    {
        var run = await RunAsync(testCase);

        run.Result.Error.Should().Be(error);
        run.CallsTo("CreatePrimaryCluster").Should().ContainSingle("terminal DSQL errors are not retried");
        run.Calls.Should().NotContain(c => c.Function != "ValidateProvisionRequestFunction" && c.Function != "CreatePrimaryClusterFunction");
        run.Events.Should().ContainSingle().Which.Detail!["cleanup"]!["action"]!.GetValue<string>().Should().Be("NONE");
    }

    [Fact]
    public async Task Provision_PeerFailure_Compensates()
    {
        var run = await RunAsync("PeerFailure_Compensates");

        run.Result.Status.Should().Be(ExecutionStatus.Failed);
        run.Result.Error.Should().Be("ServiceQuotaExceededException", "the original error, not a clean-up one");
        run.Calls.Select(c => c.Function).Should().Equal(
            "ValidateProvisionRequestFunction",
            "CreatePrimaryClusterFunction",
            "CreatePeerClusterFunction",
            "SetDeletionProtectionFunction",
            "DeleteClusterFunction",
            "ConfirmClusterGoneFunction",
            "ConfirmClusterGoneFunction");

        // Even with keepOnFailure: an unlinked primary would sit in PENDING_SETUP forever.
        var off = run.CallsTo("SetDeletionProtection").Single().Input;
        off["identifier"]!.GetValue<string>().Should().Be(Primary);
        off["region"]!.GetValue<string>().Should().Be("us-east-1");
        off["enabled"]!.GetValue<bool>().Should().BeFalse();
        run.CallsTo("DeleteCluster").Single().Input["identifier"]!.GetValue<string>().Should().Be(Primary);
        run.CallsTo("ConfirmClusterGone").First().Input["clusters"]!.AsArray().Should().ContainSingle()
            .Which!["identifier"]!.GetValue<string>().Should().Be(Primary);

        var failure = run.Events.Should().ContainSingle().Subject;
        failure.DetailType.Should().Be("DSQL Cluster Pair Provisioning Failed");
        failure.Detail!["error"]!.GetValue<string>().Should().Be("ServiceQuotaExceededException");
        failure.Detail["cleanup"]!["action"]!.GetValue<string>().Should().Be("DELETE");
        failure.Detail["cleanup"]!["poll"]!["decision"]!.GetValue<string>().Should().Be("READY");
    }

    [Fact]
    public async Task Provision_LinkFailure_Compensates()
    {
        var run = await RunAsync("LinkFailure_Compensates");

        run.Result.Error.Should().Be("AccessDeniedException");
        // keepOnFailure is set, yet a half-linked pair would stay PENDING_SETUP: both go.
        run.CallsTo("SetDeletionProtection").Select(c => c.Input["identifier"]!.GetValue<string>()).Should().BeEquivalentTo([Primary, Peer]);
        run.CallsTo("DeleteCluster").Select(c => c.Input["identifier"]!.GetValue<string>()).Should().BeEquivalentTo([Primary, Peer]);
        run.Events.Should().ContainSingle().Which.Detail!["cleanup"]!["clusters"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task Provision_ClusterFailed_CompensatesAndFailsWithTheReason()
    {
        var run = await RunAsync("ClusterFailed_Compensates");

        run.Result.Error.Should().Be("Workflows.ClusterFailed");
        run.Result.Cause.Should().Be("us-east-2 cluster r7cdvy2mfqjt8wbn4xkz6ahs3u is FAILED");
        run.CallsTo("DeleteCluster").Should().HaveCount(2);
        AssertProtectionOffBeforeEachDelete(run);
        run.Events.Should().ContainSingle().Which.Detail!["error"]!.GetValue<string>().Should().Be("Workflows.ClusterFailed");
    }

    [Fact]
    public async Task Provision_Deadline_CompensatesAndFailsWithDeadlineExceeded()
    {
        var run = await RunAsync("Deadline_Compensates");

        run.Result.Error.Should().Be("Workflows.DeadlineExceeded");
        run.Result.Cause.Should().Contain("3600 s");
        run.CallsTo("DescribeCluster").Should().HaveCount(3);
        run.CallsTo("DeleteCluster").Should().HaveCount(2);
        AssertProtectionOffBeforeEachDelete(run);
    }

    [Fact]
    public async Task Provision_PollNeverDecides_StopsAtTheHardCap()
    {
        var run = await RunAsync("HardCap_Compensates");

        run.Result.Error.Should().Be("Workflows.DeadlineExceeded");
        run.Result.Cause.Should().Contain("500 times");
        run.CallsTo("DescribeCluster").Should().ContainSingle();
        run.CallsTo("DeleteCluster").Should().HaveCount(2);
    }

    [Fact]
    public async Task Provision_KeepOnFailureAfterLink_KeepsTheClusters()
    {
        var run = await RunAsync("Deadline_KeepOnFailure");

        run.Result.Error.Should().Be("Workflows.DeadlineExceeded");
        run.CallsTo("SetDeletionProtection").Should().BeEmpty();
        run.CallsTo("DeleteCluster").Should().BeEmpty();
        var cleanup = run.Events.Should().ContainSingle().Which.Detail!["cleanup"]!;
        cleanup["action"]!.GetValue<string>().Should().Be("KEEP");
        cleanup["clusters"]!.AsArray().Select(c => c!["identifier"]!.GetValue<string>()).Should().Equal(Primary, Peer);
    }

    [Fact]
    public async Task Provision_CleanupFailure_NamesTheClusterLeftBehindAndFailsWithTheOriginalError()
    {
        var run = await RunAsync("CleanupFailure");

        run.Result.Error.Should().Be("ServiceQuotaExceededException");
        var check = run.CallsTo("ConfirmClusterGone").Should().ContainSingle("the gone-check still runs and reports what was not deleted").Subject;
        var item = check.Input["clusters"]!.AsArray().Should().ContainSingle().Subject!;
        item["deleted"]!.GetValue<bool>().Should().BeFalse();
        item["why"]!.GetValue<string>().Should().StartWith("AccessDeniedException: ");
        run.Result.Cause.Should().Contain("may still exist").And.Contain(Primary).And.Contain("AccessDeniedException");
        var failure = run.Events.Should().ContainSingle().Subject.Detail!;
        failure["cause"]!.GetValue<string>().Should().Contain(Primary);
        failure["cleanup"]!["poll"]!["leftover"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Provision_CleanupPartialFailure_StillDeletesTheOtherClusterAndChecksIt()
    {
        var run = await RunAsync("CleanupPartialFailure");

        run.Result.Error.Should().Be("AccessDeniedException", "the link's error");
        run.CallsTo("SetDeletionProtection").Should().HaveCount(2);
        run.CallsTo("DeleteCluster").Should().ContainSingle("the cluster whose protection could not be turned off is not deleted, the other one is");
        var items = run.CallsTo("ConfirmClusterGone").Single().Input["clusters"]!.AsArray();
        items.Should().HaveCount(2);
        items.Count(i => i!["deleted"]?.GetValue<bool>() == false).Should().Be(1);
        run.Result.Cause.Should().Contain("may still exist");
    }

    [Theory]
    [InlineData("CleanupProtectionOffFails_UnprotectedClusterStillDeleted")]
    [InlineData("CleanupProtectionOffFails_LastSeenUnprotectedStillDeleted")]
    public async Task Provision_CleanupProtectionOffFails_UnprotectedClusterStillDeleted(string testCase)
    {
        var run = await RunAsync(testCase);

        run.Result.Error.Should().Be("ServiceQuotaExceededException", "the peer's error, not the clean-up's");
        run.CallsTo("SetDeletionProtection").Should().HaveCount(11, "the clean-up retrier's ten retries, all throttled");
        run.CallsTo("DeleteCluster").Should().ContainSingle("a cluster known to be unprotected needs no UpdateCluster to be deleted")
            .Which.Input["identifier"]!.GetValue<string>().Should().Be(Primary);
        var item = run.CallsTo("ConfirmClusterGone").First().Input["clusters"]!.AsArray().Should().ContainSingle().Subject!;
        item["deleted"].Should().BeNull("the delete went through");
        item["protectionError"]!["Error"]!.GetValue<string>().Should().Be("ThrottlingException", "the failed protection change stays on record");
        run.Result.Cause.Should().NotContain("may still exist");
    }

    [Fact]
    public async Task Provision_CleanupProtectionOffFails_ProtectedClusterLeftAndNamed()
    {
        var run = await RunAsync("CleanupProtectionOffFails_ProtectedClusterLeft");

        run.Result.Error.Should().Be("ServiceQuotaExceededException");
        run.CallsTo("DeleteCluster").Should().BeEmpty("a cluster that may still be protected would only refuse the delete");
        var item = run.CallsTo("ConfirmClusterGone").Single().Input["clusters"]!.AsArray().Should().ContainSingle().Subject!;
        item["deleted"]!.GetValue<bool>().Should().BeFalse();
        item["why"]!.GetValue<string>().Should().StartWith("ThrottlingException: ");
        run.Result.Cause.Should().Contain("may still exist").And.Contain(Primary);
    }

    [Theory]
    [InlineData("PrimaryAnswerLost_FindsAndCleansUp", "Lambda.Unknown")]
    public async Task Provision_PrimaryOutcomeUnknown_LooksForTheClusterAndDeletesIt(string testCase, string error)
    {
        var run = await RunAsync(testCase);

        run.Result.Error.Should().Be(error);
        run.CallsTo("CreatePrimaryCluster").Should().HaveCount(5, "retried first: four retries of the DSQL retrier");
        var search = run.CallsTo("FindExecutionClusters").Should().ContainSingle().Subject.Input;
        search["executionName"]!.GetValue<string>().Should().Be("run-" + testCase.Replace('_', '-'));
        search["stateMachineArn"]!.GetValue<string>().Should().EndWith(":stateMachine:provision");
        search["regions"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("us-east-1", "us-east-2");
        run.CallsTo("DeleteCluster").Should().ContainSingle().Which.Input["identifier"]!.GetValue<string>().Should().Be(Primary);
        var cleanup = run.Events.Should().ContainSingle().Which.Detail!["cleanup"]!;
        cleanup["action"]!.GetValue<string>().Should().Be("DELETE");
        cleanup["poll"]!["decision"]!.GetValue<string>().Should().Be("READY");
    }

    [Fact]
    public async Task Provision_PrimaryTimedOutAndNothingFound_NothingToCleanUp()
    {
        var run = await RunAsync("PrimaryTimedOut_NothingFound");

        run.Result.Error.Should().Be("States.Timeout");
        run.CallsTo("FindExecutionClusters").Should().ContainSingle();
        run.CallsTo("DeleteCluster").Should().BeEmpty();
        run.Events.Should().ContainSingle().Which.Detail!["cleanup"]!["action"]!.GetValue<string>().Should().Be("NONE");
    }

    [Fact]
    public async Task Provision_PeerOutcomeUnknown_DeletesEveryClusterTheSearchFinds()
    {
        var run = await RunAsync("PeerAnswerLost_FindsBoth");

        run.Result.Error.Should().Be("InternalServerException");
        run.CallsTo("DeleteCluster").Select(c => c.Input["identifier"]!.GetValue<string>()).Should().BeEquivalentTo([Primary, Peer]);
        run.CallsTo("ConfirmClusterGone").First().Input["clusters"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task Provision_PeerOutcomeUnknownAndSearchFindsNothing_StillDeletesTheKnownPrimary()
    {
        var run = await RunAsync("PeerAnswerLost_NothingFound");

        run.Result.Error.Should().Be("InternalServerException");
        run.CallsTo("DeleteCluster").Should().ContainSingle().Which.Input["identifier"]!.GetValue<string>().Should().Be(Primary);
        run.Events.Should().ContainSingle().Which.Detail!["cleanup"]!["action"]!.GetValue<string>().Should().Be("DELETE");
    }

    [Fact]
    public async Task Provision_RerunSameNameWhoseChecksFail_DeletesTheClustersItsEarlierAttemptMade()
    {
        // The creates answer with clusters older than this execution (its earlier, interrupted attempt under the same
        // name made them) and, by their tags, createdByThisRun: true. They are this run's to clean up.
        var run = await RunAsync("RerunSameName_ChecksFail");

        run.Result.Error.Should().Be("InternalServerException");
        run.CallsTo("SetDeletionProtection").Should().HaveCount(2);
        run.CallsTo("DeleteCluster").Select(c => c.Input["identifier"]!.GetValue<string>()).Should().BeEquivalentTo([Primary, Peer]);
        run.CallsTo("ConfirmClusterGone").First().Input["clusters"]!.AsArray().Should().HaveCount(2).And.OnlyContain(c => c!["kept"] == null);
        run.Result.Cause.Should().NotContain("may still exist");
    }

    [Fact]
    public async Task Provision_DuplicateRequestWhoseChecksFail_LeavesTheEarlierExecutionsPairAlone()
    {
        var run = await RunAsync("DuplicateRequest_ChecksFail");

        run.Result.Error.Should().Be("InternalServerException");
        run.CallsTo("SetDeletionProtection").Should().BeEmpty("neither cluster is this execution's");
        run.CallsTo("DeleteCluster").Should().BeEmpty();
        var confirmed = run.CallsTo("ConfirmClusterGone").Should().ContainSingle().Subject.Input["clusters"]!.AsArray();
        confirmed.Should().HaveCount(2).And.OnlyContain(c => c!["kept"]!.GetValue<bool>());
        run.Result.Cause.Should().NotContain("may still exist");
    }

    [Fact]
    public async Task Provision_PeerOutcomeUnknownAndSearchFails_DeletesThePrimaryAndSaysWhatToLookFor()
    {
        var run = await RunAsync("PeerAnswerLost_SearchFails");

        run.Result.Error.Should().Be("InternalServerException");
        run.Result.Cause.Should().Contain("could not be looked for").And.Contain("AccessDeniedException").And.Contain("workflows:execution");
        run.CallsTo("DeleteCluster").Should().ContainSingle().Which.Input["identifier"]!.GetValue<string>().Should().Be(Primary);
    }

    [Fact]
    public async Task Provision_PublishFails_SucceedsSayingTheEventWasNotPublished()
    {
        var run = await RunAsync("PublishFails");

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, "the pair is made; failing would invite a second one");
        run.Output["eventPublished"]!.GetValue<bool>().Should().BeFalse();
        run.Output["publishError"]!["Error"]!.GetValue<string>().Should().Be("EventBridge.InternalException");
        run.Output["primary"]!["identifier"]!.GetValue<string>().Should().Be(Primary);
        run.CallsTo("DeleteCluster").Should().BeEmpty();
    }

    private static void AssertProtectionOffBeforeEachDelete(WorkflowRun run)
    {
        foreach (var delete in run.CallsTo("DeleteCluster"))
        {
            var id = delete.Input["identifier"]!.GetValue<string>();
            var off = run.Calls.TakeWhile(c => c != delete).Where(c => c.Function == "SetDeletionProtectionFunction");
            off.Should().Contain(c => c.Input["identifier"]!.GetValue<string>() == id && !c.Input["enabled"]!.GetValue<bool>(), $"protection goes off before {id} is deleted");
        }
    }
}
