using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Choice;

/// <summary>A Choice rule: a comparison, or And/Or/Not over nested rules. Top-level rules carry Next.</summary>
public abstract class ChoiceRule
{
    public string? Next { get; private set; }

    /// <summary>A top-level rule's Assign, stored when this rule is the one that matches.</summary>
    public AssignTemplate? Assign { get; private set; }

    internal abstract bool Evaluate(PathScope scope);

    internal static ChoiceRule? Load(JsonNode? node, DefinitionReader reader, bool topLevel, string where)
    {
        if (node is not JsonObject o)
        {
            reader.Problem(where, "each rule must be an object");
            return null;
        }

        ChoiceRule? rule;
        if (o.ContainsKey("And") || o.ContainsKey("Or"))
        {
            var op = o.ContainsKey("And") ? "And" : "Or";
            var array = reader.Array(o, op);
            var children = new List<ChoiceRule>();
            if (array is not null && array.Count == 0)
            {
                reader.Problem($"{where}.{op}", "must hold at least one rule");
            }

            for (var i = 0; i < (array?.Count ?? 0); i++)
            {
                if (Load(array![i], reader, false, $"{where}.{op}[{i}]") is { } child)
                {
                    children.Add(child);
                }
            }

            CheckOnly(o, reader, where, topLevel, op);
            rule = op == "And" ? new AndRule(children) : new OrRule(children);
        }
        else if (o.ContainsKey("Not"))
        {
            CheckOnly(o, reader, where, topLevel, "Not");
            var inner = Load(o["Not"], reader, false, $"{where}.Not");
            rule = inner is null ? null : new NotRule(inner);
        }
        else
        {
            rule = ComparisonRule.Load(o, reader, where, topLevel);
        }

        if (rule is not null && topLevel)
        {
            rule.Next = reader.String(o, "Next");
            rule.Assign = reader.Assign(o, $"{where}.Assign");
            if (rule.Next is null)
            {
                reader.Problem($"{where}.Next", "each top-level Choice rule needs Next");
            }
        }
        else if (!topLevel && o.ContainsKey("Next"))
        {
            reader.Problem($"{where}.Next", "nested rules may not have Next");
        }

        return rule;
    }

    private static void CheckOnly(JsonObject o, DefinitionReader reader, string where, bool topLevel, string op)
    {
        foreach (var (key, _) in o)
        {
            if (key != op && key != "Comment" && !(topLevel && key is "Next" or "Assign"))
            {
                reader.Problem($"{where}.{key}", $"not allowed beside {op}");
            }
        }
    }
}

// Loops rather than LINQ All/Any: rules are evaluated on every Choice transition.
internal sealed class AndRule(List<ChoiceRule> rules) : ChoiceRule
{
    internal override bool Evaluate(PathScope scope)
    {
        foreach (var rule in rules)
        {
            if (!rule.Evaluate(scope))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class OrRule(List<ChoiceRule> rules) : ChoiceRule
{
    internal override bool Evaluate(PathScope scope)
    {
        foreach (var rule in rules)
        {
            if (rule.Evaluate(scope))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class NotRule(ChoiceRule rule) : ChoiceRule
{
    internal override bool Evaluate(PathScope scope) => !rule.Evaluate(scope);
}
