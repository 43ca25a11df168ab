using System.Runtime.CompilerServices;

namespace Workflows.Jsonata;

/// <summary>Evaluates a rewritten tree. One instance per evaluation: it holds the fixed clock reading and the limits.</summary>
internal sealed partial class Evaluator
{
    private readonly int _maxDepth;
    private readonly long _deadline;
    private readonly TimeProvider _time;
    private int _depth;
    private long _evaluations;

    public Evaluator(JsonataOptions options)
    {
        _time = options.TimeProvider ?? TimeProvider.System;
        Now = _time.GetUtcNow();
        _maxDepth = options.MaxDepth ?? int.MaxValue;
        _deadline = options.TimeLimit is { } limit ? Now.Add(limit).UtcTicks : long.MaxValue;
        Random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
        RootEnv = SharedRoot.Value;
    }

    /// <summary>The built-in functions; bindings and the evaluation's variables live in frames below it.</summary>
    public Env RootEnv { get; }

    // The library is stateless (each call gets its evaluator), so one frame serves every evaluation.
    private static readonly Lazy<Env> SharedRoot = new(Functions.CreateRoot);

    /// <summary>The clock reading for this whole evaluation, as JSONata documents for $now and $millis.</summary>
    public DateTimeOffset Now { get; }

    public Random Random { get; }

    public object? Eval(Node e, object? input, Env env)
    {
        _depth++;
        if (_depth > _maxDepth)
        {
            throw new JsonataException("U1001", "stack overflow: evaluation went deeper than the configured limit; consider rewriting a recursive function to be tail-recursive", e.Position);
        }

        if (_deadline != long.MaxValue && (++_evaluations & 1023) == 0 && _time.GetUtcNow().UtcTicks > _deadline)
        {
            throw new JsonataException("U1001", "evaluation timed out: check for an infinite loop", e.Position);
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JsonataException("U1001", "stack overflow: recursion too deep; consider rewriting a recursive function to be tail-recursive", e.Position);
        }

        try
        {
            var r = EvalCore(e, input, env);
            if (e.Predicates is not null)
            {
                foreach (var p in e.Predicates)
                {
                    r = Filter(p, r, env);
                }
            }

            if (e.Kind != NodeKind.Path && e.Group is not null)
            {
                r = GroupBy(e.Group, r, env);
            }

            if (r is JList { Sequence: true, TupleStream: false } s)
            {
                if (e.KeepArray)
                {
                    s.KeepSingleton = true;
                }

                if (s.Count == 0)
                {
                    return null;
                }

                if (s.Count == 1 && !s.KeepSingleton)
                {
                    return s[0];
                }
            }

            return r;
        }
        finally
        {
            _depth--;
        }
    }

