using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Workflows.Cli.Commands;

/// <summary>
/// --version from this assembly. The stock action reads the entry assembly, which is a test host (or any other
/// program) when the tool runs in-process.
/// </summary>
internal sealed class ToolVersion : SynchronousCommandLineAction
{
    public static string Text { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static void InstallOn(RootCommand root) => root.Options.OfType<VersionOption>().Single().Action = new ToolVersion();

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        return ExitCodes.Success;
    }
}
