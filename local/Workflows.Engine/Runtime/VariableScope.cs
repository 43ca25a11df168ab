using System.Text.Json.Nodes;

namespace Workflows.Engine.Runtime;

/// <summary>
/// Workflow variables (Assign) visible to one fiber. The machine's top-level states share one scope; each Parallel
/// branch and Map iteration gets its own, which reads the enclosing ones but never writes them: what a branch
/// assigns goes out of scope when it ends, and outer variables are read-only inside (AWS's documented scoping).
/// </summary>
internal sealed class VariableScope(VariableScope? parent)
{
    private Dictionary<string, JsonNode?>? _own;

    public VariableScope Child() => new(this);

    public bool TryGet(string name, out JsonNode? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._own is not null && scope._own.TryGetValue(name, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    public VariableScope? Parent { get; } = parent;

    /// <summary>Stores the values of one Assign, all at once (they were all evaluated before any is stored).</summary>
    public void SetAll(JsonObject values)
    {
        _own ??= new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            _own[name] = value?.DeepClone();
        }
    }
}
