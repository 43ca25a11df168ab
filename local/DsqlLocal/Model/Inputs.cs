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
