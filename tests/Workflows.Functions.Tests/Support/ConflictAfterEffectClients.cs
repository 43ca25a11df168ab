using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Functions.Tests.Support;

/// <summary>
/// A factory whose clients perform every UpdateCluster and then answer ConflictException, the way the service
/// answers a second request while the first one's change is still settling. It reproduces "the call went
/// through, the Lambda timed out, the retry conflicted" without waiting for anything.
/// </summary>
internal sealed class ConflictAfterEffectClients(IDsqlClientFactory inner) : IDsqlClientFactory
{
    public IDsqlClient ForRegion(string region) => new Client(inner.ForRegion(region));

    private sealed class Client(IDsqlClient inner) : IDsqlClient
    {
        public string Region => inner.Region;

        public Task<CreateClusterResponse> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.CreateClusterAsync(request, cancellationToken);

        public Task<GetClusterResponse> GetClusterAsync(string identifier, CancellationToken cancellationToken = default) =>
            inner.GetClusterAsync(identifier, cancellationToken);

        public async Task<ClusterStatusResponse> UpdateClusterAsync(UpdateClusterRequest request, CancellationToken cancellationToken = default)
        {
            await inner.UpdateClusterAsync(request, cancellationToken);
            throw new ConflictException($"Cluster {request.Identifier} is being updated.", request.Identifier, "cluster");
        }

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
