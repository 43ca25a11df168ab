using DsqlLocal.Wire;

namespace DsqlLocal.Model;

/// <summary>The durations that drive a cluster through its statuses (already divided by the time scale).</summary>
internal sealed record LifecycleTimes(
    TimeSpan Provisioning,
    TimeSpan Deletion,
    TimeSpan Updating,
    TimeSpan? IdleAfter,
    TimeSpan? InactiveAfter,
    TimeSpan Reactivation);

/// <summary>Derives a cluster's status from its timestamps and the configured durations.</summary>
internal sealed class Lifecycle(LifecycleTimes times)
{
    public LifecycleTimes Times { get; } = times;

    public TimeSpan ProvisioningTime => Times.Provisioning;

    public TimeSpan DeletionTime => Times.Deletion;

    /// <summary>
    /// The status at <paramref name="now"/>, or null once the cluster no longer exists. Precedence: deletion,
    /// a status forced by the admin endpoint, setup and provisioning, a failed creation, an update in progress,
    /// a reactivation, then ACTIVE, IDLE or INACTIVE by the time since the last activity.
    /// </summary>
    public string? StatusAt(ClusterRecord cluster, DateTimeOffset now)
    {
        if (cluster.DeletionStartedAt is { } deleting)
        {
            return now >= deleting + Times.Deletion ? null : WireClusterStatus.Deleting;
        }

        if (cluster.DeleteRequestedAt is not null)
        {
            return WireClusterStatus.PendingDelete;
        }

        if (cluster.ForcedStatus is { } forced && (cluster.ForcedUntil is not { } until || now < until))
        {
            return forced;
        }

        if (ProvisionedAt(cluster) is not { } provisioned)
        {
            // A multi-Region cluster waits for its pair indefinitely; nothing but a link moves it on.
            return WireClusterStatus.PendingSetup;
        }

        if (now < provisioned)
        {
            return WireClusterStatus.Creating;
        }

        if (cluster.CreationFails)
        {
            return WireClusterStatus.Failed;
        }

        if (now < cluster.UpdatingUntil)
        {
            return WireClusterStatus.Updating;
        }

        if (now < cluster.ReactivatingUntil)
        {
            // Inferred: a reactivating cluster keeps showing INACTIVE until it can serve again.
            return WireClusterStatus.Inactive;
        }

        var idleFor = now - LastActivity(cluster, provisioned);
        if (Times.InactiveAfter is { } inactive && idleFor >= inactive)
        {
            return WireClusterStatus.Inactive;
        }

        return Times.IdleAfter is { } idle && idleFor >= idle ? WireClusterStatus.Idle : WireClusterStatus.Active;
    }

    /// <summary>When provisioning ends (or ended); null while a multi-Region cluster waits for its peer.</summary>
    public DateTimeOffset? ProvisionedAt(ClusterRecord cluster)
    {
        DateTimeOffset? from = cluster.IsMultiRegion ? cluster.LinkedAt : cluster.CreationTime;
        return from + Times.Provisioning;
    }

    public static bool IsDeleting(ClusterRecord cluster) => cluster.DeleteRequestedAt is not null || cluster.DeletionStartedAt is not null;

    private static DateTimeOffset LastActivity(ClusterRecord cluster, DateTimeOffset provisioned)
    {
        var last = provisioned;
        foreach (var moment in new[] { cluster.UpdatingUntil, cluster.ReactivatingUntil, cluster.LastConnectedAt, cluster.ForcedUntil })
        {
            if (moment is { } m && m > last)
            {
                last = m;
            }
        }

        return last;
    }
}
