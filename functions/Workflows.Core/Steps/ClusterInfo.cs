using System.Text.Json.Serialization;
using Workflows.Core.Dsql;

namespace Workflows.Core.Steps;

/// <summary>What the steps report about one cluster (the contract's ClusterInfo).</summary>
public record ClusterInfo
{
    public required string Region { get; init; }

    public required string Identifier { get; init; }

    public string? Arn { get; init; }

    /// <summary>Always written, null included: Choice states read it, and a missing path would be an error.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Status { get; init; }

    public string? Endpoint { get; init; }

    public string? WitnessRegion { get; init; }

    /// <summary>The peers this cluster lists (itself left out, should the service list it).</summary>
    public IReadOnlyList<string> LinkedClusterArns { get; init; } = [];

    public bool? DeletionProtectionEnabled { get; init; }

    public DateTimeOffset? CreationTime { get; init; }

    /// <summary>The service's endpoint, or the documented <c>{id}.dsql.{region}.on.aws</c> when it sends none.</summary>
    public static string EndpointOf(string identifier, string region, string? endpoint) =>
        string.IsNullOrEmpty(endpoint) ? $"{identifier}.dsql.{region}.on.aws" : endpoint;

    internal static IReadOnlyList<string> Peers(MultiRegionProperties? properties, string self) =>
        (properties?.Clusters ?? []).Where(a => !string.Equals(a, self, StringComparison.Ordinal)).ToList();
}

internal static class ClusterInfoMapping
{
    public static ClusterInfo From(GetClusterResponse c, string region) => new()
    {
        Region = region,
        Identifier = c.Identifier,
        Arn = c.Arn,
        Status = c.Status,
        Endpoint = ClusterInfo.EndpointOf(c.Identifier, region, c.Endpoint),
        WitnessRegion = c.MultiRegionProperties?.WitnessRegion,
        LinkedClusterArns = ClusterInfo.Peers(c.MultiRegionProperties, c.Arn),
        DeletionProtectionEnabled = c.DeletionProtectionEnabled,
        CreationTime = c.CreationTime,
    };

    public static ClusterInfo From(CreateClusterResponse c, string region) => new()
    {
        Region = region,
        Identifier = c.Identifier,
        Arn = c.Arn,
        Status = c.Status,
        Endpoint = ClusterInfo.EndpointOf(c.Identifier, region, c.Endpoint),
        WitnessRegion = c.MultiRegionProperties?.WitnessRegion,
        LinkedClusterArns = ClusterInfo.Peers(c.MultiRegionProperties, c.Arn),
        DeletionProtectionEnabled = c.DeletionProtectionEnabled,
        CreationTime = c.CreationTime,
    };
}
