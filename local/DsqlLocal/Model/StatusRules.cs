namespace DsqlLocal.Model;

/// <summary>
/// Which operations a cluster refuses (409 ConflictException) while it is in a given status. The sources do
/// not say; these defaults are Inferred and replaceable through <see cref="DsqlLocalOptions.RefusedOperations"/>
/// (config "statusRules"):
/// <list type="bullet">
/// <item>UPDATING refuses UpdateCluster: a configuration change is in progress, and Terraform's provider waits
/// for ACTIVE after every update before it sends the next one. DeleteCluster stays allowed, because turning
/// deletion protection off "takes effect at once" and a delete is the usual next call.</item>
/// <item>FAILED refuses UpdateCluster and the cluster policy and stream operations; a failed cluster can only be deleted.</item>
/// <item>PENDING_DELETE and DELETING refuse everything that changes the cluster.</item>
/// </list>
/// </summary>
internal static class StatusRules
{
    private static readonly string[] Changes =
    [
        "UpdateCluster", "DeleteCluster", "PutClusterPolicy", "DeleteClusterPolicy", "CreateStream", "DeleteStream",
    ];

    public static IDictionary<string, IReadOnlyList<string>> Defaults() => new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["UPDATING"] = ["UpdateCluster"],
        ["FAILED"] = ["UpdateCluster", "PutClusterPolicy", "DeleteClusterPolicy", "CreateStream"],
        ["PENDING_DELETE"] = Changes,
        ["DELETING"] = Changes,
    };
}
