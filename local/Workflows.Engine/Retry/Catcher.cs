using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.Jsonata;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Retry;

/// <summary>One element of a Catch field: on a matching error, continue at Next with {Error, Cause} placed by ResultPath.</summary>
public sealed class Catcher
{
    private static readonly string[] Fields = ["ErrorEquals", "Next", "ResultPath", "Comment", "Assign"];
    private static readonly string[] JsonataFields = ["ErrorEquals", "Next", "Output", "Comment", "Assign"];
    private static readonly Dictionary<string, string> JsonPathOnly = new(StringComparer.Ordinal)
    {
        ["ResultPath"] = "JSONPath only: a JSONata catcher uses Output",
    };

    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["Output"] = "JSONata only",
    };

    public required IReadOnlyList<string> ErrorEquals { get; init; }

    public required string Next { get; init; }

    /// <summary>Where the error output goes in the state's raw input; null discards it (ResultPath: null).</summary>
    public JsonPath? ResultPath { get; init; }

    /// <summary>Variables to store when this catcher catches, evaluated on the error output {Error, Cause}.</summary>
    public AssignTemplate? Assign { get; init; }

    /// <summary>A JSONata catcher's Output (default: the error output).</summary>
    internal JsonataTemplate? Output { get; init; }

    /// <summary>A JSONata catcher's Assign, evaluated with $states.errorOutput.</summary>
    internal JsonataAssign? JsonataAssign { get; init; }

    public bool Matches(StatesException error) => ErrorMatcher.Matches(ErrorEquals, error);

    internal static List<Catcher> Load(JsonArray? array, DefinitionReader reader)
    {
        var list = new List<Catcher>();
        if (array is null)
        {
            return list;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject o)
            {
                reader.Problem("Catch", "each catcher must be an object");
                continue;
            }

            if (reader.Jsonata)
            {
                reader.CheckFields(o, JsonataFields, JsonPathOnly);
            }
            else
            {
                reader.CheckFields(o, Fields, Unsupported);
            }

            var errors = Retrier.ReadErrorEquals(o, reader, "Catch", i == array.Count - 1);
            var next = reader.String(o, "Next");
            if (next is null)
            {
                reader.Problem("Catch.Next", "is required");
            }

            var (path, discard) = reader.ResultPath(o);
            list.Add(new Catcher
            {
                ErrorEquals = errors,
                Next = next ?? string.Empty,
                ResultPath = discard ? null : path,
                Assign = reader.Assign(o, "Catch.Assign"),
                Output = reader.Jsonata ? reader.JsonataField(o, "Output", "Catch/Output") : null,
                JsonataAssign = reader.Jsonata ? reader.JsonataAssign(o, "Catch.Assign") : null,
            });
        }

        return list;
    }
}
