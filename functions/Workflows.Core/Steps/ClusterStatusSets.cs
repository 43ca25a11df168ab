using Workflows.Core.Dsql;

namespace Workflows.Core.Steps;

/// <summary>Groups of statuses the steps decide on. Anything not listed is treated as "still moving".</summary>
internal static class ClusterStatusSets
{
    /// <summary>
    /// Up and serving, or scaled down for want of connections: IDLE and INACTIVE clusters keep their data and come
    /// back on the next connection (user guide, cluster lifecycle), so a pair in them is provisioned and healthy. A
    /// pair made weeks ago and unused is likely INACTIVE. UPDATING is not here: a change is in progress, wait it out.
    /// </summary>
    public static bool IsHealthy(string? status) =>
        status is ClusterStatus.Active or ClusterStatus.Idle or ClusterStatus.Inactive;

    /// <summary>A delete has been accepted: the cluster is on its way out (or already out).</summary>
    public static bool IsBeingDeleted(string? status) =>
        status is ClusterStatus.PendingDelete or ClusterStatus.Deleting or ClusterStatus.Deleted;
}
