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
        var temporary = path + ".tmp";
        var document = new JsonObject { ["target"] = target, ["executionArn"] = executionArn, ["status"] = status, ["output"] = output.DeepClone() };
        File.WriteAllText(temporary, document.ToJsonString(Indented));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Forgets the recorded pair, so 'teardown --from-last-run' cannot retire an older pair after a later
    /// provision left clusters that are not a pair it can name.
    /// </summary>
    public static void Forget(string directory) => File.Delete(Path.Combine(directory, FileName));

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
