namespace Workflows.WebConsole.Graph;

/// <summary>Where one state is drawn, in SVG user units from the drawing's top left corner.</summary>
public sealed record LayoutBox(string Name, double X, double Y, double Width, double Height, int Row)
{
    public double CenterX => X + (Width / 2);

    public double Bottom => Y + Height;

    public double Right => X + Width;
}

/// <summary>
/// A layered layout computed on the server: in each scope (the top level, a Map's processor, a Parallel branch) the
/// states go in rows by their distance from the scope's StartAt (breadth first over every kind of transition), rows
/// centred; states no transition reaches come last, one row each. A Map or Parallel is a box around its own scopes'
/// layouts, Parallel branches side by side. Sizes are estimates from the text length (Inferred: no font metrics on
/// the server; the text is short and the SVG scales).
/// </summary>
public sealed class GraphLayout
{
    public const double LeafHeight = 46;
    public const double RowGap = 54;
    public const double ColumnGap = 28;
    public const double GroupPadding = 16;
    public const double GroupHeader = 30;
    public const double Margin = 24;
    public const double CharacterWidth = 7.2;

    private GraphLayout(AslGraph graph, Dictionary<string, LayoutBox> boxes, double width, double height)
    {
        Graph = graph;
        Boxes = boxes;
        Width = width;
        Height = height;
    }

    public AslGraph Graph { get; }

    public IReadOnlyDictionary<string, LayoutBox> Boxes { get; }

    public double Width { get; }

    public double Height { get; }

    public static GraphLayout Compute(AslGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var builder = new Builder(graph);
        var top = graph.Scopes[0];
        var (w, h) = builder.Measure(top);
        // Room on the right for edges that go back up (loops) or across a row.
        var width = w + (2 * Margin) + 60;
        builder.Place(top, Margin, Margin);
        return new GraphLayout(graph, builder.Boxes, width, h + (2 * Margin));
    }

    /// <summary>A leaf's width for its name and type badge.</summary>
    public static double LeafWidth(string name) => Math.Clamp((name.Length * CharacterWidth) + 36, 150, 340);

    private sealed class Builder(AslGraph graph)
    {
        private readonly Dictionary<(string? Owner, int Branch), (double W, double H, List<List<string>> Rows)> _scopes = [];
        private readonly Dictionary<string, (double W, double H)> _sizes = new(StringComparer.Ordinal);

        public Dictionary<string, LayoutBox> Boxes { get; } = new(StringComparer.Ordinal);

        public (double W, double H) Measure(GraphScope scope)
        {
            var rows = Rows(scope);
            double width = 0, height = 0;
            foreach (var row in rows)
            {
                var rowWidth = row.Sum(n => Size(n).W) + (ColumnGap * (row.Count - 1));
                width = Math.Max(width, rowWidth);
                height += row.Max(n => Size(n).H);
            }

            height += RowGap * Math.Max(0, rows.Count - 1);
            _scopes[(scope.Owner, scope.Branch)] = (width, height, rows);
            return (width, height);
        }

        private (double W, double H) Size(string name)
        {
            if (_sizes.TryGetValue(name, out var known))
            {
                return known;
            }

            var state = graph.State(name);
            (double W, double H) size;
            if (state is { IsGroup: true })
            {
                var children = graph.Scopes.Where(s => s.Owner == name).ToList();
                double w = 0, h = 0;
                foreach (var child in children)
                {
                    var (cw, ch) = Measure(child);
                    w += cw;
                    h = Math.Max(h, ch);
                }

                w += ColumnGap * Math.Max(0, children.Count - 1);
                size = (Math.Max(w + (2 * GroupPadding), LeafWidth(name) + 40), GroupHeader + h + (2 * GroupPadding));
            }
            else
            {
                size = (LeafWidth(name), LeafHeight);
            }

            _sizes[name] = size;
            return size;
        }

        public void Place(GraphScope scope, double x, double y)
        {
            var (width, _, rows) = _scopes[(scope.Owner, scope.Branch)];
            var top = y;
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                var rowWidth = row.Sum(n => Size(n).W) + (ColumnGap * (row.Count - 1));
                var rowHeight = row.Max(n => Size(n).H);
                var left = x + ((width - rowWidth) / 2);
                foreach (var name in row)
                {
                    var (w, h) = Size(name);
                    Boxes[name] = new LayoutBox(name, left, top, w, h, r);
                    if (graph.State(name) is { IsGroup: true })
                    {
                        var children = graph.Scopes.Where(s => s.Owner == name).ToList();
                        var inner = children.Sum(c => _scopes[(c.Owner, c.Branch)].W) + (ColumnGap * Math.Max(0, children.Count - 1));
                        var cx = left + ((w - inner) / 2);
                        foreach (var child in children)
                        {
                            Place(child, cx, top + GroupHeader + GroupPadding);
                            cx += _scopes[(child.Owner, child.Branch)].W + ColumnGap;
                        }
                    }

                    left += w + ColumnGap;
                }

                top += rowHeight + RowGap;
            }
        }

        /// <summary>
        /// One downward pass of the barycentre heuristic: each row sorted by where its states' predecessors in the
        /// rows above sit (as a fraction of their row's width), so fewer transitions cross.
        /// </summary>
        private void OrderByParents(List<List<string>> rows)
        {
            var place = new Dictionary<string, (int Row, double At)>(StringComparer.Ordinal);
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                if (r > 0)
                {
                    var keys = new Dictionary<string, double>(StringComparer.Ordinal);
                    for (var i = 0; i < row.Count; i++)
                    {
                        var above = graph.Edges.Where(e => e.To == row[i] && place.TryGetValue(e.From, out var p) && p.Row < r).Select(e => place[e.From].At).ToList();
                        keys[row[i]] = above.Count > 0 ? above.Average() : (i + 0.5) / row.Count;
                    }

                    var sorted = row.Select((n, i) => (n, i)).OrderBy(x => keys[x.n]).ThenBy(x => x.i).Select(x => x.n).ToList();
                    row.Clear();
                    row.AddRange(sorted);
                }

                for (var i = 0; i < row.Count; i++)
                {
                    place[row[i]] = (r, (i + 0.5) / row.Count);
                }
            }
        }

        /// <summary>Breadth first from StartAt within the scope; unreached states one row each at the end.</summary>
        private List<List<string>> Rows(GraphScope scope)
        {
            var members = scope.States.ToHashSet(StringComparer.Ordinal);
            var depth = new Dictionary<string, int>(StringComparer.Ordinal);
            var order = new List<string>();
            var queue = new Queue<string>();
            if (members.Contains(scope.StartAt))
            {
                depth[scope.StartAt] = 0;
                queue.Enqueue(scope.StartAt);
            }

            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                order.Add(current);
                foreach (var edge in graph.Edges.Where(e => e.From == current && members.Contains(e.To)))
                {
                    if (depth.TryAdd(edge.To, depth[current] + 1))
                    {
                        queue.Enqueue(edge.To);
                    }
                }
            }

            var rows = new List<List<string>>();
            foreach (var name in order)
            {
                var d = depth[name];
                while (rows.Count <= d)
                {
                    rows.Add([]);
                }

                rows[d].Add(name);
            }

            foreach (var name in scope.States.Where(s => !depth.ContainsKey(s)))
            {
                rows.Add([name]);
            }

            OrderByParents(rows);
            return rows;
        }
    }
}
