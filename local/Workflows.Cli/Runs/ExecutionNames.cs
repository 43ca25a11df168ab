using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Cli.Runs;

/// <summary>An execution name already used for a state machine, with the input it ran with and what it gave.</summary>
internal sealed record UsedName(string Input, string Status, JsonObject Outcome, JsonObject Record);

/// <summary>
/// The execution names provision and teardown have used, per place (embedded, an endpoint, AWS) and state machine,
/// in &lt;state dir&gt;/executions.json, with each run kept beside it in executions/. Step Functions refuses a
/// second StartExecution with a used name (ExecutionAlreadyExists) unless the input is the same; the functions
/// derive their client tokens from the name, so running a name again would replay old tokens against new clusters.
/// </summary>
internal static class ExecutionNames
{
    public const string FileName = "executions.json";
    public const string RunsDirectory = "executions";

    /// <summary>The status of an interrupted run, whose name may be run again with the same input.</summary>
    public const string Aborted = "ABORTED";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Whether a finished run uses up its name. Not when it failed with InvalidRequestException before any cluster
    /// was reported: a function refused the request (the name, say) before its DSQL call, so no client token was
    /// spent and nothing exists that a rerun could collide with; the name stays free to run once the cause is fixed.
    /// </summary>
    public static bool Burns(string status, string? error, int clustersReported) =>
        !(status == "FAILED" && error == "InvalidRequestException" && clustersReported == 0);

    /// <summary>The input as compared: compact JSON, member order kept.</summary>
    public static string Canonical(string input) => JsonNode.Parse(input)?.ToJsonString() ?? "null";

    /// <exception cref="UsageException">The index or a run file is unreadable.</exception>
    public static UsedName? Find(string directory, string target, string machine, string name)
    {
        var index = Load(directory);
        if (index[target]?[machine]?[name] is not JsonObject entry)
        {
            return null;
        }

        var file = Path.Combine(directory, entry["file"]?.GetValue<string>() ?? string.Empty);
        try
        {
            var run = JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
            return run?["outcome"] is JsonObject outcome && run["record"] is JsonObject record
                ? new UsedName(entry["input"]?.GetValue<string>() ?? string.Empty, entry["status"]?.GetValue<string>() ?? "?", outcome, record)
                : throw new JsonException("no outcome and record");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new UsageException($"'{file}' (the recorded run of execution '{name}') cannot be read ({e.Message}); delete its entry from '{Path.Combine(directory, FileName)}' to use the name again", e);
        }
    }

    public static void Record(string directory, string target, string machine, string name, string input, string status, JsonObject outcome, JsonObject record)
    {
        var relative = Path.Combine(RunsDirectory, $"{machine}-{name}-{Hash(target)}.json");
        Directory.CreateDirectory(Path.Combine(directory, RunsDirectory));
        Write(Path.Combine(directory, relative), new JsonObject { ["outcome"] = outcome.DeepClone(), ["record"] = record.DeepClone() });

        var index = Load(directory);
        var byTarget = index[target] as JsonObject ?? [];
        var byMachine = byTarget[machine] as JsonObject ?? [];
        byMachine[name] = new JsonObject { ["input"] = input, ["status"] = status, ["file"] = relative.Replace('\\', '/') };
        byTarget[machine] = byMachine.DeepClone();
        index[target] = byTarget.DeepClone();
        Write(Path.Combine(directory, FileName), index);
    }

    private static JsonObject Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new UsageException($"'{path}' (the execution names used so far) is not valid ({e.Message}); fix it or delete it, which forgets every name used", e);
        }
    }

    private static void Write(string path, JsonObject document)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, document.ToJsonString(Indented));
        File.Move(temporary, path, overwrite: true);
    }

    private static string Hash(string target) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(target)))[..8];
}
