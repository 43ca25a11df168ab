using System.Text.Json.Nodes;
using Workflows.Engine.Errors;

namespace Workflows.Engine.Paths;

/// <summary>
/// An Assign field (workflow variables, JSONPath query language): a Parameters-like object whose keys are variable
/// names (<c>name.$</c> takes a path, <c>$$</c> path or intrinsic; other values are copied as they are). All values
/// are evaluated before any is stored, so a reference to a variable assigned in the same field reads its old value.
/// </summary>
public sealed class AssignTemplate
{
    /// <summary>AWS's limit on the values one Assign stores (256 KiB, as for a state's payload).</summary>
    public const int SizeLimitBytes = 262_144;

    private readonly PayloadTemplate _values;

    private AssignTemplate(PayloadTemplate values) => _values = values;

    /// <summary>Problems with the variable names, for the load error; empty when every name is valid.</summary>
    public IReadOnlyList<string> NameProblems { get; private init; } = [];

    /// <exception cref="FormatException">A <c>.$</c> value is not a string path or a valid intrinsic.</exception>
    public static AssignTemplate Compile(JsonObject assign)
    {
        ArgumentNullException.ThrowIfNull(assign);
        var problems = new List<string>();
        foreach (var (key, _) in assign)
        {
            if (NameProblem(key.EndsWith(".$", StringComparison.Ordinal) ? key[..^2] : key) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return new AssignTemplate(PayloadTemplate.Compile(assign)) { NameProblems = problems };
    }

    /// <summary>The name → value pairs to store, evaluated on <paramref name="scope"/> (its <c>$</c> as AWS documents per state).</summary>
    /// <exception cref="StatesDataLimitExceeded">The values are larger than 256 KiB.</exception>
    internal JsonObject Evaluate(PathScope scope, string stateName)
    {
        var values = (JsonObject)_values.Resolve(scope, m => new StatesRuntime(m))!;
        if (JsonValues.Utf8Size(values) > SizeLimitBytes)
        {
            // The limit is documented; the wording of AWS's cause is not (inferred from its other limit causes).
            throw new StatesDataLimitExceeded($"The state/task '{stateName}' assigned variables with a size exceeding the maximum number of bytes service limit.");
        }

        return values;
    }

    /// <summary>Why <paramref name="name"/> cannot name a variable, or null when it can.</summary>
    internal static string? NameProblem(string name) =>
        !IsValidName(name) ? $"'{name}' is not a valid variable name (a letter or '_', then letters, digits or '_')"
        : name == "states" ? "'states' is a reserved variable name"
        : null;

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 80
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
