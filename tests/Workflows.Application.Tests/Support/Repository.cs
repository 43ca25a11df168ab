namespace Workflows.Application.Tests.Support;

/// <summary>Paths in the repository the tests run from (found by walking up to Workflows.sln).</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Workflows.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => RootPath.Value;

    public static string TemplatePath => Path.Combine(Root, "template.yaml");

    public static string StateMachine(string name) => Path.Combine(Root, "statemachines", name + ".asl.json");

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>The build configuration of this test assembly (bin/{Configuration}/net10.0), so function builds match it.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>
    /// The contract's nine lifecycle steps, FindExecutionClusters (the clean-up's search) and the update's two
    /// (ValidateUpdateRequest, UpdateClusterTags), one Lambda function each.
    /// </summary>
    public static readonly IReadOnlyList<string> Steps =
    [
        "ValidateProvisionRequest",
        "ValidateTeardownRequest",
        "CreatePrimaryCluster",
        "CreatePeerCluster",
        "LinkClusters",
        "FindExecutionClusters",
        "DescribeCluster",
        "SetDeletionProtection",
        "DeleteCluster",
        "ConfirmClusterGone",
        "ValidateUpdateRequest",
        "UpdateClusterTags",
    ];
}
