using System.Text.Json.Nodes;

namespace Workflows.Engine.Definition;

/// <summary>A loaded and validated ASL document (JSONPath and JSONata query languages).</summary>
public sealed class StateMachineDefinition
{
    private static readonly string[] Fields = ["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"];

    private StateMachineDefinition(StateMachineBody body, int? timeoutSeconds, string? comment)
    {
        Body = body;
        TimeoutSeconds = timeoutSeconds;
        Comment = comment;
    }

    public StateMachineBody Body { get; }

    public string StartAt => Body.StartAt;

    /// <summary>The machine-level TimeoutSeconds: past it the execution ends TIMED_OUT.</summary>
    public int? TimeoutSeconds { get; }

    public string? Comment { get; }

    /// <exception cref="AslValidationException">Lists every problem, each naming its state and field.</exception>
    public static StateMachineDefinition Load(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = DefinitionReader.ParseDocument(json);
        var reader = new DefinitionReader();
        reader.CheckFields(root, Fields);
        reader.DefaultJsonata = CheckQueryLanguage(root, reader) == "JSONata";
        var version = reader.String(root, "Version");
        if (version is not (null or "1.0"))
        {
            reader.Problem("Version", "must be \"1.0\"");
        }

        var timeout = reader.Integer(root, "TimeoutSeconds", 1);
        var comment = reader.String(root, "Comment");
        var body = StateMachineBody.Load(root, reader, "the state machine");
        if (reader.Problems.Count > 0)
        {
            throw new AslValidationException(reader.Problems);
        }

        return new StateMachineDefinition(body, timeout, comment);
    }

    /// <summary>The QueryLanguage given (null when absent or invalid).</summary>
    internal static string? CheckQueryLanguage(JsonObject o, DefinitionReader reader)
    {
        var language = reader.String(o, "QueryLanguage");
        if (language is not (null or "JSONPath" or "JSONata"))
        {
            reader.Problem("QueryLanguage", $"unknown query language '{language}' (JSONPath or JSONata)");
            return null;
        }

        return language;
    }

    /// <summary>Every state of the machine, nested branches and iterations included.</summary>
    public IEnumerable<States.State> AllStates() => Walk(Body);

    private static IEnumerable<States.State> Walk(StateMachineBody body)
    {
        foreach (var state in body.States.Values)
        {
            yield return state;
            foreach (var child in state.ChildBodies())
            {
                foreach (var nested in Walk(child))
                {
                    yield return nested;
                }
            }
        }
    }
}
