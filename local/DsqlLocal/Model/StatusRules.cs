namespace DsqlLocal.Model;

/// <summary>
/// Which operations a cluster refuses (409 ConflictException) while it is in a given status. The sources do
/// not say; these defaults are Inferred and replaceable through <see cref="DsqlLocalOptions.RefusedOperations"/>
/// (config "statusRules"):
/// <list type="bullet">
/// <item>UPDATING refuses UpdateCluster: a configuration change is in progress, and Terraform's provider waits
/// for ACTIVE after every update before it sends the next one. DeleteCluster stays allowed, because turning
/// deletion protection off "takes effect at once" and a delete is the usual next call.</item>
/// <item>FAILED refuses UpdateCluster and the cluster policy and stream operations; a failed cluster can only be
/// deleted, and so an UpdateCluster that only turns deletion protection on or off (<see cref="ProtectionOnly"/>) is
/// allowed: otherwise a protected cluster whose creation failed could never be deleted at all.</item>
/// <item>PENDING_DELETE and DELETING refuse everything that changes the cluster.</item>
/// </list>
/// </summary>
internal static class StatusRules
{
    /// <summary>
    /// The name status rules give an UpdateCluster whose only change is deletionProtectionEnabled, so a status can
    /// allow that and refuse other updates (as FAILED does by default). A rule listing only "UpdateCluster" refuses
    /// every other update; list this name too to refuse protection changes as well.
    /// </summary>
    public const string ProtectionOnly = "UpdateCluster.deletionProtectionEnabled";

    private static readonly string[] Changes =
    [
        "UpdateCluster", ProtectionOnly, "DeleteCluster", "PutClusterPolicy", "DeleteClusterPolicy", "CreateStream", "DeleteStream",
    ];

    public static IDictionary<string, IReadOnlyList<string>> Defaults() => new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["UPDATING"] = ["UpdateCluster", ProtectionOnly],
        ["FAILED"] = ["UpdateCluster", "PutClusterPolicy", "DeleteClusterPolicy", "CreateStream"],
        ["PENDING_DELETE"] = Changes,
        ["DELETING"] = Changes,
    };
}
