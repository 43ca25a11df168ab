using Workflows.Core.Dsql;

namespace Workflows.Functions.Tests.Support;

/// <summary>
/// Clients whose GetCluster either stalls until cancelled (a DSQL that never answers) or passes through to
/// <paramref name="inner"/> after a yield, counting how many GetCluster calls were in flight at once. Every other
/// operation passes through.
/// </summary>
internal sealed class StallingClients(IDsqlClientFactory inner, bool stall) : IDsqlClientFactory
{
    private int _inFlight;
    private int _maxInFlight;

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public IDsqlClient ForRegion(string region) => new Client(inner.ForRegion(region), this);

    private async Task<GetClusterResponse> GetAsync(IDsqlClient client, string identifier, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            if (stall)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            // Hands control back to the caller, so a caller that starts the next call without awaiting this
            // one is seen with two in flight.
            await Task.Yield();
            return await client.GetClusterAsync(identifier, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private sealed class Client(IDsqlClient inner, StallingClients owner) : IDsqlClient
    {
        public string Region => inner.Region;

        public Task<CreateClusterResponse> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.CreateClusterAsync(request, cancellationToken);

        public Task<GetClusterResponse> GetClusterAsync(string identifier, CancellationToken cancellationToken = default) =>
            owner.GetAsync(inner, identifier, cancellationToken);

        public Task<ClusterStatusResponse> UpdateClusterAsync(UpdateClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.UpdateClusterAsync(request, cancellationToken);

        public Task<ClusterStatusResponse> DeleteClusterAsync(DeleteClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.DeleteClusterAsync(request, cancellationToken);

        public Task<ListClustersResponse> ListClustersAsync(ListClustersRequest request, CancellationToken cancellationToken = default) =>
            inner.ListClustersAsync(request, cancellationToken);

        public Task TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) =>
            inner.TagResourceAsync(request, cancellationToken);

        public Task UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) =>
            inner.UntagResourceAsync(request, cancellationToken);

        public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken = default) =>
            inner.ListTagsForResourceAsync(resourceArn, cancellationToken);
    }
}
