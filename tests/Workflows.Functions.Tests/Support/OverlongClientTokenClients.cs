using Workflows.Core.Dsql;

namespace Workflows.Functions.Tests.Support;

/// <summary>
/// Forwards every call to DSQL Local, but sends UpdateCluster and DeleteCluster with a clientToken one
/// character over the model's 128, which the service refuses with ValidationException. It stands in for the
/// service-side validation failures that the steps' own input checks cannot foresee, so a test sees a real
/// ValidationException come back over the wire and through the client.
/// </summary>
internal sealed class OverlongClientTokenClients(IDsqlClientFactory inner) : IDsqlClientFactory
{
    public static readonly string Token = new('t', 129);

    public IDsqlClient ForRegion(string region) => new Client(inner.ForRegion(region));

    private sealed class Client(IDsqlClient inner) : IDsqlClient
    {
        public string Region => inner.Region;

        public Task<CreateClusterResponse> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.CreateClusterAsync(request, cancellationToken);

        public Task<GetClusterResponse> GetClusterAsync(string identifier, CancellationToken cancellationToken = default) =>
            inner.GetClusterAsync(identifier, cancellationToken);

        public Task<ClusterStatusResponse> UpdateClusterAsync(UpdateClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.UpdateClusterAsync(request with { ClientToken = Token }, cancellationToken);

        public Task<ClusterStatusResponse> DeleteClusterAsync(DeleteClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.DeleteClusterAsync(request with { ClientToken = Token }, cancellationToken);

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
