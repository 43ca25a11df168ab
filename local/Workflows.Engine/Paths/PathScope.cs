using System.Text.Json.Nodes;

namespace Workflows.Engine.Paths;

/// <summary>What a path or intrinsic argument can read: <c>$</c> is the input, <c>$$</c> the context object.</summary>
public sealed record PathScope(JsonNode? Input, JsonNode? Context, Random Random)
{
    public bool TryRead(JsonPath path, out JsonNode? value) =>
        path.TryEvaluate(path.IsContext ? Context : Input, out value);
}
