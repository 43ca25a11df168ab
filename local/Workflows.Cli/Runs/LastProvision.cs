using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Cli.Runs;

/// <summary>The pair a recorded provision left, the execution that made it and how that execution ended.</summary>
internal sealed record LastPair(JsonObject Primary, JsonObject Peer, string ExecutionArn, string Status);

/// <summary>
/// The pair the last provision left behind (succeeded, interrupted, or failed and kept), and where (embedded, an
/// endpoint URL, or AWS), kept in &lt;state dir&gt;/last-provision.json for 'teardown --from-last-run'. Separate
/// from last-run.json, which every command overwrites.
/// </summary>
internal static class LastProvision
{
    public const string FileName = "last-provision.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Save(string directory, string target, string executionArn, string status, JsonNode output)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var document = new JsonObject { ["target"] = target, ["executionArn"] = executionArn, ["status"] = status, ["output"] = output.DeepClone() };
        using var held = StateFiles.Lock(directory);
        StateFiles.WriteAtomically(path, document.ToJsonString(Indented));
    }

    /// <summary>
    /// Records, before a provision's first side effect, that execution <paramref name="name"/> is under way, so
    /// 'teardown --from-last-run' after a crash never retires an older pair in its place. The older record is
    /// kept inside it and restored by <see cref="EndIfRunning"/> when the run ends having recorded nothing.
    /// </summary>
    public static void Begin(string directory, string target, string name, string input)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        using var held = StateFiles.Lock(directory);
        var previous = Read(path);
        if (previous?["status"]?.GetValue<string>() == ExecutionNames.Running)
        {
            previous = previous["previous"] as JsonObject;
        }

        var document = new JsonObject
        {
            ["target"] = target,
            ["status"] = ExecutionNames.Running,
            ["executionName"] = name,
            ["input"] = input,
            ["previous"] = previous?.DeepClone(),
        };
        StateFiles.WriteAtomically(path, document.ToJsonString(Indented));
    }

    /// <summary>A provision that ended without recording clusters: the record made before it started comes back.</summary>
    public static void EndIfRunning(string directory, string name)
    {
        var path = Path.Combine(directory, FileName);
        using var held = StateFiles.Lock(directory);
        if (Read(path) is { } document && document["status"]?.GetValue<string>() == ExecutionNames.Running && document["executionName"]?.GetValue<string>() == name)
        {
            if (document["previous"] is JsonObject previous)
            {
                StateFiles.WriteAtomically(path, previous.ToJsonString(Indented));
            }
            else
            {
                File.Delete(path);
            }
        }
    }

    private static JsonObject? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Forgets the recorded pair, so 'teardown --from-last-run' cannot retire an older pair after a later
    /// provision left clusters that are not a pair it can name.
    /// </summary>
    public static void Forget(string directory)
    {
        using var held = StateFiles.Lock(directory);
        File.Delete(Path.Combine(directory, FileName));
    }

    /// <summary>The primary and peer references of the last provision made against <paramref name="target"/>.</summary>
    /// <exception cref="UsageException">No provision recorded, an unreadable record, or one made elsewhere.</exception>
    public static LastPair Load(string directory, string target, string targetFlag)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new UsageException($"--from-last-run: no provision recorded in '{directory}' (run 'workflows provision' first, or give --primary and --peer)");
        }

        JsonObject document;
        try
        {
            document = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new UsageException($"--from-last-run: '{path}' is not a provision record ({e.Message})", e);
        }

        var recorded = document["target"]?.GetValue<string>();
        if (recorded != target)
        {
            var where = recorded switch
            {
                "embedded" => "the embedded emulator (no --dsql-endpoint, no --aws)",
                "aws" => "AWS (--aws)",
                null => "an unknown place",
                _ => $"--dsql-endpoint {recorded}",
            };
            throw new UsageException($"--from-last-run: the last provision ran against {where}, not {targetFlag}; run teardown against the same place");
        }

        if (document["status"]?.GetValue<string>() == ExecutionNames.Running)
        {
            var name = document["executionName"]?.GetValue<string>() ?? "?";
            throw new UsageException(
                $"--from-last-run: the last provision (execution '{name}') has not finished: it is still running, or its process stopped " +
                "(a crash, a kill) before recording which clusters it made. Run the same 'workflows provision' command again: it resumes " +
                $"execution '{name}' (the clusters that execution created are its own again) and records them; then run this teardown again");
        }

        // Records written before the status was kept held only successful or interrupted provisions.
        var status = document["status"]?.GetValue<string>() ?? (document["output"]?["interrupted"] is not null ? "ABORTED" : "SUCCEEDED");
        return new LastPair(
            Ref(document["output"]?["primary"], path, "primary"),
            Ref(document["output"]?["peer"], path, "peer"),
            document["executionArn"]?.GetValue<string>() ?? "?",
            status);
    }

    private static JsonObject Ref(JsonNode? cluster, string path, string member) =>
        cluster is JsonObject c && c["region"] is JsonValue region && c["identifier"] is JsonValue identifier
            ? new JsonObject { ["region"] = region.DeepClone(), ["identifier"] = identifier.DeepClone() }
            : throw new UsageException($"--from-last-run: '{path}' has no output.{member} with region and identifier");
}
