using Workflows.Core.Dsql;

namespace Workflows.Functions.Tests.Support;

/// <summary>
/// Clients whose GetCluster either stalls until cancelled (a DSQL that never answers) or holds every call until
/// <paramref name="together"/> calls have started and then passes them through to <paramref name="inner"/>. A caller
/// that waits for one call before starting the next is left with <see cref="Started"/> at 1. Every other operation
/// passes through.
/// </summary>
internal sealed class StallingClients(IDsqlClientFactory inner, bool stall, int together = 2) : IDsqlClientFactory
{
    private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    public int Started => Volatile.Read(ref _started);

    public IDsqlClient ForRegion(string region) => new Client(inner.ForRegion(region), this);

    private async Task<GetClusterResponse> GetAsync(IDsqlClient client, string identifier, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _started) >= together)
        {
            _allStarted.TrySetResult();
        }

        if (stall)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        await _allStarted.Task.WaitAsync(cancellationToken);
        return await client.GetClusterAsync(identifier, cancellationToken);
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
