namespace Workflows.Jsonata;

internal enum NodeKind
{
    Path,
    Name,
    Variable,
    String,
    Number,
    Value,
    Regex,
    Binary,
    Negate,
    ArrayCons,
    ObjectCons,
    Block,
    Condition,
    Bind,
    Call,
    Partial,
    Placeholder,
    Lambda,
    Thunk,
    Wildcard,
    Descendant,
    Parent,
    Transform,
    Sort,
    Apply,
    Range,
    GroupBy,
    Filter,
    Focus,
    IndexBind,
    Coalesce,
    Default,
}

/// <summary>A stage applied to each step's result: a filter predicate, or binding the position to a variable.</summary>
internal sealed record Stage(Node? Predicate, string? IndexVariable, int Position);

internal sealed class Node
{
    public Node(NodeKind kind, int position)
    {
        Kind = kind;
        Position = position;
    }

    public NodeKind Kind { get; set; }

    public int Position { get; }

    /// <summary>Operator text for Binary nodes.</summary>
    public string Op { get; set; } = "";

    /// <summary>Name, variable name, string, number (double), bool/JNull for Value, Regex for Regex.</summary>
    public object? Value { get; set; }

    public Node? Lhs { get; set; }

    public Node? Rhs { get; set; }

    /// <summary>Array items, block expressions, call arguments, path steps.</summary>
    public List<Node> Items { get; set; } = [];

    public List<(Node Key, Node Value)>? Pairs { get; set; }

    public List<Stage>? Stages { get; set; }

    public List<Node>? Predicates { get; set; }

    public List<(Node Key, Node Value)>? Group { get; set; }

    public bool KeepArray { get; set; }

    public bool ConsArray { get; set; }

    public bool KeepSingletonArray { get; set; }

    public bool Tuple { get; set; }

    public string? Focus { get; set; }

    public string? Index { get; set; }

    public Node? Condition { get; set; }

    public Node? Then { get; set; }

    public Node? Else { get; set; }

    public Node? Body { get; set; }

    public Node? Pattern { get; set; }

    public Node? Update { get; set; }

    public Node? Delete { get; set; }

    public List<string>? Params { get; set; }

    public Signature? Signature { get; set; }

    public List<(Node Expr, bool Descending)>? Terms { get; set; }

    /// <summary>For a parent (%) node: the label of the ancestor binding it reads.</summary>
    public string? Label { get; set; }

    /// <summary>For a step: the ancestor labels this step must bind (its context becomes that ancestor).</summary>
    public List<string>? AncestorLabels { get; set; }

    /// <summary>Parent (%) nodes not yet resolved to a step while post-processing.</summary>
    public List<Node>? SeekingParent { get; set; }

    public int ParentLevel { get; set; } = 1;

    public override string ToString() => $"{Kind} {Op}{Value}";
}
