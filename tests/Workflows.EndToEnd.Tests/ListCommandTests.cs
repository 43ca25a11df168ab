using System.Text.Json;
using System.Text.RegularExpressions;
using Workflows.Cli;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>workflows list: the pairs the workflows made, found by their run tags across Regions.</summary>
public sealed partial class ListCommandTests
{
    [Fact]
    public async Task List_TwoPairsInTwoRegionSets_BothListedWithTheirExecutionAndStatus()
    {
        using var cli = new CliRun();
        var first = (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json")).Json();
        var second = (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--primary-region", "eu-west-1", "--peer-region", "eu-west-3", "--witness-region", "eu-central-1", "--json")).Json();

        var list = await cli.RunAsync("list", "--json");

        list.ExitCode.Should().Be(ExitCodes.Success, list.ToString());
        var pairs = list.Json().GetProperty("pairs").EnumerateArray().ToList();
        pairs.Select(p => p.GetProperty("execution").GetString()).Should().Equal(first.GetProperty("name").GetString(), second.GetProperty("name").GetString());
        Identifiers(pairs[1]).Should().BeEquivalentTo(Id(second, "primary"), Id(second, "peer"));
        pairs.SelectMany(p => p.GetProperty("clusters").EnumerateArray()).Should().OnlyContain(c => c.GetProperty("status").GetString() == "ACTIVE");
    }

    [Fact]
    public async Task List_AfterTeardown_TheRetiredPairIsGoneAndTheRetireLineWorks()
    {
        using var cli = new CliRun();
        await cli.RunAsync("provision", "--provisioning-seconds", "60");
        var retired = (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json")).Json();
        (await cli.RunAsync("teardown", "--from-last-run", "--force")).ExitCode.Should().Be(0);

        var list = await cli.RunAsync("list");

        list.ExitCode.Should().Be(ExitCodes.Success, list.ToString());
        list.Out.Should().Contain("1 pair(s)").And.NotContain(Id(retired, "primary"));
        var retire = RetireLine().Match(list.Out);
        retire.Success.Should().BeTrue(list.Out);

        var teardown = await cli.RunAsync(retire.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        teardown.ExitCode.Should().Be(ExitCodes.Success, teardown.ToString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
        (await cli.RunAsync("list")).Out.Should().Contain("0 pair(s)");
    }

    [Fact]
    public async Task List_BadRegion_UsageErrorNamingTheOption()
    {
        using var cli = new CliRun();

        var list = await cli.RunAsync("list", "--region", "us-east-1 ");

        list.ExitCode.Should().Be(ExitCodes.BadUsage, list.ToString());
        list.Error.Should().Contain("--region");
    }

    private static string Id(JsonElement run, string role) => run.GetProperty("output").GetProperty(role).GetProperty("identifier").GetString()!;

    private static IEnumerable<string?> Identifiers(JsonElement pair) =>
        pair.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("identifier").GetString());

    [GeneratedRegex(@"Retire: workflows (?<args>teardown [^\n]+?)\s*\n")]
    private static partial Regex RetireLine();
}
