using System.Text.Json.Nodes;

namespace Workflows.Engine.Paths;

internal abstract class PathSegment
{
    public virtual bool IsDefinite => true;

    public abstract void Apply(JsonNode? node, List<JsonPath.Match> into);

    protected static IEnumerable<JsonNode?> Children(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => p.Value),
        JsonArray a => a,
        _ => [],
    };
}

internal sealed class NameSegment(string name) : PathSegment
{
    public string Name { get; } = name;

    public override void Apply(JsonNode? node, List<JsonPath.Match> into)
    {
        if (node is JsonObject o && o.TryGetPropertyValue(Name, out var child))
        {
            into.Add(new(child));
        }
    }
}

internal sealed class IndexSegment(int index) : PathSegment
{
    public int Index { get; } = index;

    public override void Apply(JsonNode? node, List<JsonPath.Match> into)
    {
        if (node is JsonArray a)
        {
            var i = Index < 0 ? a.Count + Index : Index;
            if (i >= 0 && i < a.Count)
            {
                into.Add(new(a[i]));
            }
        }
    }
}

internal sealed class WildcardSegment : PathSegment
{
    public override bool IsDefinite => false;

    public override void Apply(JsonNode? node, List<JsonPath.Match> into)
    {
        foreach (var child in Children(node))
        {
            into.Add(new(child));
        }
    }
}

internal sealed class SliceSegment(int? start, int? end, int? step) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Apply(JsonNode? node, List<JsonPath.Match> into)
    {
        if (node is not JsonArray a)
        {
            return;
        }

        var n = a.Count;
        var s = Clamp(start ?? 0, n);
        var e = Clamp(end ?? n, n);
        var st = step is null or 0 ? 1 : Math.Abs(step.Value);
        for (var i = s; i < e; i += st)
        {
            into.Add(new(a[i]));
        }
    }

    private static int Clamp(int i, int n) => Math.Clamp(i < 0 ? n + i : i, 0, n);
}

internal sealed class UnionSegment(IReadOnlyList<object> members) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Apply(JsonNode? node, List<JsonPath.Match> into)
    {
        foreach (var m in members)
        {
            PathSegment one = m is string s ? new NameSegment(s) : new IndexSegment((int)m);
            one.Apply(node, into);
        }
    }
}

internal sealed class RecursiveSegment(PathSegment inner) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Apply(JsonNode? node, List<JsonPath.Match> into)
    {
        inner.Apply(node, into);
        foreach (var child in Children(node))
        {
            if (child is JsonObject or JsonArray)
            {
                Apply(child, into);
            }
        }
    }
}

internal sealed class FilterSegment(FilterExpression filter) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Apply(JsonNode? node, List<JsonPath.Match> into)
    {
        foreach (var child in Children(node))
        {
            if (filter.Matches(child))
            {
                into.Add(new(child));
            }
        }
    }
}
