namespace DsqlLocal.Model;

internal sealed record MultiRegionInput(string? WitnessRegion, IReadOnlyList<string>? Clusters);

internal sealed class CreateClusterInput
{
    public bool? DeletionProtectionEnabled { get; set; }

    public string? KmsEncryptionKey { get; set; }

    public Dictionary<string, string>? Tags { get; set; }

    public string? ClientToken { get; set; }

    public MultiRegionInput? MultiRegion { get; set; }

    public string? Policy { get; set; }

    public required string Fingerprint { get; init; }
}

internal sealed class UpdateClusterInput
{
    public required string Identifier { get; init; }

    public bool? DeletionProtectionEnabled { get; set; }

    public string? KmsEncryptionKey { get; set; }

    public string? ClientToken { get; set; }

    public MultiRegionInput? MultiRegion { get; set; }

    public required string Fingerprint { get; init; }
}

internal sealed class DeleteClusterInput
{
    public required string Identifier { get; init; }

    public string? ClientToken { get; init; }

    public required string Fingerprint { get; init; }
}
