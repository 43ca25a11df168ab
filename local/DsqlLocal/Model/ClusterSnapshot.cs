namespace DsqlLocal;

/// <summary>A read-only copy of one cluster as the emulator sees it at a given moment (status already derived).</summary>
public sealed record ClusterSnapshot(
    string Identifier,
    string Arn,
    string Region,
    string Status,
    DateTimeOffset CreationTime,
    bool DeletionProtectionEnabled,
    string? WitnessRegion,
    IReadOnlyList<string> Peers,
    IReadOnlyDictionary<string, string> Tags,
    string? KmsKeyArn);
