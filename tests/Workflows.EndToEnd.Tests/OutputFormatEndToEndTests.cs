using System.Text.Json;
using Workflows.Cli;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// --output json and text of provision, update, teardown, list and describe on the embedded emulator: json is one
/// document on stdout (the progress goes to stderr), text is the documented tab-separated columns (README, "Output
/// formats"), and both carry the same values.
/// </summary>
public sealed class OutputFormatEndToEndTests
{
    [Fact]
    public async Task Provision_OutputJson_OneDocumentWithCamelCaseMembersProgressOnStderr()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--output", "json");

        result.ExitCode.Should().Be(ExitCodes.Success, result.ToString());
        var json = result.Json();
        json.EnumerateObject().Select(p => p.Name).Should().StartWith(["status", "output", "workflow", "target", "executionArn", "name", "transitions", "lambdaInvocations"]);
        json.GetProperty("clusters").EnumerateArray().Select(c => c.EnumerateObject().Select(p => p.Name).ToList())
            .Should().AllSatisfy(names => names.Should().Equal("region", "identifier", "arn", "status", "endpoint"));
        result.Error.Should().Contain("provision on embedded DSQL Local").And.Contain("Create the primary cluster (Task)");
    }

    [Fact]
    public async Task Provision_OutputText_ExecutionClusterAndEventLinesMatchingTheJson()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--seed", "5", "--output", "text");

        result.ExitCode.Should().Be(ExitCodes.Success, result.ToString());
        var lines = Lines(result.Out);
        lines.Select(l => l[0]).Should().Equal("execution", "cluster", "cluster", "event");
        // execution, status, workflow, name, executionArn, error, cause
        lines[0].Should().HaveCount(7);
        lines[0][1..4].Should().Equal("SUCCEEDED", "provision", lines[0][3]);
        lines[0][4].Should().EndWith(":" + lines[0][3]);
        lines[0][5..].Should().Equal("-", "-");
        // cluster, region, identifier, status, arn, endpoint
        lines[1].Should().HaveCount(6);
        lines[1][1].Should().Be("us-east-1");
        lines[2][1].Should().Be("us-east-2");
        foreach (var c in lines.Skip(1).Take(2))
        {
            c[2].Should().MatchRegex("^[a-z0-9]{26}$");
            c[3].Should().Be("ACTIVE");
            c[4].Should().Be($"arn:aws:dsql:{c[1]}:123456789012:cluster/{c[2]}");
            c[5].Should().Be($"{c[2]}.dsql.{c[1]}.on.aws");
        }

        // The recorded run, shown again by the same seeded command, prints the same lines.
        var again = await cli.RunAsync("provision", "--provisioning-seconds", "60", "--seed", "5", "--output", "text");
        again.Out.Should().Be(result.Out, again.ToString());
    }

    [Fact]
    public async Task UpdateAndTeardown_OutputText_TheirExecutionAndClusterLines()
    {
        using var cli = new CliRun();
        var made = (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--json")).Json();

        var update = await cli.RunAsync("update", "--from-last-run", "--deletion-protection", "off", "--output", "text");

        update.ExitCode.Should().Be(ExitCodes.Success, update.ToString());
        var lines = Lines(update.Out);
        lines[0][0..3].Should().Equal("execution", "SUCCEEDED", "update");
        lines.Where(l => l[0] == "cluster").Select(l => l[2]).Should().BeEquivalentTo(Id(made, "primary"), Id(made, "peer"));
        update.Error.Should().Contain("--from-last-run", "the note on which pair goes to stderr, not into the lines");

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--output", "text");

        teardown.ExitCode.Should().Be(ExitCodes.Success, teardown.ToString());
        lines = Lines(teardown.Out);
        lines[0][0..3].Should().Equal("execution", "SUCCEEDED", "teardown");
        lines.Where(l => l[0] == "cluster").Should().HaveCount(2).And.OnlyContain(l => l[3] == "DELETED");
    }

    [Fact]
    public async Task Teardown_OutputTextNothingThere_ClustersNotFoundAsOneWord()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("teardown", "--primary", "us-east-1:abcdefghijklmnopqrstuvwxyz", "--peer", "us-east-2:zyxwvutsrqponmlkjihgfedcba", "--output", "text");

        result.ExitCode.Should().Be(ExitCodes.NothingToRetire, result.ToString());
        Lines(result.Out).Where(l => l[0] == "cluster").Select(l => l[3]).Should().Equal("NOT_FOUND", "NOT_FOUND");
    }

    [Fact]
    public async Task TeardownCluster_OutputText_OneClusterLineWithItsOutcome()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("teardown", "--cluster", "us-east-1:abcdefghijklmnopqrstuvwxyz", "--output", "text");

        result.ExitCode.Should().Be(ExitCodes.NothingToRetire, result.ToString());
        // cluster, region, identifier, outcome, status, arn, peer
        Lines(result.Out).Should().ContainSingle().Which.Should().Equal("cluster", "us-east-1", "abcdefghijklmnopqrstuvwxyz", "NOT_FOUND", "-", "-", "-");
    }

    [Fact]
    public async Task ListAndDescribe_OutputText_ColumnsMatchTheirJson()
    {
        using var cli = new CliRun();
        var made = (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--tag", "team=data", "--json")).Json();
        var name = made.GetProperty("name").GetString();

        var list = await cli.RunAsync("list", "--region", "us-east-1", "--region", "us-east-2", "--output", "text");

        list.ExitCode.Should().Be(ExitCodes.Success, list.ToString());
        var rows = Lines(list.Out);
        // cluster, execution, region, identifier, status, deletionProtectionEnabled, creationTime, arn, stateMachine
        rows.Should().HaveCount(2).And.OnlyContain(r => r.Length == 9 && r[0] == "cluster" && r[1] == name && r[4] == "ACTIVE" && r[5] == "true");
        rows.Select(r => r[3]).Should().Equal(Id(made, "primary"), Id(made, "peer"));
        rows[0][8].Should().Be("arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionStateMachine");

        var describe = await cli.RunAsync("describe", "--region", "us-east-1", "--identifier", Id(made, "primary"), "--output", "text");
        var json = (await cli.RunAsync("describe", "--region", "us-east-1", "--identifier", Id(made, "primary"), "--output", "json")).Json();

        describe.ExitCode.Should().Be(ExitCodes.Success, describe.ToString());
        var lines = Lines(describe.Out);
        // cluster, identifier, status, arn, endpoint, witnessRegion, deletionProtectionEnabled, creationTime
        lines[0].Should().Equal("cluster", Id(made, "primary"), "ACTIVE", json.GetProperty("arn").GetString(), json.GetProperty("endpoint").GetString(), "us-west-2", "true", json.GetProperty("creationTime").GetString());
        lines.Where(l => l[0] == "peer").Select(l => l[1]).Should().Equal(json.GetProperty("peers").EnumerateArray().Select(p => p.GetString()));
        lines.Should().Contain(l => l[0] == "tag" && l[1] == "team" && l[2] == "data");
        lines.Where(l => l[0] == "tag").Should().HaveCount(json.GetProperty("tags").EnumerateObject().Count());
    }

    private static string Id(JsonElement run, string role) => run.GetProperty("output").GetProperty(role).GetProperty("identifier").GetString()!;

    private static List<string[]> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split('\t')).ToList();
}
