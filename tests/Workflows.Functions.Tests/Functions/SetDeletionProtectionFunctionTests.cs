using System.Text.Json;
using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class SetDeletionProtectionFunctionTests : DsqlLocalTestBase
{
    private Task<JsonElement> SetAsync(string identifier, bool enabled, string execution = Execution) =>
        Lambda.InvokeAsync(ProtectionFunction().FunctionHandler, new { executionName = execution, stateMachineArn = StateMachine, region = Primary, identifier, enabled });

    [Fact]
    public async Task FunctionHandler_HappyPath_TurnsProtectionOffAndOnAgain()
    {
        var primary = await CreatePrimaryAsync();
        var id = primary.Str("identifier")!;

        var off = await SetAsync(id, enabled: false);

        Cluster(id).DeletionProtectionEnabled.Should().BeFalse();
        off.GetProperty("found").GetBoolean().Should().BeTrue();
        off.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeFalse();
        off.Str("arn").Should().Be(primary.Str("arn"));
        off.Str("status").Should().Be(ClusterStatus.Updating, "UpdateCluster answers UPDATING (AWS CLI user guide sample)");

        var on = await SetAsync(id, enabled: true);
        on.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeTrue();
        Cluster(id).DeletionProtectionEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task FunctionHandler_SameStepTwice_SucceedsBothTimes()
    {
        var id = (await CreatePrimaryAsync()).Str("identifier")!;

        await SetAsync(id, enabled: false);
        var again = await SetAsync(id, enabled: false);

        again.GetProperty("found").GetBoolean().Should().BeTrue();
        Cluster(id).DeletionProtectionEnabled.Should().BeFalse();
    }

    [Fact]
    public async Task FunctionHandler_TurningOffOnAGoneCluster_FoundFalse()
    {
        var off = await SetAsync("abcdefghijklmnopqrstuvwxyz", enabled: false);

        off.GetProperty("found").GetBoolean().Should().BeFalse();
        off.GetProperty("status").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task FunctionHandler_TurningOnOnAGoneCluster_ResourceNotFoundException()
    {
        await FluentActions.Awaiting(() => SetAsync("abcdefghijklmnopqrstuvwxyz", enabled: true)).Should().ThrowAsync<ResourceNotFoundException>();
    }

    [Fact]
    public async Task FunctionHandler_TurningOffOnADeletingCluster_SuccessWithItsStatus()
    {
        var id = (await CreatePrimaryAsync(deletionProtection: false)).Str("identifier")!;
        await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Primary, identifier = id });

        var off = await SetAsync(id, enabled: false, execution: "cleanup-run");

        off.GetProperty("found").GetBoolean().Should().BeTrue();
        off.Str("status").Should().Be(ClusterStatus.Deleting);
    }

    [Fact]
    public async Task FunctionHandler_TurningOnOnADeletingCluster_ConflictException()
    {
        var id = (await CreatePrimaryAsync(deletionProtection: false)).Str("identifier")!;
        await Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Primary, identifier = id });

        await FluentActions.Awaiting(() => SetAsync(id, enabled: true)).Should().ThrowAsync<ConflictException>();
    }

    [Fact]
    public async Task FunctionHandler_ServiceFault_InternalServerException()
    {
        var id = (await CreatePrimaryAsync()).Str("identifier")!;
        Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "UpdateCluster", InternalErrorRate = 1.0 }] };

        await FluentActions.Awaiting(() => SetAsync(id, enabled: false)).Should().ThrowAsync<InternalServerException>();
        Cluster(id).DeletionProtectionEnabled.Should().BeTrue();
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{"executionName":"run-1","region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}""", "enabled" },
        { """{"executionName":"run-1","region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz","enabled":"false"}""", "enabled" },
        { """{"executionName":"run-1","region":"us-east-1","identifier":"ABC","enabled":false}""", "identifier" },
        { """{"executionName":"run-1","region":"useast1","identifier":"abcdefghijklmnopqrstuvwxyz","enabled":false}""", "region" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task FunctionHandler_BadInput_InvalidRequestNamingTheFieldAndChangesNothing(string payload, string field)
    {
        var id = (await CreatePrimaryAsync()).Str("identifier")!;

        var act = () => Lambda.InvokeAsync(ProtectionFunction().FunctionHandler, payload.Replace("abcdefghijklmnopqrstuvwxyz", id, StringComparison.Ordinal));

        var error = (await act.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"{field}: ");
        Cluster(id).DeletionProtectionEnabled.Should().BeTrue();
    }
}
