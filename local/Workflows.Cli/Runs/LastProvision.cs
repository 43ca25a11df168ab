using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Cli.Runs;

/// <summary>
/// The pair the last successful provision made, and where (embedded, an endpoint URL, or AWS), kept in
/// &lt;state dir&gt;/last-provision.json for 'teardown --from-last-run'. Separate from last-run.json, which every
/// command overwrites.
/// </summary>
internal static class LastProvision
{
    public const string FileName = "last-provision.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Save(string directory, string target, string executionArn, JsonNode output)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        var document = new JsonObject { ["target"] = target, ["executionArn"] = executionArn, ["output"] = output.DeepClone() };
        File.WriteAllText(temporary, document.ToJsonString(Indented));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The primary and peer references of the last provision made against <paramref name="target"/>.</summary>
    /// <exception cref="UsageException">No provision recorded, an unreadable record, or one made elsewhere.</exception>
    public static (JsonObject Primary, JsonObject Peer) Load(string directory, string target, string targetFlag)
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

        return (Ref(document["output"]?["primary"], path, "primary"), Ref(document["output"]?["peer"], path, "peer"));
    }

    private static JsonObject Ref(JsonNode? cluster, string path, string member) =>
        cluster is JsonObject c && c["region"] is JsonValue region && c["identifier"] is JsonValue identifier
            ? new JsonObject { ["region"] = region.DeepClone(), ["identifier"] = identifier.DeepClone() }
            : throw new UsageException($"--from-last-run: '{path}' has no output.{member} with region and identifier");
}
