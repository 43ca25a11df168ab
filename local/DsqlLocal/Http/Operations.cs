namespace DsqlLocal.Http;

/// <summary>The operations of service-2.json, all of which the emulator serves.</summary>
internal static class Operations
{
    public static readonly IReadOnlyList<string> All =
    [
        "CreateCluster", "GetCluster", "UpdateCluster", "DeleteCluster", "ListClusters",
        "TagResource", "UntagResource", "ListTagsForResource",
        "PutClusterPolicy", "GetClusterPolicy", "DeleteClusterPolicy",
        "CreateStream", "GetStream", "ListStreams", "DeleteStream",
        "GetVpcEndpointServiceName",
    ];
}
