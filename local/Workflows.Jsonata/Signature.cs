namespace Workflows.Jsonata;

/// <summary>
/// A function signature as the JSONata documentation defines it, e.g. "&lt;s-nn?:s&gt;": b boolean, n number,
/// s string, l null, a array, o object, f function, j any JSON value, x anything, u = b|n|s|l, (..) a choice,
/// a&lt;t&gt; an array of t; modifiers ? optional, + one or more, - "use the context when absent".
/// </summary>
internal sealed class Signature
{
    internal sealed record Param(string Types, bool Optional, bool Repeat, bool Context, Param? ElementType);

    private readonly List<Param> _params;

    private Signature(List<Param> ps, string text)
    {
        _params = ps;
        Text = text;
    }

    public string Text { get; }

    public int Count => _params.Count;

    /// <summary>Parameters without '?': what a callback convention counts as the function's arity.</summary>
    public int RequiredCount => _params.Count(p => !p.Optional);

    public static Signature Parse(string text, int position = -1)
    {
        var ps = new List<Param>();
        var i = 0;
        while (i < text.Length && text[i] != ':')
        {
            var p = ParseOne(text, ref i, position);
            ps.Add(p);
        }

        return new Signature(ps, text);
    }

    private static Param ParseOne(string text, ref int i, int position)
    {
        string types;
        Param? element = null;
        var c = text[i];
        if (c == '(')
        {
            var end = text.IndexOf(')', i);
            if (end < 0)
            {
                throw new JsonataException("S0401", $"signature <{text}> has an unclosed choice group", position);
            }

            types = text[(i + 1)..end];
            if (types.Contains('<', StringComparison.Ordinal))
            {
                throw new JsonataException("S0402", "choice groups containing parameterized types are not supported", position);
            }

            i = end + 1;
        }
        else if ("bnslaofxju".Contains(c, StringComparison.Ordinal))
        {
            types = c.ToString();
            i++;
        }
        else
        {
            throw new JsonataException("S0401", $"signature <{text}> has an unknown type symbol '{c}'", position);
        }

        if (i < text.Length && text[i] == '<')
        {
            if (types is not ("a" or "f"))
            {
                throw new JsonataException("S0401", "type parameters can only be applied to functions and arrays", position);
            }

            var depth = 0;
            var start = i;
            for (; i < text.Length; i++)
            {
                if (text[i] == '<')
                {
                    depth++;
                }
                else if (text[i] == '>' && --depth == 0)
                {
                    break;
                }
            }

            var inner = text[(start + 1)..i];
            i++;
            if (types == "a" && inner.Length > 0)
            {
                var j = 0;
                element = ParseOne(inner, ref j, position);
            }
        }

        bool opt = false, rep = false, ctx = false;
        while (i < text.Length && text[i] is '?' or '+' or '-')
        {
            switch (text[i])
            {
                case '?': opt = true; break;
                case '+': rep = true; break;
                default: ctx = true; break;
            }

            i++;
        }

        return new Param(types, opt, rep, ctx, element);
    }

    private static bool Matches(string types, object? v)
    {
        if (v is null)
        {
            return true;
        }

        foreach (var t in types)
        {
            var ok = t switch
            {
                'x' => true,
                'j' => v is not JFunc,
                'u' => v is bool or double or string or JNull,
                'b' => v is bool,
                'n' => v is double,
                's' => v is string,
                'l' => v is JNull,
                'a' => true,
                'o' => v is JObject,
                'f' => v is JFunc,
                _ => false,
            };
            if (ok)
            {
                return true;
            }
        }

        return false;
    }

    private static object? Coerce(Param p, object? v, int index, int position, string name)
    {
        if (v is null || !p.Types.Contains('a', StringComparison.Ordinal))
        {
            return v;
        }

        // A direct match of another listed type wins over wrapping into an array.
        if (v is not JList && Matches(p.Types.Replace("a", "", StringComparison.Ordinal), v) && p.Types != "a")
        {
            return v;
        }

        var list = v as JList ?? new JList { v };
        if (p.ElementType is { } et)
        {
            foreach (var item in list)
            {
                if (item is null || !Matches(et.Types, item) || (et.Types == "a" && item is not JList))
                {
                    throw new JsonataException("T0412", $"argument {index + 1} of function {name} must be an array of {Describe(et.Types)}", position, name);
                }
            }
        }

        return list;
    }

    private static string Describe(string types) => string.Join(" or ", types.Select(t => t switch
    {
        'b' => "booleans",
        'n' => "numbers",
        's' => "strings",
        'l' => "nulls",
        'a' => "arrays",
        'o' => "objects",
        'f' => "functions",
        _ => "values",
    }));

    /// <summary>Matches the arguments to the parameters; returns them coerced, with the context inserted where "-" allows.</summary>
    public List<object?> Validate(List<object?> args, object? context, int position, string name)
    {
        var result = new List<object?>();
        var furthest = 0;
        var contextFailed = false;
        if (Match(0, 0, false) && !contextFailed)
        {
            return result;
        }

        if (contextFailed)
        {
            throw new JsonataException("T0411", $"the context value of function {name} does not match its signature <{Text}>", position, name);
        }

        throw new JsonataException("T0410", $"argument {furthest + 1} of function {name} does not match its signature <{Text}>", position, name);

        bool Match(int pi, int ai, bool usedContext)
        {
            furthest = Math.Max(furthest, ai);
            if (pi == _params.Count)
            {
                return ai == args.Count;
            }

            var p = _params[pi];
            var mark = result.Count;
            if (p.Repeat)
            {
                var n = 0;
                while (ai + n < args.Count && Matches(p.Types, args[ai + n]))
                {
                    n++;
                }

                for (var k = n; k >= 1; k--)
                {
                    for (var j = 0; j < k; j++)
                    {
                        result.Add(Coerce(p, args[ai + j], ai + j, position, name));
                    }

                    if (Match(pi + 1, ai + k, usedContext))
                    {
                        return true;
                    }

                    result.RemoveRange(mark, result.Count - mark);
                }

                if (p.Optional)
                {
                    return Match(pi + 1, ai, usedContext);
                }

                return false;
            }

            if (ai < args.Count && Matches(p.Types, args[ai]))
            {
                result.Add(Coerce(p, args[ai], ai, position, name));
                if (Match(pi + 1, ai + 1, usedContext))
                {
                    return true;
                }

                result.RemoveRange(mark, result.Count - mark);
            }

            if (p.Context && !usedContext)
            {
                // The arguments decide the shape; a context of the wrong type is then its own error (T0411).
                var ctx = context is JList { OuterWrapper: true } w ? w[0] : context;
                result.Add(ctx);
                if (Match(pi + 1, ai, true))
                {
                    if (!Matches(p.Types, ctx))
                    {
                        contextFailed = true;
                        return false;
                    }

                    result[mark] = Coerce(p, ctx, ai, position, name);
                    return true;
                }

                result.RemoveRange(mark, result.Count - mark);
            }

            if (p.Optional)
            {
                return Match(pi + 1, ai, usedContext);
            }

            return false;
        }
    }
}
