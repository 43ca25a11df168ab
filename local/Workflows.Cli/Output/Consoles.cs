using Spectre.Console;

namespace Workflows.Cli.Output;

/// <summary>Spectre consoles over the writer a command was given, never the process console.</summary>
internal static class Consoles
{
    // Redirected output is read by scripts and diffed: no colours, and lines long enough not to wrap values.
    private const int RedirectedWidth = 1000;

    /// <summary>A console for a command's output: the terminal's width when it is one (so layouts can fit it).</summary>
    public static IAnsiConsole Create(TextWriter writer, CliHost host)
    {
        var console = Create(writer, host.IsTerminal);
        if (host.IsTerminal && host.TerminalWidth is > 0 and var width)
        {
            console.Profile.Width = width;
        }

        return console;
    }

    public static IAnsiConsole Create(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
