using System.CommandLine;
using Workflows.Cli.Pairs;

namespace Workflows.Cli.Commands;

/// <summary>Options several commands share, so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    public const string InProcess = "in-process";
    public const string Process = "process";

    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as one JSON object on stdout, nothing else." };

    public static Option<string?> StateDir() => new("--state-dir")
    {
        Description = "Where the last run is kept (default: $WORKFLOWS_HOME, else ./.workflows).",
    };

    public static Option<string> Functions()
    {
        var option = new Option<string>("--functions")
        {
            Description = $"How the Lambda functions run: '{InProcess}' (default: each step in this process, on the host its bootstrap uses) or '{Process}' (each built bootstrap as a process behind the local Lambda service, through the Runtime API, as on AWS).",
            DefaultValueFactory = _ => InProcess,
        };
        option.AcceptOnlyFromAmong(InProcess, Process);
        return option;
    }

    public static Option<string?> Artifacts() => new("--artifacts")
    {
        Description = "With --functions process: the folder of built functions, one <LogicalId>/bootstrap each (default: artifacts/lambda/<this machine's arch>, what 'make -C functions ARCH=x64' builds).",
    };

    /// <exception cref="UsageException">--artifacts without --functions process.</exception>
    public static FunctionsMode ReadFunctions(ParseResult parse, Option<string> functions, Option<string?> artifacts, CliHost host, out string? artifactsDirectory)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var mode = parse.GetValue(functions) == Process ? FunctionsMode.Process : FunctionsMode.InProcess;
        var given = parse.GetValue(artifacts);
        if (given is not null && mode != FunctionsMode.Process)
        {
            throw new UsageException("--artifacts goes with --functions process (in-process functions need no build)");
        }

        artifactsDirectory = mode == FunctionsMode.Process ? (given is null ? ProcessFunctions.DefaultArtifacts(host) : host.ResolvePath(given)) : null;
        return mode;
    }
}
