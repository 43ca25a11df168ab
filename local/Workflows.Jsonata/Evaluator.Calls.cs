namespace Workflows.Jsonata;

internal sealed partial class Evaluator
{
    private object? EvalBinary(Node e, object? input, Env env)
    {
        var op = e.Op;
        if (op == "and")
        {
            var l = Values.Truthy(Eval(e.Lhs!, input, env));
            return l && Values.Truthy(Eval(e.Rhs!, input, env));
        }

        if (op == "or")
        {
            var l = Values.Truthy(Eval(e.Lhs!, input, env));
            return l || Values.Truthy(Eval(e.Rhs!, input, env));
        }

        var lhs = Eval(e.Lhs!, input, env);
        var rhs = Eval(e.Rhs!, input, env);
        switch (op)
        {
            case "+" or "-" or "*" or "/" or "%":
                {
                    // NaN and infinities are not numbers to the operators (the reference implementation's rule).
                    if (lhs is not null && (lhs is not double ld || !double.IsFinite(ld)))
                    {
                        throw new JsonataException("T2001", $"the left side of the {op} operator must evaluate to a number", e.Position, op);
                    }

                    if (rhs is not null && (rhs is not double rd || !double.IsFinite(rd)))
                    {
                        throw new JsonataException("T2002", $"the right side of the {op} operator must evaluate to a number", e.Position, op);
                    }

                    if (lhs is null || rhs is null)
                    {
                        return null;
                    }

                    double a = (double)lhs, b = (double)rhs;
                    var result = op switch
                    {
                        "+" => a + b,
                        "-" => a - b,
                        "*" => a * b,
                        "/" => a / b,
                        _ => a % b,
                    };
                    return !double.IsInfinity(result) || op == "/" ? result : throw new JsonataException("D1001", $"the result of {op} is out of the range of numbers", e.Position, op);
                }

            case "=" or "!=":
                if (lhs is null || rhs is null)
                {
                    return false;
                }

                return op == "=" ? Values.DeepEqual(lhs, rhs) : !Values.DeepEqual(lhs, rhs);
            case "<" or "<=" or ">" or ">=":
                {
                    var lc = lhs is null or double or string;
                    var rc = rhs is null or double or string;
                    if (!lc || !rc)
                    {
                        throw new JsonataException("T2010", $"the expressions either side of operator {op} must evaluate to numbers or strings", e.Position, op);
                    }

                    if (lhs is null || rhs is null)
                    {
                        return null;
                    }

                    if (lhs.GetType() != rhs.GetType())
                    {
                        throw new JsonataException("T2009", $"the values either side of operator {op} must be of the same type", e.Position, op);
                    }

                    var c = lhs is double x ? x.CompareTo((double)rhs) : string.CompareOrdinal((string)lhs, (string)rhs);
                    return op switch
                    {
                        "<" => c < 0,
                        "<=" => c <= 0,
                        ">" => c > 0,
                        _ => c >= 0,
                    };
                }

            case "&":
                return (lhs is null ? "" : Functions.StringOf(lhs, false)) + (rhs is null ? "" : Functions.StringOf(rhs, false));
            case "in":
                {
                    if (lhs is null || rhs is null)
                    {
                        return false;
                    }

                    // Membership compares like JavaScript's ===: values for primitives, identity for arrays and objects.
                    var list = rhs as JList ?? new JList { rhs };
                    return list.Any(x => lhs is JList or JObject ? ReferenceEquals(x, lhs) : Values.DeepEqual(x, lhs));
                }
        }

        throw new JsonataException("S0204", $"unknown operator {op}", e.Position, op);
    }

    private object? EvalRange(Node e, object? input, Env env)
    {
        var lhs = Eval(e.Lhs!, input, env);
        var rhs = Eval(e.Rhs!, input, env);
        if (lhs is not null && (lhs is not double a || !Values.IsInteger(a)))
        {
            throw new JsonataException("T2003", "the left side of the range operator (..) must evaluate to an integer", e.Position, "..");
        }

