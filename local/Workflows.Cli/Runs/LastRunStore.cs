using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Cli.Runs;

/// <summary>Where run leaves its result and history reads it: &lt;state dir&gt;/last-run.json.</summary>
internal static class LastRunStore
{
    public const string FileName = "last-run.json";
    public const string HomeVariable = "WORKFLOWS_HOME";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>--state-dir, else $WORKFLOWS_HOME, else .workflows in the working directory.</summary>
    /// <exception cref="UsageException">The path names an existing file.</exception>
    public static string DirectoryFor(CliHost host, string? stateDir)
    {
        var (path, source) = stateDir is not null ? (host.ResolvePath(stateDir), "--state-dir")
            : host.Variable(HomeVariable) is { } home ? (host.ResolvePath(home), $"${HomeVariable}")
            : (Path.Combine(host.WorkingDirectory, ".workflows"), "the default state directory");
        return File.Exists(path)
            ? throw new UsageException($"{source} '{path}' is a file, not a directory: give a directory (it is created if missing)")
            : path;
    }

    public static string Save(string directory, RunRecord run)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        // Written beside and moved over, so a history reading concurrently never sees half a file.
        using var held = StateFiles.Lock(directory);
        StateFiles.WriteAtomically(path, run.Document.ToJsonString(Indented));
        return path;
    }

    /// <exception cref="UsageException">No such file, or not a run this tool saved.</exception>
    public static RunRecord Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"no saved run at '{path}' (run 'workflows run', 'provision' or 'teardown' first, or pass --file or --state-dir)");
        }

        var text = File.ReadAllText(path);
        try
        {
            return JsonNode.Parse(text) is JsonObject { } document && document["history"] is JsonObject
                ? RunRecord.Parse(document)
                : throw new UsageException($"'{path}' is not a run saved by workflows");
        }
        catch (JsonException e)
        {
            throw new UsageException($"'{path}' is not valid JSON at {Workflows.Engine.Definition.JsonSyntax.Describe(text, e)}", e);
        }
    }
}
