using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.History;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>Ends the machine (or branch) successfully with its filtered input.</summary>
public sealed class SucceedState : State
{
    private static readonly string[] Fields = ["Type", "Comment", "InputPath", "OutputPath", "QueryLanguage"];

    internal SucceedState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader, hasTransition: false) => reader.CheckFields(json, Fields, Unsupported);

    public override string Type => "Succeed";

    internal override string EnteredEvent => HistoryEventType.SucceedStateEntered;

    internal override string? ExitedEvent => HistoryEventType.SucceedStateExited;

    internal override ValueTask<StateOutcome> ExecuteAsync(StateContext context, JsonNode? input)
    {
        var effective = InputPath.Apply(input, "InputPath", context);
        return new(new StateOutcome(OutputPath.Apply(effective, "OutputPath", context), null));
    }
}
