using System.Text.Json.Serialization;

namespace DsqlLocal.Model;

/// <summary>
/// What the emulator remembers about one cluster. Status is never stored: it is derived from these
/// timestamps by <see cref="Lifecycle"/> at the moment of each request, which is what lets a fake clock
/// (or a restart from the data file) move clusters along without timers.
/// </summary>
internal sealed class ClusterRecord
{
    public required string Identifier { get; set; }

    public required string Arn { get; set; }

    public required string Region { get; set; }

    public required string AccountId { get; set; }

    /// <summary>Creation order, for stable ListClusters pages.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset CreationTime { get; set; }

    public bool DeletionProtectionEnabled { get; set; }

    /// <summary>Null means the AWS-owned key.</summary>
    public string? KmsKeyArn { get; set; }

    public string? Policy { get; set; }

    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Non-null for a multi-Region cluster.</summary>
    public string? WitnessRegion { get; set; }

    public List<string> Peers { get; set; } = [];

    /// <summary>When both members of a multi-Region pair came to list each other; provisioning runs from here.</summary>
    public DateTimeOffset? LinkedAt { get; set; }

    /// <summary>When DeleteCluster was accepted while a live peer still existed (PENDING_DELETE).</summary>
    public DateTimeOffset? DeleteRequestedAt { get; set; }

    /// <summary>When the cluster started DELETING; it is gone once the deletion time has passed.</summary>
    public DateTimeOffset? DeletionStartedAt { get; set; }

    /// <summary>The end of the UPDATING window opened by the last UpdateCluster.</summary>
    public DateTimeOffset? UpdatingUntil { get; set; }

    /// <summary>The end of the window in which a KMS key change shows as encryption status UPDATING.</summary>
    public DateTimeOffset? EncryptionUpdatingUntil { get; set; }

    /// <summary>The last simulated connection (admin "connect"); it restarts the idle clock.</summary>
    public DateTimeOffset? LastConnectedAt { get; set; }

    /// <summary>When an INACTIVE cluster that got a connection is ACTIVE again.</summary>
    public DateTimeOffset? ReactivatingUntil { get; set; }

    /// <summary>Set by an injected create failure: the cluster is FAILED where it would have become ACTIVE.</summary>
    public bool CreationFails { get; set; }

    /// <summary>A status put in place by the admin endpoint; it wins over the derived status until it lapses.</summary>
    public string? ForcedStatus { get; set; }

    /// <summary>When <see cref="ForcedStatus"/> lapses; null: until something moves the cluster on.</summary>
    public DateTimeOffset? ForcedUntil { get; set; }

    public string? PolicyVersion { get; set; }

    public List<StreamRecord> Streams { get; set; } = [];

    public bool IsMultiRegion => WitnessRegion is not null;

    /// <summary>A deep copy: what the data file holds of this cluster, untouched by later mutations of this one.</summary>
    public ClusterRecord Clone()
    {
        var copy = (ClusterRecord)MemberwiseClone();
        copy.Tags = new Dictionary<string, string>(Tags, StringComparer.Ordinal);
        copy.Peers = [.. Peers];
        copy.Streams = Streams.Select(s => s.Clone()).ToList();
        return copy;
    }

    /// <summary>
    /// Whether every stored value equals the other's: the persistence journal writes a cluster only when it differs
    /// from what the file holds (a test sets each property in turn, so a new one cannot be forgotten here).
    /// </summary>
    public bool SameAs(ClusterRecord other) =>
        Identifier == other.Identifier && Arn == other.Arn && Region == other.Region && AccountId == other.AccountId
        && Sequence == other.Sequence && CreationTime == other.CreationTime && DeletionProtectionEnabled == other.DeletionProtectionEnabled
        && KmsKeyArn == other.KmsKeyArn && Policy == other.Policy && SameTags(Tags, other.Tags) && WitnessRegion == other.WitnessRegion
        && Peers.SequenceEqual(other.Peers, StringComparer.Ordinal) && LinkedAt == other.LinkedAt && DeleteRequestedAt == other.DeleteRequestedAt
        && DeletionStartedAt == other.DeletionStartedAt && UpdatingUntil == other.UpdatingUntil && EncryptionUpdatingUntil == other.EncryptionUpdatingUntil
        && LastConnectedAt == other.LastConnectedAt && ReactivatingUntil == other.ReactivatingUntil && CreationFails == other.CreationFails
        && ForcedStatus == other.ForcedStatus && ForcedUntil == other.ForcedUntil && PolicyVersion == other.PolicyVersion
        && Streams.Count == other.Streams.Count && Streams.Zip(other.Streams).All(p => p.First.SameAs(p.Second));

    internal static bool SameTags(Dictionary<string, string> a, Dictionary<string, string> b) =>
        ReferenceEquals(a, b) || (a.Count == b.Count && a.All(t => b.TryGetValue(t.Key, out var v) && v == t.Value));
}

/// <summary>A change data capture stream of a cluster (CreateStream).</summary>
internal sealed class StreamRecord
{
    public required string Identifier { get; set; }

    public required string Arn { get; set; }

    public DateTimeOffset CreationTime { get; set; }

    public required string KinesisStreamArn { get; set; }

    public required string RoleArn { get; set; }

    public required string Ordering { get; set; }

    public required string Format { get; set; }

    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset? DeletionStartedAt { get; set; }

    public StreamRecord Clone()
    {
        var copy = (StreamRecord)MemberwiseClone();
        copy.Tags = new Dictionary<string, string>(Tags, StringComparer.Ordinal);
        return copy;
    }

    public bool SameAs(StreamRecord other) =>
        Identifier == other.Identifier && Arn == other.Arn && CreationTime == other.CreationTime && KinesisStreamArn == other.KinesisStreamArn
        && RoleArn == other.RoleArn && Ordering == other.Ordering && Format == other.Format && ClusterRecord.SameTags(Tags, other.Tags)
        && DeletionStartedAt == other.DeletionStartedAt;
}

/// <summary>A successful answer kept for a clientToken, to be replayed verbatim.</summary>
internal sealed class IdempotencyRecord
{
    public required string Key { get; set; }

    public required string Fingerprint { get; set; }

    public required string ResponseJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One line of the data file after its snapshot: what one mutation changed (clusters written whole, clusters gone,
/// client tokens remembered, and the two counters as they now are). Replaying a line twice gives the same state.
/// </summary>
internal sealed class JournalEntry
{
    public List<ClusterRecord>? Put { get; set; }

    public List<string>? Remove { get; set; }

    public List<IdempotencyRecord>? Tokens { get; set; }

    public long NextSequence { get; set; }

    public long IdentifiersIssued { get; set; }
}

/// <summary>Everything that survives a restart.</summary>
internal sealed class PersistedState
{
    /// <summary>Required in the file, so that an arbitrary JSON object is never taken for an empty state.</summary>
    [JsonRequired]
    public int Version { get; set; } = 1;

    public long NextSequence { get; set; } = 1;

    /// <summary>How many identifiers have ever been drawn; seeded identifiers are derived from it (absent in older files: 0).</summary>
    public long IdentifiersIssued { get; set; }

    [JsonRequired]
    public List<ClusterRecord> Clusters { get; set; } = [];

    public List<IdempotencyRecord> ClientTokens { get; set; } = [];
}
