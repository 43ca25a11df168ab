namespace Workflows.EventBridge.Tests.Templates;

/// <summary>The repository's template.yaml and events/ folder, found by walking up to the folder holding Workflows.sln.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string TemplatePath => Path.Combine(Root, "template.yaml");

    public static string Event(string fileName) => File.ReadAllText(Path.Combine(Root, "events", fileName));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Workflows.sln above {AppContext.BaseDirectory}");
    }
}
