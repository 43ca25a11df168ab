namespace Workflows.Conformance.Tests;

/// <summary>
/// Where the AWS-recorded cases live: WORKFLOWS_CONFORMANCE_DIR if set, else ../shared/conformance/aws-recorded-sfn
/// beside the checkout (the folder that holds Workflows.sln). The data is read in place and never committed, so a
/// fresh clone without it skips the suite instead of failing.
/// </summary>
internal static class ConformanceData
{
    public const string EnvironmentVariable = "WORKFLOWS_CONFORMANCE_DIR";

    public static string? RepositoryRoot { get; } = FindRoot();

    /// <summary>The folder holding the case files (…/aws-recorded-sfn/cases), or null when absent.</summary>
    public static string? CasesDirectory { get; } = FindCases();

    public static string Expected => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env
        ? env
        : Path.Combine(RepositoryRoot ?? "<no Workflows.sln above the test assembly>", "..", "shared", "conformance", "aws-recorded-sfn");

    public static string SkipReason =>
        $"AWS-recorded conformance cases not found at {Path.GetFullPath(Expected)} (set {EnvironmentVariable} to the aws-recorded-sfn folder or its cases/ folder)";

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

    private static string? FindCases()
    {
        var root = Expected;
        // Either the corpus folder or its cases/ folder is accepted for the variable.
        foreach (var candidate in new[] { Path.Combine(root, "cases"), root })
        {
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.json").Any())
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }
}

/// <summary>A Fact that skips, saying why, when the corpus is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (ConformanceData.CasesDirectory is null)
        {
            Skip = ConformanceData.SkipReason;
        }
    }
}

/// <summary>A Theory that skips, saying why, when the corpus is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        if (ConformanceData.CasesDirectory is null)
        {
            Skip = ConformanceData.SkipReason;
        }
    }
}
