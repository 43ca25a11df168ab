using Spectre.Console;
using Workflows.Engine;
using Workflows.Engine.Tasks;

namespace Workflows.Cli.Output;

/// <summary>The human end of a run: what happened, how many transitions, and how long in virtual and wall time.</summary>
internal static class RunSummary
{
    public static void Write(IAnsiConsole console, ExecutionResult result, IReadOnlyList<LocalEvent> putEvents, TimeSpan wall, string savedTo)
    {
        var colour = result.Status == ExecutionStatus.Succeeded ? "green" : "red";
        var fields = new Fields()
            .AddMarkup("Status", $"[bold {colour}]{result.StatusText}[/]")
            .Add("Execution", result.ExecutionArn);
        if (result.Status == ExecutionStatus.Succeeded)
        {
            fields.Add("Output", result.Output ?? "null");
        }
        else
        {
            fields.Add("Error", result.Error ?? "(none)");
            fields.Add("Cause", result.Cause ?? "(none)");
        }

        fields.Add("Transitions", result.Transitions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        fields.Add("Virtual time", $"{Formats.Duration(result.StopDate - result.StartDate)} ({Formats.Timestamp(result.StartDate)} → {Formats.Timestamp(result.StopDate)})");
        fields.Add("Wall time", Formats.Seconds(wall));
        fields.Add("History", $"{result.History.Count} events, saved to {savedTo} (workflows history)");
        console.WriteLine();
        fields.Write(console);

        if (putEvents.Count > 0)
        {
            var table = new Table().Title("Events put on the local bus").AddColumns("Time", "Bus", "Source", "DetailType", "Detail");
            foreach (var e in putEvents)
            {
                table.AddRow(
                    new Text(Formats.Timestamp(e.Time)),
                    new Text(e.EventBusName),
                    new Text(e.Source),
                    new Text(e.DetailType),
                    new Text(Formats.Short(e.Detail?.ToJsonString(), 120)));
            }

            console.WriteLine();
            console.Write(table);
        }
    }
}
