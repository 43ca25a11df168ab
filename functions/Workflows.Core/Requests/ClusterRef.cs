using System.Text.Json.Serialization;
using Workflows.Core.Errors;

namespace Workflows.Core.Requests;

/// <summary>One cluster, by Region and identifier: how every payload names a cluster.</summary>
public sealed record ClusterRef(string Region, string Identifier)
{
    /// <summary>
    /// The two references of a pair (<c>primary</c>, <c>peer</c>), each validated, in two different Regions: what
    /// teardown and update both act on.
    /// </summary>
    /// <exception cref="InvalidRequestException">A reference is missing or malformed, or both name one Region.</exception>
    public static (ClusterRef Primary, ClusterRef Peer) Pair(ClusterRefInput? primaryInput, ClusterRefInput? peerInput)
    {
        var primary = From(primaryInput, "primary");
        var peer = From(peerInput, "peer");
        if (peer.Region == primary.Region)
        {
            throw new InvalidRequestException("peer.region", $"must differ from primary.region ({primary.Region}): the clusters of a pair live in two Regions");
        }

        return (primary, peer);
    }

    /// <summary>
    /// Validates a raw reference. An <c>arn</c> alone is enough; with region/identifier as well, they must
    /// agree with it. <paramref name="field"/> prefixes every error (e.g. <c>request.primary</c>).
    /// </summary>
    public static ClusterRef From(ClusterRefInput? raw, string field)
    {
        if (raw is null)
        {
            throw new InvalidRequestException(field, "is required");
        }

        if (raw.Arn is not null)
        {
            var (region, identifier) = RequestRules.ClusterArnParts(raw.Arn, $"{field}.arn");
            if (raw.Region is not null && raw.Region != region)
            {
                throw new InvalidRequestException($"{field}.region", $"'{raw.Region}' disagrees with {field}.arn, which is in {region}");
            }

            if (raw.Identifier is not null && raw.Identifier != identifier)
            {
                throw new InvalidRequestException($"{field}.identifier", $"'{raw.Identifier}' disagrees with {field}.arn, which names {identifier}");
            }

            return new ClusterRef(region, identifier);
        }

        return new ClusterRef(
            RequestRules.Region(raw.Region, $"{field}.region"),
            RequestRules.ClusterIdentifier(raw.Identifier, $"{field}.identifier"));
    }

    public override string ToString() => $"{Identifier} in {Region}";
}

/// <summary>
/// A cluster reference as it arrives. Any other member is ignored, so that a ClusterInfo from an earlier
/// step (or a provision output pasted into a teardown request) can be passed as it is.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record ClusterRefInput
{
    public string? Region { get; init; }

    public string? Identifier { get; init; }

    public string? Arn { get; init; }
}
