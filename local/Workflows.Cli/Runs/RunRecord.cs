using System.Text.Json.Nodes;
using Workflows.Engine;
using Workflows.Engine.Tasks;

namespace Workflows.Cli.Runs;

/// <summary>
/// One finished run as the tool keeps it: DescribeExecution's shape, the GetExecutionHistory shape and what the
/// run put on the local bus. Kept as JSON so the history command needs nothing but the file.
/// </summary>
internal sealed class RunRecord
{
    private RunRecord(JsonObject document) => Document = document;

    public JsonObject Document { get; }

    public JsonObject Execution => Document["execution"] as JsonObject ?? [];

    /// <summary>{"events":[...]}, as GetExecutionHistory answers.</summary>
    public JsonObject History => Document["history"] as JsonObject ?? new JsonObject { ["events"] = new JsonArray() };

    public IEnumerable<JsonObject> Events => (History["events"] as JsonArray ?? []).OfType<JsonObject>();

    public static RunRecord From(ExecutionResult result, string stateMachineArn, IReadOnlyList<LocalEvent> putEvents, TimeSpan wallDuration)
    {
        var execution = result.ToDescribeExecutionJson(stateMachineArn);
        execution["transitions"] = result.Transitions;
        return new RunRecord(new JsonObject
        {
            ["execution"] = execution,
            ["history"] = result.ToHistoryJson(),
            ["putEvents"] = PutEventsJson(putEvents),
            ["wallSeconds"] = Math.Round(wallDuration.TotalSeconds, 3),
        });
    }

    public static RunRecord Parse(JsonObject document) => new(document);

    /// <summary>The events minus their random EventIds, so two runs of the same seed compare equal.</summary>
    public static JsonArray PutEventsJson(IReadOnlyList<LocalEvent> events) =>
        new(events.Select(e => (JsonNode?)new JsonObject
        {
            ["eventBusName"] = e.EventBusName,
            ["source"] = e.Source,
            ["detailType"] = e.DetailType,
            ["detail"] = e.Detail?.DeepClone(),
            ["time"] = Engine.Paths.JsonValues.FormatTimestamp(e.Time),
        }).ToArray());
}
