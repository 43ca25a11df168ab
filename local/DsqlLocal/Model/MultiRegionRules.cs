using DsqlLocal.Http;

namespace DsqlLocal.Model;

/// <summary>
/// The rules for pairing clusters across Regions: which witness and peer values are acceptable, and when
/// two clusters count as linked (each lists the other).
/// </summary>
internal sealed class MultiRegionRules(IReadOnlyDictionary<string, ClusterRecord> clusters, string accountId, RegionCatalog catalog)
{
    public void ValidateWitness(string witness, string region, FieldErrors errors)
    {
        const string path = "multiRegionProperties.witnessRegion";
        if (!Constraints.IsRegionName(witness))
        {
            errors.Add(path, witness, "Member must be a valid AWS Region name");
        }
        else if (!catalog.MayWitness(witness))
        {
            // Inferred wording: a Region where no witness can be placed is a bad value of this member.
            errors.Add(path, witness, "Member must be a Region that can serve as a witness Region for Aurora DSQL");
        }
        else if (witness == region)
        {
            errors.Add(path, witness, $"The witness Region must be different from the cluster's own Region ({region})");
        }
    }

    public static void ValidatePeerCount(IReadOnlyList<string> peers, FieldErrors errors)
    {
        if (peers.Count > 1)
        {
            errors.Add(
                "multiRegionProperties.clusters",
                string.Join(", ", peers),
                "Member must have length less than or equal to 1 (the emulator supports multi-Region pairs: one peer cluster)");
        }
    }

    /// <summary>Checks that <paramref name="peerArn"/> can be linked to the cluster <paramref name="selfArn"/>.</summary>
    public void ValidatePeerLink(string region, string witness, string peerArn, string selfArn)
    {
        const string path = "multiRegionProperties.clusters";
        var match = Constraints.ClusterArn().Match(peerArn);
        if (!match.Success)
        {
            throw Errors.Field(path, $"Value '{peerArn}' at '{path}' failed to satisfy constraint: Member must be a cluster ARN matching {Constraints.ClusterArnPattern}");
        }

        var peerRegion = match.Groups["region"].Value;
        var errors = new FieldErrors();
        if (peerArn == selfArn)
        {
            errors.Add(path, peerArn, "A cluster cannot be its own peer");
        }
        else if (peerRegion == region)
        {
            errors.Add(path, peerArn, $"The peer cluster must be in a different Region than the cluster ({region})");
        }
        else if (!catalog.Serves(peerRegion))
        {
            errors.Add(path, peerArn, $"The peer cluster's Region ({peerRegion}) is not a Region where Aurora DSQL is available");
        }
        else if (peerRegion == witness)
        {
            errors.Add(path, peerArn, $"The peer cluster cannot be in the witness Region ({witness})");
        }
        else if (match.Groups["account"].Value != accountId)
        {
            errors.Add(path, peerArn, $"The peer cluster must belong to the same account ({accountId})");
        }
        else if (!clusters.TryGetValue(peerArn, out var existing))
        {
            errors.Add(path, peerArn, "The peer cluster does not exist");
        }
        else if (existing.WitnessRegion is null)
        {
            errors.Add(path, peerArn, "The peer cluster is a single-Region cluster (it has no witness Region)");
        }
        else if (existing.WitnessRegion != witness)
        {
            errors.Add(
                "multiRegionProperties.witnessRegion",
                witness,
                $"The witness Region must match the witness Region '{existing.WitnessRegion}' of peer cluster {peerArn}");
        }

        errors.ThrowIfAny();
        var peer = clusters[peerArn];
        if (Lifecycle.IsDeleting(peer))
        {
            throw Errors.Conflict(peer.Identifier, $"Peer cluster {peerArn} is being deleted.");
        }

        var peerLinkedElsewhere = peer.Peers.Count > 0 && peer.Peers[0] != selfArn;
        var otherSuitor = clusters.Values.FirstOrDefault(c => c.Arn != selfArn && c.Peers.Contains(peerArn, StringComparer.Ordinal));
        if (peerLinkedElsewhere || otherSuitor is not null)
        {
            var other = peerLinkedElsewhere ? peer.Peers[0] : otherSuitor!.Arn;
            throw Errors.Conflict(peer.Identifier, $"Peer cluster {peerArn} is already linked to {other}.");
        }
    }

    public ClusterRecord? MutualPeer(ClusterRecord cluster) =>
        cluster.Peers.Count == 1
        && clusters.TryGetValue(cluster.Peers[0], out var peer)
        && peer.Peers.Contains(cluster.Arn, StringComparer.Ordinal)
            ? peer
            : null;
}
