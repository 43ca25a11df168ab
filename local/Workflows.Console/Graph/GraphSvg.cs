using System.Globalization;
using System.Text;
using Workflows.WebConsole.Pages;

namespace Workflows.WebConsole.Graph;

/// <summary>
/// Draws a <see cref="GraphLayout"/> as inline SVG with the console's hooks: <c>svg#graph</c> labelled by a title and
/// a description in words, one <c>g.state</c> per state (Map and Parallel children inside <c>g.group</c>), and
/// <c>path.edge</c> per transition. With outcomes, each state also carries <c>data-outcome</c> and says it in its
/// title and in a text badge, so no state's outcome is told by colour alone.
/// </summary>
public static class GraphSvg
{
    public static string Render(GraphLayout layout, string machineName, IReadOnlyDictionary<string, string>? outcomes = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var graph = layout.Graph;
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"<svg id=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"graph-title graph-desc\" viewBox=\"0 0 {N(layout.Width)} {N(layout.Height)}\" width=\"{N(layout.Width)}\" height=\"{N(layout.Height)}\">");
        s.Append("<title id=\"graph-title\">").Append(Html.Encode($"The states of {machineName}")).Append("</title>");
        s.Append("<desc id=\"graph-desc\">").Append(Html.Encode(Summary(graph))).Append("</desc>");
        s.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrow-head\"/></marker></defs>");
        s.Append("<g class=\"states\">");
        foreach (var state in graph.States.Where(x => x.Parent is null))
        {
            RenderState(s, layout, state, outcomes);
        }

        s.Append("</g><g class=\"edges\">");
        foreach (var edge in graph.Edges)
        {
            RenderEdge(s, layout, edge);
        }

        s.Append("</g></svg>");
        return s.ToString();
    }

    /// <summary>The description read out for the whole drawing: counts, the start, the kinds of states.</summary>
    public static string Summary(AslGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var types = graph.States.GroupBy(x => x.Type).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"));
        var catches = graph.Edges.Count(e => e.Kind == "catch");
        return string.Create(CultureInfo.InvariantCulture,
            $"{graph.States.Count} states ({string.Join(", ", types)}) and {graph.Edges.Count} transitions, {catches} of them Catch transitions. It starts at \"{graph.Scopes[0].StartAt}\". The list after the drawing names each state and where it goes.");
    }

    /// <summary>The words for an outcome, as the badge, the title and the text list show it.</summary>
    public static string OutcomeText(string outcome) => outcome switch
    {
        Outcomes.NotRun => "not run",
        Outcomes.InProgress => "in progress",
        Outcomes.Succeeded => "succeeded",
        Outcomes.Failed => "failed",
        Outcomes.Caught => "failed, caught",
        Outcomes.Retried => "retried, then succeeded",
        _ => outcome,
    };

    /// <summary>A one-character mark per outcome, beside the word (shape as well as colour).</summary>
    public static string OutcomeMark(string outcome) => outcome switch
    {
        Outcomes.InProgress => "\u25B6", // ▶
        Outcomes.Succeeded => "\u2713", // ✓
        Outcomes.Failed => "\u2717", // ✗
        Outcomes.Caught => "\u21B7", // ↷
        Outcomes.Retried => "\u21BB", // ↻
        _ => "\u25CB", // ○
    };

    public static string StateTitle(GraphState state, string? outcome) =>
        outcome is null ? $"{state.Name} ({state.Type} state)" : $"{state.Name} ({state.Type} state): {OutcomeText(outcome)}";

    private static void RenderState(StringBuilder s, GraphLayout layout, GraphState state, IReadOnlyDictionary<string, string>? outcomes)
    {
        var box = layout.Boxes[state.Name];
        var outcome = outcomes is null ? null : outcomes.GetValueOrDefault(state.Name, Outcomes.NotRun);
        if (state.IsGroup)
        {
            s.Append("<g class=\"group\" data-state=\"").Append(Html.Encode(state.Name)).Append("\">");
        }

        s.Append("<g class=\"state").Append(state.IsGroup ? " group-frame" : string.Empty).Append("\" data-state=\"").Append(Html.Encode(state.Name))
            .Append("\" data-type=\"").Append(Html.Encode(state.Type)).Append('"');
        if (outcome is not null)
        {
            s.Append(" data-outcome=\"").Append(outcome).Append('"');
        }

        s.Append("><title>").Append(Html.Encode(StateTitle(state, outcome))).Append("</title>");
        s.Append(CultureInfo.InvariantCulture, $"<rect class=\"box\" x=\"{N(box.X)}\" y=\"{N(box.Y)}\" width=\"{N(box.Width)}\" height=\"{N(box.Height)}\" rx=\"6\"/>");
        var nameY = state.IsGroup ? box.Y + 19 : box.Y + 19;
        s.Append(CultureInfo.InvariantCulture, $"<text class=\"name\" x=\"{N(box.CenterX)}\" y=\"{N(nameY)}\">").Append(Html.Encode(state.Name)).Append("</text>");
        var metaY = state.IsGroup ? box.Y + 19 : box.Y + 36;
        var metaX = state.IsGroup ? box.X + 8 : box.CenterX;
        s.Append(CultureInfo.InvariantCulture, $"<text class=\"meta{(state.IsGroup ? " meta-group" : string.Empty)}\" x=\"{N(metaX)}\" y=\"{N(metaY)}\">")
            .Append(Html.Encode(state.Type));
        if (outcome is not null)
        {
            s.Append(" <tspan class=\"outcome-label\">").Append(OutcomeMark(outcome)).Append(' ').Append(Html.Encode(OutcomeText(outcome))).Append("</tspan>");
        }

        s.Append("</text></g>");
        if (state.IsGroup)
        {
            foreach (var child in layout.Graph.States.Where(x => x.Parent == state.Name))
            {
                RenderState(s, layout, child, outcomes);
            }

            s.Append("</g>");
        }
    }

    private static void RenderEdge(StringBuilder s, GraphLayout layout, GraphEdge edge)
    {
        if (!layout.Boxes.TryGetValue(edge.From, out var a) || !layout.Boxes.TryGetValue(edge.To, out var b))
        {
            return; // a Next to a state that does not exist: the service refuses such definitions
        }

        string d;
        double lx, ly;
        if (b.Y >= a.Bottom)
        {
            var (sx, sy, ex, ey) = (a.CenterX, a.Bottom, b.CenterX, b.Y);
            var bend = Math.Max(20, (ey - sy) / 2);
            d = string.Create(CultureInfo.InvariantCulture, $"M{N(sx)},{N(sy)} C{N(sx)},{N(sy + bend)} {N(ex)},{N(ey - bend)} {N(ex)},{N(ey)}");
            (lx, ly) = (((sx + ex) / 2) + 4, ((sy + ey) / 2) + 4);
        }
        else if (Math.Abs(a.Y - b.Y) < 1 && b.X > a.X)
        {
            var y = a.Y + (a.Height / 2);
            d = string.Create(CultureInfo.InvariantCulture, $"M{N(a.Right)},{N(y)} L{N(b.X)},{N(y)}");
            (lx, ly) = (((a.Right + b.X) / 2) - 10, y - 6);
        }
        else
        {
            // Back up (a loop) or leftwards: round the right-hand side of both boxes.
            var (sy, ey) = (a.Y + (a.Height / 2), b.Y + (b.Height / 2));
            var x = Math.Max(a.Right, b.Right) + 44;
            d = string.Create(CultureInfo.InvariantCulture, $"M{N(a.Right)},{N(sy)} C{N(x)},{N(sy)} {N(x)},{N(ey)} {N(b.Right)},{N(ey)}");
            (lx, ly) = (x - 30, (sy + ey) / 2);
        }

        var words = edge.Kind switch
        {
            "catch" => $"{edge.From} to {edge.To}, Catch {edge.Label}",
            "choice" => $"{edge.From} to {edge.To} when {edge.Label}",
            "default" => $"{edge.From} to {edge.To} otherwise (Default)",
            _ => $"{edge.From} to {edge.To}",
        };
        s.Append("<path class=\"edge edge-").Append(edge.Kind).Append("\" data-from=\"").Append(Html.Encode(edge.From)).Append("\" data-to=\"")
            .Append(Html.Encode(edge.To)).Append("\" data-kind=\"").Append(edge.Kind).Append("\" d=\"").Append(d).Append("\" marker-end=\"url(#arrow)\"><title>")
            .Append(Html.Encode(words)).Append("</title></path>");
        if (edge.Label is { Length: > 0 } label)
        {
            var shown = label.Length > 26 ? label[..25] + "\u2026" : label;
            s.Append(CultureInfo.InvariantCulture, $"<text class=\"edge-label edge-label-{edge.Kind}\" x=\"{N(lx)}\" y=\"{N(ly)}\" aria-hidden=\"true\">").Append(Html.Encode(shown)).Append("</text>");
        }
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
