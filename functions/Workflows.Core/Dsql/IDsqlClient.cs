namespace Workflows.Core.Dsql;

/// <summary>
/// The Aurora DSQL control plane in one Region, as the functions see it. It mirrors the operations of
/// AWSSDK.DSQL's IAmazonDSQL (one client per Region, async, request/response records), so that when that
/// package can be used an adapter over it replaces <see cref="DsqlClient"/> and no function changes.
/// Errors are thrown as the types in <see cref="Exceptions"/>.
/// </summary>
public interface IDsqlClient
{
    /// <summary>The Region every call goes to (and is signed for).</summary>
    string Region { get; }

    Task<CreateClusterResponse> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default);

    Task<GetClusterResponse> GetClusterAsync(string identifier, CancellationToken cancellationToken = default);

    Task<ClusterStatusResponse> UpdateClusterAsync(UpdateClusterRequest request, CancellationToken cancellationToken = default);

    Task<ClusterStatusResponse> DeleteClusterAsync(DeleteClusterRequest request, CancellationToken cancellationToken = default);

    /// <summary>One page; see <see cref="DsqlClientExtensions.ListAllClustersAsync"/> for all of them.</summary>
    Task<ListClustersResponse> ListClustersAsync(ListClustersRequest request, CancellationToken cancellationToken = default);

    Task TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);

    Task UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);

    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken = default);
}

/// <summary>Hands out one <see cref="IDsqlClient"/> per Region: a multi-Region workflow talks to two.</summary>
public interface IDsqlClientFactory
{
    IDsqlClient ForRegion(string region);
}
