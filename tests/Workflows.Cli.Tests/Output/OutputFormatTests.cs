using System.Text.Json;
using FluentAssertions;
using Workflows.Cli.Output;
using Workflows.Cli.Tests.Support;
using Xunit;

namespace Workflows.Cli.Tests.Output;

/// <summary>
/// --output table|json|text: json is one document on stdout (progress on stderr), text is tab-separated lines whose
/// first field names the line, and a value outside the three is refused naming the option. Provision, update,
/// teardown, list and describe are covered end to end (Workflows.EndToEnd.Tests, OutputFormatEndToEndTests).
/// </summary>
public sealed class OutputFormatTests
{
    private static readonly string[] HappyRun =
        ["run", CliRun.Fixture("provision.asl.json"), "--input", """{"region":"us-east-1"}""", "--mock-config", CliRun.Fixture("provision.mocks.json"), "--test-case", "HappyPath", "--name", "happy-1"];

    public static TheoryData<string[]> EveryCommandThatPrintsAResult() => new()
    {
        { ["provision"] },
        { ["update", "--from-last-run", "--deletion-protection", "off"] },
        { ["teardown", "--from-last-run"] },
        { ["teardown", "--cluster", "us-east-1:abcdefghijklmnopqrstuvwxyz"] },
        { ["list"] },
        { ["describe", "--region", "us-east-1", "--identifier", "abcdefghijklmnopqrstuvwxyz"] },
        { ["run", CliRun.Fixture("provision.asl.json")] },
        { ["history"] },
        { ["chaos", "--runs", "1"] },
    };

    [Theory]
    [MemberData(nameof(EveryCommandThatPrintsAResult))]
    public async Task Output_UnknownFormat_Exit2NamingTheOptionAndTheFormats(string[] command)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync([.. command, "--output", "yaml"]);

        result.ExitCode.Should().Be(ExitCodes.BadUsage, result.ToString());
        result.Error.Should().Contain("--output 'yaml' is not a format: expected one of table, json, text");
        result.Out.Should().BeEmpty();
        Directory.Exists(cli.StateDirectory).Should().BeFalse("a refused command does nothing");
    }

    [Theory]
    [MemberData(nameof(EveryCommandThatPrintsAResult))]
    public async Task Output_JsonFlagWithAnotherFormat_Exit2NamingBoth(string[] command)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync([.. command, "--json", "--output", "text"]);

        result.ExitCode.Should().Be(ExitCodes.BadUsage, result.ToString());
        result.Error.Should().Contain("--json means --output json; it cannot be combined with --output text");
    }

    [Theory]
    [InlineData("provision")]
    [InlineData("update")]
    [InlineData("teardown")]
    [InlineData("list")]
    [InlineData("describe")]
    [InlineData("run")]
    [InlineData("history")]
    [InlineData("chaos")]
    public async Task Help_EveryCommandThatPrintsAResult_ShowsOutputWithItsFormats(string command)
    {
        using var cli = new CliRun();

        var help = await cli.RunAsync(command, "--help");

        help.Out.Should().Contain("--output <table|json|text>");
    }

    [Fact]
    public async Task Run_OutputJson_OneDocumentOnStdoutProgressOnStderr()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync([.. HappyRun, "--output", "json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        var json = result.Json();
        json.GetProperty("status").GetString().Should().Be("SUCCEEDED");
        json.GetProperty("name").GetString().Should().Be("happy-1");
        json.GetProperty("output").GetProperty("cluster").GetProperty("clusterId").GetString().Should().Be("abc123");
        result.Error.Should().Contain("Announce (Task)", "progress goes to stderr");
    }

    [Fact]
    public async Task Run_OutputText_ExecutionThenOutputLineWithDocumentedColumns()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync([.. HappyRun, "--output", "text"]);

        result.ExitCode.Should().Be(0, result.ToString());
        var lines = Lines(result.Out);
        lines.Select(l => l[0]).Should().Equal("execution", "output", "event");
        // execution, status, name, executionArn, transitions, error, cause
        lines[0].Should().HaveCount(7);
        lines[0][1].Should().Be("SUCCEEDED");
        lines[0][2].Should().Be("happy-1");
        lines[0][3].Should().StartWith("arn:aws:states:").And.EndWith(":happy-1");
        lines[0][4].Should().Be("3");
        lines[0][5..].Should().Equal("-", "-");
        JsonDocument.Parse(lines[1][1]).RootElement.GetProperty("cluster").GetProperty("clusterId").GetString().Should().Be("abc123");
        // event, detailType, eventBusName, time
        lines[2][1..3].Should().Equal("ClusterProvisioned", "default");
        result.Out.Should().NotContain("\u001b", "no colours").And.NotContain("│");
    }

    [Fact]
    public async Task Run_OutputTextFailure_ErrorAndCauseColumnsNoOutputLine()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("run", CliRun.Fixture("provision.asl.json"), "--input", """{"region":"us-east-1"}""", "--mock-config", CliRun.Fixture("provision.mocks.json"), "--test-case", "Broken", "--output", "text");

        result.ExitCode.Should().Be(1, result.ToString());
        var line = Lines(result.Out).Should().ContainSingle().Subject;
        line[1].Should().Be("FAILED");
        line[5].Should().Be("AccessDeniedException");
        line[6].Should().Be("not authorized to create clusters");
    }

    [Fact]
    public async Task History_OutputText_ExecutionLineThenOneEventLinePerEvent()
    {
        using var cli = new CliRun();
        (await cli.RunAsync(HappyRun)).ExitCode.Should().Be(0);
        var json = (await cli.RunAsync("history", "--output", "json")).Json();

        var result = await cli.RunAsync("history", "--output", "text");

        result.ExitCode.Should().Be(0, result.ToString());
        var lines = Lines(result.Out);
        lines[0].Should().Equal("execution", "happy-1", "SUCCEEDED", lines[0][3]);
        var events = lines.Skip(1).ToList();
        events.Should().HaveCount(json.GetProperty("events").GetArrayLength()).And.OnlyContain(l => l[0] == "event" && l.Length == 7);
        // event, id, timestamp, type, previousEventId, state, detail
        events[0][1].Should().Be("1");
        events[0][3].Should().Be("ExecutionStarted");
        events[^1][3].Should().Be("ExecutionSucceeded");
        events.Should().Contain(l => l[3] == "TaskStateEntered" && l[5] == "Announce");
    }

    [Theory]
    [InlineData("a\tb", "a b")]
    [InlineData("line one\nline two\r\n", "line one line two  ")]
    [InlineData("", "-")]
    [InlineData(null, "-")]
    public void TextLine_ValueWithTabsBreaksOrNothing_StaysOneFieldOnOneLine(string? value, string expected)
    {
        using var writer = new StringWriter();

        TextOutput.Line(writer, "kind", value, "last");

        writer.ToString().Should().Be($"kind\t{expected}\tlast{Environment.NewLine}");
    }

    private static List<string[]> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split('\t')).ToList();
}
