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

    /// <summary>
    /// The status recorded before a run's first side effect. Still there afterwards means the process died (a
    /// crash, SIGKILL) before it could record how the run ended: the name may be run again with the same input.
    /// </summary>
    public const string Running = "RUNNING";

    /// <summary>Whether a run with this status may be run again under its name with the same input (finishing it).</summary>
    public static bool Resumable(string status) => status is Aborted or Running;

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

        if (entry["status"]?.GetValue<string>() == Running)
        {
            return new UsedName(entry["input"]?.GetValue<string>() ?? string.Empty, Running, [], []);
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

    /// <summary>
    /// The name of the latest run of <paramref name="machine"/> against <paramref name="target"/> with this input
    /// that never finished (RUNNING: its process died; ABORTED: it was interrupted), or that finished but whose outcome
    /// was never shown (the process died between recording it and printing it), so the same command without --name
    /// resumes or shows it instead of starting a second execution (and a second pair).
    /// </summary>
    public static string? Unfinished(string directory, string target, string machine, string input)
    {
        if (Load(directory)[target]?[machine] is not JsonObject byName)
        {
            return null;
        }

        return byName
            .Where(p => p.Value is JsonObject e && e["input"]?.GetValue<string>() == input
                && (Resumable(e["status"]?.GetValue<string>() ?? string.Empty) || e["shown"]?.GetValue<bool>() == false))
            .Select(p => p.Key)
            .LastOrDefault();
    }

    /// <summary>Records the run as RUNNING before it does anything, so a crash cannot lose track of it.</summary>
    public static void Begin(string directory, string target, string machine, string name, string input)
    {
        using var held = StateFiles.Lock(directory);
        var index = Load(directory);
        var byTarget = index[target] as JsonObject ?? [];
        var byMachine = byTarget[machine] as JsonObject ?? [];
        // Removed and added again so the entry is last: Unfinished takes the latest.
        byMachine.Remove(name);
        byMachine[name] = new JsonObject { ["input"] = input, ["status"] = Running };
        byTarget[machine] = byMachine.DeepClone();
        index[target] = byTarget.DeepClone();
        Write(Path.Combine(directory, FileName), index);
    }

    /// <summary>Forgets a RUNNING entry of a run that turned out not to use its name (see <see cref="Burns"/>).</summary>
    public static void Release(string directory, string target, string machine, string name)
    {
        using var held = StateFiles.Lock(directory);
        var index = Load(directory);
        if (index[target]?[machine] is JsonObject byMachine && byMachine[name]?["status"]?.GetValue<string>() == Running)
        {
            byMachine.Remove(name);
            Write(Path.Combine(directory, FileName), index);
        }
    }

    public static void Record(string directory, string target, string machine, string name, string input, string status, JsonObject outcome, JsonObject record)
    {
        var relative = Path.Combine(RunsDirectory, $"{machine}-{name}-{Hash(target)}.json");
        Directory.CreateDirectory(Path.Combine(directory, RunsDirectory));
        Write(Path.Combine(directory, relative), new JsonObject { ["outcome"] = outcome.DeepClone(), ["record"] = record.DeepClone() });

        using var held = StateFiles.Lock(directory);
        var index = Load(directory);
        var byTarget = index[target] as JsonObject ?? [];
        var byMachine = byTarget[machine] as JsonObject ?? [];
        // "shown": false until the outcome is on screen (MarkShown): a kill in between leaves it for the next run to show.
        byMachine[name] = new JsonObject { ["input"] = input, ["status"] = status, ["file"] = relative.Replace('\\', '/'), ["shown"] = false };
        byTarget[machine] = byMachine.DeepClone();
        index[target] = byTarget.DeepClone();
        Write(Path.Combine(directory, FileName), index);
    }

    /// <summary>The run's outcome has been printed: the same command again starts a new execution (or is told of this one by name).</summary>
    public static void MarkShown(string directory, string target, string machine, string name)
    {
        using var held = StateFiles.Lock(directory);
        var index = Load(directory);
        if (index[target]?[machine]?[name] is JsonObject entry && entry["shown"] is not null)
        {
            entry.Remove("shown");
            Write(Path.Combine(directory, FileName), index);
        }
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

    private static void Write(string path, JsonObject document) => StateFiles.WriteAtomically(path, document.ToJsonString(Indented));

    private static string Hash(string target) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(target)))[..8];
}