    private object? EvalCore(Node e, object? input, Env env)
    {
        switch (e.Kind)
        {
            case NodeKind.Path:
                return EvalPath(e, input, env);
            case NodeKind.Name:
                return Lookup(input, (string)e.Value!);
            case NodeKind.String:
            case NodeKind.Number:
            case NodeKind.Value:
                return e.Value;
            case NodeKind.Variable:
                {
                    var name = (string)e.Value!;
                    if (name.Length == 0)
                    {
                        return input is JList { OuterWrapper: true } w ? w[0] : input;
                    }

                    return env.Lookup(name);
                }

            case NodeKind.Regex:
                return new RegexFunc((System.Text.RegularExpressions.Regex)e.Value!);
            case NodeKind.Binary:
                return EvalBinary(e, input, env);
            case NodeKind.Negate:
                {
                    var v = Eval(e.Lhs!, input, env);
                    return v switch
                    {
                        null => null,
                        double d => -d,
                        _ => throw new JsonataException("D1002", "cannot negate a value that is not a number", e.Position, "-"),
                    };
                }

            case NodeKind.ArrayCons:
                {
                    var result = new JList();
                    foreach (var item in e.Items)
                    {
                        var v = Eval(item, input, env);
                        if (v is null)
                        {
                            continue;
                        }

                        if (item.Kind == NodeKind.ArrayCons || v is not JList l)
                        {
                            result.Add(v);
                        }
                        else
                        {
                            result.AddRange(l);
                        }
                    }

                    if (e.ConsArray)
                    {
                        result.Cons = true;
                    }

                    return result;
                }

            case NodeKind.Range:
                return EvalRange(e, input, env);
            case NodeKind.ObjectCons:
                return GroupBy(e.Pairs!, input, env);
            case NodeKind.Block:
                {
                    var frame = new Env(env);
                    object? r = null;
                    foreach (var x in e.Items)
                    {
                        r = Eval(x, input, frame);
                    }

                    return r;
                }

            case NodeKind.Condition:
                {
                    var c = Eval(e.Condition!, input, env);
                    if (Values.Truthy(c))
                    {
                        return Eval(e.Then!, input, env);
                    }

                    return e.Else is null ? null : Eval(e.Else, input, env);
                }

            case NodeKind.Bind:
                {
                    var v = Eval(e.Rhs!, input, env);
                    env.Bind((string)e.Lhs!.Value!, v);
                    return v;
                }

            case NodeKind.Call:
                return EvalCall(e, input, env, false, null);
            case NodeKind.Partial:
                return EvalPartial(e, input, env, false, null);
            case NodeKind.Lambda:
                return new Lambda { Node = e, Closure = env, Input = input, Signature = e.Signature };
            case NodeKind.Thunk:
                return new Lambda { Node = e, Closure = env, Input = input, IsThunk = true };
            case NodeKind.Wildcard:
                return Wildcard(input);
            case NodeKind.Descendant:
                {
                    if (input is null)
                    {
                        return null;
                    }

                    var rs = JList.Seq();
                    Descend(input, rs);
                    return rs.Count == 1 ? rs[0] : rs;
                }

            case NodeKind.Parent:
                return env.Lookup(e.Label!);
            case NodeKind.Transform:
                return MakeTransform(e, env);
            case NodeKind.Sort:
                return SortSequence(e, input as JList ?? JList.Seq(input), env);
            case NodeKind.Apply:
                return EvalApply(e, input, env);
            case NodeKind.Coalesce:
                {
                    var l = Eval(e.Lhs!, input, env);
                    return l is null ? Eval(e.Rhs!, input, env) : l;
                }

            case NodeKind.Default:
                {
                    var l = Eval(e.Lhs!, input, env);
                    return Values.Truthy(l) ? l : Eval(e.Rhs!, input, env);
                }

            default:
                throw new JsonataException("S0206", $"unknown expression type {e.Kind}", e.Position);
        }
    }

    // ---------------- paths ----------------
    private object? EvalPath(Node e, object? input, Env env)
    {
        JList inputSeq;
        if (input is JList l && e.Items[0].Kind != NodeKind.Variable)
        {
            inputSeq = l;
        }
        else
        {
            // Even an undefined input is one item, so that a first step which ignores its context still runs.
            inputSeq = JList.Seq();
            inputSeq.Add(input);
        }

        JList? resultSeq = null;
        var isTuple = false;
        JList? tuples = null;
        for (var i = 0; i < e.Items.Count; i++)
        {
            var step = e.Items[i];
            if (step.Tuple)
            {
                isTuple = true;
            }

            if (i == 0 && step.ConsArray)
            {
                resultSeq = Eval(step, inputSeq, env) as JList;
            }
            else if (isTuple)
            {
                tuples = TupleStep(step, inputSeq, tuples, env);
            }
            else
            {
                resultSeq = Step(step, inputSeq, env, i == e.Items.Count - 1);
            }

            if (!isTuple && (resultSeq is null || resultSeq.Count == 0))
            {
                break;
            }

            if (step.Focus is null && resultSeq is not null)
            {
                inputSeq = resultSeq;
            }
        }

        if (isTuple)
        {
            if (e.Tuple)
            {
                resultSeq = tuples;
            }
            else
            {
                resultSeq = JList.Seq();
                foreach (var t in tuples ?? [])
                {
                    resultSeq.Add(((JObject)t!)["@"]);
                }
            }
        }

        if (e.KeepSingletonArray)
        {
            resultSeq ??= JList.Seq();
            if (resultSeq is { Cons: true, Sequence: false })
            {
                var w = JList.Seq();
                w.Add(resultSeq);
                resultSeq = w;
            }

            resultSeq.KeepSingleton = true;
        }

