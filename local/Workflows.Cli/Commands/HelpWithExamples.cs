using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Workflows.Cli.Commands;

/// <summary>
/// --help as System.CommandLine prints it, followed by the command's examples. Examples live apart from the
/// description because the root's help lists every subcommand's description, which they would drown.
/// </summary>
internal sealed class HelpWithExamples : SynchronousCommandLineAction
{
    private readonly HelpAction _standard;
    private readonly Dictionary<Command, string> _examples = [];

    private HelpWithExamples(HelpAction standard) => _standard = standard;

    public static HelpWithExamples InstallOn(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        var action = new HelpWithExamples((HelpAction)option.Action!);
        option.Action = action;
        return action;
    }

    public HelpWithExamples Add(Command command, string examples)
    {
        _examples[command] = examples;
        return this;
    }

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var result = _standard.Invoke(parseResult);
        if (_examples.TryGetValue(parseResult.CommandResult.Command, out var examples))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var line in examples.Split('\n'))
            {
                output.WriteLine("  " + line.TrimEnd('\r'));
            }

            output.WriteLine();
        }

        return result;
    }
}
