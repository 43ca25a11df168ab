using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;

namespace Workflows.Core.Steps;

/// <summary>
/// Tells the clusters a run made from the ones a clientToken replay handed back. A duplicate request (same
/// idempotencyKey) gets the first request's clusters back, and its clean-up must never delete them; a re-run
/// under the same execution name gets its own earlier attempt's clusters back, and owns them.
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
    /// <returns>The cluster as it is now (its tags included), for <see cref="TaggedByThisExecution"/>.</returns>
    /// <exception cref="InvalidRequestException">The replayed cluster is gone or on its way out.</exception>
    public static async Task<GetClusterResponse> EnsureReplayedClusterLivesAsync(IDsqlClient client, ClusterInfo replayed, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(replayed);
        GetClusterResponse? current;
        try
        {
            current = await client.GetClusterAsync(replayed.Identifier, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            current = null;
        }

        var status = current?.Status;

        if (status is null || ClusterStatusSets.IsBeingDeleted(status))
        {
            var state = status is null ? "no longer exists" : $"is {status}";
            throw idempotencyKey is null
                ? new InvalidRequestException("executionName", $"names a run that already created cluster {replayed.Identifier} in {replayed.Region}, which {state}")
                : new InvalidRequestException("idempotencyKey", $"'{idempotencyKey}' was already used by an earlier request, whose cluster {replayed.Identifier} in {replayed.Region} {state}; use a new idempotencyKey");
        }

        return current!;
    }

    /// <summary>
    /// True when the cluster's tags say this very execution made it: <c>workflows:execution</c> names this
    /// execution (not an idempotencyKey) and <c>workflows:state-machine</c> this state machine. That is what a
    /// re-run under the same name (an interrupted provision started again) gets back from its earlier attempt:
    /// the same name and machine derive the same clientToken, so CreateCluster answers with the older cluster, and
    /// it is this run's own whatever its age. A run with an idempotencyKey is tagged with the key, which a
    /// duplicate request under another execution name shares, so for it the tags cannot tell the two apart and
    /// the creation time still decides (the duplicate must never delete the first request's pair).
    /// </summary>
    public static bool TaggedByThisExecution(IReadOnlyDictionary<string, string>? tags, string executionName, string? stateMachineArn, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(executionName);
        if (tags is null || idempotencyKey is not null || stateMachineArn is null)
        {
            return false;
        }

        return ExecutionTags.Identifying(ExecutionTags.RunId(executionName, idempotencyKey: null), stateMachineArn)
            .All(w => tags.TryGetValue(w.Key, out var value) && value == w.Value);
    }
}
