using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
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

    /// <summary>With exactly two clusters: also say whether they are the two halves of one pair (teardown asks).</summary>
    public bool? CheckPair { get; init; }

    /// <summary>
    /// When the state machine entered this check (<c>$$.State.EnteredTime</c>); the poll budget is measured on that
    /// clock, the one its Wait states run on. Defaults to the function's own clock.
    /// </summary>
    public DateTimeOffset? CheckedAt { get; init; }
}

/// <summary>Whether two clusters are one pair: each one that exists lists the other among its linked clusters.</summary>
public sealed record PairCheck
{
    public required bool IsPair { get; init; }

    /// <summary>Why not, naming both clusters and what each is linked to.</summary>
    public string? Reason { get; init; }
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

    /// <summary>Only when the input asked for it (<c>checkPair</c>).</summary>
    public PairCheck? Pair { get; init; }
}

public sealed record DescribeClusterCommand(IReadOnlyList<ClusterRef> Clusters, string WaitFor, PollState? Poll, PollingOptions Polling, bool CheckPair = false);

/// <summary>
/// Looks at up to ten clusters and decides, for a poll loop, whether they are all ACTIVE yet. Without a poll
/// state it is a plain "get cluster info" (the decision is still given).
/// </summary>
public sealed class DescribeClusterStep : IStep<DescribeClusterInput, DescribeClusterOutput>
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

        var checkPair = input.CheckPair ?? false;
        if (checkPair && clusters.Count != 2)
        {
            throw new InvalidRequestException("checkPair", $"needs exactly two clusters, not {clusters.Count}");
        }

        return new DescribeClusterCommand(
            clusters,
            waitFor,
            PollState.From(input.Poll, "poll"),
            PollingOptions.From(input.Polling, PollingOptions.ProvisionDefaults, "polling"),
            checkPair);
    }

    public async Task<DescribeClusterOutput> RunAsync(DescribeClusterInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        // All at once: one after another, a slow Region (the client retries) would multiply into the Lambda timeout.
        var described = await Task.WhenAll(request.Clusters.Select(c => DescribeAsync(c, cancellationToken)));
        var progress = request.Clusters.Select((c, i) => Progress(c, described[i])).ToList();

        var outcome = _policy.Decide(request.Poll, request.Polling, progress, request.WaitFor, input.CheckedAt);
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
            Pair = request.CheckPair ? Pair(described[0], described[1]) : null,
        };
    }

    /// <summary>
    /// A found cluster must list the other, even when the other is gone (a half-retired pair still names its
    /// missing peer); two missing clusters are an already-retired pair. A primary (the first) that lists nothing
    /// is one whose provisioning stopped before the link: it belongs with the peer when the peer lists it or is
    /// gone. Two found clusters that list nothing at all are not a pair.
    /// </summary>
    public static PairCheck Pair(DescribedCluster first, DescribedCluster second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var problems = new List<string>();
        foreach (var (one, other) in new[] { (first, second), (second, first) })
        {
            if (one.Found && !Lists(one, other) && !(ReferenceEquals(one, first) && one.LinkedClusterArns.Count == 0 && (!other.Found || Lists(other, one))))
            {
                var links = one.LinkedClusterArns.Count == 0 ? "no cluster" : string.Join(", ", one.LinkedClusterArns);
                problems.Add($"{one.Identifier} in {one.Region} is linked to {links}, not to {other.Identifier} in {other.Region}");
            }
        }

        return problems.Count == 0
            ? new PairCheck { IsPair = true }
            : new PairCheck
            {
                IsPair = false,
                Reason = $"{first.Identifier} in {first.Region} and {second.Identifier} in {second.Region} are not one pair, so nothing was changed: {string.Join("; ", problems)}.",
            };
    }

    private static bool Lists(ClusterInfo cluster, ClusterInfo other) =>
        cluster.LinkedClusterArns.Any(arn =>
        {
            try
            {
                return RequestRules.ClusterArnParts(arn, "linkedClusterArns") == (other.Region, other.Identifier);
            }
            catch (InvalidRequestException)
            {
                return false;
            }
        });

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
        { Status: var status } when ClusterStatusSets.IsHealthy(status) => new(cluster, ProgressKind.Reached),
        { Status: ClusterStatus.Failed } => new(cluster, ProgressKind.Failed, $"cluster {cluster} is FAILED"),
        { Status: var status } when ClusterStatusSets.IsBeingDeleted(status) =>
            new(cluster, ProgressKind.Failed, $"cluster {cluster} is {status}: it is being deleted and cannot become ACTIVE"),
        _ => new(cluster, ProgressKind.Pending),
    };
}
