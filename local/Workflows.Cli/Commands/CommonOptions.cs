using System.CommandLine;

namespace Workflows.Cli.Commands;

/// <summary>Options several commands share, so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as one JSON object on stdout, nothing else." };

    public static Option<string?> StateDir() => new("--state-dir")
    {
        Description = "Where the last run is kept (default: $WORKFLOWS_HOME, else ./.workflows).",
    };
}
