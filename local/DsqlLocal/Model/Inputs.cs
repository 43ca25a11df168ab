namespace DsqlLocal.Model;

internal sealed record MultiRegionInput(string? WitnessRegion, IReadOnlyList<string>? Clusters);

/// <summary>The members CreateCluster and UpdateCluster share, read by one piece of the parser.</summary>
internal abstract class ClusterSettingsInput
{
    public bool? DeletionProtectionEnabled { get; set; }

    public string? KmsEncryptionKey { get; set; }

    public string? ClientToken { get; set; }

    public MultiRegionInput? MultiRegion { get; set; }
}

internal sealed class CreateClusterInput : ClusterSettingsInput
{
    public Dictionary<string, string>? Tags { get; set; }

    public string? Policy { get; set; }

    public bool BypassPolicyLockoutSafetyCheck { get; set; }

    public required string Fingerprint { get; init; }
}

internal sealed class UpdateClusterInput : ClusterSettingsInput
{
    public required string Identifier { get; init; }

    public required string Fingerprint { get; init; }
}

internal sealed class DeleteClusterInput
{
    public required string Identifier { get; init; }

    public string? ClientToken { get; init; }

    public required string Fingerprint { get; init; }
}

internal sealed class PutClusterPolicyInput
{
    public required string Identifier { get; init; }

    public required string Policy { get; init; }

    public bool BypassPolicyLockoutSafetyCheck { get; init; }

    public string? ExpectedPolicyVersion { get; init; }

    public string? ClientToken { get; init; }

    public required string Fingerprint { get; init; }
}

internal sealed class DeleteClusterPolicyInput
{
    public required string Identifier { get; init; }

    public string? ExpectedPolicyVersion { get; init; }

    public string? ClientToken { get; init; }

    public required string Fingerprint { get; init; }
}

internal sealed class CreateStreamInput
{
    public required string ClusterIdentifier { get; init; }

    public required string KinesisStreamArn { get; init; }

    public required string RoleArn { get; init; }

    public required string Ordering { get; init; }

    public required string Format { get; init; }

    public Dictionary<string, string>? Tags { get; init; }

    public string? ClientToken { get; init; }

    public required string Fingerprint { get; init; }
}

internal sealed class DeleteStreamInput
{
    public required string ClusterIdentifier { get; init; }

    public required string StreamIdentifier { get; init; }

    public string? ClientToken { get; init; }

    public required string Fingerprint { get; init; }
}
