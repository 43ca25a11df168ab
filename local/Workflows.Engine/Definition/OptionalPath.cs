using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Definition;

/// <summary>
/// InputPath or OutputPath: absent means <c>$</c> (pass everything), null means <c>{}</c> (pass nothing),
/// otherwise a path whose failure to match is a States.Runtime error. The field name is kept for callers' messages.
/// </summary>
public sealed record OptionalPath(JsonPath? Path, bool IsNull)
{
    public static readonly OptionalPath Identity = new(null, false);

    /// <summary>Applies the path; a <c>$$</c> path finds nothing here (no context object is at hand).</summary>
    public JsonNode? Apply(JsonNode? node, string field) => Apply(node, field, null);

    /// <param name="state">The state entry whose context object a path starting with <c>$$</c> reads (built only then).</param>
    internal JsonNode? Apply(JsonNode? node, string field, Runtime.StateContext? state)
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

        // A `$$` InputPath/OutputPath selects from the context object, as on AWS (recorded), and `$name` from a
        // variable, not from the input.
        JsonNode? value = null;
        var found = state is null ? !Path.IsContext && Path.Variable is null && Path.TryEvaluate(node, out value) : state.TryRead(Path, node, out value);
        return found
            ? value?.DeepClone()
            : throw new StatesRuntime($"Invalid path '{Path.Text}' : {Path.DescribeMiss(Path.IsContext || Path.Variable is not null ? null : node)}");
    }
}
