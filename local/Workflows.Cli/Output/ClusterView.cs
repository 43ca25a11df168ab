using System.Text.Json.Nodes;
using Spectre.Console;
using Workflows.Core.Dsql;

namespace Workflows.Cli.Output;

/// <summary>A GetCluster answer, for people (a grid) and for scripts (the API's member names).</summary>
internal static class ClusterView
{
    public static JsonObject Json(GetClusterResponse c) => new()
    {
        ["identifier"] = c.Identifier,
        ["arn"] = c.Arn,
        ["status"] = c.Status,
        ["endpoint"] = c.Endpoint,
        ["creationTime"] = Formats.Timestamp(c.CreationTime),
        ["deletionProtectionEnabled"] = c.DeletionProtectionEnabled,
        ["multiRegionProperties"] = c.MultiRegionProperties is { } m
            ? new JsonObject
            {
                ["witnessRegion"] = m.WitnessRegion,
                ["clusters"] = new JsonArray((m.Clusters ?? []).Select(a => (JsonNode?)a).ToArray()),
            }
            : null,
        ["peers"] = new JsonArray(Peers(c).Select(a => (JsonNode?)a).ToArray()),
        ["tags"] = c.Tags is { } tags ? new JsonObject(tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))) : null,
    };

    /// <summary>
    /// --output text: one "cluster" line (cluster, identifier, status, arn, endpoint, witnessRegion,
    /// deletionProtectionEnabled, creationTime), then one "peer" line per peer ARN (peer, arn) and one "tag" line per
    /// tag in key order (tag, key, value). README, "Output formats".
    /// </summary>
    public static void WriteText(TextWriter output, GetClusterResponse c)
    {
        TextOutput.Line(output, "cluster", c.Identifier, c.Status, c.Arn, c.Endpoint, c.MultiRegionProperties?.WitnessRegion, TextOutput.Bool(c.DeletionProtectionEnabled), Formats.Timestamp(c.CreationTime));
        foreach (var peer in Peers(c))
        {
            TextOutput.Line(output, "peer", peer);
        }

        foreach (var (key, value) in (c.Tags ?? new Dictionary<string, string>()).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            TextOutput.Line(output, "tag", key, value);
        }
    }

    public static void Write(IAnsiConsole console, GetClusterResponse c)
    {
        var fields = new Fields();
        fields.Add("Identifier", c.Identifier);
        fields.Add("Status", c.Status);
        fields.Add("ARN", c.Arn);
        fields.Add("Endpoint", c.Endpoint ?? "(none)");
        fields.Add("Witness Region", c.MultiRegionProperties?.WitnessRegion ?? "(single-Region)");
        var peers = Peers(c);
        fields.Add("Peers", peers.Count == 0 ? "(none)" : string.Join(", ", peers));
        fields.Add("Deletion protection", c.DeletionProtectionEnabled ? "enabled" : "disabled");
        fields.Add("Created", Formats.Timestamp(c.CreationTime));
        fields.Add("Tags", c.Tags is { Count: > 0 } tags ? string.Join(", ", tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")) : "(none)");
        fields.Write(console);
    }

    // The service lists every cluster of the multi-Region set; the others are this cluster's peers.
    private static List<string> Peers(GetClusterResponse c) =>
        (c.MultiRegionProperties?.Clusters ?? []).Where(a => !string.Equals(a, c.Arn, StringComparison.Ordinal)).ToList();
}
