using System.Text.Json.Nodes;
using Workflows.Engine.States;

namespace Workflows.Engine.Definition;

/// <summary>A StartAt and its States: the whole machine, a Parallel branch or a Map ItemProcessor.</summary>
public sealed class StateMachineBody
{
    private StateMachineBody(string startAt, IReadOnlyDictionary<string, State> states)
    {
        StartAt = startAt;
        States = states;
    }

    public string StartAt { get; }

    public IReadOnlyDictionary<string, State> States { get; }

    internal static StateMachineBody Load(JsonObject o, DefinitionReader reader, string where)
    {
        var outer = reader.CurrentState;
        var startAt = reader.String(o, "StartAt", required: true) ?? string.Empty;
        var states = new Dictionary<string, State>(StringComparer.Ordinal);
        if (!o.TryGetPropertyValue("States", out var statesNode) || statesNode is not JsonObject statesObject)
        {
            reader.Problem("States", $"{where} needs a States object");
        }
        else
        {
            foreach (var (name, node) in statesObject)
            {
                reader.CurrentState = name;
                if (name.Length > 80)
                {
                    reader.Problem(null, "state names must be at most 80 characters");
                }

                if (node is not JsonObject stateJson)
                {
                    reader.Problem(null, "must be an object");
                    continue;
                }

                if (State.Load(name, stateJson, reader) is { } state)
                {
                    states[name] = state;
                }
            }

            reader.CurrentState = outer;
            if (startAt.Length > 0 && !statesObject.ContainsKey(startAt))
            {
                reader.Problem("StartAt", $"{where}: StartAt '{startAt}' is not a state");
            }

            foreach (var state in states.Values)
            {
                reader.CurrentState = state.Name;
                foreach (var (field, target) in state.Transitions())
                {
                    if (!statesObject.ContainsKey(target))
                    {
                        reader.Problem(field, $"'{target}' is not a state in {where}");
                    }
                }
            }

            // The service refuses definitions with states that nothing leads to; so does the engine.
            var reached = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>();
            pending.Push(startAt);
            while (pending.Count > 0)
            {
                var name = pending.Pop();
                if (reached.Add(name) && states.TryGetValue(name, out var state))
                {
                    foreach (var (_, target) in state.Transitions())
                    {
                        pending.Push(target);
                    }
                }
            }

            foreach (var name in states.Keys.Where(n => !reached.Contains(n)))
            {
                reader.CurrentState = name;
                reader.Problem(null, $"is not reachable from StartAt '{startAt}' in {where}");
            }
        }

        reader.CurrentState = outer;
        return new StateMachineBody(startAt, states);
    }
}
