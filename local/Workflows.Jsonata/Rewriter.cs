namespace Workflows.Jsonata;

/// <summary>
/// Second pass over the parse tree: '.' chains become Path nodes whose steps carry their predicates (stages),
/// context (@) and position (#) bindings, grouping and sorting; parent (%) references are tied to the step whose
/// input they name; lambda bodies get tail calls marked so deep tail recursion runs in constant depth.
/// </summary>
internal static class Rewriter
{
    private sealed class State
    {
        public int NextLabel { get; set; }
    }

    [ThreadStatic]
    private static State? _state;

    public static Node Process(Node e)
    {
        _state = new State();
        return P(e);
    }

    private static void PushAncestry(Node result, Node value)
    {
        if (value.SeekingParent is { Count: > 0 } || value.Kind == NodeKind.Parent)
        {
            var slots = value.SeekingParent ?? [];
            if (value.Kind == NodeKind.Parent)
            {
                slots.Add(value);
            }

            (result.SeekingParent ??= []).AddRange(slots);
        }
    }

    /// <summary>Walks back from a step to find where the parent's value is produced, and marks that step to bind it.</summary>
    private static void SeekParent(Node node, Node slot)
    {
        switch (node.Kind)
        {
            case NodeKind.Name:
            case NodeKind.Wildcard:
                slot.ParentLevel--;
                if (slot.ParentLevel == 0)
                {
                    (node.AncestorLabels ??= []).Add(slot.Label!);
                    node.Tuple = true;
                }

                break;
            case NodeKind.Parent:
                slot.ParentLevel++;
                break;
            case NodeKind.Block:
                if (node.Items.Count > 0)
                {
                    node.Tuple = true;
                    SeekParent(node.Items[^1], slot);
                }

                break;
            case NodeKind.Path:
                node.Tuple = true;
                var index = node.Items.Count - 1;
                SeekParent(node.Items[index--], slot);
                while (slot.ParentLevel > 0 && index >= 0)
                {
                    SeekParent(node.Items[index--], slot);
                }

                break;
            default:
                throw new JsonataException("S0217", $"the parent of this expression ({node.Kind}) cannot be determined", node.Position, "%");
        }
    }

    private static void ResolveAncestry(Node path)
    {
        var last = path.Items[^1];
        var slots = new List<Node>(last.SeekingParent ?? []);
        if (last.Kind == NodeKind.Parent)
        {
            slots.Add(last);
        }

        foreach (var slot in slots)
        {
            var index = path.Items.Count - 2;
            while (slot.ParentLevel > 0)
            {
                if (index < 0)
                {
                    (path.SeekingParent ??= []).Add(slot);
                    break;
                }

                var step = path.Items[index--];
                while (index >= 0 && step.Focus is not null && path.Items[index].Focus is not null)
                {
                    step = path.Items[index--];
                }

                SeekParent(step, slot);
            }
        }
    }

