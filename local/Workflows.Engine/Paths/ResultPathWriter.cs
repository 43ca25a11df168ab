using System.Text.Json.Nodes;
using Workflows.Engine.Errors;

namespace Workflows.Engine.Paths;

/// <summary>Applies a ResultPath (a reference path) to a state's input, creating missing objects on the way.</summary>
public static class ResultPathWriter
{
    /// <param name="input">The state input; not modified (it may be returned as the output itself).</param>
    /// <param name="resultPath">The parsed ResultPath, or null for <c>"ResultPath": null</c> (result discarded).</param>
    /// <param name="result">The value to place.</param>
    public static JsonNode? Apply(JsonNode? input, JsonPath? resultPath, JsonNode? result)
    {
        // State data is never modified in place once produced (writes below go into a copy), so when the whole
        // output is the input or the result, that node is handed on as it is.
        if (resultPath is null)
        {
            return input;
        }

        var segments = resultPath.Segments;
        if (segments.Count == 0)
        {
            return result;
        }

        var root = input?.DeepClone();
        if (root is not JsonObject and not JsonArray)
        {
            throw Mismatch(resultPath, input);
        }

        var node = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var last = i == segments.Count - 1;
            switch (segments[i])
            {
                case NameSegment name when node is JsonObject o:
                    if (last)
                    {
                        o[name.Name] = result?.DeepClone();
                        return root;
                    }

                    if (!o.TryGetPropertyValue(name.Name, out var child) || child is null)
                    {
                        child = new JsonObject();
                        o[name.Name] = child;
                    }
                    else if (child is not JsonObject and not JsonArray)
                    {
                        throw Mismatch(resultPath, input);
                    }

                    node = child;
                    break;
                case IndexSegment index when node is JsonArray a && index.Index < a.Count:
                    if (last)
                    {
                        a[index.Index] = result?.DeepClone();
                        return root;
                    }

                    node = a[index.Index] ?? throw Mismatch(resultPath, input);
                    break;
                default:
                    throw Mismatch(resultPath, input);
            }
        }

        return root;
    }

    private static StatesResultPathMatchFailure Mismatch(JsonPath path, JsonNode? input) =>
        new($"Unable to apply ResultPath \"{path.Text}\" to input {JsonValues.ToJson(input)}");
}
