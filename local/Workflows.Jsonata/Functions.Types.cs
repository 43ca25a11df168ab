using System.Text.RegularExpressions;

namespace Workflows.Jsonata;

/// <summary>A variable scope; each block and each function call gets one, chained to its enclosing scope.</summary>
internal sealed class Env
{
    private readonly Dictionary<string, object?> _vars = new(StringComparer.Ordinal);

    public Env(Env? parent)
    {
        Parent = parent;
    }

    public Env? Parent { get; }

    public void Bind(string name, object? value) => _vars[name] = value;

    public bool TryLookup(string name, out object? value)
    {
        for (var e = this; e is not null; e = e.Parent)
        {
            if (e._vars.TryGetValue(name, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    public object? Lookup(string name) => TryLookup(name, out var v) ? v : null;
}

internal sealed class Lambda : JFunc
{
    public required Node Node { get; init; }

    public required Env Closure { get; init; }

    public object? Input { get; init; }

    public bool IsThunk { get; init; }

    public override int Arity => Node.Params?.Count ?? 0;
}

/// <summary>What a built-in function sees besides its arguments.</summary>
internal readonly record struct CallContext(Evaluator Evaluator, object? Input, Env Env, int Position);

internal sealed class Native : JFunc
{
    public Native(string name, string? signature, Func<CallContext, List<object?>, object?> impl)
    {
        Name = name;
        Impl = impl;
        Signature = signature is null ? null : Workflows.Jsonata.Signature.Parse(signature[1..^1]);
    }

    public string Name { get; }

    public Func<CallContext, List<object?>, object?> Impl { get; }

    public override int Arity => Signature?.RequiredCount ?? 1;
}

internal sealed class PartialFunc : JFunc
{
    public static readonly object Hole = new();

    public required JFunc Inner { get; init; }

    public required List<object?> Args { get; init; }

    public override int Arity => Args.Count(a => ReferenceEquals(a, Hole));
}

internal sealed class RegexFunc : JFunc
{
    public RegexFunc(Regex regex)
    {
        Regex = regex;
    }

    public Regex Regex { get; }

    public override int Arity => 1;
}
