using System.CommandLine;
using System.CommandLine.Invocation;
using Workflows.Cli.Commands;

namespace Workflows.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        StartupTrace.Mark("Main");
        var code = await RunAsync(args, Console.Out, Console.Error, new CliHost { IsTerminal = !Console.IsOutputRedirected, TerminalWidth = TerminalWidth() });
        StartupTrace.Report(Console.Error);
        return code;
    }

    // COLUMNS first (what the shell says, and what a user sets to try a width), then the console's own window.
    private static int? TerminalWidth()
    {
        if (int.TryParse(System.Environment.GetEnvironmentVariable("COLUMNS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns) && columns > 0)
        {
            return columns;
        }

        try
        {
            return Console.IsOutputRedirected ? null : Console.WindowWidth;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The whole tool behind one call, writing only to the writers it is given, so tests run commands in-process and
    /// read exactly what a user would see. Returns the process exit code (<see cref="ExitCodes"/>).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliHost? host = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (DsqlLocalCommand.Matches(args))
        {
            return await DsqlLocalCommand.RunAsync(args, stdout, stderr);
        }

        var context = new CliContext(stdout, stderr, host ?? new CliHost());
        var root = WorkflowsRootCommand.Create(context);
        // '@' starts --input @file; System.CommandLine would otherwise expand it as a response file.
        StartupTrace.Mark("commands built");
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        StartupTrace.Mark("parsed");

        // System.CommandLine answers parse errors with 1, which this tool reserves for failed executions.
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync($"error: {CommonOptions.Escaped(error.Message)}");
            }

            if (Suggestions.For(parsed) is { } suggestion)
            {
                await stderr.WriteLineAsync(suggestion);
            }

            await stderr.WriteLineAsync("Run 'workflows --help' (or 'workflows <command> --help') for usage.");
            return ExitCodes.BadUsage;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = stdout,
                    Error = stderr,
                    EnableDefaultExceptionHandler = false,
                    // On Ctrl-C System.CommandLine cancels the command's token and waits this long for it to stop;
                    // an interrupted run saves its history and reports its clusters in that time.
                    ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
                },
                cancellationToken);
        }
        catch (UsageException e)
        {
            // One line, whatever the message quotes (a value with a newline in it, say).
            await stderr.WriteLineAsync($"error: {CommonOptions.Escaped(e.Message)}");
            return ExitCodes.BadUsage;
        }
        catch (EndpointUnusableException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            // The token System.CommandLine cancels on SIGINT/SIGTERM is its own, linked to ours: whichever fired,
            // the command stopped before it had anything to save (runs that started save and report themselves).
            await stderr.WriteLineAsync("interrupted before anything ran");
            return ExitCodes.Interrupted;
        }
#pragma warning disable CA1031 // The last line of defence: a user sees one line and a code, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"internal error: {e.GetType().Name}: {e.Message}");
            if (context.Host.Variable("WORKFLOWS_DEBUG") is "1" or "true")
            {
                await stderr.WriteLineAsync(e.ToString());
            }

            return ExitCodes.InternalError;
        }
    }
}
