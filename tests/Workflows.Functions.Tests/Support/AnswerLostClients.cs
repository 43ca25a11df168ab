using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Functions.Tests.Support;

/// <summary>
/// A factory whose clients carry out every CreateCluster and then lose the answer (DsqlTransportException): the
/// cluster exists, yet the caller cannot know it.
/// </summary>
internal sealed class AnswerLostClients(IDsqlClientFactory inner) : IDsqlClientFactory
{
    public IDsqlClient ForRegion(string region) => new Client(inner.ForRegion(region));

    private sealed class Client(IDsqlClient inner) : IDsqlClient
    {
        public string Region => inner.Region;

        public async Task<CreateClusterResponse> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default)
        {
            await inner.CreateClusterAsync(request, cancellationToken);
            throw new DsqlTransportException("CreateCluster got no answer: the connection was reset.");
        }

        public Task<GetClusterResponse> GetClusterAsync(string identifier, CancellationToken cancellationToken = default) =>
            inner.GetClusterAsync(identifier, cancellationToken);

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
