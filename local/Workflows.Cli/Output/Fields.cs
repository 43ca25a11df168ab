using Spectre.Console;

namespace Workflows.Cli.Output;

/// <summary>
/// "Label   value" lines with aligned values. Not a Spectre Grid: a grid pads every row to its widest one, which
/// leaves trailing blanks in redirected output that scripts then have to trim.
/// </summary>
internal sealed class Fields
{
    private readonly List<(string Label, string Markup)> _rows = [];

    public Fields Add(string label, string value) => AddMarkup(label, Markup.Escape(value));

    public Fields AddMarkup(string label, string markup)
    {
        _rows.Add((label, markup));
        return this;
    }

    public void Write(IAnsiConsole console)
    {
        var width = _rows.Max(r => r.Label.Length) + 2;
        foreach (var (label, markup) in _rows)
        {
            console.MarkupLine($"[bold]{Markup.Escape(label)}[/]{new string(' ', width - label.Length)}{markup}");
        }
    }
}