        if (rhs is not null && (rhs is not double b || !Values.IsInteger(b)))
        {
            throw new JsonataException("T2004", "the right side of the range operator (..) must evaluate to an integer", e.Position, "..");
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        double from = (double)lhs, to = (double)rhs;
        if (from > to)
        {
            return new JList();
        }

        if (to - from + 1 > 1e7)
        {
            throw new JsonataException("D2014", $"the range operator would produce {to - from + 1} items; at most 10,000,000 are allowed", e.Position, "..");
        }

        var r = new JList();
        for (var v = from; v <= to; v++)
        {
            r.Add(v);
        }

        return r;
    }

    private List<object?> EvalArgs(Node e, object? input, Env env, bool applyTo, object? context)
    {
        var args = new List<object?>();
        if (applyTo)
        {
            args.Add(context);
        }

        foreach (var a in e.Items)
        {
            args.Add(a.Kind == NodeKind.Placeholder ? PartialFunc.Hole : Eval(a, input, env));
        }

        return args;
    }

    private static string? ProcedureName(Node proc) =>
        proc.Kind == NodeKind.Path && proc.Items.Count == 1 && proc.Items[0].Kind == NodeKind.Name ? (string)proc.Items[0].Value! :
        proc.Kind == NodeKind.Variable ? (string)proc.Value! : null;

    private object? EvalCall(Node e, object? input, Env env, bool applyTo, object? context)
    {
        var proc = Eval(e.Lhs!, input, env);
        if (proc is null && e.Lhs!.Kind == NodeKind.Path && ProcedureName(e.Lhs) is { } n && env.Lookup(n) is JFunc)
        {
            throw new JsonataException("T1005", $"attempted to call {n}, which is not a function; did you mean ${n}?", e.Position, n);
        }

        var args = EvalArgs(e, input, env, applyTo, context);
        if (proc is not JFunc f)
        {
            throw new JsonataException("T1006", $"attempted to call {ProcedureName(e.Lhs!) ?? "a value"}, which is not a function", e.Position, ProcedureName(e.Lhs!));
        }

        return Apply(f, args, input, e.Position);
    }

    private object? EvalPartial(Node e, object? input, Env env, bool applyTo, object? context)
    {
        var proc = Eval(e.Lhs!, input, env);
        if (proc is null && e.Lhs!.Kind == NodeKind.Path && ProcedureName(e.Lhs) is { } n && env.Lookup(n) is JFunc)
        {
            throw new JsonataException("T1007", $"attempted to partially apply {n}, which is not a function; did you mean ${n}?", e.Position, n);
        }

        if (proc is not JFunc f)
        {
            throw new JsonataException("T1008", $"attempted to partially apply {ProcedureName(e.Lhs!) ?? "a value"}, which is not a function", e.Position, ProcedureName(e.Lhs!));
        }

        return new PartialFunc { Inner = f, Args = EvalArgs(e, input, env, applyTo, context) };
    }

    private object? EvalApply(Node e, object? input, Env env)
    {
        var lhs = Eval(e.Lhs!, input, env);
        if (e.Rhs!.Kind == NodeKind.Call)
        {
            var r = EvalCall(e.Rhs, input, env, true, lhs);
            if (e.Rhs.KeepArray && r is JList { Sequence: true } s)
            {
                s.KeepSingleton = true;
            }

            return r;
        }

        var fn = Eval(e.Rhs, input, env);
        if (fn is not JFunc f)
        {
            throw new JsonataException("T2006", "the right side of the function application operator ~> must be a function", e.Position, "~>");
        }

        if (lhs is JFunc g)
        {
            // Composition: (g ~> f)(x) = f(g(x)).
            return new Native("compose", null, (ctx, args) => Apply(f, [Apply(g, args, ctx.Input, e.Position)], ctx.Input, e.Position));
        }

        return Apply(f, [lhs], input, e.Position);
    }

