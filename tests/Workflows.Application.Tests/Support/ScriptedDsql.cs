using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Application.Tests.Support;

/// <summary>
/// An in-memory DSQL control plane for application tests that run the real functions: clusters with their status,
/// links, deletion protection and tags, on the engine's virtual clock. DSQL Local does not emulate UPDATING yet, so
/// this is where "a cluster stays UPDATING for a while after UpdateCluster" is scripted (<see cref="UpdatingFor"/>).
/// Failures are scripted per operation and Region (<see cref="Fail"/>), each answering that many calls.
/// </summary>
internal sealed class ScriptedDsql(TimeProvider clock) : IDsqlClientFactory
{
    public const string Account = "123456789012";

    private readonly TimeProvider _clock = clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Operation, string Region), Queue<Func<Exception>>> _failures = [];

    public List<ScriptedCluster> Clusters { get; } = [];

    /// <summary>How long a cluster stays UPDATING after an UpdateCluster (zero: the change is in at once).</summary>
    public TimeSpan UpdatingFor { get; set; }

    /// <summary>Every call, in order: operation and Region.</summary>
    public List<(string Operation, string Region)> Calls { get; } = [];

    /// <summary>A linked, ACTIVE, protected pair in us-east-1 and us-east-2.</summary>
    public (ScriptedCluster Primary, ScriptedCluster Peer) AddPair(string primaryId, string peerId)
    {
        var primary = Add("us-east-1", primaryId);
        var peer = Add("us-east-2", peerId);
        primary.Linked.Add(peer.Arn);
        peer.Linked.Add(primary.Arn);
        return (primary, peer);
    }

    public ScriptedCluster Add(string region, string identifier)
    {
        var cluster = new ScriptedCluster(region, identifier);
        Clusters.Add(cluster);
        return cluster;
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="operation"/> in <paramref name="region"/> throw.</summary>
    public ScriptedDsql Fail(string operation, string region, int times, Func<Exception> error)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue((operation, region), out var queue))
            {
                _failures[(operation, region)] = queue = new Queue<Func<Exception>>();
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(error);
            }
        }

        return this;
    }

    public static Exception Throttled() => new ThrottlingException("Rate exceeded", TimeSpan.FromSeconds(30));

    public IDsqlClient ForRegion(string region) => new Client(this, region);

    private void Enter(string operation, string region)
    {
        lock (_gate)
        {
            Calls.Add((operation, region));
            if (_failures.TryGetValue((operation, region), out var queue) && queue.TryDequeue(out var error))
            {
                throw error();
            }
        }
    }

    private ScriptedCluster Find(string region, string identifier) =>
        Clusters.FirstOrDefault(c => c.Region == region && c.Identifier == identifier && c.Exists)
            ?? throw new ResourceNotFoundException($"Cluster {identifier} not found", identifier, "cluster");

    private string StatusOf(ScriptedCluster cluster) =>
        cluster.UpdatingUntil is { } until && _clock.GetUtcNow() < until ? ClusterStatus.Updating : cluster.Status;

    private sealed class Client(ScriptedDsql dsql, string region) : IDsqlClient
    {
        public string Region => region;

        public Task<GetClusterResponse> GetClusterAsync(string identifier, CancellationToken cancellationToken = default)
        {
            dsql.Enter("GetCluster", region);
            var c = dsql.Find(region, identifier);
            return Task.FromResult(new GetClusterResponse
            {
                Identifier = c.Identifier,
                Arn = c.Arn,
                Status = dsql.StatusOf(c),
                CreationTime = WorkflowRun.Start.AddDays(-1),
                DeletionProtectionEnabled = c.DeletionProtection,
                MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "us-west-2", Clusters = [.. c.Linked] },
                Tags = new Dictionary<string, string>(c.Tags, StringComparer.Ordinal),
            });
        }

        public Task<ClusterStatusResponse> UpdateClusterAsync(UpdateClusterRequest request, CancellationToken cancellationToken = default)
        {
            dsql.Enter("UpdateCluster", region);
            var c = dsql.Find(region, request.Identifier);
            request.ClientToken.Should().NotBeNullOrEmpty("every UpdateCluster carries a clientToken derived from the execution");
            c.ClientTokens.Add(request.ClientToken!);
            if (request.DeletionProtectionEnabled is { } enabled)
            {
                c.DeletionProtection = enabled;
            }

            c.UpdatingUntil = dsql._clock.GetUtcNow() + dsql.UpdatingFor;
            return Task.FromResult(new ClusterStatusResponse { Identifier = c.Identifier, Arn = c.Arn, Status = dsql.StatusOf(c), CreationTime = WorkflowRun.Start.AddDays(-1) });
        }

        public Task TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
        {
            dsql.Enter("TagResource", region);
            var c = ByArn(request.ResourceArn);
            foreach (var (key, value) in request.Tags)
            {
                c.Tags[key] = value;
            }

            return Task.CompletedTask;
        }

        public Task UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
        {
            dsql.Enter("UntagResource", region);
            var c = ByArn(request.ResourceArn);
            foreach (var key in request.TagKeys)
            {
                c.Tags.Remove(key);
            }

            return Task.CompletedTask;
        }

        public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ListTagsForResourceResponse { Tags = new Dictionary<string, string>(ByArn(resourceArn).Tags, StringComparer.Ordinal) });

        public Task<CreateClusterResponse> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("an update must not create clusters");

        public Task<ClusterStatusResponse> DeleteClusterAsync(DeleteClusterRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("an update must not delete clusters");

        public Task<ListClustersResponse> ListClustersAsync(ListClustersRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("an update does not list clusters");

        private ScriptedCluster ByArn(string arn) =>
            dsql.Clusters.FirstOrDefault(c => c.Arn == arn && c.Region == region && c.Exists)
                ?? throw new ResourceNotFoundException($"Resource {arn} not found", arn, "cluster");
    }
}

/// <summary>One cluster of <see cref="ScriptedDsql"/>.</summary>
internal sealed class ScriptedCluster(string region, string identifier)
{
    public string Region { get; } = region;

    public string Identifier { get; } = identifier;

    public string Arn => $"arn:aws:dsql:{Region}:{ScriptedDsql.Account}:cluster/{Identifier}";

    public bool Exists { get; set; } = true;

    public string Status { get; set; } = ClusterStatus.Active;

    public bool DeletionProtection { get; set; } = true;

    public DateTimeOffset? UpdatingUntil { get; set; }

    public List<string> Linked { get; } = [];

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal)
    {
        ["workflows:execution"] = "provision-1",
        ["on-call"] = "payments",
    };

    public List<string> ClientTokens { get; } = [];
}
