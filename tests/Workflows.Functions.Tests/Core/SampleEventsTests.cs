using Workflows.Core.Hosting;
using Workflows.Core.Steps;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Core;

// events/<Step>.json are what `sam local invoke -e` sends; each must pass the step's own validation.
public sealed class SampleEventsTests
{
    private static string Event(string step) => File.ReadAllText(Path.Combine(RepoPaths.Root, "events", $"{step}.json"));

    [Fact]
    public void Events_EveryStep_HasASampleEvent()
    {
        string[] steps =
        [
            ValidateProvisionRequestStep.Name, ValidateTeardownRequestStep.Name, CreatePrimaryClusterStep.Name, CreatePeerClusterStep.Name,
            LinkClustersStep.Name, DescribeClusterStep.Name, SetDeletionProtectionStep.Name, DeleteClusterStep.Name, ConfirmClusterGoneStep.Name,
            FindExecutionClustersStep.Name, ValidateUpdateRequestStep.Name, UpdateClusterTagsStep.Name,
        ];

        steps.Should().OnlyContain(step => File.Exists(Path.Combine(RepoPaths.Root, "events", $"{step}.json")));
    }

    [Fact]
    public async Task ValidateProvisionRequestEvent_ParsesAndValidates()
    {
        var input = Payloads.Read(Event(ValidateProvisionRequestStep.Name), StepJsonContext.Default.ValidateProvisionRequestInput);
        var output = await new ValidateProvisionRequestStep(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).RunAsync(input);
        output.Request.Tags.Should().ContainKey("team");
    }

    [Fact]
    public async Task ValidateTeardownRequestEvent_ParsesAndValidates()
    {
        var input = Payloads.Read(Event(ValidateTeardownRequestStep.Name), StepJsonContext.Default.ValidateTeardownRequestInput);
        var output = await new ValidateTeardownRequestStep(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).RunAsync(input);
        output.Request.Primary.Region.Should().Be("us-east-1");
    }

    [Fact]
    public void CreatePrimaryClusterEvent_ParsesAndValidates() =>
        CreatePrimaryClusterStep.Validate(Payloads.Read(Event(CreatePrimaryClusterStep.Name), StepJsonContext.Default.CreatePrimaryClusterInput))
            .WitnessRegion.Should().Be("us-west-2");

    [Fact]
    public void CreatePeerClusterEvent_ParsesAndValidates() =>
        CreatePeerClusterStep.Validate(Payloads.Read(Event(CreatePeerClusterStep.Name), StepJsonContext.Default.CreatePeerClusterInput))
            .PrimaryArn.Should().StartWith("arn:aws:dsql:us-east-1:");

    [Fact]
    public void LinkClustersEvent_ParsesAndValidates() =>
        LinkClustersStep.Validate(Payloads.Read(Event(LinkClustersStep.Name), StepJsonContext.Default.LinkClustersInput))
            .PeerArn.Should().StartWith("arn:aws:dsql:us-east-2:");

    [Fact]
    public void DescribeClusterEvent_ParsesAndValidates() =>
        DescribeClusterStep.Validate(Payloads.Read(Event(DescribeClusterStep.Name), StepJsonContext.Default.DescribeClusterInput))
            .Clusters.Should().HaveCount(2);

    [Fact]
    public void SetDeletionProtectionEvent_ParsesAndValidates() =>
        SetDeletionProtectionStep.Validate(Payloads.Read(Event(SetDeletionProtectionStep.Name), StepJsonContext.Default.SetDeletionProtectionInput))
            .Enabled.Should().BeFalse();

    [Fact]
    public void DeleteClusterEvent_ParsesAndValidates() =>
        DeleteClusterStep.Validate(Payloads.Read(Event(DeleteClusterStep.Name), StepJsonContext.Default.DeleteClusterInput))
            .Cluster.Identifier.Should().HaveLength(26);

    [Fact]
    public void ConfirmClusterGoneEvent_ParsesAndValidates() =>
        ConfirmClusterGoneStep.Validate(Payloads.Read(Event(ConfirmClusterGoneStep.Name), StepJsonContext.Default.ConfirmClusterGoneInput))
            .Polling.DeadlineSeconds.Should().Be(1800);

    [Fact]
    public void FindExecutionClustersEvent_ParsesAndValidates() =>
        FindExecutionClustersStep.Validate(Payloads.Read(Event(FindExecutionClustersStep.Name), StepJsonContext.Default.FindExecutionClustersInput))
            .Regions.Should().Equal("us-east-1", "us-east-2");

    [Fact]
    public async Task ValidateUpdateRequestEvent_ParsesAndValidates()
    {
        var input = Payloads.Read(Event(ValidateUpdateRequestStep.Name), StepJsonContext.Default.ValidateUpdateRequestInput);
        var output = await new ValidateUpdateRequestStep(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).RunAsync(input);
        output.Request.DeletionProtection.Should().BeFalse();
        output.Plan.Tags.Should().BeTrue();
    }

    [Fact]
    public void UpdateClusterTagsEvent_ParsesAndValidates() =>
        UpdateClusterTagsStep.Validate(Payloads.Read(Event(UpdateClusterTagsStep.Name), StepJsonContext.Default.UpdateClusterTagsInput))
            .UntagKeys.Should().Equal("on-call");

    [Fact]
    public void UpdateRequestedEvent_DetailIsAValidUpdateRequest() =>
        Workflows.Core.Requests.UpdateRequest.Parse(
            System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "events", "update-requested-event.json"))).RootElement.GetProperty("detail").GetRawText())
            .Peer.Region.Should().Be("us-east-2");

    [Fact]
    public void ProvisionRequestedEvent_CarriesAnIdempotencyKey()
    {
        using var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "events", "provision-requested-event.json")));
        var request = Workflows.Core.Requests.ProvisionRequest.Parse(sample.RootElement.GetProperty("detail").GetRawText());
        request.IdempotencyKey.Should().NotBeNullOrEmpty("event producers should set one, and the sample shows how");
    }
}
