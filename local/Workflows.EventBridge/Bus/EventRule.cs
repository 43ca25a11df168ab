using System.Text.RegularExpressions;
using Workflows.EventBridge.Patterns;
using Workflows.EventBridge.Targets;

namespace Workflows.EventBridge.Bus;

public enum RuleState
{
    Enabled,
    Disabled,
}

/// <summary>A rule on a bus: a pattern, a state and up to <see cref="MaxTargets"/> targets.</summary>
public sealed partial class EventRule
{
    /// <summary>The service quota of targets per rule.</summary>
    public const int MaxTargets = 5;

    private readonly List<RuleTarget> _targets = [];

    /// <exception cref="FormatException">The name breaks the API's rule.</exception>
    public EventRule(string name, EventPattern? pattern, RuleState state = RuleState.Enabled, string? description = null, string? scheduleExpression = null)
    {
        ValidateName(name);
        if (pattern is null && scheduleExpression is null)
        {
            throw new FormatException($"Rule {name}: EventPattern or ScheduleExpression must be specified");
        }

        if (description is { Length: > 512 })
        {
            throw new FormatException($"Rule {name}: Description is {description.Length} characters, over the limit of 512");
        }

        Name = name;
        Pattern = pattern;
        State = state;
        Description = description;
        ScheduleExpression = scheduleExpression;
    }

    public string Name { get; }

    public EventPattern? Pattern { get; internal set; }

    public RuleState State { get; internal set; }

    public string? Description { get; internal set; }

    /// <summary>Kept and listed; schedules do not fire locally (out of scope: the application's rules are patterns).</summary>
    public string? ScheduleExpression { get; internal set; }

    /// <summary>The state machine the template's rule starts, when the rule came from template.yaml.</summary>
    public string? StateMachineLogicalId { get; init; }

    public IReadOnlyList<RuleTarget> Targets
    {
        get
        {
            lock (_targets)
            {
                return [.. _targets];
            }
        }
    }

    public static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw new FormatException($"Rule name '{name}' must be 1 to 64 of A-Z, a-z, 0-9, '.', '-' and '_'");
        }
    }

    /// <summary>Adds or replaces targets by Id, as PutTargets does.</summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxTargets"/> targets would result.</exception>
    public void PutTargets(IEnumerable<RuleTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        lock (_targets)
        {
            var next = _targets.ToList();
            foreach (var target in targets)
            {
                var at = next.FindIndex(t => t.Id == target.Id);
                if (at >= 0)
                {
                    next[at] = target;
                }
                else
                {
                    next.Add(target);
                }
            }

            if (next.Count > MaxTargets)
            {
                throw new InvalidOperationException($"Rule {Name} would have {next.Count} targets, over the limit of {MaxTargets}");
            }

            _targets.Clear();
            _targets.AddRange(next);
        }
    }

    /// <summary>Removes targets by Id; the ones not there are ignored.</summary>
    public void RemoveTargets(IEnumerable<string> ids)
    {
        var set = ids.ToHashSet(StringComparer.Ordinal);
        lock (_targets)
        {
            _targets.RemoveAll(t => set.Contains(t.Id));
        }
    }

    [GeneratedRegex(@"^[\.\-_A-Za-z0-9]{1,64}$")]
    private static partial Regex NamePattern();
}
