using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.WebConsole.Graph;

/// <summary>One state of the machine, nested ones included; <see cref="Parent"/> is the Map or Parallel it runs in.</summary>
public sealed record GraphState(string Name, string Type, string? Parent, int Branch, string? Comment)
{
    public bool IsGroup => Type is "Map" or "Parallel";
}

/// <summary>A transition: <see cref="Kind"/> is next, choice, default or catch; the label says when it is taken.</summary>
public sealed record GraphEdge(string From, string To, string Kind, string? Label);

/// <summary>One list of states with its StartAt: the machine's top level, a Map's processor, one Parallel branch.</summary>
public sealed record GraphScope(string? Owner, int Branch, string StartAt, IReadOnlyList<string> States);

/// <summary>
/// The states and transitions of an ASL definition, read straight from its JSON so that any definition the service
/// accepted can be drawn (JSONPath or JSONata alike). Scopes keep the nesting of Map and Parallel states.
/// </summary>
public sealed class AslGraph
{
    private readonly Dictionary<string, GraphState> _byName;

    private AslGraph(List<GraphState> states, List<GraphEdge> edges, List<GraphScope> scopes, string? comment)
    {
        States = states;
        Edges = edges;
        Scopes = scopes;
        Comment = comment;
        // ASL wants state names unique in the whole machine; the first one wins should a definition repeat one.
        _byName = new Dictionary<string, GraphState>(StringComparer.Ordinal);
        foreach (var s in states)
        {
            _byName.TryAdd(s.Name, s);
        }
    }

    /// <summary>Every state in document order, parents before their children.</summary>
    public IReadOnlyList<GraphState> States { get; }

    public IReadOnlyList<GraphEdge> Edges { get; }

    /// <summary>The top-level scope first, then each nested one in document order.</summary>
    public IReadOnlyList<GraphScope> Scopes { get; }

    public string? Comment { get; }

    public GraphState? State(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The Map and Parallel states <paramref name="name"/> is nested in, innermost first.</summary>
    public IEnumerable<string> Ancestors(string name)
    {
        var current = State(name)?.Parent;
        while (current is not null)
        {
            yield return current;
            current = State(current)?.Parent;
        }
    }

    /// <exception cref="FormatException">The text is not a JSON object with StartAt and States.</exception>
    public static AslGraph Parse(string definition)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(definition) as JsonObject ?? throw new FormatException("the definition is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"the definition is not JSON: {e.Message}", e);
        }

        var states = new List<GraphState>();
        var edges = new List<GraphEdge>();
        var scopes = new List<GraphScope>();
        ReadScope(root, null, 0, states, edges, scopes);
        return new AslGraph(states, edges, scopes, Text(root, "Comment"));
    }

    private static void ReadScope(JsonObject body, string? owner, int branch, List<GraphState> states, List<GraphEdge> edges, List<GraphScope> scopes)
    {
        var map = body["States"] as JsonObject ?? throw new FormatException($"{Where(owner)}: 'States' must be an object");
        var startAt = Text(body, "StartAt") ?? throw new FormatException($"{Where(owner)}: 'StartAt' is required");
        scopes.Add(new GraphScope(owner, branch, startAt, [.. map.Select(p => p.Key)]));
        foreach (var (name, node) in map)
        {
            var state = node as JsonObject ?? throw new FormatException($"state '{name}' must be an object");
            var type = Text(state, "Type") ?? "Unknown";
            states.Add(new GraphState(name, type, owner, branch, Text(state, "Comment")));
            ReadEdges(name, type, state, edges);
            if (type == "Map" && (state["ItemProcessor"] ?? state["Iterator"]) is JsonObject processor)
            {
                ReadScope(processor, name, 0, states, edges, scopes);
            }
            else if (type == "Parallel" && state["Branches"] is JsonArray branches)
            {
                for (var i = 0; i < branches.Count; i++)
                {
                    if (branches[i] is JsonObject b)
                    {
                        ReadScope(b, name, i, states, edges, scopes);
                    }
                }
            }
        }
    }

    private static void ReadEdges(string name, string type, JsonObject state, List<GraphEdge> edges)
    {
        if (type == "Choice")
        {
            var i = 0;
            foreach (var rule in state["Choices"] as JsonArray ?? [])
            {
                i++;
                if (rule is JsonObject r && Text(r, "Next") is { } next)
                {
                    edges.Add(new GraphEdge(name, next, "choice", ChoiceLabel(r, i)));
                }
            }

            if (Text(state, "Default") is { } fallback)
            {
                edges.Add(new GraphEdge(name, fallback, "default", "otherwise"));
            }
        }
        else if (Text(state, "Next") is { } next)
        {
            edges.Add(new GraphEdge(name, next, "next", null));
        }

        foreach (var c in state["Catch"] as JsonArray ?? [])
        {
            if (c is JsonObject catcher && Text(catcher, "Next") is { } to)
            {
                var errors = (catcher["ErrorEquals"] as JsonArray ?? []).Select(e => e?.ToString()).Where(e => e is not null);
                edges.Add(new GraphEdge(name, to, "catch", "on " + string.Join(", ", errors)));
            }
        }
    }

    /// <summary>The rule's Comment, else its condition in short words (Variable, comparison, value).</summary>
    private static string ChoiceLabel(JsonObject rule, int index)
    {
        if (Text(rule, "Comment") is { Length: > 0 } comment)
        {
            return comment;
        }

        if (Text(rule, "Condition") is { } condition)
        {
            return condition;
        }

        return Describe(rule) ?? string.Create(CultureInfo.InvariantCulture, $"rule {index}");
    }

    private static string? Describe(JsonObject rule)
    {
        if (rule["And"] is JsonArray and)
        {
            return string.Join(" and ", and.OfType<JsonObject>().Select(r => Describe(r) ?? "?"));
        }

        if (rule["Or"] is JsonArray or)
        {
            return string.Join(" or ", or.OfType<JsonObject>().Select(r => Describe(r) ?? "?"));
        }

        if (rule["Not"] is JsonObject not)
        {
            return "not (" + (Describe(not) ?? "?") + ")";
        }

        var variable = Text(rule, "Variable");
        foreach (var (key, value) in rule)
        {
            if (key is "Variable" or "Next" or "Comment" or "Assign" or "Output")
            {
                continue;
            }

            return $"{variable} {key} {value?.ToJsonString()}";
        }

        return null;
    }

    private static string Where(string? owner) => owner is null ? "the definition" : $"state '{owner}'";

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
