using System.Text.Json.Nodes;

namespace Workflows.EventBridge.Tests.Patterns;

/// <summary>
/// The examples table in Fixtures/content-filtering-examples.json: every example pattern of EventBridge's documentation
/// on content filtering (docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html,
/// the comparison operators table eb-create-pattern-operators.html, eb-event-patterns.html,
/// eb-event-patterns-arrays.html and eb-event-patterns-null-values.html), with the events each must and must not match.
/// </summary>
internal static class DocumentationExamples
{
    private static readonly Lazy<JsonObject> Table = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "content-filtering-examples.json")))!.AsObject());

    public static IEnumerable<JsonObject> Cases => Table.Value["cases"]!.AsArray().Select(c => c!.AsObject());

    public static IEnumerable<JsonObject> Invalid => Table.Value["invalid"]!.AsArray().Select(c => c!.AsObject());

    public static string PatternText(JsonObject row) =>
        row["patternText"]?.GetValue<string>() ?? row["pattern"]!.ToJsonString();

    public static JsonObject Case(string id) => Cases.Single(c => (string)c["id"]! == id);

    public static JsonObject InvalidCase(string id) => Invalid.Single(c => (string)c["id"]! == id);
}
