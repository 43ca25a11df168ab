using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>A state of the machine; one subclass per ASL state type.</summary>
public abstract class State
{
    /// <summary>Fields the engine knows but refuses, with the reason given in the load error.</summary>
    private protected static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["Arguments"] = "JSONata only",
        ["Output"] = "JSONata only",
        ["Credentials"] = "cross-account task credentials are not supported",
        ["ItemReader"] = "Distributed Map only",
        ["ItemBatcher"] = "Distributed Map only",
        ["ResultWriter"] = "Distributed Map only",
        ["ToleratedFailurePercentage"] = "Distributed Map only",
        ["ToleratedFailurePercentagePath"] = "Distributed Map only",
        ["ToleratedFailureCount"] = "Distributed Map only",
        ["ToleratedFailureCountPath"] = "Distributed Map only",
        ["Label"] = "Distributed Map only",
        ["Items"] = "JSONata only",
    };

    private protected State(string name, JsonObject json, DefinitionReader reader, bool hasTransition)
    {
        Name = name;
        Comment = reader.String(json, "Comment");
        InputPath = reader.OptionalPath(json, "InputPath");
        OutputPath = reader.OptionalPath(json, "OutputPath");
        if (hasTransition)
        {
            Next = reader.String(json, "Next");
            End = reader.Boolean(json, "End") ?? false;
            if ((Next is null) == !End)
            {
                reader.Problem(Next is null ? "Next" : "End", "exactly one of Next or \"End\": true is required");
            }
        }
    }

    public string Name { get; }

    public abstract string Type { get; }

    public string? Comment { get; }

    public string? Next { get; }

    public bool End { get; }

    public OptionalPath InputPath { get; }

    /// <summary>The state's Assign (Pass, Task, Map, Parallel, Choice, Wait); null when absent or not allowed.</summary>
    private protected AssignTemplate? Assign { get; init; }

    /// <summary>Evaluates the state's Assign on <paramref name="value"/> (what AWS documents as its <c>$</c>), to store on exit.</summary>
    private protected void AssignFrom(StateContext context, AssignTemplate? assign, JsonNode? value) =>
        context.PendingAssign = assign?.Evaluate(context.Scope(value), Name);

    public OptionalPath OutputPath { get; }

    internal abstract string EnteredEvent { get; }

    /// <summary>Null for states that never exit normally (Fail).</summary>
    internal abstract string? ExitedEvent { get; }

    /// <summary>(field, target) pairs of every transition, checked against the sibling states at load time.</summary>
    internal virtual IEnumerable<(string Field, string Target)> Transitions()
    {
        if (Next is not null)
        {
            yield return ("Next", Next);
        }
    }

    internal virtual IEnumerable<StateMachineBody> ChildBodies() => [];

    internal abstract ValueTask<StateOutcome> ExecuteAsync(StateContext context, JsonNode? input);

    internal static State? Load(string name, JsonObject json, DefinitionReader reader)
    {
        StateMachineDefinition.CheckQueryLanguage(json, reader);
        var type = reader.String(json, "Type", required: true);
        switch (type)
        {
            case "Pass":
                return new PassState(name, json, reader);
            case "Task":
                return new TaskState(name, json, reader);
            case "Choice":
                return new ChoiceState(name, json, reader);
            case "Wait":
                return new WaitState(name, json, reader);
            case "Succeed":
                return new SucceedState(name, json, reader);
            case "Fail":
                return new FailState(name, json, reader);
            case "Parallel":
                return new ParallelState(name, json, reader);
            case "Map":
                return new MapState(name, json, reader);
            case null:
                return null;
            default:
                reader.Problem("Type", $"unknown state type '{type}'");
                return null;
        }
    }
}
