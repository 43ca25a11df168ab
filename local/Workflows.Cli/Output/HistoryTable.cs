using System.Text.Json.Nodes;
using Spectre.Console;
using Workflows.Cli.Runs;

namespace Workflows.Cli.Output;

/// <summary>A saved run's history as a table, read back from its GetExecutionHistory JSON.</summary>
internal static class HistoryTable
{
    private const string DetailsSuffix = "EventDetails";

    public static void Write(IAnsiConsole console, RunRecord run)
    {
        var execution = run.Execution;
        console.MarkupLine($"[bold]{Markup.Escape(Text(execution["name"]))}[/] {Markup.Escape(Text(execution["status"]))} · {Markup.Escape(Text(execution["executionArn"]))}");
        var table = new Table().AddColumns("Id", "Timestamp (virtual)", "Type", "State", "Detail");
        foreach (var e in run.Events)
        {
            var details = Details(e);
            table.AddRow(
                new Text(Text(e["id"])),
                new Text(Text(e["timestamp"])),
                new Text(Text(e["type"])),
                new Text(Text(details?["name"])),
                new Text(Formats.Short(Detail(details))));
        }

        console.Write(table);
    }

    /// <summary>
    /// --output text: "execution" (execution, name, status, executionArn), then one "event" line per event (event,
    /// id, timestamp, type, previousEventId, state, detail: the table's detail, whole). README, "Output formats".
    /// </summary>
    public static void WriteText(TextWriter output, RunRecord run)
    {
        var execution = run.Execution;
        TextOutput.Line(output, "execution", Text(execution["name"]), Text(execution["status"]), Text(execution["executionArn"]));
        foreach (var e in run.Events)
        {
            var details = Details(e);
            TextOutput.Line(output, "event", Text(e["id"]), Text(e["timestamp"]), Text(e["type"]), Text(e["previousEventId"]), Text(details?["name"]), Detail(details));
        }
    }

    // Each event carries its details under a type-specific member (taskFailedEventDetails, ...).
    private static JsonObject? Details(JsonObject e) =>
        e.Where(p => p.Key.EndsWith(DetailsSuffix, StringComparison.Ordinal)).Select(p => p.Value).OfType<JsonObject>().FirstOrDefault();

    /// <summary>What matters most about an event: its error, else the resource it called, else its data.</summary>
    private static string Detail(JsonObject? details)
    {
        if (details is null)
        {
            return string.Empty;
        }

        if (details.ContainsKey("error") || details.ContainsKey("cause"))
        {
            return $"{Text(details["error"])}: {Text(details["cause"])}";
        }

        if (details["resource"] is { } resource)
        {
            var type = Text(details["resourceType"]);
            return type.Length > 0 ? $"{type}:{Text(resource)}" : Text(resource);
        }

        return Text(details["output"] ?? details["input"] ?? details["length"]);
    }

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? string.Empty;
}
