using Workflows.Core.Dsql;

namespace DsqlLocal.Model;

/// <summary>How a stored cluster is presented in responses.</summary>
internal static class ClusterViews
{
    public static string EndpointOf(ClusterRecord cluster) => $"{cluster.Identifier}.dsql.{cluster.Region}.on.aws";

    public static MultiRegionProperties? MultiRegion(ClusterRecord cluster) =>
        cluster.WitnessRegion is null ? null : new MultiRegionProperties { WitnessRegion = cluster.WitnessRegion, Clusters = cluster.Peers.ToList() };

    public static EncryptionDetails Encryption(ClusterRecord cluster) => cluster.KmsKeyArn is null
        ? new EncryptionDetails { EncryptionType = "AWS_OWNED_KMS_KEY", EncryptionStatus = "ENABLED" }
        : new EncryptionDetails { EncryptionType = "CUSTOMER_MANAGED_KMS_KEY", KmsKeyArn = cluster.KmsKeyArn, EncryptionStatus = "ENABLED" };
}
