using System.Text.Json;
using Workflows.Cli.Tests.Support;

namespace Workflows.Cli.Tests;

public class RunCommandTests
{
    private static readonly string Provision = CliRun.Fixture("provision.asl.json");
    private static readonly string Mocks = CliRun.Fixture("provision.mocks.json");

    // The provision fixture's Announce state reads $.region.
    private const string Region = """{"region":"us-east-1"}""";

    [Fact]
    public async Task Run_HappyPathMock_SucceedsWithMockedOutput()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--input", """{"region":"us-east-1"}""", "--mock-config", Mocks, "--test-case", "HappyPath");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("SUCCEEDED").And.Contain("""{"region":"us-east-1","cluster":{"clusterId":"abc123"}}""");
        result.Out.Should().Contain("Transitions   3");
        result.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_RetryPathMock_ShowsTwoFailedAttemptsThenSucceeds()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--input", Region, "--mock-config", Mocks, "--test-case", "RetryPath", "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        var json = result.Json();
        json.GetProperty("output").GetProperty("cluster").GetProperty("clusterId").GetString().Should().Be("def456");
        json.GetProperty("transitions").GetInt32().Should().Be(5, "3 states entered plus 2 retries");
        // IntervalSeconds 2, BackoffRate 2: retries after 2 s and 4 s of virtual time.
        (Date(json, "stopDate") - Date(json, "startDate")).Should().Be(TimeSpan.FromSeconds(6));

        var history = (await cli.RunAsync("history", "--json")).Json().GetProperty("events").EnumerateArray().ToList();
        history.Count(e => e.GetProperty("type").GetString() == "TaskFailed").Should().Be(2);
        history.Count(e => e.GetProperty("type").GetString() == "TaskScheduled").Should().Be(4, "three CreateCluster attempts plus Announce");
        history.Where(e => e.GetProperty("type").GetString() == "TaskFailed")
            .Select(e => e.GetProperty("taskFailedEventDetails").GetProperty("error").GetString())
            .Should().AllBe("ThrottlingException");
    }

    [Fact]
    public async Task Run_RetryPathPlainOutput_PrintsEachAttemptAndTheFinalSummary()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--input", Region, "--mock-config", Mocks, "--test-case", "RetryPath");

        result.ExitCode.Should().Be(0, result.ToString());
        var lines = result.Out.Split('\n');
        lines.Count(l => l.Contains("TaskFailed: ThrottlingException", StringComparison.Ordinal)).Should().Be(2);
        lines.Should().Contain(l => l.Contains("] CreateCluster (Task)", StringComparison.Ordinal));
        result.Out.Should().Contain("Virtual time  00:00:06.000").And.Contain("Wall time");
    }

    [Fact]
    public async Task Run_OnATerminal_ShowsTheLiveDisplayThenTheSummary()
    {
        using var cli = new CliRun { IsTerminal = true };
        var result = await cli.RunAsync("run", Provision, "--input", Region, "--mock-config", Mocks, "--test-case", "RetryPath");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("CreateCluster (Task)").And.Contain("Done (Succeed)").And.Contain("SUCCEEDED").And.Contain("Transitions");
    }

    [Fact]
    public async Task Run_WaitOfAYear_FinishesAtOnceWithStopDateAYearLater()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", CliRun.Fixture("wait-a-year.asl.json"), "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        var json = result.Json();
        (Date(json, "stopDate") - Date(json, "startDate")).Should().Be(TimeSpan.FromDays(365));
    }

    [Fact]
    public async Task Run_WaitOfAYearHuman_ReportsAYearOfVirtualTime()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", CliRun.Fixture("wait-a-year.asl.json"));

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Virtual time  365d 00:00:00.000");
    }

    [Fact]
    public async Task Run_JsonSuccess_PrintsExactlyOneObjectWithTheDocumentedMembers()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--input", Region, "--mock-config", Mocks, "--test-case", "HappyPath", "--name", "run-1", "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.TrimEnd().Split('\n').Should().ContainSingle("one JSON object on one line");
        var json = result.Json();
        json.ValueKind.Should().Be(JsonValueKind.Object);
        Names(json).Should().Contain(["status", "output", "executionArn", "name", "transitions", "startDate", "stopDate"]).And.NotContain(["error", "cause"]);
        json.GetProperty("status").GetString().Should().Be("SUCCEEDED");
        json.GetProperty("name").GetString().Should().Be("run-1");
        json.GetProperty("executionArn").GetString().Should().Be("arn:aws:states:us-east-1:123456789012:execution:provision:run-1");
        json.GetProperty("output").ValueKind.Should().Be(JsonValueKind.Object, "output is the JSON value, not a string");
    }

    [Fact]
    public async Task Run_JsonFailure_PrintsStatusErrorAndCauseAndExits1()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--input", Region, "--mock-config", Mocks, "--test-case", "Broken", "--json");

        result.ExitCode.Should().Be(1, result.ToString());
        var json = result.Json();
        Names(json).Should().Contain(["status", "error", "cause", "executionArn", "name", "transitions", "startDate", "stopDate"]).And.NotContain("output");
        json.GetProperty("status").GetString().Should().Be("FAILED");
        json.GetProperty("error").GetString().Should().Be("AccessDeniedException");
        json.GetProperty("cause").GetString().Should().Be("not authorized to create clusters");
        // Progress only on stderr: "[virtual time] State (Type)" and the failed attempts, never the result.
        result.Error.Should().Contain("CreateCluster (Task)").And.NotContain("AccessDeniedException: not authorized");
        result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(l => l.StartsWith('[') || l.StartsWith("  ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_FailState_ReportsItsErrorAndCauseAndExits1()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", CliRun.Fixture("fail.asl.json"));

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain("FAILED").And.Contain("Error         Cluster.NotReady").And.Contain("Cause         the peer never became ACTIVE");
    }

    [Fact]
    public async Task Run_TimeoutSecondsExceeded_ReportsTimedOutAndExits1()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", CliRun.Fixture("times-out.asl.json"), "--json");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Json().GetProperty("status").GetString().Should().Be("TIMED_OUT");
        result.Json().TryGetProperty("error", out var error).Should().BeTrue();
        error.ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null, "DescribeExecution of a TIMED_OUT execution has no error (recorded on AWS)");
    }

    [Fact]
    public async Task Run_PutEvents_RecordsTheEventOnTheLocalBusAndPrintsIt()
    {
        using var cli = new CliRun();
        var human = await cli.RunAsync("run", Provision, "--input", """{"region":"eu-west-1"}""", "--mock-config", Mocks, "--test-case", "HappyPath");
        var json = (await cli.RunAsync("run", Provision, "--input", """{"region":"eu-west-1"}""", "--mock-config", Mocks, "--test-case", "HappyPath", "--json")).Json();

        human.Out.Should().Contain("Events put on the local bus").And.Contain("workflows.provision").And.Contain("ClusterProvisioned")
            .And.Contain("""{"clusterId":"abc123","region":"eu-west-1"}""");
        var recorded = json.GetProperty("putEvents").EnumerateArray().Should().ContainSingle().Subject;
        recorded.GetProperty("eventBusName").GetString().Should().Be("default");
        recorded.GetProperty("detailType").GetString().Should().Be("ClusterProvisioned");
        recorded.GetProperty("detail").GetProperty("clusterId").GetString().Should().Be("abc123");
    }

    [Fact]
    public async Task Run_InvalidDefinition_Exits2NamingStateAndField()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", CliRun.Fixture("invalid.asl.json"), "--json");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("State 'First', field 'Next'").And.Contain("Nowhere");
        result.Out.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_UnmockedResourceNothingPerforms_Exits2NamingStateAndResource()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", CliRun.Fixture("unmocked.asl.json"));

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("State 'Save', field 'Resource'").And.Contain("arn:aws:states:::dynamodb:putItem");
    }

    [Fact]
    public async Task Run_MissingFile_Exits2WithoutStackTrace()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", "no-such.asl.json");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Be("error: definition file 'no-such.asl.json' does not exist" + Environment.NewLine);
    }

    [Fact]
    public async Task Run_InvalidInputJson_Exits2NamingThePosition()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--input", """{"region": }""");

        result.ExitCode.Should().Be(2);
        result.Error.Should().StartWith("error: --input is not valid JSON at line 1, column 12: expected a value (a string, number, object, array, true, false or null), found '}'");
        result.Error.Should().NotContain(" at Workflows.", "no stack trace");
    }

    [Fact]
    public async Task Run_InputFromFile_PassesItsJsonAsInput()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", CliRun.Fixture("wait-a-year.asl.json"), "--input", "@" + CliRun.Fixture("input.json"), "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Json().GetProperty("output").GetProperty("region").GetString().Should().Be("us-east-1");
    }

    [Fact]
    public async Task Run_InputFileMissing_Exits2()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--input", "@missing.json");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("input file 'missing.json' does not exist");
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789012345678901")]
    public async Task Run_NameAgainstAwsRules_Exits2NamingTheOption(string name)
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", CliRun.Fixture("fail.asl.json"), "--name", name);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().StartWith("error: --name:");
    }

    [Fact]
    public async Task Run_UnknownTestCase_Exits2NamingIt()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--input", Region, "--mock-config", Mocks, "--test-case", "Nope");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--test-case").And.Contain("'Nope'");
    }

    [Fact]
    public async Task Run_MockConfigWithoutTestCase_Exits2()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--input", Region, "--mock-config", Mocks);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--mock-config and --test-case go together");
    }

    [Fact]
    public async Task Run_StateMachineName_SelectsTheMachineInTheMockFile()
    {
        using var cli = new CliRun();
        var copy = Path.Combine(cli.WorkingDirectory, "renamed.asl.json");
        File.Copy(Provision, copy);

        var byFileName = await cli.RunAsync("run", "renamed.asl.json", "--input", Region, "--mock-config", Mocks, "--test-case", "HappyPath");
        var byOption = await cli.RunAsync("run", "renamed.asl.json", "--input", Region, "--mock-config", Mocks, "--test-case", "HappyPath", "--state-machine-name", "provision", "--json");

        byFileName.ExitCode.Should().Be(2, "the mock file has no machine 'renamed'");
        byOption.ExitCode.Should().Be(0, byOption.ToString());
        byOption.Json().GetProperty("executionArn").GetString().Should().Contain(":execution:provision:");
    }

    [Fact]
    public async Task Run_SameSeed_ProducesIdenticalJson()
    {
        using var cli = new CliRun();
        string[] args = ["run", Provision, "--input", Region, "--mock-config", Mocks, "--test-case", "RetryPath", "--seed", "7", "--json"];
        var first = (await cli.RunAsync(args)).Json();
        var second = (await cli.RunAsync(args)).Json();

        first.GetProperty("name").GetString().Should().Be(second.GetProperty("name").GetString(), "the default name is drawn from the seeded RNG");
        first.GetProperty("output").GetRawText().Should().Be(second.GetProperty("output").GetRawText());
    }

    [Fact]
    public async Task Run_SameSeedNameAndClock_IdenticalOutputAndHistoryJson()
    {
        var start = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        using var first = new CliRun { Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(start) };
        using var second = new CliRun { Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(start) };
        string[] args = ["run", Provision, "--input", Region, "--mock-config", Mocks, "--test-case", "HappyPath", "--seed", "7", "--name", "same", "--json"];

        var a = await first.RunAsync(args);
        var b = await second.RunAsync(args);

        a.ExitCode.Should().Be(0, a.ToString());
        b.Out.Should().Be(a.Out);
        (await second.RunAsync("history", "--json")).Out.Should().Be((await first.RunAsync("history", "--json")).Out);
    }

    [Fact]
    public async Task Run_TokenCancelled_Exits130()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        using var cli = new CliRun { Cancellation = cancel.Token };

        var result = await cli.RunAsync("run", Provision, "--input", Region, "--mock-config", Mocks, "--test-case", "HappyPath");

        result.ExitCode.Should().Be(130, result.ToString());
        result.Error.Should().NotContain("internal error");
    }

    [Fact]
    public async Task Run_BadSeed_Exits2NamingTheOption()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("run", Provision, "--seed", "seven");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--seed 'seven' is not a whole number");
    }

    private static DateTimeOffset Date(JsonElement json, string member) =>
        DateTimeOffset.Parse(json.GetProperty(member).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> Names(JsonElement json) => json.EnumerateObject().Select(p => p.Name).ToList();
}