    /// <summary>Calls a function value; tail calls come back as thunks and are run here in a loop, not nested.</summary>
    public object? Apply(JFunc f, List<object?> args, object? input, int position)
    {
        var result = ApplyInner(f, args, input, position);
        while (result is Lambda { IsThunk: true } t)
        {
            var call = t.Node.Body!;
            var next = Eval(call.Lhs!, t.Input, t.Closure);
            if (next is null && ProcedureName(call.Lhs!) is { } n && call.Lhs!.Kind == NodeKind.Path && t.Closure.Lookup(n) is JFunc)
            {
                throw new JsonataException("T1005", $"attempted to call {n}, which is not a function; did you mean ${n}?", call.Position, n);
            }

            var nargs = EvalArgs(call, t.Input, t.Closure, false, null);
            if (next is not JFunc nf)
            {
                throw new JsonataException("T1006", "attempted to call a value that is not a function", call.Position);
            }

            result = ApplyInner(nf, nargs, t.Input, call.Position);
        }

        return result;
    }

    private object? ApplyInner(JFunc f, List<object?> args, object? input, int position)
    {
        var name = f is Native nat ? "$" + nat.Name : "function";
        var validated = f.Signature is { } sig ? sig.Validate(args, input, position, name) : args;
        switch (f)
        {
            case Lambda l:
                {
                    var frame = new Env(l.Closure);
                    var ps = l.Node.Params!;
                    for (var i = 0; i < ps.Count; i++)
                    {
                        frame.Bind(ps[i], i < validated.Count ? validated[i] : null);
                    }

                    return Eval(l.Node.Body!, l.Input, frame);
                }

            case Native n:
                return n.Impl(new CallContext(this, input, new Env(null), position), validated);
            case PartialFunc p:
                {
                    var full = new List<object?>();
                    var k = 0;
                    foreach (var a in p.Args)
                    {
                        full.Add(ReferenceEquals(a, PartialFunc.Hole) ? (k < args.Count ? args[k++] : null) : a);
                    }

                    return Apply(p.Inner, full, input, position);
                }

            case RegexFunc r:
                return Functions.RegexMatchObject(this, r.Regex, validated.Count > 0 ? validated[0] as string : null, 0);
        }

        throw new JsonataException("T1006", "attempted to call a value that is not a function", position);
    }

    /// <summary>Calls a function with as many of the arguments as it declares (JSONata's convention for callbacks).</summary>
    public object? CallBack(JFunc f, int position, params object?[] args)
    {
        var arity = f.Arity;
        var use = new List<object?>();
        for (var i = 0; i < args.Length && i < Math.Max(arity, 1); i++)
        {
            use.Add(args[i]);
        }

        return Apply(f, use, null, position);
    }

    private Native MakeTransform(Node e, Env env)
    {
        return new Native("transform", null, (ctx, args) =>
        {
            var obj = args.Count > 0 ? args[0] : null;
            if (obj is null)
            {
                return null;
            }

            var result = Values.DeepClone(obj);
            var matches = Eval(e.Pattern!, result, env);
            if (matches is null)
            {
                return result;
            }

            var list = matches as JList ?? new JList { matches };
            foreach (var m in list)
            {
                var update = Eval(e.Update!, m, env);
                if (update is not null)
                {
                    if (update is not JObject uo)
                    {
                        throw new JsonataException("T2011", "the update clause of a transform must evaluate to an object", e.Update!.Position);
                    }

                    if (m is JObject mo)
                    {
                        foreach (var (k, v) in uo)
                        {
                            mo[k] = v;
                        }
                    }
                }

                if (e.Delete is not null)
                {
                    var del = Eval(e.Delete, m, env);
                    if (del is null)
                    {
                        continue;
                    }

                    var keys = del as JList ?? new JList { del };
                    if (!keys.All(k => k is string))
                    {
                        throw new JsonataException("T2012", "the delete clause of a transform must evaluate to a string or an array of strings", e.Delete.Position);
                    }

                    if (m is JObject mo2)
                    {
                        foreach (var k in keys)
                        {
                            mo2.Remove((string)k!);
                        }
                    }
                }
            }

            return result;
        });
    }
}
