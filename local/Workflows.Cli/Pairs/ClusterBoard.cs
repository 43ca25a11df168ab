using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.History;

namespace Workflows.Cli.Pairs;

/// <summary>One cluster as last reported by a step of the run.</summary>
internal sealed record ClusterLine(string Region, string Identifier, string? Arn, string Status, string? Endpoint);

/// <summary>
/// Each cluster's latest status, read from the functions' outputs as the history records them (ClusterInfo from
/// the create and link steps, the clusters of DescribeCluster and ConfirmClusterGone, the delete steps' answers).
/// Safe to read from another thread while the execution writes it.
/// </summary>
internal sealed class ClusterBoard
{
    public const string Gone = "DELETED";
    public const string NotFound = "NOT FOUND";

    /// <summary>DeleteCluster's and the teardown output's word for a cluster there was nothing to delete.</summary>
    public const string OutcomeNotFound = "NOT_FOUND";

    private readonly Lock _gate = new();
    private readonly List<ClusterLine> _clusters = [];

    /// <summary>Updates the board from one history event; returns the clusters whose status changed.</summary>
    public IReadOnlyList<ClusterLine> Observe(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type != HistoryEventType.LambdaFunctionSucceeded || e.Output is not { Length: > 0 } output)
        {
            return [];
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(output);
        }
        catch (JsonException)
        {
            return [];
        }

        var changed = new List<ClusterLine>();
        if (node is JsonObject o)
        {
            Take(o, changed);
            if (o["clusters"] is JsonArray clusters)
            {
                foreach (var c in clusters.OfType<JsonObject>())
                {
                    Take(c, changed);
                }
            }
        }

        return changed;
    }

    public IReadOnlyList<ClusterLine> Snapshot()
    {
        lock (_gate)
        {
            return [.. _clusters];
        }
    }

    private void Take(JsonObject o, List<ClusterLine> changed)
    {
        if (Text(o["region"]) is not { } region || Text(o["identifier"]) is not { } identifier)
        {
            return;
        }

        // DeleteCluster says alreadyDeleted both for a cluster already deleting and for one that never existed;
        // its outcome tells them apart.
        var status = (Text(o["outcome"]) == OutcomeNotFound ? NotFound : null)
            ?? Text(o["status"])
            ?? (o["gone"] is JsonValue g && g.TryGetValue<bool>(out var gone) && gone ? Gone : null)
            ?? (o["found"] is JsonValue f && f.TryGetValue<bool>(out var found) && !found ? NotFound : null)
            ?? (o["alreadyDeleted"] is JsonValue a && a.TryGetValue<bool>(out var deleted) && deleted ? Gone : null);
        lock (_gate)
        {
            var i = _clusters.FindIndex(c => c.Region == region && c.Identifier == identifier);
            var before = i >= 0 ? _clusters[i] : null;
            var line = new ClusterLine(
                region,
                identifier,
                Text(o["arn"]) ?? before?.Arn,
                status ?? before?.Status ?? "?",
                Text(o["endpoint"]) ?? before?.Endpoint);
            if (line == before)
            {
                return;
            }

            if (i >= 0)
            {
                _clusters[i] = line;
            }
            else
            {
                _clusters.Add(line);
            }

            if (line.Status != before?.Status)
            {
                changed.Add(line);
            }
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
