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
}
