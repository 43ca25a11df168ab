using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.History;
using Workflows.Engine.Jsonata;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>Ends the machine (or branch) successfully with its filtered input.</summary>
public sealed class SucceedState : State
{
    private static readonly string[] Fields = ["Type", "Comment", "InputPath", "OutputPath", "QueryLanguage"];

    internal SucceedState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader, hasTransition: false) => CheckFields(json, reader, Fields, Unsupported, "Output");

    public override string Type => "Succeed";

    internal override string EnteredEvent => HistoryEventType.SucceedStateEntered;

    internal override string? ExitedEvent => HistoryEventType.SucceedStateExited;

    internal override ValueTask<StateOutcome> ExecuteAsync(StateContext context, JsonNode? input)
    {
        if (IsJsonata)
        {
            return new(new StateOutcome(OutputOf(JsonataScope.OnInput(context, input), input), null));
        }

        var effective = InputPath.Apply(input, "InputPath", context);
        return new(new StateOutcome(OutputPath.Apply(effective, "OutputPath", context), null));
    }
}
