using System.Text.Json;
using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class DeleteClusterFunctionTests : DsqlLocalTestBase
{
    private Task<JsonElement> DeleteAsync(string region, string identifier, string execution = Execution) =>
        Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = execution, stateMachineArn = StateMachine, region, identifier });

    [Fact]
    public async Task FunctionHandler_HappyPath_DeletesTheCluster()
    {
        var primary = await CreatePrimaryAsync(deletionProtection: false);

        var deleted = await DeleteAsync(Primary, primary.Str("identifier")!);

        deleted.GetProperty("alreadyDeleted").GetBoolean().Should().BeFalse();
        deleted.Str("status").Should().Be(ClusterStatus.Deleting);
        deleted.Str("arn").Should().Be(primary.Str("arn"));
        Time.Advance(DeletionTime);
        Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task FunctionHandler_LinkedPair_PendingDeleteUntilThePeerGoesToo()
    {
        var (primary, peer) = await ProvisionPairAsync(deletionProtection: false);
        Time.Advance(ProvisioningTime);

        (await DeleteAsync(Primary, primary.Str("identifier")!)).Str("status").Should().Be(ClusterStatus.PendingDelete);
        (await DeleteAsync(Peer, peer.Str("identifier")!)).Str("status").Should().Be(ClusterStatus.Deleting);

        Time.Advance(DeletionTime);
        Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task FunctionHandler_Twice_SecondIsSuccessAndDeletesNothingMore()
    {
        var id = (await CreatePrimaryAsync(deletionProtection: false)).Str("identifier")!;

        await DeleteAsync(Primary, id);
        var retried = await DeleteAsync(Primary, id);
        var otherExecution = await DeleteAsync(Primary, id, "teardown-run");

        retried.Str("status").Should().Be(ClusterStatus.Deleting);
        otherExecution.GetProperty("alreadyDeleted").GetBoolean().Should().BeTrue();
        otherExecution.Str("status").Should().Be(ClusterStatus.Deleting);
    }

    [Fact]
    public async Task FunctionHandler_ClusterGone_AlreadyDeleted()
    {
        var id = (await CreatePrimaryAsync(deletionProtection: false)).Str("identifier")!;
        await DeleteAsync(Primary, id);
        Time.Advance(DeletionTime);

        var gone = await DeleteAsync(Primary, id, "teardown-run");

        gone.GetProperty("alreadyDeleted").GetBoolean().Should().BeTrue();
        gone.TryGetProperty("arn", out _).Should().BeFalse();
    }

    [Fact]
    public async Task FunctionHandler_Protected_DeletionProtectionEnabledExceptionAndTheClusterStays()
    {
        var id = (await CreatePrimaryAsync()).Str("identifier")!;

        var error = (await FluentActions.Awaiting(() => DeleteAsync(Primary, id)).Should().ThrowAsync<DeletionProtectionEnabledException>()).Which;

        error.Message.Should().Contain(id).And.Contain("\"force\": true");
        error.InnerException.Should().BeOfType<ValidationException>();
        Cluster(id).Status.Should().Be(ClusterStatus.PendingSetup);
    }

    [Fact]
    public async Task FunctionHandler_Throttled_ThrottlingExceptionAndTheClusterStays()
    {
        var id = (await CreatePrimaryAsync(deletionProtection: false)).Str("identifier")!;
        Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "DeleteCluster", ThrottleRate = 1.0 }] };

        await FluentActions.Awaiting(() => DeleteAsync(Primary, id)).Should().ThrowAsync<ThrottlingException>();
        Cluster(id).Status.Should().Be(ClusterStatus.PendingSetup);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{"executionName":"run-1","region":"us-east-1"}""", "identifier" },
        { """{"executionName":"run-1","region":"us-east-1","identifier":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"}""", "identifier" },
        { """{"executionName":"run-1","identifier":"abcdefghijklmnopqrstuvwxyz"}""", "region" },
        { """{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}""", "executionName" },
        { """{"executionName":"run-1","region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz","force":true}""", "force" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task FunctionHandler_BadInput_InvalidRequestNamingTheFieldAndDeletesNothing(string payload, string field)
    {
        var id = (await CreatePrimaryAsync(deletionProtection: false)).Str("identifier")!;

        var act = () => Lambda.InvokeAsync(DeleteFunction().FunctionHandler, payload.Replace("abcdefghijklmnopqrstuvwxyz", id, StringComparison.Ordinal));

        var error = (await act.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"{field}: ");
        Cluster(id).Status.Should().Be(ClusterStatus.PendingSetup);
    }
}
