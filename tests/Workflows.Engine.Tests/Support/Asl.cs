using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Support;

/// <summary>Runs definitions on a fresh virtual-time engine and reads results as JSON.</summary>
internal static class Asl
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static EngineOptions Options(int seed = 7) => new() { Clock = new Time.VirtualClock(Epoch), Seed = seed, StateMachineName = "Machine" };

    public static EngineOptions Options(Tasks.ITaskInvoker invoker, int seed = 7) =>
        new() { Clock = new Time.VirtualClock(Epoch), Seed = seed, StateMachineName = "Machine", TaskInvokers = [invoker] };

    /// <summary>A Task state on the scripted test resource, with extra fields spliced in.</summary>
    public static string Task(string extra = "", string next = "\"End\":true") =>
        "{\"Type\":\"Task\",\"Resource\":\"" + ScriptedInvoker.Resource + "\"," + (extra.Length > 0 ? extra + "," : string.Empty) + next + "}";

    public static Task<ExecutionResult> RunAsync(string definition, string input = "{}", EngineOptions? options = null, string? name = null) =>
        new AslEngine(options ?? Options()).StartExecutionAsync(definition, input, name ?? "run-1");

    /// <summary>A machine with a single state named S.</summary>
    public static string Single(string stateJson) => """{"StartAt":"S","States":{"S":""" + stateJson + "}}";

    public static JsonNode? Output(this ExecutionResult result) => result.Output is null ? null : JsonNode.Parse(result.Output);

    public static string Json(this JsonNode? node) => Paths.JsonValues.ToJson(node);

    public static IEnumerable<string> Types(this ExecutionResult result) => result.History.Select(e => e.Type);
}
