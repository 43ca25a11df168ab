using System.Text.Json.Nodes;
using Workflows.Engine.Choice;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Jsonata;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>Goes to the Next of the first matching rule, else Default, else fails with States.NoChoiceMatched.</summary>
public sealed class ChoiceState : State
{
    private static readonly string[] Fields = ["Type", "Comment", "InputPath", "OutputPath", "Choices", "Default", "QueryLanguage", "Assign"];

    private static readonly string[] JsonataRuleFields = ["Condition", "Next", "Output", "Assign", "Comment"];

    private readonly List<ChoiceRule> _choices = [];
    private readonly List<JsonataRule> _jsonataRules = [];

    internal ChoiceState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader, hasTransition: false)
    {
        CheckFields(json, reader, Fields, Unsupported, "Output");
        Default = reader.String(json, "Default");
        Assign = reader.Assign(json);
        var choices = reader.Array(json, "Choices", required: true);
        if (choices is not null && choices.Count == 0)
        {
            reader.Problem("Choices", "must hold at least one rule");
        }

        if (IsJsonata)
        {
            LoadJsonataRules(choices, reader);
            return;
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

        for (var i = 0; i < _jsonataRules.Count; i++)
        {
            yield return ($"Choices[{i}].Next", _jsonataRules[i].Next);
        }

        if (Default is not null)
        {
            yield return ("Default", Default);
        }
    }

    internal override ValueTask<StateOutcome> ExecuteAsync(StateContext context, JsonNode? input)
    {
        if (IsJsonata)
        {
            return new(ExecuteJsonata(context, input));
        }

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

    /// <summary>
    /// JSONata rules: the first whose Condition is true decides; its Output and Assign apply, or the state's own
    /// when Default is taken (recorded: a rule's Output replaces the state's). The default output is the input.
    /// </summary>
    private StateOutcome ExecuteJsonata(StateContext context, JsonNode? input)
    {
        var scope = JsonataScope.OnInput(context, input);
        foreach (var rule in _jsonataRules)
        {
            var value = rule.Condition.Evaluate(scope);
            if (!JsonValues.TryGetBoolean(value, out var matched))
            {
                // Inferred wording, shaped like AWS's recorded cause for Items.
                throw scope.Fail($"The JSONata expression '{rule.Condition.ExpressionText}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was: {JsonValues.ToJson(value)}");
            }

            if (matched)
            {
                context.PendingAssign = rule.Assign?.Evaluate(scope, Name);
                return new StateOutcome(rule.Output is null ? input : rule.Output.Evaluate(scope), rule.Next);
            }
        }

        var next = Default
            ?? throw new StatesNoChoiceMatched($"No Choice rule matched and no Default is specified in state '{Name}'.");
        AssignFrom(context, JsonataAssign, scope);
        return new StateOutcome(OutputOf(scope, input), next);
    }

    private void LoadJsonataRules(JsonArray? choices, DefinitionReader reader)
    {
        for (var i = 0; i < (choices?.Count ?? 0); i++)
        {
            if (choices![i] is not JsonObject o)
            {
                reader.Problem($"Choices[{i}]", "each rule must be an object");
                continue;
            }

            // Comparison operators and Variable are JSONPath only: a JSONata rule has a Condition.
            reader.CheckFields(o, JsonataRuleFields);
            var condition = reader.JsonataField(o, "Condition");
            if (condition is null && !o.ContainsKey("Condition"))
            {
                reader.Problem($"Choices[{i}].Condition", "is required in a JSONata Choice rule");
            }

            var next = reader.String(o, "Next");
            if (next is null)
            {
                reader.Problem($"Choices[{i}].Next", "is required");
            }

            if (condition is not null && next is not null)
            {
                _jsonataRules.Add(new JsonataRule(condition, next, reader.JsonataField(o, "Output"), reader.JsonataAssign(o, $"Choices[{i}].Assign")));
            }
        }
    }

    private sealed record JsonataRule(JsonataTemplate Condition, string Next, JsonataTemplate? Output, JsonataAssign? Assign);
}
