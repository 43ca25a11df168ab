using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Intrinsics;

namespace Workflows.Engine.Paths;

/// <summary>
/// A Parameters, ResultSelector or ItemSelector object: keys ending in <c>.$</c> take their value from a path on the
/// input, a <c>$$.</c> path on the context object, or an intrinsic function; other values are copied as they are.
/// Paths and intrinsics are parsed when the definition loads.
/// </summary>
public sealed class PayloadTemplate
{
    private readonly JsonNode? _template;
    private readonly Dictionary<string, object> _compiled = new(StringComparer.Ordinal);

    private PayloadTemplate(JsonNode? template) => _template = template;

    /// <exception cref="FormatException">A <c>.$</c> value is not a string path or a valid intrinsic.</exception>
    public static PayloadTemplate Compile(JsonNode? template)
    {
        var t = new PayloadTemplate(template?.DeepClone());
        t.CompileNode(t._template);
        return t;
    }

    /// <param name="scope">Input and context.</param>
    /// <param name="pathFailure">Builds the error for a path that finds nothing (Parameters and ResultSelector differ).</param>
    public JsonNode? Resolve(PathScope scope, Func<string, StatesException> pathFailure)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(pathFailure);
        return ResolveNode(_template, scope, pathFailure);
    }

    private void CompileNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        if (!JsonValues.TryGetString(value, out var expr))
                        {
                            throw new FormatException($"The value of '{key}' must be a string path or intrinsic function");
                        }

                        _compiled[expr] = IntrinsicExpression.LooksLikeIntrinsic(expr)
                            ? IntrinsicExpression.Parse(expr)
                            : JsonPath.Parse(expr);
                    }
                    else
                    {
                        CompileNode(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    CompileNode(item);
                }

                break;
        }
    }

    private JsonNode? ResolveNode(JsonNode? node, PathScope scope, Func<string, StatesException> pathFailure)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        var expr = value!.GetValue<string>();
                        result[key[..^2]] = _compiled[expr] switch
                        {
                            IntrinsicExpression fn => fn.Evaluate(scope),
                            JsonPath path => scope.TryRead(path, out var found)
                                ? found?.DeepClone()
                                : throw pathFailure($"The JSONPath '{expr}' specified for the field '{key}' could not be found in the input '{JsonValues.ToJson(path.IsContext ? scope.Context : scope.Input)}'"),
                            _ => throw new InvalidOperationException("unreachable"),
                        };
                    }
                    else
                    {
                        result[key] = ResolveNode(value, scope, pathFailure);
                    }
                }

                return result;
            case JsonArray a:
                return new JsonArray(a.Select(item => ResolveNode(item, scope, pathFailure)).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}
