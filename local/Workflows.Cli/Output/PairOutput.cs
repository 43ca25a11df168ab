using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Workflows.Cli.Pairs;
using Workflows.Cli.Runs;
using Workflows.Engine;

namespace Workflows.Cli.Output;

/// <summary>The end of a provision, update or teardown, for people (fields and a clusters table) and for scripts (one JSON object).</summary>
internal static class PairOutput
{
    public static JsonObject Json(PairRun run, RunRecord record)
    {
        var result = run.Result;
        var o = new JsonObject { ["status"] = result.StatusText };
        if (result.Status == ExecutionStatus.Succeeded)
        {
            o["output"] = result.Output is null ? null : JsonNode.Parse(result.Output);
        }
        else
        {
            o["error"] = result.Error;
            o["cause"] = result.Cause;
        }

        o["workflow"] = run.Workflow.Verb;
        o["target"] = run.Target;
        o["executionArn"] = result.ExecutionArn;
        o["name"] = result.Name;
        o["transitions"] = result.Transitions;
        o["lambdaInvocations"] = run.LambdaInvocations;
        o["startDate"] = Formats.Timestamp(result.StartDate);
        o["stopDate"] = Formats.Timestamp(result.StopDate);
        o["virtualSeconds"] = Math.Round(run.VirtualDuration.TotalSeconds, 3);
        o["wallSeconds"] = Math.Round(run.Wall.TotalSeconds, 3);
        o["clusters"] = new JsonArray(run.Clusters.Select(c => (JsonNode?)new JsonObject
        {
            ["region"] = c.Region,
            ["identifier"] = c.Identifier,
            ["arn"] = c.Arn,
            ["status"] = c.Status,
            ["endpoint"] = c.Endpoint,
        }).ToArray());
        o["putEvents"] = record.Document["putEvents"]?.DeepClone();
        return o;
    }

