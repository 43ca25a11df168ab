using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Jsonata;

/// <summary>
/// The Assign of a JSONata state, Choice rule or catcher: variable names and JSONata values. All values are
/// evaluated (with the variables as they stood on entry) before any is stored, as for JSONPath.
/// </summary>
internal sealed class JsonataAssign(JsonataTemplate values)
{
    public JsonObject Evaluate(JsonataScope scope, string stateName)
    {
        var result = values.Evaluate(scope) as JsonObject ?? [];
        if (JsonValues.Utf8Size(result) > AssignTemplate.SizeLimitBytes)
        {
            // The same (inferred) wording as the JSONPath Assign's limit.
            throw new StatesDataLimitExceeded($"The state/task '{stateName}' assigned variables with a size exceeding the maximum number of bytes service limit.");
        }

        return result;
    }
}
