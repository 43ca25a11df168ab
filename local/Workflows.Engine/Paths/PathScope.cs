using System.Text.Json.Nodes;

namespace Workflows.Engine.Paths;

/// <summary>What a path or intrinsic argument can read: <c>$</c> is the input, <c>$$</c> the context object.</summary>
public sealed class PathScope
{
    private readonly Runtime.StateContext? _state;
    private readonly JsonObject? _mapItem;
    private JsonNode? _context;

    public PathScope(JsonNode? input, JsonNode? context, Random random)
    {
        Input = input;
        _context = context;
        Random = random;
    }

    /// <summary>
    /// The context object is built on first use: most payload templates and Choice rules never read <c>$$</c>, and
    /// building it (a copy of the execution's input among others) used to dominate a Pass or Choice state's cost.
    /// It holds the state entry rather than a closure so that a scope costs one allocation.
    /// </summary>
    internal PathScope(JsonNode? input, Runtime.StateContext state, JsonObject? mapItem, Random random)
    {
        Input = input;
        _state = state;
        _mapItem = mapItem;
        Random = random;
    }

    public JsonNode? Input { get; }

    public JsonNode? Context => _context ??= _state?.BuildContext(_mapItem);

    public Random Random { get; }

    /// <summary>Reads <c>$…</c> from the input, <c>$$…</c> from the context object, <c>$name…</c> from a variable.</summary>
    public bool TryRead(JsonPath path, out JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Variable is not null)
        {
            // Without a state entry (a scope built by hand) there are no variables to read.
            value = null;
            return _state is not null && _state.TryRead(path, Input, out value);
        }

        return path.TryEvaluate(path.IsContext ? Context : Input, out value);
    }
}
