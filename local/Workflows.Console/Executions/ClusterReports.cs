using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.WebConsole.Executions;

/// <summary>One cluster as the steps last reported it.</summary>
public sealed record ClusterReport(string Region, string Identifier, string? Status, string? Arn, long EventId, string? ReportedBy);

/// <summary>
/// The clusters an execution's steps reported: every task result (TaskSucceeded, LambdaFunctionSucceeded) is searched
/// for objects that carry a Region, an identifier and a status (the steps' ClusterInfo shape, wherever it sits in the
/// result); the latest report of each cluster wins. Inferred: state outputs are not read, as they carry results of
/// earlier steps along and would bring back an older status.
/// </summary>
public static class ClusterReports
{
    private static readonly HashSet<string> Results = new(StringComparer.Ordinal) { "TaskSucceeded", "LambdaFunctionSucceeded" };

    public static IReadOnlyList<ClusterReport> From(IEnumerable<JsonObject> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var latest = new Dictionary<(string, string), ClusterReport>();
        var order = new List<(string, string)>();
        var stateOf = new Dictionary<long, string>();
        foreach (var e in events)
        {
            var type = e["type"]?.GetValue<string>() ?? string.Empty;
            var id = Id(e["id"]);
            var previous = Id(e["previousEventId"]);
            if ((e["stateEnteredEventDetails"] as JsonObject)?["name"]?.GetValue<string>() is { } entered)
            {
                stateOf[id] = entered;
            }
            else if (stateOf.TryGetValue(previous, out var s))
            {
                stateOf[id] = s;
            }

            if (!Results.Contains(type))
            {
                continue;
            }

            var details = e["taskSucceededEventDetails"] as JsonObject ?? e["lambdaFunctionSucceededEventDetails"] as JsonObject;
            if (details?["output"] is not JsonValue v || !v.TryGetValue<string>(out var text))
            {
                continue;
            }

            JsonNode? output;
            try
            {
                output = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                continue;
            }

            foreach (var c in Find(output))
            {
                var key = (c["region"]!.GetValue<string>(), c["identifier"]!.GetValue<string>());
                if (!latest.ContainsKey(key))
                {
                    order.Add(key);
                }

                var status = c["status"] is JsonValue st && st.TryGetValue<string>(out var t) ? t
                    : c["found"] is JsonValue f && f.TryGetValue<bool>(out var found) && !found ? "NOT FOUND" : null;
                latest[key] = new ClusterReport(key.Item1, key.Item2, status, c["arn"] is JsonValue a && a.TryGetValue<string>(out var arn) ? arn : null, id, stateOf.GetValueOrDefault(id));
            }
        }

        return [.. order.Select(k => latest[k])];
    }

    private static IEnumerable<JsonObject> Find(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["region"] is JsonValue r && r.TryGetValue<string>(out _) && o["identifier"] is JsonValue i && i.TryGetValue<string>(out _) && o.ContainsKey("status"))
                {
                    yield return o;
                    yield break;
                }

                foreach (var (_, child) in o)
                {
                    foreach (var found in Find(child))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    foreach (var found in Find(child))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    private static long Id(JsonNode? node) =>
        node is JsonValue v ? (v.TryGetValue<long>(out var l) ? l : v.TryGetValue<double>(out var d) ? (long)d : 0) : 0;
}
