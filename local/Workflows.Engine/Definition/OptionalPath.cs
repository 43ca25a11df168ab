using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Definition;

/// <summary>
/// InputPath or OutputPath: absent means <c>$</c> (pass everything), null means <c>{}</c> (pass nothing),
/// otherwise a path whose failure to match is a States.Runtime error.
/// </summary>
public sealed record OptionalPath(JsonPath? Path, bool IsNull)
{
    public static readonly OptionalPath Identity = new(null, false);

    public JsonNode? Apply(JsonNode? node, string field)
    {
        if (IsNull)
        {
            return new JsonObject();
        }

        // State data is never modified in place (ResultPath writes into a copy), so the identity path can hand the
        // same node on instead of copying the whole payload twice per state.
        if (Path is null)
        {
            return node;
        }

        return Path.TryEvaluate(node, out var value)
            ? value?.DeepClone()
            : throw new StatesRuntime($"Invalid {field} '{Path.Text}': the path matches nothing in {JsonValues.ToJson(node)}");
    }
}
