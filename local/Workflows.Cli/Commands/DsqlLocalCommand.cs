using System.CommandLine;

namespace Workflows.Cli.Commands;

/// <summary>
/// workflows dsql-local: DSQL Local, the emulator, from the installed tool. Every argument after the word goes to
/// the emulator's own command line unchanged (its --help lists them); relative paths resolve against the current
/// directory, as for every other command.
/// </summary>
internal static class DsqlLocalCommand
{
    public const string Name = "dsql-local";

    public const string Examples = """
        workflows dsql-local --port 8787
        workflows dsql-local --port 8787 --provisioning-seconds 120 --time-scale 60
        workflows dsql-local --help
        """;

    /// <summary>
    /// The entry in the command tree, for `workflows --help` and for typo suggestions. It never runs: Program hands
    /// the arguments to the emulator before parsing, because the emulator's options are its own.
    /// </summary>
    public static Command Create() => new(Name, """
        Start DSQL Local, the emulator of the Aurora DSQL control plane (every option after 'dsql-local' is the emulator's own; 'workflows dsql-local --help' lists them).
        """);

    /// <summary>True when the arguments name this command, so the rest go to the emulator.</summary>
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Name;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        global::DsqlLocal.Cli.CommandLine.RunAsync(args[1..], stdout, stderr);
}
