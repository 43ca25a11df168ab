using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Jsonata;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>Passes its input through, or a fixed Result, shaped by Parameters/ResultPath/OutputPath.</summary>
public sealed class PassState : State
{
    private static readonly string[] Fields = ["Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Parameters", "Result", "ResultPath", "QueryLanguage", "Assign"];

    private readonly PayloadTemplate? _parameters;
    private readonly JsonNode? _result;
    private readonly bool _hasResult;
    private readonly JsonPath? _resultPath;

    internal PassState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader, hasTransition: true)
    {
        CheckFields(json, reader, Fields, Unsupported, "Output");
        _parameters = reader.Template(json, "Parameters");
        _hasResult = json.TryGetPropertyValue("Result", out var result);
        _result = result?.DeepClone();
        var (path, discard) = reader.ResultPath(json);
        _resultPath = discard ? null : path;
        Assign = reader.Assign(json);
    }

    public override string Type => "Pass";

    internal override string EnteredEvent => HistoryEventType.PassStateEntered;

    internal override string? ExitedEvent => HistoryEventType.PassStateExited;

    internal override ValueTask<StateOutcome> ExecuteAsync(StateContext context, JsonNode? input)
    {
        if (IsJsonata)
        {
            // A JSONata Pass has no result of its own: Output and Assign read $states.input; the default output is the input.
            var scope = JsonataScope.OnInput(context, input);
            AssignFrom(context, JsonataAssign, scope);
            return new(new StateOutcome(OutputOf(scope, input), Next));
        }

        var effective = InputPath.Apply(input, "InputPath", context);
        if (_parameters is not null)
        {
            effective = _parameters.Resolve(context.Scope(effective), m => new StatesRuntime(m));
        }

        var result = _hasResult ? _result?.DeepClone() : effective;
        // Assign reads the state's result: Result, or the input after InputPath and Parameters (AWS docs).
        AssignFrom(context, Assign, result);
        var combined = ResultPathWriter.Apply(input, _resultPath, result);
        return new(new StateOutcome(OutputPath.Apply(combined, "OutputPath", context), Next));
    }
}
