using System.CommandLine;
using Workflows.Cli.Output;
using Workflows.Cli.Runs;

namespace Workflows.Cli.Commands;

/// <summary>workflows history: the events of the last run (or of a saved run file).</summary>
internal sealed class HistoryCommand
{
    public const string Examples = """
        workflows history
        workflows history --json | jq '.events[] | select(.type == "TaskFailed")'
        workflows history --file ci-artifacts/last-run.json
        """;

    private readonly CliContext _context;
    private readonly Option<bool> _json = CommonOptions.Json("the history in GetExecutionHistory's shape, {\"events\":[...]},");
    private readonly Option<string?> _output = CommonOptions.Output();
    private readonly Option<string?> _file = new("--file") { Description = "A saved run to read instead of the last one (a last-run.json)." };
    private readonly Option<string?> _stateDir = CommonOptions.StateDir();

    public HistoryCommand(CliContext context)
    {
        _context = context;
        Command = new Command("history", """
            Show the history of the last run (workflows run, provision or teardown): id, virtual timestamp, type, state and a short detail.
            """)
        {
            _output, _json, _file, _stateDir,
        };
        Command.SetAction(Execute);
    }

    public Command Command { get; }

    private int Execute(ParseResult parse)
    {
        var host = _context.Host;
        var format = CommonOptions.ReadOutput(parse, _output, _json);
        var path = parse.GetValue(_file) is { } file
            ? host.ResolvePath(file)
            : Path.Combine(LastRunStore.DirectoryFor(host, parse.GetValue(_stateDir)), LastRunStore.FileName);
        var run = LastRunStore.Load(path);
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(_context.Out, run.History);
        }
        else if (format == OutputFormat.Text)
        {
            HistoryTable.WriteText(_context.Out, run);
        }
        else
        {
            HistoryTable.Write(Consoles.Create(_context.Out, host), run);
        }

        return ExitCodes.Success;
    }
}