        if (e.Group is not null)
        {
            return GroupBy(e.Group, isTuple ? tuples : resultSeq, env);
        }

        return resultSeq;
    }

    private JList Step(Node step, JList input, Env env, bool last)
    {
        if (step.Kind == NodeKind.Sort)
        {
            var sorted = SortSequence(step, input, env);
            return ApplyStages(step.Stages, sorted, env);
        }

        var results = new List<object?>();
        foreach (var item in input)
        {
            var res = Eval(step, item, env);
            if (step.Stages is not null)
            {
                foreach (var st in step.Stages)
                {
                    if (st.Predicate is not null)
                    {
                        res = Filter(st.Predicate, res, env);
                    }
                }
            }

            if (res is not null)
            {
                results.Add(res);
            }
        }

        if (last && results.Count == 1 && results[0] is JList { Sequence: false } only)
        {
            return only;
        }

        var rs = JList.Seq();
        foreach (var r in results)
        {
            if (r is JList l && !l.Cons)
            {
                rs.AddRange(l);
            }
            else
            {
                rs.Add(r);
            }
        }

        return rs;
    }

    private JList ApplyStages(List<Stage>? stages, JList input, Env env)
    {
        if (stages is null)
        {
            return input;
        }

        var r = input;
        foreach (var st in stages)
        {
            if (st.Predicate is not null)
            {
                r = Filter(st.Predicate, r, env) as JList ?? JList.Seq();
            }
            else
            {
                for (var i = 0; i < r.Count; i++)
                {
                    ((JObject)r[i]!)[st.IndexVariable!] = (double)i;
                }
            }
        }

        return r;
    }

    private static Env FrameFromTuple(Env env, JObject tuple)
    {
        var frame = new Env(env);
        foreach (var (k, v) in tuple)
        {
            if (k != "@")
            {
                frame.Bind(k, v);
            }
        }

        return frame;
    }

    private JList TupleStep(Node step, JList input, JList? tuples, Env env)
    {
        JList result;
        if (step.Kind == NodeKind.Sort)
        {
            if (tuples is not null)
            {
                result = SortSequence(step, tuples, env);
            }
            else
            {
                var sorted = SortSequence(step, input, env);
                result = JList.Seq();
                result.TupleStream = true;
                for (var i = 0; i < sorted.Count; i++)
                {
                    var t = new JObject { ["@"] = sorted[i] };
                    if (step.Index is not null)
                    {
                        t[step.Index] = (double)i;
                    }

                    result.Add(t);
                }
            }

            return ApplyStages(step.Stages, result, env);
        }

        result = JList.Seq();
        result.TupleStream = true;
        if (tuples is null)
        {
            tuples = JList.Seq();
            foreach (var item in input)
            {
                tuples.Add(new JObject { ["@"] = item });
            }
        }

        foreach (var tObj in tuples)
        {
            var tuple = (JObject)tObj!;
            var stepEnv = FrameFromTuple(env, tuple);
            var res = Eval(step, tuple["@"], stepEnv);
            if (res is null)
            {
                continue;
            }

            var resList = res as JList ?? new JList { res };
            for (var b = 0; b < resList.Count; b++)
            {
                var nt = new JObject();
                foreach (var (k, v) in tuple)
                {
                    nt[k] = v;
                }

                if (resList.TupleStream)
                {
                    foreach (var (k, v) in (JObject)resList[b]!)
                    {
                        nt[k] = v;
                    }
                }
                else
                {
                    if (step.Focus is not null)
                    {
                        nt[step.Focus] = resList[b];
                        nt["@"] = tuple["@"];
                    }
                    else
                    {
                        nt["@"] = resList[b];
                    }

                    if (step.Index is not null)
                    {
                        nt[step.Index] = (double)b;
                    }

                    if (step.AncestorLabels is not null)
                    {
                        foreach (var label in step.AncestorLabels)
                        {
                            nt[label] = tuple["@"];
                        }
                    }
                }

                result.Add(nt);
            }
        }

        return ApplyStages(step.Stages, result, env);
    }

