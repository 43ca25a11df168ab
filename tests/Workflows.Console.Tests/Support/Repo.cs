using System.Text.RegularExpressions;

namespace Workflows.WebConsole.Tests.Support;

/// <summary>The project's own files, copied beside the tests (statemachines/, events/).</summary>
internal static partial class Repo
{
    public static string StateMachines => Path.Combine(AppContext.BaseDirectory, "statemachines");

    public static string Events => Path.Combine(AppContext.BaseDirectory, "events");

    public static IEnumerable<string> MachineFiles => Directory.EnumerateFiles(StateMachines, "*.asl.json").Order(StringComparer.Ordinal);

    public static string Machine(string file) => File.ReadAllText(Path.Combine(StateMachines, file));

    /// <summary>The definition with its ${...} substitutions bound to Lambda ARNs, as serve binds the template's.</summary>
    public static string Bound(string file) =>
        Substitution().Replace(Machine(file), m => "arn:aws:lambda:us-east-1:123456789012:function:" + m.Groups[1].Value.Replace("Arn", string.Empty, StringComparison.Ordinal));

    public static TheoryData<string> Machines()
    {
        var data = new TheoryData<string>();
        foreach (var f in MachineFiles)
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9]+)\}")]
    private static partial Regex Substitution();
}
