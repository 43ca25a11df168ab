namespace Workflows.Functions.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The repository root: the first folder above the test binaries holding Workflows.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Workflows.sln above {AppContext.BaseDirectory}");
    }
}
