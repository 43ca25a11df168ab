using Spectre.Console;

namespace Workflows.Cli.Output;

/// <summary>
/// "Label   value" lines with aligned values. Not a Spectre Grid: a grid pads every row to its widest one, which
/// leaves trailing blanks in redirected output that scripts then have to trim.
/// </summary>
internal sealed class Fields
{
    private readonly List<(string Label, string Markup, string? Plain)> _rows = [];

    public Fields Add(string label, string value)
    {
        _rows.Add((label, Markup.Escape(value), value));
        return this;
    }

    public Fields AddMarkup(string label, string markup)
    {
        _rows.Add((label, markup, null));
        return this;
    }

    public void Write(IAnsiConsole console)
    {
        var width = _rows.Max(r => r.Label.Length) + 2;
        foreach (var (label, markup, plain) in _rows)
        {
            var head = $"[bold]{Markup.Escape(label)}[/]{new string(' ', width - label.Length)}";
            if (plain is not null && width + plain.Length > console.Profile.Width && !plain.Contains(' ', StringComparison.Ordinal))
            {
                // One word longer than the line (an ARN, an endpoint): the console would cut it into pieces at the
                // width; written whole, the terminal only soft-wraps it, and it is still one line to copy.
                console.Markup(head);
                console.Profile.Out.Writer.WriteLine(plain);
                continue;
            }

            console.MarkupLine(head + markup);
        }
    }
}
