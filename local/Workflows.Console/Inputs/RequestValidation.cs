using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Core.Errors;
using Workflows.Core.Requests;
using Workflows.Engine.Definition;

namespace Workflows.WebConsole.Inputs;

/// <summary>Why an input cannot start: the field at fault and the rule it breaks.</summary>
public sealed record InputProblem(string Field, string Rule)
{
    public override string ToString() => $"{Field}: {Rule}";
}

/// <summary>Checks a machine's execution input before anything starts; null = no problem.</summary>
public delegate InputProblem? InputValidator(string input);

/// <summary>
/// The start form's checks: JSON syntax in our words (line and column), then the workflow's own request validation
/// (the same ProvisionRequest/TeardownRequest/UpdateRequest parsing the machines' first step runs), so a request the
/// first state would reject is refused before an execution exists.
/// </summary>
public static class RequestValidation
{
    /// <summary>Known request kinds by the Validate*Request function a machine starts with.</summary>
    private static readonly (string Marker, string Kind, Func<string, object> Parse)[] Kinds =
    [
        ("ValidateProvisionRequest", "provision", ProvisionRequest.Parse),
        ("ValidateTeardownRequest", "teardown", TeardownRequest.Parse),
        ("ValidateUpdateRequest", "update", UpdateRequest.Parse),
    ];

    /// <summary>JSON syntax only: "input: not JSON: line 3, column 5: ...".</summary>
    public static InputProblem? Syntax(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            JsonDocument.Parse(input).Dispose();
            return null;
        }
        catch (JsonException e)
        {
            return new InputProblem("input", "is not JSON: " + JsonSyntax.Describe(input, e));
        }
    }

    /// <summary>
    /// The request kind of a machine (provision, teardown, update) or null: the Validate*Request function its StartAt
    /// state invokes (Resource or Parameters.FunctionName), else a kind named in the machine's name (Inferred).
    /// </summary>
    public static string? KindOf(string machineName, string definition)
    {
        ArgumentNullException.ThrowIfNull(machineName);
        try
        {
            if (JsonNode.Parse(definition) is JsonObject root && root["StartAt"]?.GetValue<string>() is { } start && root["States"]?[start] is JsonObject first)
            {
                var text = first["Resource"]?.ToJsonString() + first["Parameters"]?["FunctionName"]?.ToJsonString() + first["Arguments"]?["FunctionName"]?.ToJsonString();
                foreach (var (marker, kind, _) in Kinds)
                {
                    if (text.Contains(marker, StringComparison.Ordinal))
                    {
                        return kind;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // A definition the service accepted is JSON; should it not be, the name decides.
        }

        return Kinds.Select(k => k.Kind).FirstOrDefault(k => machineName.Contains(k, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The full check for a request kind (null kind: JSON syntax only).</summary>
    public static InputValidator For(string? kind) => input =>
    {
        if (Syntax(input) is { } syntax)
        {
            return syntax;
        }

        var parse = Kinds.FirstOrDefault(k => k.Kind == kind).Parse;
        if (parse is null)
        {
            return null;
        }

        try
        {
            parse(input);
            return null;
        }
        catch (InvalidRequestException e)
        {
            return new InputProblem(e.Field, e.Rule);
        }
    };
}