    private object? Filter(Node pred, object? input, Env env)
    {
        var results = JList.Seq();
        var tuple = input is JList { TupleStream: true };
        results.TupleStream = tuple;
        var arr = input as JList ?? JList.Seq(input);
        if (pred.Kind == NodeKind.Number)
        {
            var idx = (int)Math.Floor((double)pred.Value!);
            if (idx < 0)
            {
                idx += arr.Count;
            }

            if (idx >= 0 && idx < arr.Count)
            {
                var item = arr[idx];
                if (item is JList il)
                {
                    return il;
                }

                results.Add(item);
            }

            return results;
        }

        for (var index = 0; index < arr.Count; index++)
        {
            var item = arr[index];
            var context = item;
            var env2 = env;
            if (tuple)
            {
                context = ((JObject)item!)["@"];
                env2 = FrameFromTuple(env, (JObject)item!);
            }

            var res = Eval(pred, context, env2);
            if (res is double d)
            {
                res = new JList { d };
            }

            if (res is JList rl && rl.Count > 0 && rl.All(x => x is double))
            {
                foreach (var n in rl)
                {
                    var ii = (int)Math.Floor((double)n!);
                    if (ii < 0)
                    {
                        ii += arr.Count;
                    }

                    if (ii == index)
                    {
                        results.Add(item);
                    }
                }
            }
            else if (Values.Truthy(res))
            {
                results.Add(item);
            }
        }

        return results;
    }

    private static object? Lookup(object? input, string key)
    {
        if (input is JList l)
        {
            var result = JList.Seq();
            foreach (var item in l)
            {
                var res = Lookup(item, key);
                if (res is null)
                {
                    continue;
                }

                if (res is JList rl)
                {
                    result.AddRange(rl);
                }
                else
                {
                    result.Add(res);
                }
            }

            return result;
        }

        return input is JObject o && o.TryGetValue(key, out var v) ? v : null;
    }

    private static object? Wildcard(object? input)
    {
        var results = JList.Seq();
        IEnumerable<object?> values = input switch
        {
            JObject o => o.Values,
            JList l => l,
            _ => [],
        };
        if (input is JList { OuterWrapper: true } w)
        {
            values = w[0] is JList inner ? inner : [w[0]];
        }

        foreach (var v in values)
        {
            if (v is JList vl)
            {
                var flat = new JList();
                Flatten(vl, flat);
                results = Append(results, flat) as JList ?? results;
            }
            else
            {
                results.Add(v);
            }
        }

        return results;
    }

    private static void Flatten(JList l, JList into)
    {
        foreach (var x in l)
        {
            if (x is JList xl)
            {
                Flatten(xl, into);
            }
            else
            {
                into.Add(x);
            }
        }
    }

    private static void Descend(object? input, JList results)
    {
        if (input is JList l)
        {
            foreach (var m in l)
            {
                Descend(m, results);
            }

            return;
        }

        results.Add(input);
        if (input is JObject o)
        {
            foreach (var v in o.Values)
            {
                Descend(v, results);
            }
        }
    }

    /// <summary>$append semantics: undefined on either side yields the other; otherwise a new plain array of both.</summary>
    public static object? Append(object? a, object? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var r = new JList();
        if (a is JList al)
        {
            r.AddRange(al);
        }
        else
        {
            r.Add(a);
        }

        if (b is JList bl)
        {
            r.AddRange(bl);
        }
        else
        {
            r.Add(b);
        }

        return r;
    }

