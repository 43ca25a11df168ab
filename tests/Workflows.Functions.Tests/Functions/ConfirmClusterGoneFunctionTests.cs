using System.Text.Json;
using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Core.Polling;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class ConfirmClusterGoneFunctionTests : DsqlLocalTestBase
{
    private Task<JsonElement> ConfirmAsync(object payload) => Lambda.InvokeAsync(ConfirmGoneFunction().FunctionHandler, payload);

    [Fact]
    public async Task FunctionHandler_PairBeingDeleted_WaitsThenReady()
    {
        var (primary, peer) = await ProvisionPairAsync(deletionProtection: false);
        await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Primary, identifier = primary.Str("identifier") });
        await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Peer, identifier = peer.Str("identifier") });
        var clusters = new[] { primary, peer };

        var first = await ConfirmAsync(new { clusters, poll = new { attempt = 0, startedAt = "2026-11-26T08:00:00Z" } });

        first.Str("decision").Should().Be(PollDecision.Wait);
        first.GetProperty("nextWaitSeconds").GetInt32().Should().Be(10, "the teardown minimum");
        first.GetProperty("clusters").EnumerateArray().Should().OnlyContain(c => !c.GetProperty("gone").GetBoolean() && c.Str("status") == ClusterStatus.Deleting);

        Time.Advance(DeletionTime);
        var second = await ConfirmAsync(new { clusters, poll = first });

        second.Str("decision").Should().Be(PollDecision.Ready);
        second.GetProperty("attempt").GetInt32().Should().Be(2);
        second.GetProperty("clusters").EnumerateArray().Should().OnlyContain(c => c.GetProperty("gone").GetBoolean() && c.GetProperty("status").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task FunctionHandler_NeverExisted_ReadyAtOnce()
    {
        var result = await ConfirmAsync(new { clusters = new[] { new { region = Primary, identifier = "abcdefghijklmnopqrstuvwxyz" } } });

        result.Str("decision").Should().Be(PollDecision.Ready);
    }

    [Fact]
    public async Task FunctionHandler_ClusterNotBeingDeleted_FailedNamingIt()
    {
        var primary = await CreatePrimaryAsync();

        var result = await ConfirmAsync(new { clusters = new[] { primary } });

        result.Str("decision").Should().Be(PollDecision.Failed);
        result.Str("reason").Should().Contain(primary.Str("identifier")).And.Contain(ClusterStatus.PendingSetup);
        result.GetProperty("clusters")[0].GetProperty("gone").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task FunctionHandler_PendingDeleteTooLong_DeadlineExceeded()
    {
        var (primary, _) = await ProvisionPairAsync(deletionProtection: false);
        await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Primary, identifier = primary.Str("identifier") });
        Time.Advance(TimeSpan.FromSeconds(1800));

        var result = await ConfirmAsync(new { clusters = new[] { primary }, poll = new { attempt = 7, startedAt = "2026-11-26T08:00:00Z" } });

        result.Str("decision").Should().Be(PollDecision.DeadlineExceeded);
        result.GetProperty("clusters")[0].Str("status").Should().Be(ClusterStatus.PendingDelete);
    }

    [Fact]
    public async Task FunctionHandler_RegionOutage_InternalServerException()
    {
        Server.Faults = new FaultSettings { Outages = [new OutageWindow { Region = Primary }] };

        await FluentActions.Awaiting(() => ConfirmAsync(new { clusters = new[] { new { region = Primary, identifier = "abcdefghijklmnopqrstuvwxyz" } } }))
            .Should().ThrowAsync<InternalServerException>();
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{"clusters":null}""", "clusters" },
        { """{"clusters":[null]}""", "clusters[0]" },
        { """{"clusters":[{"arn":"arn:aws:dsql:us-east-1:123456789012:cluster/abc"}]}""", "clusters[0].arn" },
        { """{"clusters":[{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}],"poll":{"startedAt":"soon"}}""", "poll.startedAt" },
        { """{"clusters":[{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}],"polling":{"deadlineSeconds":59}}""", "polling.deadlineSeconds" },
        { """{"clusters":[{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}],"waitFor":"ACTIVE"}""", "waitFor" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task FunctionHandler_BadInput_InvalidRequestNamingTheField(string payload, string field)
    {
        var act = () => Lambda.InvokeAsync(ConfirmGoneFunction().FunctionHandler, payload);

        var error = (await act.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"{field}: ");
    }
}
