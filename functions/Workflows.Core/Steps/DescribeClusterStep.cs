using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Core.Polling;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record DescribeClusterInput
{
    public List<ClusterRefInput?>? Clusters { get; init; }

    /// <summary>The status the loop waits for; only ACTIVE (the default) is supported.</summary>
    public string? WaitFor { get; init; }

    public PollStateInput? Poll { get; init; }

    /// <summary>Defaults to the provisioning defaults.</summary>
    public PollingOptionsInput? Polling { get; init; }
}

/// <summary>A cluster as DescribeCluster saw it; a missing one has <c>found: false</c> and a null status.</summary>
public sealed record DescribedCluster : ClusterInfo
{
    public DescribedCluster()
    {
    }

    [SetsRequiredMembers]
    public DescribedCluster(ClusterInfo info, bool found)
        : base(info)
    {
        Found = found;
    }

    public bool Found { get; init; }
}

public sealed record DescribeClusterOutput
{
    public required string Decision { get; init; }

    public string? Reason { get; init; }

    public required int Attempt { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required int NextWaitSeconds { get; init; }

    public required IReadOnlyList<DescribedCluster> Clusters { get; init; }
}

public sealed record DescribeClusterCommand(IReadOnlyList<ClusterRef> Clusters, string WaitFor, PollState? Poll, PollingOptions Polling);

/// <summary>
/// Looks at up to ten clusters and decides, for a poll loop, whether they are all ACTIVE yet. Without a poll
/// state it is a plain "get cluster info" (the decision is still given).
/// </summary>
public sealed class DescribeClusterStep
{
    public const string Name = "DescribeCluster";
    public const int MaxClusters = 10;

    private readonly IDsqlClientFactory _clients;
    private readonly PollPolicy _policy;
    private readonly ILogger _logger;

    public DescribeClusterStep(IDsqlClientFactory clients, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _policy = new PollPolicy(time);
        _logger = logger;
    }

    public static DescribeClusterCommand Validate(DescribeClusterInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var clusters = ClusterLists.From(input.Clusters, "clusters", MaxClusters);
        var waitFor = input.WaitFor ?? ClusterStatus.Active;
        if (waitFor != ClusterStatus.Active)
        {
            throw new InvalidRequestException("waitFor", $"'{waitFor}' is not supported: only ACTIVE (to wait for clusters to go, use ConfirmClusterGone)");
        }

        return new DescribeClusterCommand(
            clusters,
            waitFor,
            PollState.From(input.Poll, "poll"),
            PollingOptions.From(input.Polling, PollingOptions.ProvisionDefaults, "polling"));
    }

    public async Task<DescribeClusterOutput> RunAsync(DescribeClusterInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        // All at once: one after another, a slow Region (the client retries) would multiply into the Lambda timeout.
        var described = await Task.WhenAll(request.Clusters.Select(c => DescribeAsync(c, cancellationToken)));
        var progress = request.Clusters.Select((c, i) => Progress(c, described[i])).ToList();

        var outcome = _policy.Decide(request.Poll, request.Polling, progress, request.WaitFor);
        var statuses = string.Join(", ", described.Select(c => c.Status ?? "missing"));
        _logger.Checked(described.Length, statuses, outcome.Attempt, outcome.Decision);
        return new DescribeClusterOutput
        {
            Decision = outcome.Decision,
            Reason = outcome.Reason,
            Attempt = outcome.Attempt,
            StartedAt = outcome.StartedAt,
            NextWaitSeconds = outcome.NextWaitSeconds,
            Clusters = described,
        };
    }

    private async Task<DescribedCluster> DescribeAsync(ClusterRef cluster, CancellationToken cancellationToken)
    {
        using var scope = _logger.ClusterScope(null, cluster.Region, cluster.Identifier);
        try
        {
            var found = await _clients.ForRegion(cluster.Region).GetClusterAsync(cluster.Identifier, cancellationToken);
            return new DescribedCluster(ClusterInfoMapping.From(found, cluster.Region), found: true);
        }
        catch (ResourceNotFoundException)
        {
            _logger.Missing();
            return new DescribedCluster(new ClusterInfo { Region = cluster.Region, Identifier = cluster.Identifier }, found: false);
        }
    }

    private static ClusterProgress Progress(ClusterRef cluster, DescribedCluster seen) => seen switch
    {
        { Found: false } => new(cluster, ProgressKind.Failed, $"cluster {cluster} does not exist"),
        { Status: ClusterStatus.Active } => new(cluster, ProgressKind.Reached),
        { Status: ClusterStatus.Failed } => new(cluster, ProgressKind.Failed, $"cluster {cluster} is FAILED"),
        { Status: var status } when ClusterStatusSets.IsBeingDeleted(status) =>
            new(cluster, ProgressKind.Failed, $"cluster {cluster} is {status}: it is being deleted and cannot become ACTIVE"),
        _ => new(cluster, ProgressKind.Pending),
    };
}
