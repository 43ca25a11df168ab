using System.Text.Json;
using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Core.Polling;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class DescribeClusterFunctionTests : DsqlLocalTestBase
{
    private Task<JsonElement> DescribeAsync(object payload) => Lambda.InvokeAsync(DescribeFunction().FunctionHandler, payload);

    [Fact]
    public async Task FunctionHandler_PollLoop_WaitsOnATenthOfTheElapsedTimeThenReady()
    {
        var (primary, peer) = await ProvisionPairAsync();
        var clusters = new[] { primary, peer };
        var poll = new { attempt = 0, startedAt = "2026-11-26T08:00:00Z", nextWaitSeconds = 180 };
        Time.Advance(TimeSpan.FromSeconds(180));

        var first = await DescribeAsync(new { clusters, poll });

        first.Str("decision").Should().Be(PollDecision.Wait);
        first.GetProperty("attempt").GetInt32().Should().Be(1);
        first.GetProperty("nextWaitSeconds").GetInt32().Should().Be(18);
        first.Str("startedAt").Should().Be("2026-11-26T08:00:00Z");
        first.GetProperty("clusters").EnumerateArray().Select(c => c.Str("status")).Should().Equal(ClusterStatus.Creating, ClusterStatus.Creating);

        Time.Advance(ProvisioningTime);
        // The state machine passes the previous output back as the poll state: extra members are ignored.
        var second = await DescribeAsync(new { clusters, poll = first, polling = new { maxAttempts = 60 } });

        second.Str("decision").Should().Be(PollDecision.Ready);
        second.GetProperty("attempt").GetInt32().Should().Be(2);
        var described = second.GetProperty("clusters").EnumerateArray().ToList();
        described.Should().OnlyContain(c => c.Str("status") == ClusterStatus.Active && c.GetProperty("found").GetBoolean());
        described[0].GetProperty("linkedClusterArns").EnumerateArray().Select(a => a.GetString()).Should().Equal(peer.Str("arn"));
        described[1].GetProperty("linkedClusterArns").EnumerateArray().Select(a => a.GetString()).Should().Equal(primary.Str("arn"));
        described[0].Str("witnessRegion").Should().Be(Witness);
        described[0].Str("endpoint").Should().Be($"{primary.Str("identifier")}.dsql.{Primary}.on.aws");
    }

    [Fact]
    public async Task FunctionHandler_WithoutPollState_PlainClusterInfoStartingNow()
    {
        var primary = await CreatePrimaryAsync();

        var info = await DescribeAsync(new { clusters = new[] { new { arn = primary.Str("arn") } } });

        info.Str("startedAt").Should().Be("2026-11-26T08:00:00Z");
        info.GetProperty("attempt").GetInt32().Should().Be(1);
        info.Str("decision").Should().Be(PollDecision.Wait);
        var cluster = info.GetProperty("clusters")[0];
        cluster.Str("status").Should().Be(ClusterStatus.PendingSetup);
        cluster.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeTrue();
        cluster.Str("arn").Should().Be(primary.Str("arn"));
    }

    [Fact]
    public async Task FunctionHandler_ClusterMissing_FoundFalseStatusNullAndFailed()
    {
        var primary = await CreatePrimaryAsync();

        var info = await DescribeAsync(new { clusters = new object[] { primary, new { region = Peer, identifier = "abcdefghijklmnopqrstuvwxyz" } } });

        info.Str("decision").Should().Be(PollDecision.Failed);
        info.Str("reason").Should().Contain("abcdefghijklmnopqrstuvwxyz").And.Contain("does not exist");
        var missing = info.GetProperty("clusters")[1];
        missing.GetProperty("found").GetBoolean().Should().BeFalse();
        missing.GetProperty("status").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task FunctionHandler_ClusterBeingDeleted_Failed()
    {
        var primary = await CreatePrimaryAsync(deletionProtection: false);
        await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Primary, identifier = primary.Str("identifier") });

        var info = await DescribeAsync(new { clusters = new[] { primary } });

        info.Str("decision").Should().Be(PollDecision.Failed);
        info.Str("reason").Should().Contain(ClusterStatus.Deleting);
    }

    [Fact]
    public async Task FunctionHandler_DeadlinePassed_DeadlineExceeded()
    {
        var primary = await CreatePrimaryAsync();
        Time.Advance(TimeSpan.FromSeconds(3600));

        var info = await DescribeAsync(new { clusters = new[] { primary }, poll = new { attempt = 3, startedAt = "2026-11-26T08:00:00Z" } });

        info.Str("decision").Should().Be(PollDecision.DeadlineExceeded);
        info.Str("reason").Should().Contain("3600 s");
    }

    [Fact]
    public async Task FunctionHandler_AttemptsUsedUp_DeadlineExceeded()
    {
        var primary = await CreatePrimaryAsync();

        var info = await DescribeAsync(new { clusters = new[] { primary }, poll = new { attempt = 4, startedAt = "2026-11-26T08:00:00Z" }, polling = new { maxAttempts = 5 } });

        info.Str("decision").Should().Be(PollDecision.DeadlineExceeded);
        info.GetProperty("attempt").GetInt32().Should().Be(5);
        info.Str("reason").Should().Contain("maxAttempts 5");
    }

    [Fact]
    public async Task FunctionHandler_Throttled_ThrottlingException()
    {
        var primary = await CreatePrimaryAsync();
        Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "GetCluster", ThrottleRate = 1.0 }] };

        await FluentActions.Awaiting(() => DescribeAsync(new { clusters = new[] { primary } })).Should().ThrowAsync<ThrottlingException>();
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{}""", "clusters" },
        { """{"clusters":[]}""", "clusters" },
        { $$"""{"clusters":[{{string.Join(",", Enumerable.Range(0, 11).Select(i => $"{{\"region\":\"us-east-1\",\"identifier\":\"abcdefghijklmnopqrstuvwx{i:00}\"}}"))}}]}""", "clusters" },
        { """{"clusters":[{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"},{"arn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"}]}""", "clusters[1]" },
        { """{"clusters":[{"region":"us-east-2","arn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"}]}""", "clusters[0].region" },
        { """{"clusters":[{"region":"us-east-1"}]}""", "clusters[0].identifier" },
        { """{"clusters":[{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}],"waitFor":"DELETED"}""", "waitFor" },
        { """{"clusters":[{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}],"poll":{"attempt":1}}""", "poll.startedAt" },
        { """{"clusters":[{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}],"poll":{"attempt":-1,"startedAt":"2026-11-26T08:00:00Z"}}""", "poll.attempt" },
        { """{"clusters":[{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}],"polling":{"minDelaySeconds":0}}""", "polling.minDelaySeconds" },
        { """{"clusters":[{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}],"polling":{"minDelaySeconds":30,"maxDelaySeconds":20}}""", "polling.maxDelaySeconds" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task FunctionHandler_BadInput_InvalidRequestNamingTheField(string payload, string field)
    {
        var act = () => Lambda.InvokeAsync(DescribeFunction().FunctionHandler, payload);

        var error = (await act.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"{field}: ");
        Clusters.Should().BeEmpty();
    }
}
