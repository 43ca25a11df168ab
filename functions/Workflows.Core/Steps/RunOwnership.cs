using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;

namespace Workflows.Core.Steps;

/// <summary>
/// Tells the clusters a run made from the ones a clientToken replay handed back. A duplicate request (same
/// idempotencyKey) gets the first request's clusters back, and its clean-up must never delete them.
/// </summary>
public static class RunOwnership
{
    /// <summary>
    /// True when the cluster was created at or after the run started, or when either time is unknown (then the
    /// cluster is treated as the run's own, as before the check existed). DSQL's creationTime may be whole
    /// seconds, so the run's start is rounded down to its second: a cluster made in the run's first second still
    /// counts as the run's.
    /// </summary>
    public static bool CreatedSince(DateTimeOffset? creationTime, DateTimeOffset? startedAt)
    {
        if (creationTime is null || startedAt is null)
        {
            return true;
        }

        var start = startedAt.Value.ToUniversalTime();
        var floor = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return creationTime.Value >= floor;
    }

    /// <summary>
    /// A replayed create answers with the cluster as it was then; if an earlier run has since deleted it, going on
    /// would only fail minutes later on a cluster that "does not exist". Fails now, naming the reused key.
    /// </summary>
    /// <exception cref="InvalidRequestException">The replayed cluster is gone or on its way out.</exception>
    public static async Task EnsureReplayedClusterLivesAsync(IDsqlClient client, ClusterInfo replayed, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(replayed);
        string? status;
        try
        {
            status = (await client.GetClusterAsync(replayed.Identifier, cancellationToken)).Status;
        }
        catch (ResourceNotFoundException)
        {
            status = null;
        }

        if (status is null || ClusterStatusSets.IsBeingDeleted(status))
        {
            var state = status is null ? "no longer exists" : $"is {status}";
            throw idempotencyKey is null
                ? new InvalidRequestException("executionName", $"names a run that already created cluster {replayed.Identifier} in {replayed.Region}, which {state}")
                : new InvalidRequestException("idempotencyKey", $"'{idempotencyKey}' was already used by an earlier request, whose cluster {replayed.Identifier} in {replayed.Region} {state}; use a new idempotencyKey");
        }
    }
}
