using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Intrinsics;
using Workflows.Engine.Jsonata;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>Fails the machine (or branch) with Error/Cause, given literally or by ErrorPath/CausePath.</summary>
public sealed class FailState : State
{
    private static readonly string[] Fields = ["Type", "Comment", "Error", "ErrorPath", "Cause", "CausePath", "QueryLanguage"];

    private readonly object? _errorPath;
    private readonly object? _causePath;
    private readonly JsonataTemplate? _jsonataError;
    private readonly JsonataTemplate? _jsonataCause;

    internal FailState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader, hasTransition: false)
    {
        CheckFields(json, reader, Fields, Unsupported);
        if (IsJsonata)
        {
            // Strings, each possibly a {% %} expression.
            _jsonataError = reader.JsonataField(json, "Error");
            _jsonataCause = reader.JsonataField(json, "Cause");
            return;
        }

        Error = reader.String(json, "Error");
        Cause = reader.String(json, "Cause");
        _errorPath = reader.PathOrIntrinsic(json, "ErrorPath");
        _causePath = reader.PathOrIntrinsic(json, "CausePath");
        if (json.ContainsKey("Error") && json.ContainsKey("ErrorPath"))
        {
            reader.Problem("ErrorPath", "Error and ErrorPath are mutually exclusive");
        }

        if (json.ContainsKey("Cause") && json.ContainsKey("CausePath"))
        {
            reader.Problem("CausePath", "Cause and CausePath are mutually exclusive");
        }
    }

    public override string Type => "Fail";

    public string? Error { get; }

    public string? Cause { get; }

    internal override string EnteredEvent => HistoryEventType.FailStateEntered;

    internal override string? ExitedEvent => null;

    internal override ValueTask<StateOutcome> ExecuteAsync(StateContext context, JsonNode? input)
    {
        if (IsJsonata)
        {
            var jsonata = JsonataScope.OnInput(context, input);
            throw new TaskError(JsonataString(_jsonataError, jsonata, "Error") ?? string.Empty, JsonataString(_jsonataCause, jsonata, "Cause"));
        }

        var scope = context.Scope(input);
        var error = Error ?? Resolve(_errorPath, scope, "ErrorPath");
        var cause = Cause ?? Resolve(_causePath, scope, "CausePath");
        throw new TaskError(error ?? string.Empty, cause);
    }

    private static string? JsonataString(JsonataTemplate? template, JsonataScope scope, string field)
    {
        if (template is null)
        {
            return null;
        }

        var value = template.Evaluate(scope);
        // Inferred wording (not recorded): the field must hold a string.
        return JsonValues.TryGetString(value, out var s)
            ? s
            : throw scope.Fail($"The JSONata expression '{template.ExpressionText}' specified for the field '{field}' returned an unexpected result type. Expected 'string', but was: {JsonValues.ToJson(value)}");
    }

    private static string? Resolve(object? pathOrIntrinsic, PathScope scope, string field)
    {
        JsonNode? value;
        switch (pathOrIntrinsic)
        {
            case null:
                return null;
            case IntrinsicExpression fn:
                value = fn.Evaluate(scope);
                break;
            case JsonPath path when scope.TryRead(path, out var found):
                value = found;
                break;
            case JsonPath path:
                // AWS's wording (recorded), the same as for a Parameters path.
                throw new StatesRuntime($"The JSONPath '{path.Text}' specified for the field '{field}' could not be found in the input '{JsonValues.ToJson(path.IsContext ? scope.Context : scope.Input)}'");
            default:
                return null;
        }

        return JsonValues.TryGetString(value, out var s)
            ? s
            : throw new StatesRuntime($"The {field} must resolve to a string, got {JsonValues.ToJson(value)}");
    }
}
