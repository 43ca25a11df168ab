using Workflows.Core.Hosting;

namespace Workflows.Core.Steps;

/// <summary>
/// The twelve lifecycle steps, each with its logic and payload contracts. A function project's entry point names one
/// (<c>LambdaBootstrap.RunAsync(StepCatalog.CreatePrimaryCluster)</c>); a local host finds one by the name of the
/// function's project folder (its CodeUri).
/// </summary>
public static class StepCatalog
{
    private static readonly StepJsonContext Json = StepJsonContext.Default;

    public static StepDefinition ValidateProvisionRequest { get; } = StepDefinition.Of(
        ValidateProvisionRequestStep.Name, (s, log) => new ValidateProvisionRequestStep(s.Time, log), Json.ValidateProvisionRequestInput, Json.ValidateProvisionRequestOutput);

    public static StepDefinition ValidateTeardownRequest { get; } = StepDefinition.Of(
        ValidateTeardownRequestStep.Name, (s, log) => new ValidateTeardownRequestStep(s.Time, log), Json.ValidateTeardownRequestInput, Json.ValidateTeardownRequestOutput);

    public static StepDefinition CreatePrimaryCluster { get; } = StepDefinition.Of(
        CreatePrimaryClusterStep.Name, (s, log) => new CreatePrimaryClusterStep(s.Clients, log), Json.CreatePrimaryClusterInput, Json.CreatePrimaryClusterOutput);

    public static StepDefinition CreatePeerCluster { get; } = StepDefinition.Of(
        CreatePeerClusterStep.Name, (s, log) => new CreatePeerClusterStep(s.Clients, log), Json.CreatePeerClusterInput, Json.CreatePeerClusterOutput);

    public static StepDefinition LinkClusters { get; } = StepDefinition.Of(
        LinkClustersStep.Name, (s, log) => new LinkClustersStep(s.Clients, log), Json.LinkClustersInput, Json.LinkClustersOutput);

    public static StepDefinition DescribeCluster { get; } = StepDefinition.Of(
        DescribeClusterStep.Name, (s, log) => new DescribeClusterStep(s.Clients, s.Time, log), Json.DescribeClusterInput, Json.DescribeClusterOutput);

    public static StepDefinition SetDeletionProtection { get; } = StepDefinition.Of(
        SetDeletionProtectionStep.Name, (s, log) => new SetDeletionProtectionStep(s.Clients, log), Json.SetDeletionProtectionInput, Json.SetDeletionProtectionOutput);

    public static StepDefinition DeleteCluster { get; } = StepDefinition.Of(
        DeleteClusterStep.Name, (s, log) => new DeleteClusterStep(s.Clients, log), Json.DeleteClusterInput, Json.DeleteClusterOutput);

    public static StepDefinition ConfirmClusterGone { get; } = StepDefinition.Of(
        ConfirmClusterGoneStep.Name, (s, log) => new ConfirmClusterGoneStep(s.Clients, s.Time, log), Json.ConfirmClusterGoneInput, Json.ConfirmClusterGoneOutput);

    public static StepDefinition FindExecutionClusters { get; } = StepDefinition.Of(
        FindExecutionClustersStep.Name, (s, log) => new FindExecutionClustersStep(s.Clients, log), Json.FindExecutionClustersInput, Json.FindExecutionClustersOutput);

    public static StepDefinition ValidateUpdateRequest { get; } = StepDefinition.Of(
        ValidateUpdateRequestStep.Name, (s, log) => new ValidateUpdateRequestStep(s.Time, log), Json.ValidateUpdateRequestInput, Json.ValidateUpdateRequestOutput);

    public static StepDefinition UpdateClusterTags { get; } = StepDefinition.Of(
        UpdateClusterTagsStep.Name, (s, log) => new UpdateClusterTagsStep(s.Clients, log), Json.UpdateClusterTagsInput, Json.UpdateClusterTagsOutput);

    /// <summary>Every step, in the order the state machines first use them.</summary>
    public static IReadOnlyList<StepDefinition> All { get; } =
    [
        ValidateProvisionRequest, ValidateTeardownRequest, CreatePrimaryCluster, CreatePeerCluster, LinkClusters,
        DescribeCluster, SetDeletionProtection, DeleteCluster, ConfirmClusterGone, FindExecutionClusters,
        ValidateUpdateRequest, UpdateClusterTags,
    ];

    /// <summary>The step named <paramref name="name"/> (case-sensitive), or null.</summary>
    public static StepDefinition? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The step a function's CodeUri builds: the last folder of <c>functions/&lt;Step&gt;/</c> (template.yaml and
    /// functions/Makefile keep the two in step), or null.
    /// </summary>
    public static StepDefinition? ForCodeUri(string? codeUri)
    {
        if (string.IsNullOrWhiteSpace(codeUri))
        {
            return null;
        }

        var folder = codeUri.Replace('\\', '/').TrimEnd('/');
        return Find(folder[(folder.LastIndexOf('/') + 1)..]);
    }
}
