using Workflows.Core.Dsql;

namespace Workflows.Core.Steps;

/// <summary>Groups of statuses the steps decide on. Anything not listed is treated as "still moving".</summary>
internal static class ClusterStatusSets
{
    /// <summary>A delete has been accepted: the cluster is on its way out (or already out).</summary>
    public static bool IsBeingDeleted(string? status) =>
        status is ClusterStatus.PendingDelete or ClusterStatus.Deleting or ClusterStatus.Deleted;
}
