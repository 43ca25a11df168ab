using System.Text.Json;

namespace Workflows.EndToEnd.Tests.Support;

/// <summary>The last run's history as 'workflows history --json' prints it.</summary>
internal sealed class History(JsonElement events)
{
    public static async Task<History> LastAsync(CliRun cli)
    {
        var result = await cli.RunAsync("history", "--json");
        result.ExitCode.Should().Be(0, result.ToString());
        return new History(result.Json().GetProperty("events"));
    }

    public IEnumerable<JsonElement> Events => events.EnumerateArray();

    public IEnumerable<string> Types => Events.Select(e => e.GetProperty("type").GetString()!);

    /// <summary>The states entered, in order.</summary>
    public IReadOnlyList<string> StatesEntered => Events
        .Where(e => e.GetProperty("type").GetString()!.EndsWith("StateEntered", StringComparison.Ordinal))
        .Select(e => Details(e).GetProperty("name").GetString()!)
        .ToList();

    public IEnumerable<string> FailedTaskErrors => Events
        .Where(e => e.GetProperty("type").GetString() == "LambdaFunctionFailed")
        .Select(e => Details(e).GetProperty("error").GetString()!);

    private static JsonElement Details(JsonElement e) =>
        e.EnumerateObject().First(p => p.Name.EndsWith("EventDetails", StringComparison.Ordinal)).Value;
}
