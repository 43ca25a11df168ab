using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Jsonata;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>A state of the machine; one subclass per ASL state type.</summary>
public abstract class State
{
    /// <summary>Fields the engine knows but refuses, with the reason given in the load error.</summary>
    private protected static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["Arguments"] = "JSONata only: set QueryLanguage to JSONata to use it",
        ["Output"] = "JSONata only: set QueryLanguage to JSONata to use it",
        ["Credentials"] = "cross-account task credentials are not supported",
        ["ItemReader"] = "Distributed Map only",
        ["ItemBatcher"] = "Distributed Map only",
        ["ResultWriter"] = "Distributed Map only",
        ["ToleratedFailurePercentage"] = "Distributed Map only",
        ["ToleratedFailurePercentagePath"] = "Distributed Map only",
        ["ToleratedFailureCount"] = "Distributed Map only",
        ["ToleratedFailureCountPath"] = "Distributed Map only",
        ["Label"] = "Distributed Map only",
        ["Items"] = "JSONata only: set QueryLanguage to JSONata to use it",
    };

    /// <summary>The JSONPath fields a JSONata state may not have (AWS: JSONata states have Arguments and Output instead).</summary>
    private static readonly Dictionary<string, string> JsonPathOnly = new[]
    {
        "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Result", "ItemsPath", "SecondsPath",
        "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath", "ErrorPath", "CausePath",
        "ToleratedFailureCountPath", "ToleratedFailurePercentagePath", "Iterator",
    }.ToDictionary(f => f, _ => "JSONPath only: a JSONata state uses Arguments, Output and {% %} expressions instead", StringComparer.Ordinal);

    private protected State(string name, JsonObject json, DefinitionReader reader, bool hasTransition)
    {
        Name = name;
        IsJsonata = reader.Jsonata;
        if (IsJsonata)
        {
            JsonataOutput = reader.JsonataField(json, "Output");
            JsonataAssign = reader.JsonataAssign(json);
        }

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

    /// <summary>The state's QueryLanguage (its own, else the machine's) is JSONata.</summary>
    public bool IsJsonata { get; }

    /// <summary>A JSONata state's Output; null when absent (the default output applies).</summary>
    private protected JsonataTemplate? JsonataOutput { get; }

    /// <summary>A JSONata state's Assign (stored when the state exits), null when absent.</summary>
    private protected JsonataAssign? JsonataAssign { get; }

    /// <summary>Refuses unknown fields; in a JSONata state also the JSONPath-only ones, and allows <paramref name="jsonataFields"/>.</summary>
    private protected void CheckFields(JsonObject json, DefinitionReader reader, string[] fields, IReadOnlyDictionary<string, string> unsupported, params string[] jsonataFields)
    {
        if (!IsJsonata)
        {
            reader.CheckFields(json, fields, unsupported);
            return;
        }

        var allowed = fields.Where(f => !JsonPathOnly.ContainsKey(f)).Concat(jsonataFields).ToHashSet(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(JsonPathOnly, StringComparer.Ordinal);
        foreach (var (key, why) in unsupported)
        {
            if (!allowed.Contains(key))
            {
                refused.TryAdd(key, why);
            }
        }

        reader.CheckFields(json, allowed, refused);
    }

    /// <summary>Evaluates a JSONata Assign on <paramref name="scope"/>, to store on exit.</summary>
    private protected void AssignFrom(StateContext context, JsonataAssign? assign, JsonataScope scope) =>
        context.PendingAssign = assign?.Evaluate(scope, Name);

    /// <summary>A JSONata state's output: its Output evaluated, else <paramref name="fallback"/> (AWS's default per state type).</summary>
    private protected JsonNode? OutputOf(JsonataScope scope, JsonNode? fallback) =>
        JsonataOutput is null ? fallback : JsonataOutput.Evaluate(scope);

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
        var language = StateMachineDefinition.CheckQueryLanguage(json, reader);
        reader.Jsonata = language is null ? reader.DefaultJsonata : language == "JSONata";
        if (reader.DefaultJsonata && language == "JSONPath")
        {
            // AWS: with JSONata at the top level, no state may use JSONPath (the other way round mixing is allowed).
            reader.Problem("QueryLanguage", "JSONPath is not allowed in a state when the machine's QueryLanguage is JSONata");
        }
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
