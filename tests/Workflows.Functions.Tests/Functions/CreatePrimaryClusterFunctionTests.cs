using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Core.Requests;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class CreatePrimaryClusterFunctionTests : DsqlLocalTestBase
{
    [Fact]
    public async Task FunctionHandler_HappyPath_CreatesOneWitnessedClusterTaggedWithTheExecution()
    {
        var output = await CreatePrimaryAsync();

        var cluster = Clusters.Should().ContainSingle().Subject;
        cluster.Region.Should().Be(Primary);
        cluster.WitnessRegion.Should().Be(Witness);
        cluster.Peers.Should().BeEmpty();
        cluster.DeletionProtectionEnabled.Should().BeTrue();
        cluster.Tags.Should().Equal(new Dictionary<string, string>
        {
            ["team"] = "data",
            [RequestRules.ExecutionTagKey] = Execution,
            [RequestRules.StateMachineTagKey] = StateMachine,
        });

        output.Str("region").Should().Be(Primary);
        output.Str("identifier").Should().Be(cluster.Identifier);
        output.Str("arn").Should().Be(cluster.Arn);
        output.Str("status").Should().Be(ClusterStatus.PendingSetup);
        output.Str("endpoint").Should().Be($"{cluster.Identifier}.dsql.{Primary}.on.aws");
        output.Str("witnessRegion").Should().Be(Witness);
        output.GetProperty("linkedClusterArns").GetArrayLength().Should().Be(0);
        output.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeTrue();
        output.Str("creationTime").Should().Be("2026-11-26T08:00:00Z");
    }

    [Fact]
    public async Task FunctionHandler_SameExecutionTwice_MakesOneCluster()
    {
        var first = await CreatePrimaryAsync();
        var retried = await CreatePrimaryAsync();

        retried.Str("identifier").Should().Be(first.Str("identifier"));
        Clusters.Should().ContainSingle();
    }

    [Fact]
    public async Task FunctionHandler_TwoExecutions_MakeTwoClusters()
    {
        await CreatePrimaryAsync("run-a");
        await CreatePrimaryAsync("run-b");

        Clusters.Should().HaveCount(2);
    }

    [Fact]
    public async Task FunctionHandler_TwoExecutionsWithTheSameIdempotencyKey_MakeOneClusterTaggedWithTheKey()
    {
        var first = await CreatePrimaryAsync("delivery-1", idempotencyKey: "req-7f3a");
        var duplicate = await CreatePrimaryAsync("delivery-2", idempotencyKey: "req-7f3a");

        duplicate.Str("identifier").Should().Be(first.Str("identifier"));
        Clusters.Should().ContainSingle().Which.Tags[RequestRules.ExecutionTagKey].Should().Be("key:req-7f3a");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("an-idempotency-key-that-is-far-too-long-to-be-accepted-by-the-rules-x")]
    public async Task FunctionHandler_BadIdempotencyKey_InvalidRequestNamingTheFieldAndNothingCreated(string key)
    {
        var act = () => CreatePrimaryAsync(idempotencyKey: key);

        (await act.Should().ThrowAsync<InvalidRequestException>()).Which.Message.Should().StartWith("idempotencyKey:");
        Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task FunctionHandler_DeletionProtectionOff_CreatesAnUnprotectedCluster()
    {
        await CreatePrimaryAsync(deletionProtection: false);

        Clusters.Should().ContainSingle().Which.DeletionProtectionEnabled.Should().BeFalse();
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:p","region":"us-east-1","witnessRegion":"us-west-2"}""", "executionName" },
        { """{"executionName":"has space","region":"us-east-1","witnessRegion":"us-west-2"}""", "executionName" },
        { $$"""{"executionName":"{{new string('a', 81)}}","region":"us-east-1","witnessRegion":"us-west-2"}""", "executionName" },
        { """{"executionName":"run-1","stateMachineArn":"provision","region":"us-east-1","witnessRegion":"us-west-2"}""", "stateMachineArn" },
        { """{"executionName":"run-1","witnessRegion":"us-west-2"}""", "region" },
        { """{"executionName":"run-1","region":"US-EAST-1","witnessRegion":"us-west-2"}""", "region" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"us-east-1"}""", "witnessRegion" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"mars"}""", "witnessRegion" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"us-west-2","tags":{"aws:owner":"x"}}""", "tags" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"us-west-2","tags":{"workflows:execution":"x"}}""", "tags" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"us-west-2","tags":{"ok":"bad#value"}}""", "tags.ok" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"us-west-2","tags":{"ok":5}}""", "tags.ok" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"us-west-2","deletionProtection":"yes"}""", "deletionProtection" },
        { """{"executionName":"run-1","region":"us-east-1","witnessRegion":"us-west-2","regoin":"us-east-1"}""", "regoin" },
        { """{"executionName":"run-1","region":"us-east-1","region":"us-east-2","witnessRegion":"us-west-2"}""", "region" },
        { """["run-1"]""", "input" },
        { """null""", "input" },
        { """{"executionName":""", "input" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task FunctionHandler_BadInput_InvalidRequestNamingTheFieldAndCreatesNothing(string payload, string field)
    {
        var act = () => Lambda.InvokeAsync(PrimaryFunction().FunctionHandler, payload);

        var error = (await act.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"{field}: ");
        Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task FunctionHandler_Throttled_ThrottlingExceptionAndNothingCreated()
    {
        Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "CreateCluster", ThrottleRate = 1.0 }] };

        await FluentActions.Awaiting(() => CreatePrimaryAsync()).Should().ThrowAsync<ThrottlingException>();
        Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task FunctionHandler_ServiceFault_InternalServerExceptionAndNothingCreated()
    {
        Server.Faults = new FaultSettings { Outages = [new OutageWindow { Region = Primary }] };

        await FluentActions.Awaiting(() => CreatePrimaryAsync()).Should().ThrowAsync<InternalServerException>();
        Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task FunctionHandler_MultiRegionQuotaReached_ServiceQuotaExceededException()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreatePrimaryAsync($"run-{i}");
        }

        await FluentActions.Awaiting(() => CreatePrimaryAsync("run-5")).Should().ThrowAsync<ServiceQuotaExceededException>();
        Clusters.Should().HaveCount(5);
    }

    [Fact]
    public async Task FunctionHandler_TokenReusedWithADifferentRequest_ConflictException()
    {
        await CreatePrimaryAsync();

        // The same execution and step asking for something else: DSQL refuses to reuse the token.
        await FluentActions.Awaiting(() => CreatePrimaryAsync(deletionProtection: false)).Should().ThrowAsync<ConflictException>();
        Clusters.Should().ContainSingle();
    }
}
