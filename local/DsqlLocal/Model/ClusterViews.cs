using DsqlLocal.Wire;

namespace DsqlLocal.Model;

/// <summary>How a stored cluster is presented in responses.</summary>
internal static class ClusterViews
{
    public static string EndpointOf(ClusterRecord cluster) => $"{cluster.Identifier}.dsql.{cluster.Region}.on.aws";

    public static WireMultiRegionProperties? MultiRegion(ClusterRecord cluster) =>
        cluster.WitnessRegion is null ? null : new WireMultiRegionProperties { WitnessRegion = cluster.WitnessRegion, Clusters = cluster.Peers.ToList() };

    public static WireEncryptionDetails Encryption(ClusterRecord cluster) => cluster.KmsKeyArn is null
        ? new WireEncryptionDetails { EncryptionType = "AWS_OWNED_KMS_KEY", EncryptionStatus = "ENABLED" }
        : new WireEncryptionDetails { EncryptionType = "CUSTOMER_MANAGED_KMS_KEY", KmsKeyArn = cluster.KmsKeyArn, EncryptionStatus = "ENABLED" };
}
