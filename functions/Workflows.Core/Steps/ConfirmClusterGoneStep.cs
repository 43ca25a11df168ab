using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Polling;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record ConfirmClusterGoneInput
{
    public List<ClusterRefInput?>? Clusters { get; init; }

    public PollStateInput? Poll { get; init; }

    /// <summary>Defaults to the teardown defaults.</summary>
    public PollingOptionsInput? Polling { get; init; }
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
}

public sealed record ConfirmClusterGoneCommand(IReadOnlyList<ClusterRef> Clusters, PollState? Poll, PollingOptions Polling);

/// <summary>
/// Checks that deleted clusters are gone: GetCluster answering ResourceNotFoundException is the success
/// (as in DSQL's ClusterNotExists waiter). A cluster that is not being deleted fails the loop at once.
/// </summary>
public sealed class ConfirmClusterGoneStep
{
    public const string Name = "ConfirmClusterGone";
    public const int MaxClusters = 10;

    private readonly IDsqlClientFactory _clients;
    private readonly PollPolicy _policy;
    private readonly ILogger _logger;

    public ConfirmClusterGoneStep(IDsqlClientFactory clients, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _policy = new PollPolicy(time);
        _logger = logger;
    }

    public static ConfirmClusterGoneCommand Validate(ConfirmClusterGoneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ConfirmClusterGoneCommand(
            ClusterLists.From(input.Clusters, "clusters", MaxClusters),
            PollState.From(input.Poll, "poll"),
            PollingOptions.From(input.Polling, PollingOptions.TeardownDefaults, "polling"));
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

        var outcome = _policy.Decide(request.Poll, request.Polling, progress, "gone");
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
