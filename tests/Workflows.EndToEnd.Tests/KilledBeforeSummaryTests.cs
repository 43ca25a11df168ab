using System.Text.Json.Nodes;
using Workflows.Cli;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// A provision killed after it recorded its outcome but before it printed it (the chaos campaign's seed 7, run 27):
/// the user saw nothing and runs the same command again, which must show that run, not make a second pair.
/// </summary>
public sealed class KilledBeforeSummaryTests
{
    [Fact]
    public async Task Provision_KilledBetweenRecordAndSummary_SameCommandShowsTheRunAndMakesNoSecondPair()
    {
        using var cli = new CliRun();
        var first = (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json")).Json();
        Unshow(cli.StateDirectory);

        var again = await cli.RunAsync("provision", "--provisioning-seconds", "60");

        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
        again.Out.Should().Contain("already ran with this input").And.Contain(first.GetProperty("name").GetString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2, "the run that was never shown is shown, not repeated");

        var third = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json");

        third.ExitCode.Should().Be(ExitCodes.Success, third.ToString());
        third.Json().GetProperty("name").GetString().Should().NotBe(first.GetProperty("name").GetString(), "once shown, the same command is a new request");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(4);
    }

    [Fact]
    public async Task Provision_Completed_RecordMarkedShown()
    {
        using var cli = new CliRun();

        await cli.RunAsync("provision", "--provisioning-seconds", "60");

        Entries(cli.StateDirectory).Should().ContainSingle().Which["shown"].Should().BeNull("the outcome was printed");
    }

    // What a SIGKILL between ExecutionNames.Record and the summary leaves: the record, still marked not shown.
    private static void Unshow(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "executions.json");
        var index = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var entry in Entries(index))
        {
            entry["shown"] = false;
        }

        File.WriteAllText(path, index.ToJsonString());
    }

    private static List<JsonObject> Entries(string stateDirectory) =>
        Entries(JsonNode.Parse(File.ReadAllText(Path.Combine(stateDirectory, "executions.json")))!);

    private static List<JsonObject> Entries(JsonNode index) =>
        index.AsObject().SelectMany(t => t.Value!.AsObject()).SelectMany(m => m.Value!.AsObject()).Select(e => e.Value!.AsObject()).ToList();
}
