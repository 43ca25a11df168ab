using DsqlLocal.Wire;

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
            return now >= deleting + DeletionTime ? null : WireClusterStatus.Deleting;
        }

        if (cluster.DeleteRequestedAt is not null)
        {
            return WireClusterStatus.PendingDelete;
        }

        DateTimeOffset? provisioningFrom = cluster.IsMultiRegion ? cluster.LinkedAt : cluster.CreationTime;
        if (provisioningFrom is null)
        {
            // A multi-Region cluster waits for its pair indefinitely; nothing but a link moves it on.
            return WireClusterStatus.PendingSetup;
        }

        return now >= provisioningFrom.Value + ProvisioningTime ? WireClusterStatus.Active : WireClusterStatus.Creating;
    }

    public static bool IsDeleting(ClusterRecord cluster) => cluster.DeleteRequestedAt is not null || cluster.DeletionStartedAt is not null;
}
