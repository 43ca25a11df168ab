using Workflows.Core.Requests;

namespace Workflows.Core.Polling;

public enum ProgressKind
{
    /// <summary>The cluster is where the loop wants it.</summary>
    Reached,

    /// <summary>Still on its way.</summary>
    Pending,

    /// <summary>It cannot get there any more.</summary>
    Failed,
}

/// <summary>Where one cluster stands against the loop's target; <paramref name="Reason"/> explains a failure.</summary>
public sealed record ClusterProgress(ClusterRef Cluster, ProgressKind Kind, string? Reason = null);
