using System.Text.Json.Nodes;

namespace Workflows.Conformance.Tests;

/// <summary>One AWS-recorded execution: what was run, and what AWS answered (fields as the corpus README names them).</summary>
public sealed class ConformanceCase
{
    public required string File { get; init; }

    public required string Category { get; init; }

    public required string QueryLanguage { get; init; }

    public required string Definition { get; init; }

    public required string Input { get; init; }

    public required string StateMachineName { get; init; }

    public required string ExecutionName { get; init; }

    public required bool Express { get; init; }

    /// <summary>State name → attempts, each {"Return": …} or {"Throw": {"Error","Cause"}}.</summary>
    public JsonObject? Mocks { get; init; }

    public required JsonObject Expected { get; init; }

    public required JsonArray Transformers { get; init; }

    public required IReadOnlyList<string> SkipVerifyPaths { get; init; }

    public bool IsJsonPath => QueryLanguage == "JSONPath";

    public static ConformanceCase Load(string path)
    {
        var root = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
        return new ConformanceCase
        {
            File = Path.GetFileName(path),
            Category = (string)root["category"]!,
            QueryLanguage = (string?)root["query_language"] ?? "JSONPath",
            Definition = (string)root["definition"]!,
            Input = (string?)root["input"] ?? "{}",
            StateMachineName = (string)root["sm_name"]!,
            ExecutionName = (string)root["exec_name"]!,
            Express = (bool?)root["express"] == true || (string?)root["exec_kind"] is "sync" or "express",
            Mocks = root["mocks"] as JsonObject,
            Expected = root["expected"]!.AsObject(),
            Transformers = root["transformers"] as JsonArray ?? [],
            SkipVerifyPaths = (root["skip_verify_paths"] as JsonArray ?? []).Select(p => (string)p!).ToList(),
        };
    }

    public static IReadOnlyList<ConformanceCase> LoadAll(string directory) =>
        Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(Load).ToList();
}
