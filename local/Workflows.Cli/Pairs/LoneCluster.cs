using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Cli.Pairs;

/// <summary>What retiring one cluster came to.</summary>
internal enum LoneOutcome
{
    /// <summary>It existed and is now gone.</summary>
    Deleted,

    /// <summary>No such cluster: nothing was done.</summary>
    NotFound,

    /// <summary>It is deletion-protected and --force was not given: nothing was done.</summary>
    Protected,

    /// <summary>Its peer still exists: retiring one half of a live pair is the pair teardown's job.</summary>
    LinkedPeerExists,

    /// <summary>It was still not gone when the bounded wait ran out.</summary>
    StillDeleting,
}

/// <summary>One cluster's retirement: the cluster as found, what happened, and the peer that stopped it, if any.</summary>
internal sealed record LoneResult(string Region, string Identifier, string? Arn, LoneOutcome Outcome, string? LastStatus, string? Peer);

/// <summary>
/// Retires a single cluster that no pair teardown can take: the half of a pair a provision left when it was
/// killed or failed before linking, or whose peer is already gone. The pair teardown is a state machine because
/// it runs on AWS with no client connected; this runs in the CLI, in the foreground, so its waiting is a bounded
/// poll loop on the backend's clock (virtual when embedded, so it takes no wall time there).
/// </summary>
internal sealed class LoneCluster
{
    /// <summary>Inferred: DSQL deletes in about a minute; 10 s polls for at most 30 minutes leave ample margin.</summary>
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMinutes(30);

    private readonly Backend _backend;
    private readonly Action<string> _progress;

    public LoneCluster(Backend backend, Action<string> progress)
    {
        _backend = backend;
        _progress = progress;
    }

    public TimeSpan Poll { get; init; } = DefaultPoll;

    public TimeSpan MaxWait { get; init; } = DefaultMaxWait;

    public async Task<LoneResult> RetireAsync(string region, string identifier, bool force, CancellationToken cancellationToken)
    {
        var client = _backend.Clients.ForRegion(region);
        var cluster = await Run(() => TryGetAsync(client, identifier, cancellationToken));
        if (cluster is null)
        {
            return new LoneResult(region, identifier, null, LoneOutcome.NotFound, null, null);
        }

        if (await LivePeerAsync(cluster, cancellationToken) is { } peer)
        {
            return new LoneResult(region, identifier, cluster.Arn, LoneOutcome.LinkedPeerExists, cluster.Status, peer);
        }

        if (cluster.Status is not (ClusterStatus.Deleting or ClusterStatus.Deleted or ClusterStatus.PendingDelete))
        {
            if (cluster.DeletionProtectionEnabled)
            {
                if (!force)
                {
                    return new LoneResult(region, identifier, cluster.Arn, LoneOutcome.Protected, cluster.Status, null);
                }

                _progress($"{region} {identifier}: turning deletion protection off");
                await Run(() => client.UpdateClusterAsync(new UpdateClusterRequest { Identifier = identifier, DeletionProtectionEnabled = false, ClientToken = Token("unprotect", identifier) }, cancellationToken));
            }

            _progress($"{region} {identifier}: deleting ({cluster.Status})");
            try
            {
                await Run(() => client.DeleteClusterAsync(new DeleteClusterRequest { Identifier = identifier, ClientToken = Token("delete", identifier) }, cancellationToken));
            }
            catch (ResourceNotFoundException)
            {
                return new LoneResult(region, identifier, cluster.Arn, LoneOutcome.Deleted, ClusterStatus.Deleted, null);
            }
        }

        var deadline = _backend.Time.GetUtcNow() + MaxWait;
        var last = cluster.Status;
        while (true)
        {
            var now = await Run(() => TryGetAsync(client, identifier, cancellationToken));
            if (now is null || now.Status == ClusterStatus.Deleted)
            {
                _progress($"{region} {identifier}: gone");
                return new LoneResult(region, identifier, cluster.Arn, LoneOutcome.Deleted, ClusterStatus.Deleted, null);
            }

            if (now.Status != last)
            {
                _progress($"{region} {identifier}: {now.Status}");
                last = now.Status;
            }

            if (_backend.Time.GetUtcNow() + Poll > deadline)
            {
                return new LoneResult(region, identifier, cluster.Arn, LoneOutcome.StillDeleting, now.Status, null);
            }

            await Wait(Poll, cancellationToken);
        }
    }

    private static async Task<GetClusterResponse?> TryGetAsync(IDsqlClient client, string identifier, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetClusterAsync(identifier, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The ARN of a linked cluster that still exists (the service lists the cluster's own ARN too).</summary>
    private async Task<string?> LivePeerAsync(GetClusterResponse cluster, CancellationToken cancellationToken)
    {
        foreach (var arn in cluster.MultiRegionProperties?.Clusters ?? [])
        {
            if (arn == cluster.Arn || !TryParseArn(arn, out var region, out var identifier))
            {
                continue;
            }

            var peer = await Run(() => TryGetAsync(_backend.Clients.ForRegion(region), identifier, cancellationToken));
            if (peer is not null && peer.Status is not (ClusterStatus.Deleted or ClusterStatus.Deleting))
            {
                return arn;
            }
        }

        return null;
    }

    private static bool TryParseArn(string arn, out string region, out string identifier)
    {
        try
        {
            (region, identifier) = Workflows.Core.Requests.RequestRules.ClusterArnParts(arn, "clusters");
            return true;
        }
        catch (Workflows.Core.Errors.InvalidRequestException)
        {
            (region, identifier) = (string.Empty, string.Empty);
            return false;
        }
    }

    // Idempotency tokens per cluster and action, so running the same retirement again is answered, not repeated.
    private static string Token(string action, string identifier) => $"workflows-retire-{action}-{identifier}";

    private async Task Wait(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (_backend.VirtualClock is { } clock)
        {
            clock.Advance(delay);
            return;
        }

        await Task.Delay(delay, _backend.Time, cancellationToken);
    }

    /// <summary>
    /// Runs a call; on the virtual clock, fires its timers while the call waits on one (the client's own retry
    /// back-off), since nothing else moves that clock here.
    /// </summary>
    private async Task<T> Run<T>(Func<Task<T>> call)
    {
        var task = call();
        if (_backend.VirtualClock is { } clock)
        {
            while (!task.IsCompleted)
            {
                if (!clock.FireNext())
                {
                    // Real I/O (function processes on loopback): let it finish without spinning.
                    await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(5), _backend.Wall));
                }
            }
        }

        return await task;
    }
}
