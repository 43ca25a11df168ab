using Workflows.Core.Dsql;

namespace Workflows.Functions.Tests.Support;

/// <summary>
/// Forwards every call to DSQL Local, but sends CreateCluster, UpdateCluster and DeleteCluster with the given
/// clientToken instead of the step's. With a token over the model's 128 characters the service answers
/// ValidationException; with a token already used for another request, ConflictException. Either way the
/// error is DSQL Local's own, over the wire and through the client: it stands in for the service-side
/// refusals that the steps' input checks cannot foresee.
/// </summary>
internal sealed class ClientTokenOverrideClients(IDsqlClientFactory inner, string token) : IDsqlClientFactory
{
    /// <summary>One character over the model's limit.</summary>
    public static readonly string Overlong = new('t', 129);

    public IDsqlClient ForRegion(string region) => new Client(inner.ForRegion(region), token);

    private sealed class Client(IDsqlClient inner, string token) : IDsqlClient
    {
        public string Region => inner.Region;

        public Task<CreateClusterResponse> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.CreateClusterAsync(request with { ClientToken = token }, cancellationToken);

        public Task<GetClusterResponse> GetClusterAsync(string identifier, CancellationToken cancellationToken = default) =>
            inner.GetClusterAsync(identifier, cancellationToken);

        public Task<ClusterStatusResponse> UpdateClusterAsync(UpdateClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.UpdateClusterAsync(request with { ClientToken = token }, cancellationToken);

        public Task<ClusterStatusResponse> DeleteClusterAsync(DeleteClusterRequest request, CancellationToken cancellationToken = default) =>
            inner.DeleteClusterAsync(request with { ClientToken = token }, cancellationToken);

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