    private static Node P(Node e)
    {
        switch (e.Kind)
        {
            case NodeKind.Binary when e.Op == ".":
                return ProcessPath(e);
            case NodeKind.Binary when e.Op == "[":
                {
                    var result = P(e.Lhs!);
                    var step = result;
                    var isPath = result.Kind == NodeKind.Path;
                    if (isPath)
                    {
                        step = result.Items[^1];
                    }

                    if (step.Group is not null)
                    {
                        throw new JsonataException("S0209", "a predicate cannot follow a grouping expression in a step", e.Position, "[");
                    }

                    var pred = P(e.Rhs!);
                    if (pred.SeekingParent is { Count: > 0 } || pred.Kind == NodeKind.Parent)
                    {
                        var slots = new List<Node>(pred.SeekingParent ?? []);
                        if (pred.Kind == NodeKind.Parent)
                        {
                            slots.Add(pred);
                        }

                        foreach (var slot in slots)
                        {
                            if (slot.ParentLevel == 1)
                            {
                                SeekParent(step, slot);
                            }
                            else
                            {
                                slot.ParentLevel--;
                            }
                        }

                        PushAncestry(step, pred);
                    }

                    if (isPath)
                    {
                        (step.Stages ??= []).Add(new Stage(pred, null, e.Position));
                    }
                    else
                    {
                        (step.Predicates ??= []).Add(pred);
                    }

                    return result;
                }

            case NodeKind.GroupBy:
                {
                    var result = P(e.Lhs!);
                    if (result.Group is not null)
                    {
                        throw new JsonataException("S0210", "each step can only have one grouping expression", e.Position, "{");
                    }

                    result.Group = [];
                    if (e.KeepArray)
                    {
                        result.KeepArray = true;
                    }

                    foreach (var (k, v) in e.Pairs!)
                    {
                        var pk = P(k);
                        var pv = P(v);
                        PushAncestry(result, pk);
                        PushAncestry(result, pv);
                        result.Group.Add((pk, pv));
                    }

                    return result;
                }

            case NodeKind.Sort:
                {
                    var result = P(e.Lhs!);
                    if (result.Kind != NodeKind.Path)
                    {
                        var path = new Node(NodeKind.Path, result.Position);
                        path.Items.Add(result);
                        result = path;
                    }

                    var sortStep = new Node(NodeKind.Sort, e.Position) { Terms = [] };
                    foreach (var (x, d) in e.Terms!)
                    {
                        var px = P(x);
                        PushAncestry(sortStep, px);
                        sortStep.Terms.Add((px, d));
                    }

                    result.Items.Add(sortStep);
                    if (e.KeepArray)
                    {
                        result.KeepSingletonArray = true;
                    }

                    ResolveAncestry(result);
                    return result;
                }

            case NodeKind.Focus:
                {
                    var result = P(e.Lhs!);
                    var step = result.Kind == NodeKind.Path ? result.Items[^1] : result;
                    if (step.Stages is not null || step.Predicates is not null)
                    {
                        throw new JsonataException("S0215", "a context variable binding must precede any predicates on a step", e.Position, "@");
                    }

                    if (step.Kind == NodeKind.Sort)
                    {
                        throw new JsonataException("S0216", "a context variable binding must precede the order-by clause on a step", e.Position, "@");
                    }

                    if (e.KeepArray)
                    {
                        step.KeepArray = true;
                        if (result.Kind == NodeKind.Path)
                        {
                            result.KeepSingletonArray = true;
                        }
                    }

                    step.Focus = (string)e.Rhs!.Value!;
                    step.Tuple = true;
                    return result;
                }

            case NodeKind.IndexBind:
                {
                    var result = P(e.Lhs!);
                    Node step;
                    if (result.Kind == NodeKind.Path)
                    {
                        step = result.Items[^1];
                    }
                    else
                    {
                        step = result;
                        result = new Node(NodeKind.Path, step.Position);
                        result.Items.Add(step);
                        if (step.Predicates is not null)
                        {
                            step.Stages = step.Predicates.Select(p => new Stage(p, null, p.Position)).ToList();
                            step.Predicates = null;
                        }
                    }

                    var name = (string)e.Rhs!.Value!;
                    if (step.Stages is null)
                    {
                        step.Index = name;
                    }
                    else
                    {
                        step.Stages.Add(new Stage(null, name, e.Position));
                    }

                    step.Tuple = true;
                    if (e.KeepArray)
                    {
                        result.KeepSingletonArray = true;
                    }

                    return result;
                }

            case NodeKind.Name:
                {
                    var path = new Node(NodeKind.Path, e.Position);
                    path.Items.Add(e);
                    if (e.KeepArray)
                    {
                        path.KeepSingletonArray = true;
                    }

                    return path;
                }

            case NodeKind.Parent:
                e.Label = "!" + _state!.NextLabel++;
                return e;
            case NodeKind.Negate:
                {
                    var inner = P(e.Lhs!);
                    if (inner.Kind == NodeKind.Number)
                    {
                        return new Node(NodeKind.Number, e.Position) { Value = -(double)inner.Value! };
                    }

                    e.Lhs = inner;
                    PushAncestry(e, inner);
                    return e;
                }

            case NodeKind.Binary:
            case NodeKind.Apply:
            case NodeKind.Coalesce:
            case NodeKind.Default:
            case NodeKind.Range:
                e.Lhs = P(e.Lhs!);
                e.Rhs = P(e.Rhs!);
                PushAncestry(e, e.Lhs);
                PushAncestry(e, e.Rhs);
                return e;
            case NodeKind.Bind:
                e.Rhs = P(e.Rhs!);
                PushAncestry(e, e.Rhs);
                return e;
            case NodeKind.ArrayCons:
            case NodeKind.Block:
                for (var i = 0; i < e.Items.Count; i++)
                {
                    e.Items[i] = P(e.Items[i]);
                    PushAncestry(e, e.Items[i]);
                }

                return e;
            case NodeKind.ObjectCons:
                for (var i = 0; i < e.Pairs!.Count; i++)
                {
                    var (k, v) = e.Pairs[i];
                    e.Pairs[i] = (P(k), P(v));
                    PushAncestry(e, e.Pairs[i].Key);
                    PushAncestry(e, e.Pairs[i].Value);
                }

                return e;
            case NodeKind.Condition:
                e.Condition = P(e.Condition!);
                PushAncestry(e, e.Condition);
                e.Then = P(e.Then!);
                PushAncestry(e, e.Then);
                if (e.Else is not null)
                {
                    e.Else = P(e.Else);
                    PushAncestry(e, e.Else);
                }

                return e;
            case NodeKind.Call:
            case NodeKind.Partial:
                e.Lhs = P(e.Lhs!);
                for (var i = 0; i < e.Items.Count; i++)
                {
                    e.Items[i] = P(e.Items[i]);
                    PushAncestry(e, e.Items[i]);
                }

                return e;
            case NodeKind.Lambda:
                e.Body = TailCall(P(e.Body!));
                return e;
            case NodeKind.Transform:
                e.Pattern = P(e.Pattern!);
                e.Update = P(e.Update!);
                if (e.Delete is not null)
                {
                    e.Delete = P(e.Delete);
                }

                return e;
            default:
                return e;
        }
    }