    // ---------------- grouping and sorting ----------------
    private JObject GroupBy(List<(Node Key, Node Value)> pairs, object? input, Env env)
    {
        var result = new JObject();
        var groups = new OrderedDictionary<string, (object? Data, int Pair)>(StringComparer.Ordinal);
        var reduce = input is JList { TupleStream: true };
        var arr = input as JList ?? JList.Seq(input);
        IList<object?> items = arr.Count == 0 ? [null] : arr;
        foreach (var item in items)
        {
            var tupleItem = reduce ? item as JObject : null;
            var env2 = tupleItem is not null ? FrameFromTuple(env, tupleItem) : env;
            for (var p = 0; p < pairs.Count; p++)
            {
                var key = Eval(pairs[p].Key, tupleItem is not null ? tupleItem["@"] : item, env2);
                if (key is null)
                {
                    continue;
                }

                if (key is not string ks)
                {
                    throw new JsonataException("T1003", $"a key in an object constructor must evaluate to a string, not {Values.TypeName(key)}", pairs[p].Key.Position, Functions.StringOf(key, false));
                }

                if (groups.TryGetValue(ks, out var g))
                {
                    if (g.Pair != p)
                    {
                        throw new JsonataException("D1009", $"several key expressions of an object constructor evaluate to the same key \"{ks}\"", pairs[p].Key.Position, ks);
                    }

                    groups[ks] = (Append(g.Data, item), p);
                }
                else
                {
                    groups[ks] = (item, p);
                }
            }
        }

        foreach (var (key, (data, p)) in groups)
        {
            object? context;
            Env env2;
            if (reduce)
            {
                var tuple = ReduceTuples(data);
                context = tuple["@"];
                tuple.Remove("@");
                env2 = FrameFromTuple(env, tuple);
            }
            else
            {
                context = data;
                env2 = env;
            }

            var v = Eval(pairs[p].Value, context, env2);
            if (v is not null)
            {
                result[key] = v;
            }
        }

        return result;
    }

    private static JObject ReduceTuples(object? data)
    {
        if (data is not JList l)
        {
            var copy = new JObject();
            foreach (var (k, v) in (JObject)data!)
            {
                copy[k] = v;
            }

            return copy;
        }

        var result = new JObject();
        foreach (var (k, v) in (JObject)l[0]!)
        {
            result[k] = v;
        }

        for (var i = 1; i < l.Count; i++)
        {
            foreach (var (k, v) in (JObject)l[i]!)
            {
                result[k] = Append(result.TryGetValue(k, out var existing) ? existing : null, v);
            }
        }

        return result;
    }

    private JList SortSequence(Node step, JList input, Env env)
    {
        var isTuple = input.TupleStream;
        if (input.Count <= 1)
        {
            return input;
        }

        int Compare(object? a, object? b)
        {
            foreach (var (expr, desc) in step.Terms!)
            {
                var ca = isTuple ? ((JObject)a!)["@"] : a;
                var cb = isTuple ? ((JObject)b!)["@"] : b;
                var ea = isTuple ? FrameFromTuple(env, (JObject)a!) : env;
                var eb = isTuple ? FrameFromTuple(env, (JObject)b!) : env;
                var va = Eval(expr, ca, ea);
                var vb = Eval(expr, cb, eb);
                if (va is null && vb is null)
                {
                    continue;
                }

                if (va is null)
                {
                    return 1;
                }

                if (vb is null)
                {
                    return -1;
                }

                if (va is not (double or string) || vb is not (double or string))
                {
                    throw new JsonataException("T2008", "the expressions of an order-by clause must evaluate to numbers or strings", step.Position);
                }

                if (va.GetType() != vb.GetType())
                {
                    throw new JsonataException("T2007", "the values of an order-by clause must all be of the same type", step.Position);
                }

                var c = va is double da ? da.CompareTo((double)vb) : string.CompareOrdinal((string)va, (string)vb);
                if (c == 0)
                {
                    continue;
                }

                c = c < 0 ? -1 : 1;
                return desc ? -c : c;
            }

            return 0;
        }

        var sorted = MergeSort(input.ToList(), Compare);
        var r = JList.Seq();
        r.AddRange(sorted);
        r.TupleStream = isTuple;
        return r;
    }

    /// <summary>Stable merge sort; the comparison may throw, so List.Sort (unstable) is not used.</summary>
    public static List<object?> MergeSort(List<object?> items, Func<object?, object?, int> compare)
    {
        if (items.Count <= 1)
        {
            return items;
        }

        var mid = items.Count / 2;
        var left = MergeSort(items.GetRange(0, mid), compare);
        var right = MergeSort(items.GetRange(mid, items.Count - mid), compare);
        var result = new List<object?>(items.Count);
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            if (compare(left[i], right[j]) > 0)
            {
                result.Add(right[j++]);
            }
            else
            {
                result.Add(left[i++]);
            }
        }

        while (i < left.Count)
        {
            result.Add(left[i++]);
        }

        while (j < right.Count)
        {
            result.Add(right[j++]);
        }

        return result;
    }
}
