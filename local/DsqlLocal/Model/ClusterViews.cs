using DsqlLocal.Wire;

namespace DsqlLocal.Model;

/// <summary>How a stored cluster is presented in responses.</summary>
internal static class ClusterViews
{
    public static string EndpointOf(ClusterRecord cluster) => $"{cluster.Identifier}.dsql.{cluster.Region}.on.aws";

    /// <summary>
    /// The service lists the cluster's own ARN in <c>clusters</c> (FACTS: a multi-Region create answers
    /// PENDING_SETUP with <c>[own arn]</c>, a linked cluster lists both); the emulator puts its own ARN first,
    /// then its peers (the order is Inferred, so clients must not rely on it).
    /// </summary>
    public static WireMultiRegionProperties? MultiRegion(ClusterRecord cluster) =>
        cluster.WitnessRegion is null
            ? null
            : new WireMultiRegionProperties { WitnessRegion = cluster.WitnessRegion, Clusters = [cluster.Arn, .. cluster.Peers] };

    /// <summary>
    /// A customer managed key is ENABLING while the cluster is set up (Inferred) and UPDATING for the updating
    /// time after a key change; otherwise ENABLED. The AWS-owned key is always ENABLED.
    /// </summary>
    public static WireEncryptionDetails Encryption(ClusterRecord cluster, string status, DateTimeOffset now)
    {
        if (cluster.KmsKeyArn is null)
        {
            return new WireEncryptionDetails
            {
                EncryptionType = "AWS_OWNED_KMS_KEY",
                EncryptionStatus = now < cluster.EncryptionUpdatingUntil ? "UPDATING" : "ENABLED",
            };
        }

        var encryptionStatus = status is WireClusterStatus.Creating or WireClusterStatus.PendingSetup
            ? "ENABLING"
            : now < cluster.EncryptionUpdatingUntil ? "UPDATING" : "ENABLED";
        return new WireEncryptionDetails { EncryptionType = "CUSTOMER_MANAGED_KMS_KEY", KmsKeyArn = cluster.KmsKeyArn, EncryptionStatus = encryptionStatus };
    }
}
