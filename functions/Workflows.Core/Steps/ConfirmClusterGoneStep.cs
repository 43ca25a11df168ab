using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Polling;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record ConfirmClusterGoneInput
{
    public List<GoneClusterInput?>? Clusters { get; init; }

    public PollStateInput? Poll { get; init; }

    /// <summary>Defaults to the teardown defaults.</summary>
    public PollingOptionsInput? Polling { get; init; }

    /// <summary>
    /// When the state machine entered this check (<c>$$.State.EnteredTime</c>); the poll budget is measured on that
    /// clock, the one its Wait states run on. Defaults to the function's own clock.
    /// </summary>
    public DateTimeOffset? CheckedAt { get; init; }
}

/// <summary>
/// A cluster to confirm gone. A clean-up passes its per-cluster results as they are: one it could not delete
/// (<c>deleted: false</c>, with <c>why</c>) is reported as left behind instead of being waited for. Other members
/// are ignored, as for any cluster reference.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record GoneClusterInput
{
    public string? Region { get; init; }

    public string? Identifier { get; init; }

    public string? Arn { get; init; }

    /// <summary>False when the clean-up failed to delete it; absent means it was deleted.</summary>
    public bool? Deleted { get; init; }

    public string? Why { get; init; }

    /// <summary>True for a cluster the clean-up left alone on purpose (an earlier run's): neither waited for nor left over.</summary>
    public bool? Kept { get; init; }
}

/// <summary>A cluster that may still exist, and why.</summary>
public sealed record LeftoverCluster
{
    public required string Region { get; init; }

    public required string Identifier { get; init; }

    public required string Why { get; init; }
}

public sealed record GoneCheck
{
    public required string Region { get; init; }

    public required string Identifier { get; init; }

    public required bool Gone { get; init; }

    /// <summary>Null once the cluster is gone; always written so Choice states can read it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Status { get; init; }
}

public sealed record ConfirmClusterGoneOutput
{
    public required string Decision { get; init; }

    public string? Reason { get; init; }

    public required int Attempt { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required int NextWaitSeconds { get; init; }

    public required IReadOnlyList<GoneCheck> Clusters { get; init; }

    /// <summary>
    /// Clusters that may remain: the ones not deleted, and once the loop has ended without READY, the ones not
    /// gone. Empty when the clean-up is complete.
    /// </summary>
    public required IReadOnlyList<LeftoverCluster> Leftover { get; init; }
}

public sealed record ConfirmClusterGoneCommand(IReadOnlyList<ClusterRef> Clusters, PollState? Poll, PollingOptions Polling)
{
    /// <summary>Clusters the clean-up could not delete, with why; not waited for.</summary>
    public IReadOnlyList<LeftoverCluster> NotDeleted { get; init; } = [];
}

/// <summary>
/// Checks that deleted clusters are gone: GetCluster answering ResourceNotFoundException is the success
/// (as in DSQL's ClusterNotExists waiter). A cluster that is not being deleted fails the loop at once.
/// </summary>
public sealed class ConfirmClusterGoneStep : IStep<ConfirmClusterGoneInput, ConfirmClusterGoneOutput>
{
    public const string Name = "ConfirmClusterGone";
    public const int MaxClusters = 10;

    private readonly IDsqlClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly PollPolicy _policy;
    private readonly ILogger _logger;

    public ConfirmClusterGoneStep(IDsqlClientFactory clients, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _time = time;
        _policy = new PollPolicy(time);
        _logger = logger;
    }

    public static ConfirmClusterGoneCommand Validate(ConfirmClusterGoneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var refs = input.Clusters?.Select(c => c is null ? null : new ClusterRefInput { Region = c.Region, Identifier = c.Identifier, Arn = c.Arn }).ToList();
        var all = ClusterLists.From(refs, "clusters", MaxClusters);
        var kept = all
            .Where((cluster, i) => input.Clusters![i]!.Kept == true)
            .ToList();
        var notDeleted = all
            .Select((cluster, i) => (cluster, raw: input.Clusters![i]!))
            .Where(c => c.raw.Deleted == false && c.raw.Kept != true)
            .Select(c => new LeftoverCluster { Region = c.cluster.Region, Identifier = c.cluster.Identifier, Why = c.raw.Why ?? "it could not be deleted" })
            .ToList();
        var waited = all
            .Where(c => !notDeleted.Any(n => n.Region == c.Region && n.Identifier == c.Identifier))
            .Where(c => !kept.Contains(c))
            .ToList();
        return new ConfirmClusterGoneCommand(
            waited,
            PollState.From(input.Poll, "poll"),
            PollingOptions.From(input.Polling, PollingOptions.TeardownDefaults, "polling"))
        {
            NotDeleted = notDeleted,
        };
    }

    public async Task<ConfirmClusterGoneOutput> RunAsync(ConfirmClusterGoneInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        // All at once, for the same reason as DescribeCluster: the Lambda timeout bounds the sum, not each call.
        var checks = await Task.WhenAll(request.Clusters.Select(c => CheckAsync(c, cancellationToken)));
        var progress = request.Clusters.Select((cluster, i) => checks[i] switch
        {
            { Gone: true } => new ClusterProgress(cluster, ProgressKind.Reached),
            { Status: var status } when ClusterStatusSets.IsBeingDeleted(status) => new ClusterProgress(cluster, ProgressKind.Pending),
            { Status: var status } => new ClusterProgress(cluster, ProgressKind.Failed, $"cluster {cluster} is {status}: it is not being deleted"),
        }).ToList();

        // Nothing was deleted, so nothing to wait for: the loop is over and the leftovers say why.
        var outcome = progress.Count == 0
            ? new PollOutcome(PollDecision.Ready, null, (request.Poll?.Attempt ?? 0) + 1, request.Poll?.StartedAt ?? input.CheckedAt ?? _time.GetUtcNow(), 0)
            : _policy.Decide(request.Poll, request.Polling, progress, "gone", input.CheckedAt);
        var leftover = request.NotDeleted.ToList();
        if (outcome.Decision is not PollDecision.Ready and not PollDecision.Wait)
        {
            leftover.AddRange(checks.Where(c => !c.Gone).Select(c => new LeftoverCluster
            {
                Region = c.Region,
                Identifier = c.Identifier,
                Why = $"deleted, but still {c.Status} when the checks ended ({outcome.Reason})",
            }));
        }

        var gone = checks.Count(c => c.Gone);
        _logger.GoneChecked(gone, checks.Length, outcome.Attempt, outcome.Decision);
        return new ConfirmClusterGoneOutput
        {
            Decision = outcome.Decision,
            Reason = outcome.Reason,
            Attempt = outcome.Attempt,
            StartedAt = outcome.StartedAt,
            NextWaitSeconds = outcome.NextWaitSeconds,
            Clusters = checks,
            Leftover = leftover,
        };
    }

    private async Task<GoneCheck> CheckAsync(ClusterRef cluster, CancellationToken cancellationToken)
    {
        using var scope = _logger.ClusterScope(null, cluster.Region, cluster.Identifier);
        try
        {
            var current = await _clients.ForRegion(cluster.Region).GetClusterAsync(cluster.Identifier, cancellationToken);
            // DELETED may be shown for a moment before the cluster disappears; either way it is gone.
            return new GoneCheck { Region = cluster.Region, Identifier = cluster.Identifier, Gone = current.Status == ClusterStatus.Deleted, Status = current.Status };
        }
        catch (ResourceNotFoundException)
        {
            return new GoneCheck { Region = cluster.Region, Identifier = cluster.Identifier, Gone = true, Status = null };
        }
    }
}
