using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Intrinsics;

namespace Workflows.Engine.Paths;

/// <summary>
/// A Parameters, ResultSelector or ItemSelector object: keys ending in <c>.$</c> take their value from a path on the
/// input, a <c>$$.</c> path on the context object, or an intrinsic function; other values are copied as they are.
/// Paths and intrinsics are parsed when the definition loads, into a tree that resolving only walks: no key
/// trimming, no dictionary look-ups per field at run time.
/// </summary>
public sealed class PayloadTemplate
{
    private readonly Part _root;

    private PayloadTemplate(Part root) => _root = root;

    /// <exception cref="FormatException">A <c>.$</c> value is not a string path or a valid intrinsic.</exception>
    public static PayloadTemplate Compile(JsonNode? template) => new(CompileNode(template?.DeepClone()));

    /// <param name="scope">Input and context.</param>
    /// <param name="pathFailure">Builds the error for a path that finds nothing (Parameters and ResultSelector differ).</param>
    public JsonNode? Resolve(PathScope scope, Func<string, StatesException> pathFailure)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(pathFailure);
        return _root.Resolve(scope, pathFailure);
    }

    private static Part CompileNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var fields = new List<(string, Part)>(o.Count);
                foreach (var (key, value) in o)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        if (!JsonValues.TryGetString(value, out var expr))
                        {
                            throw new FormatException($"The value of '{key}' must be a string path or intrinsic function");
                        }

                        fields.Add((key[..^2], IntrinsicExpression.LooksLikeIntrinsic(expr)
                            ? new IntrinsicPart(IntrinsicExpression.Parse(expr))
                            : new PathPart(JsonPath.Parse(expr), key)));
                    }
                    else
                    {
                        fields.Add((key, CompileNode(value)));
                    }
                }

                return new ObjectPart([.. fields]);
            case JsonArray a:
                return new ArrayPart([.. a.Select(CompileNode)]);
            default:
                return new LiteralPart(node);
        }
    }

    private abstract class Part
    {
        public abstract JsonNode? Resolve(PathScope scope, Func<string, StatesException> pathFailure);
    }

    private sealed class ObjectPart((string Key, Part Value)[] fields) : Part
    {
        public override JsonNode? Resolve(PathScope scope, Func<string, StatesException> pathFailure)
        {
            var result = new JsonObject();
            foreach (var (key, value) in fields)
            {
                // The indexer, not Add: a template may name a key twice ("a" and "a.$"); the last one wins.
                result[key] = value.Resolve(scope, pathFailure);
            }

            return result;
        }
    }

    private sealed class ArrayPart(Part[] items) : Part
    {
        public override JsonNode? Resolve(PathScope scope, Func<string, StatesException> pathFailure)
        {
            var result = new JsonNode?[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                result[i] = items[i].Resolve(scope, pathFailure);
            }

            return new JsonArray(result);
        }
    }

    private sealed class LiteralPart(JsonNode? value) : Part
    {
        public override JsonNode? Resolve(PathScope scope, Func<string, StatesException> pathFailure) => value?.DeepClone();
    }

    private sealed class IntrinsicPart(IntrinsicExpression fn) : Part
    {
        public override JsonNode? Resolve(PathScope scope, Func<string, StatesException> pathFailure) => fn.Evaluate(scope);
    }

    private sealed class PathPart(JsonPath path, string key) : Part
    {
        // The selected node still belongs to the input (it has a parent), so it is copied into the new payload.
        public override JsonNode? Resolve(PathScope scope, Func<string, StatesException> pathFailure) =>
            scope.TryRead(path, out var found)
                ? found?.DeepClone()
                : throw pathFailure($"The JSONPath '{path.Text}' specified for the field '{key}' could not be found in the input '{JsonValues.ToJson(path.IsContext ? scope.Context : scope.Input)}'");
    }
}
