using System.Text.Json.Nodes;
using Workflows.Engine.Choice;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>Goes to the Next of the first matching rule, else Default, else fails with States.NoChoiceMatched.</summary>
public sealed class ChoiceState : State
{
    private static readonly string[] Fields = ["Type", "Comment", "InputPath", "OutputPath", "Choices", "Default", "QueryLanguage", "Assign"];

    private readonly List<ChoiceRule> _choices = [];

    internal ChoiceState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader, hasTransition: false)
    {
        reader.CheckFields(json, Fields, Unsupported);
        Default = reader.String(json, "Default");
        Assign = reader.Assign(json);
        var choices = reader.Array(json, "Choices", required: true);
        if (choices is not null && choices.Count == 0)
        {
            reader.Problem("Choices", "must hold at least one rule");
        }

        for (var i = 0; i < (choices?.Count ?? 0); i++)
        {
            if (ChoiceRule.Load(choices![i], reader, topLevel: true, $"Choices[{i}]") is { } rule)
            {
                _choices.Add(rule);
            }
        }
    }

    public override string Type => "Choice";

    public string? Default { get; }

    public IReadOnlyList<ChoiceRule> Choices => _choices;

    internal override string EnteredEvent => HistoryEventType.ChoiceStateEntered;

    internal override string? ExitedEvent => HistoryEventType.ChoiceStateExited;

    internal override IEnumerable<(string Field, string Target)> Transitions()
    {
        for (var i = 0; i < _choices.Count; i++)
        {
            if (_choices[i].Next is { } next)
            {
                yield return ($"Choices[{i}].Next", next);
            }
        }

        if (Default is not null)
        {
            yield return ("Default", Default);
        }
    }

    internal override ValueTask<StateOutcome> ExecuteAsync(StateContext context, JsonNode? input)
    {
        var effective = InputPath.Apply(input, "InputPath", context);
        var scope = context.Scope(effective);
        // A plain loop, not LINQ: this runs on every Choice transition and the closure was an allocation each time.
        string? next = null;
        foreach (var choice in _choices)
        {
            if (choice.Evaluate(scope))
            {
                next = choice.Next;
                // The matching rule's Assign; the state's own Assign only when Default is taken (inferred from
                // AWS's docs and recordings, where a rule's Assign replaces it).
                AssignFrom(context, choice.Assign, effective);
                break;
            }
        }

        if (next is null)
        {
            next = Default
                ?? throw new StatesNoChoiceMatched($"No Choice rule matched and no Default is specified in state '{Name}'.");
            AssignFrom(context, Assign, effective);
        }
        return new(new StateOutcome(OutputPath.Apply(effective, "OutputPath", context), next));
    }
}
