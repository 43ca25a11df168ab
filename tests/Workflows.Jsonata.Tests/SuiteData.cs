using System.Text.Json.Nodes;

namespace Workflows.Jsonata.Tests;

/// <summary>
/// Where the reference implementation's test suite lives: WORKFLOWS_JSONATA_SUITE_DIR if set, else
/// ../shared/conformance/jsonata-suite beside the checkout (the folder holding Workflows.sln). The data is read in
/// place and never committed, so a clone without it skips the suite instead of failing.
/// </summary>
internal static class SuiteData
{
    public const string EnvironmentVariable = "WORKFLOWS_JSONATA_SUITE_DIR";

    public static string? RepositoryRoot { get; } = FindRoot();

    public static string Expected => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env
        ? env
        : Path.Combine(RepositoryRoot ?? "<no Workflows.sln above the test assembly>", "..", "shared", "conformance", "jsonata-suite");

    public static string? Directory { get; } = System.IO.Directory.Exists(Path.Combine(Expected, "groups")) ? Path.GetFullPath(Expected) : null;

    public static string SkipReason => $"JSONata test suite not found at {Path.GetFullPath(Expected)} (set {EnvironmentVariable} to the jsonata-suite folder)";

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

/// <summary>A Fact that skips, saying why, when the suite is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuiteFactAttribute : FactAttribute
{
    public SuiteFactAttribute()
    {
        if (SuiteData.Directory is null)
        {
            Skip = SuiteData.SkipReason;
        }
    }
}

/// <summary>One case of the suite: the id is "group/file" (with "#n" for the n-th case of a file holding several).</summary>
internal sealed record SuiteCase(string Id, string Group, JsonObject Spec, string Directory);

internal static class SuiteCases
{
    public static List<SuiteCase> Load(string root)
    {
        var cases = new List<SuiteCase>();
        foreach (var groupDir in System.IO.Directory.GetDirectories(Path.Combine(root, "groups")).Order(StringComparer.Ordinal))
        {
            var group = Path.GetFileName(groupDir);
            foreach (var file in System.IO.Directory.GetFiles(groupDir, "*.json").Order(StringComparer.Ordinal))
            {
                var name = group + "/" + Path.GetFileNameWithoutExtension(file);
                var node = JsonNode.Parse(File.ReadAllText(file));
                if (node is JsonArray arr)
                {
                    for (var i = 0; i < arr.Count; i++)
                    {
                        cases.Add(new SuiteCase($"{name}#{i}", group, (JsonObject)arr[i]!, groupDir));
                    }
                }
                else if (node is JsonObject o)
                {
                    cases.Add(new SuiteCase(name, group, o, groupDir));
                }
            }
        }

        return cases;
    }
}
