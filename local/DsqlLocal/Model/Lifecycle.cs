using Workflows.Core.Dsql;

namespace DsqlLocal.Model;

/// <summary>Derives a cluster's status from its timestamps and the configured durations.</summary>
internal sealed class Lifecycle(TimeSpan provisioningTime, TimeSpan deletionTime)
{
    public TimeSpan ProvisioningTime { get; } = provisioningTime;

    public TimeSpan DeletionTime { get; } = deletionTime;

    /// <summary>The status at <paramref name="now"/>, or null once the cluster no longer exists.</summary>
    public string? StatusAt(ClusterRecord cluster, DateTimeOffset now)
    {
        if (cluster.DeletionStartedAt is { } deleting)
        {
            return now >= deleting + DeletionTime ? null : ClusterStatus.Deleting;
        }

        if (cluster.DeleteRequestedAt is not null)
        {
            return ClusterStatus.PendingDelete;
        }

        DateTimeOffset? provisioningFrom = cluster.IsMultiRegion ? cluster.LinkedAt : cluster.CreationTime;
        if (provisioningFrom is null)
        {
            // A multi-Region cluster waits for its pair indefinitely; nothing but a link moves it on.
            return ClusterStatus.PendingSetup;
        }

        return now >= provisioningFrom.Value + ProvisioningTime ? ClusterStatus.Active : ClusterStatus.Creating;
    }

    public static bool IsDeleting(ClusterRecord cluster) => cluster.DeleteRequestedAt is not null || cluster.DeletionStartedAt is not null;
}
