using System.Text.Json.Nodes;
using Workflows.Cli.Runs;
using Workflows.Engine;

namespace Workflows.Cli.Output;

/// <summary>
/// run --json: exactly one JSON object on one line. status always; output when SUCCEEDED, error and cause
/// otherwise; then the execution's identity, transitions and (virtual) dates so scripts can compare runs.
/// </summary>
internal static class RunJson
{
    public static JsonObject Build(ExecutionResult result, RunRecord record)
    {
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

        o["executionArn"] = result.ExecutionArn;
        o["stateMachineArn"] = record.Execution["stateMachineArn"]?.DeepClone();
        o["name"] = result.Name;
        o["transitions"] = result.Transitions;
        o["startDate"] = Formats.Timestamp(result.StartDate);
        o["stopDate"] = Formats.Timestamp(result.StopDate);
        o["putEvents"] = record.Document["putEvents"]?.DeepClone();
        return o;
    }

    /// <summary>
    /// --output text, from the object --output json prints: "execution" (execution, status, name, executionArn,
    /// transitions, error, cause), then "output" (output, the output as compact JSON) when it SUCCEEDED, then one
    /// "event" line per event put on a bus (event, detailType, eventBusName, time). README, "Output formats".
    /// </summary>
    public static void WriteText(TextWriter output, JsonObject outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        TextOutput.Line(output, "execution", Value(outcome["status"]), Value(outcome["name"]), Value(outcome["executionArn"]), Value(outcome["transitions"]), Value(outcome["error"]), Value(outcome["cause"]));
        if (outcome.ContainsKey("output"))
        {
            TextOutput.Line(output, "output", outcome["output"]?.ToJsonString() ?? "null");
        }

        foreach (var e in (outcome["putEvents"] as JsonArray ?? []).OfType<JsonObject>())
        {
            TextOutput.Line(output, "event", Value(e["detailType"]), Value(e["eventBusName"]), Value(e["time"]));
        }
    }

    private static string? Value(JsonNode? node) => node is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : node?.ToJsonString();
}