    private static Node ProcessPath(Node e)
    {
        var lstep = P(e.Lhs!);
        Node result;
        if (lstep.Kind == NodeKind.Path)
        {
            result = lstep;
        }
        else
        {
            result = new Node(NodeKind.Path, lstep.Position);
            result.Items.Add(lstep);
        }

        if (lstep.Kind == NodeKind.Parent)
        {
            result.SeekingParent = [lstep];
        }

        var rest = P(e.Rhs!);
        if (rest.Kind == NodeKind.Path)
        {
            result.Items.AddRange(rest.Items);
        }
        else
        {
            if (rest.Predicates is not null)
            {
                rest.Stages = rest.Predicates.Select(p => new Stage(p, null, p.Position)).ToList();
                rest.Predicates = null;
            }

            result.Items.Add(rest);
        }

        foreach (var step in result.Items)
        {
            if (step.Kind is NodeKind.Number or NodeKind.Value)
            {
                throw new JsonataException("S0213", $"the literal value {step.Value} cannot be used as a step within a path expression", step.Position, Convert.ToString(step.Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            if (step.Kind == NodeKind.String)
            {
                step.Kind = NodeKind.Name;
            }
        }

        if (result.Items.Any(s => s.KeepArray))
        {
            result.KeepSingletonArray = true;
        }

        if (result.Items[0].Kind == NodeKind.ArrayCons)
        {
            result.Items[0].ConsArray = true;
        }

        if (result.Items[^1].Kind == NodeKind.ArrayCons)
        {
            result.Items[^1].ConsArray = true;
        }

        ResolveAncestry(result);
        return result;
    }

    /// <summary>Wraps calls in tail position so the caller's apply loop runs them instead of nesting.</summary>
    private static Node TailCall(Node e)
    {
        if (e.Kind == NodeKind.Call && e.Predicates is null && e.Group is null && !e.KeepArray)
        {
            return new Node(NodeKind.Thunk, e.Position) { Body = e };
        }

        if (e.Kind == NodeKind.Condition)
        {
            e.Then = TailCall(e.Then!);
            if (e.Else is not null)
            {
                e.Else = TailCall(e.Else);
            }

            return e;
        }

        if (e.Kind == NodeKind.Block && e.Items.Count > 0 && e.Predicates is null && e.Group is null)
        {
            e.Items[^1] = TailCall(e.Items[^1]);
        }

        return e;
    }
}