    /// <summary>
    /// --output text, from the same object --output json prints (so the two never disagree): one "execution" line,
    /// then one "cluster" line per cluster and one "event" line per event put on a bus. Columns (README, "Output
    /// formats"): execution, status, workflow, name, executionArn, error, cause; cluster, region, identifier,
    /// status, arn, endpoint; event, detailType, eventBusName, time.
    /// </summary>
    public static void WriteText(TextWriter output, JsonObject outcome)
    {
        TextOutput.Line(output, "execution", Value(outcome["status"]), Value(outcome["workflow"]), Value(outcome["name"]), Value(outcome["executionArn"]), Value(outcome["error"]), outcome["cause"] is JsonValue cause ? CauseText(cause.ToString()) : null);
        foreach (var c in (outcome["clusters"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // Scripts compare statuses as words: "NOT FOUND" (the table's) is NOT_FOUND here, as the functions' outcome says.
            var status = Value(c["status"]) is ClusterBoard.NotFound ? ClusterBoard.OutcomeNotFound : Value(c["status"]);
            TextOutput.Line(output, "cluster", Value(c["region"]), Value(c["identifier"]), status, Value(c["arn"]), Value(c["endpoint"]));
        }

        foreach (var e in (outcome["putEvents"] as JsonArray ?? []).OfType<JsonObject>())
        {
            TextOutput.Line(output, "event", Value(e["detailType"]), Value(e["eventBusName"]), Value(e["time"]));
        }
    }

    private static string? Value(JsonNode? node) => node is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : node?.ToJsonString();

    public static void Write(IAnsiConsole console, PairRun run, string savedTo, string logPath, string? next)
    {
        var result = run.Result;
        var succeeded = result.Status == ExecutionStatus.Succeeded;
        var fields = new Fields()
            .AddMarkup("Status", $"[bold {(succeeded ? "green" : "red")}]{result.StatusText}[/]")
            .Add("Workflow", $"{run.Workflow.Verb} on {run.Target}")
            .Add("Execution", result.ExecutionArn);
        if (!succeeded)
        {
            fields.Add("Error", result.Error ?? "(none)");
            fields.Add("Cause", CauseText(result.Cause));
        }

        fields.Add("Transitions", run.Result.Transitions.ToString(CultureInfo.InvariantCulture));
        fields.Add("Lambda invocations", run.LambdaInvocations.ToString(CultureInfo.InvariantCulture));
        // In real time the execution's own clock is the wall clock: say so rather than call it virtual.
        fields.Add(run.Virtual ? "Virtual time" : "Execution time", $"{Formats.Duration(run.VirtualDuration)} ({Formats.Timestamp(result.StartDate)} → {Formats.Timestamp(result.StopDate)}){(run.Virtual ? string.Empty : ", wall clock")}");
        fields.Add("Wall time", Formats.Seconds(run.Wall));
        fields.Add("History", $"{result.History.Count} events, saved to {savedTo} (workflows history)");
        fields.Add("Function logs", logPath);
        console.WriteLine();
        fields.Write(console);

        if (run.Clusters.Count > 0)
        {
            console.WriteLine();
            WriteClusters(console, run.Clusters);
        }

        foreach (var line in UpdateLines(run))
        {
            console.WriteLine(line);
        }

        foreach (var e in run.PutEvents)
        {
            console.MarkupLine($"Event [bold]{Markup.Escape(e.DetailType)}[/] put on bus {Markup.Escape(e.EventBusName)} at {Formats.Timestamp(e.Time)}");
        }

        if (next is not null)
        {
            console.WriteLine();
            console.MarkupLine($"Next: [bold]{Markup.Escape(next)}[/]");
        }
    }

    /// <summary>
    /// The clusters as a table when it fits the console's width whole, else one block of fields per cluster:
    /// identifiers and ARNs are copied from here, so they are never cut or wrapped.
    /// </summary>
    internal static void WriteClusters(IAnsiConsole console, IReadOnlyList<ClusterLine> clusters)
    {
        string[] headers = ["Region", "Identifier", "Status", "ARN", "Endpoint"];
        var rows = clusters.Select(c => new[]
        {
            c.Region, c.Identifier, c.Status, c.Arn ?? string.Empty,
            c.Status is ClusterBoard.Gone or ClusterBoard.NotFound ? string.Empty : c.Endpoint ?? string.Empty,
        }).ToList();
        // A Spectre table: a border and one padding space each side per column, plus the final border.
        var needed = headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length)) + 3).Sum() + 1;
        if (needed <= console.Profile.Width)
        {
            var table = new Table().AddColumns(headers);
            foreach (var r in rows)
            {
                table.AddRow(new Text(r[0]), new Text(r[1]), new Markup(StatusMarkup(r[2])), new Text(r[3]), new Text(r[4]));
            }

            console.Write(table);
            return;
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (i > 0)
            {
                console.WriteLine();
            }

            var fields = new Fields().Add("Region", rows[i][0]).Add("Identifier", rows[i][1]).AddMarkup("Status", StatusMarkup(rows[i][2]));
            if (rows[i][3].Length > 0)
            {
                fields.Add("ARN", rows[i][3]);
            }

            if (rows[i][4].Length > 0)
            {
                fields.Add("Endpoint", rows[i][4]);
            }

            fields.Write(console);
        }
    }

    /// <summary>An update's outcome per cluster: what changed, and the deletion protection it has now.</summary>
    private static IEnumerable<string> UpdateLines(PairRun run)
    {
        if (run.Workflow != PairWorkflow.Update || run.Result.Output is not { } text || JsonNode.Parse(text) is not JsonObject output)
        {
            yield break;
        }

        foreach (var role in new[] { "primary", "peer" })
        {
            if (output[role] is not JsonObject cluster)
            {
                continue;
            }

            var protection = cluster["deletionProtectionEnabled"] is JsonValue p && p.TryGetValue<bool>(out var on) ? (on ? "on" : "off") : "?";
            var summary = output["updates"] is JsonArray updates
                ? updates.OfType<JsonObject>().FirstOrDefault(u => u["region"]?.ToString() == cluster["region"]?.ToString())?["summary"]?.ToString()
                : null;
            yield return $"{summary ?? $"{cluster["identifier"]} in {cluster["region"]}"}; deletion protection {protection}";
        }
    }

    private static string StatusMarkup(string status) => status switch
    {
        "ACTIVE" => "[green]ACTIVE[/]",
        ClusterBoard.Gone => "[grey]DELETED[/]",
        ClusterBoard.NotFound => "[yellow]NOT FOUND[/]",
        "FAILED" => "[red]FAILED[/]",
        _ => Markup.Escape(status),
    };

    // A Lambda's Cause is the JSON of its exception; people need the message, scripts get the whole cause in --json.
    private static string CauseText(string? cause)
    {
        if (cause is null)
        {
            return "(none)";
        }

        try
        {
            if (JsonNode.Parse(cause) is JsonObject o && o["errorMessage"] is JsonValue message)
            {
                return message.ToString();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return cause;
    }
}
