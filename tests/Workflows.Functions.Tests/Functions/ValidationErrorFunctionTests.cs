using Workflows.Core.Steps;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

/// <summary>ValidationException from DSQL (input the steps accept but the service refuses) passes through the
/// update and delete functions by its own name, untranslated and with nothing changed.</summary>
public sealed class ValidationErrorFunctionTests : DsqlLocalTestBase
{
    private const string MissingPeerArn = "arn:aws:dsql:us-east-2:123456789012:cluster/zzzzzzzzzzzzzzzzzzzzzzzzzz";

    [Fact]
    public async Task LinkClusters_PeerDoesNotExist_ValidationExceptionNamingTheClustersAndNoLink()
    {
        var primary = await CreatePrimaryAsync();

        var error = (await FluentActions.Awaiting(() => LinkAsync(primary.Str("identifier")!, MissingPeerArn)).Should().ThrowAsync<ValidationException>()).Which;

        error.Reason.Should().Be(ValidationExceptionReason.FieldValidationFailed);
        error.FieldList.Select(f => f.Name).Should().Equal("multiRegionProperties.clusters");
        Cluster(primary.Str("identifier")!).Peers.Should().BeEmpty();
    }

    [Fact]
    public async Task LinkClusters_PeerHasAnotherWitness_ValidationExceptionNamingTheWitnessAndNoLink()
    {
        var primary = await CreatePrimaryAsync();
        var peer = await CreatePeerAsync(primary.Str("arn")!);

        var act = () => Lambda.InvokeAsync(
            LinkFunction().FunctionHandler,
            new { executionName = Execution, stateMachineArn = StateMachine, region = Primary, identifier = primary.Str("identifier"), witnessRegion = "eu-west-1", peerArn = peer.Str("arn") });

        var error = (await act.Should().ThrowAsync<ValidationException>()).Which;
        error.FieldList.Select(f => f.Name).Should().Contain("multiRegionProperties.witnessRegion");
        Cluster(primary.Str("identifier")!).Peers.Should().BeEmpty();
        Cluster(primary.Str("identifier")!).WitnessRegion.Should().Be(Witness);
    }

    [Fact]
    public async Task CreatePrimaryCluster_ServiceRefusesTheRequest_ValidationExceptionAndNothingCreated()
    {
        var function = StepUnderTest.Of(StepCatalog.CreatePrimaryCluster, new ClientTokenOverrideClients(Clients, ClientTokenOverrideClients.Overlong), Time, Logger);

        var act = () => Lambda.InvokeAsync(function.FunctionHandler, new { executionName = Execution, region = Primary, witnessRegion = Witness });

        var error = (await act.Should().ThrowAsync<ValidationException>()).Which;
        error.FieldList.Select(f => f.Name).Should().Equal("clientToken");
        Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task SetDeletionProtection_ServiceRefusesTheRequest_ValidationExceptionAndProtectionUnchanged()
    {
        var id = (await CreatePrimaryAsync()).Str("identifier")!;
        var function = StepUnderTest.Of(StepCatalog.SetDeletionProtection, new ClientTokenOverrideClients(Clients, ClientTokenOverrideClients.Overlong), Time, Logger);

        var act = () => Lambda.InvokeAsync(function.FunctionHandler, new { executionName = Execution, region = Primary, identifier = id, enabled = false });

        var error = (await act.Should().ThrowAsync<ValidationException>()).Which;
        error.GetType().Name.Should().Be("ValidationException");
        error.FieldList.Select(f => f.Name).Should().Equal("clientToken");
        Cluster(id).DeletionProtectionEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task DeleteCluster_ServiceRefusesTheRequest_ValidationExceptionNotDeletionProtectionAndTheClusterStays()
    {
        var id = (await CreatePrimaryAsync(deletionProtection: false)).Str("identifier")!;
        var function = StepUnderTest.Of(StepCatalog.DeleteCluster, new ClientTokenOverrideClients(Clients, ClientTokenOverrideClients.Overlong), Time, Logger);

        var act = () => Lambda.InvokeAsync(function.FunctionHandler, new { executionName = Execution, region = Primary, identifier = id });

        var error = (await act.Should().ThrowAsync<ValidationException>()).Which;
        error.Reason.Should().Be(ValidationExceptionReason.FieldValidationFailed);
        Cluster(id).Status.Should().Be(ClusterStatus.PendingSetup);
    }
}
