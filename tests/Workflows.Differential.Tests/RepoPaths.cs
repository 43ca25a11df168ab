namespace Workflows.Differential.Tests;

/// <summary>
/// The corpus and the Node runner are read where they live in the repository (not copied to the output), so
/// the Node side and the .NET side always see the very same case files.
/// </summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Differential => Path.Combine(Root, "tests", "differential");

    public static string Corpus => Path.Combine(Differential, "corpus");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Workflows.sln not found above {AppContext.BaseDirectory}");
    }
}
