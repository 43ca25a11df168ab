using System.Text.Json;
using Workflows.Cli.Tests.Support;

namespace Workflows.Cli.Tests;

/// <summary>
/// `workflows run` on the project's own ASL files: their ${...} placeholders are filled from template.yaml's
/// DefinitionSubstitutions (found above the file, or named with --template), so any task can be mocked.
/// </summary>
public class RunProjectMachinesTests
{
    private static readonly string Root = FindRoot();
    private static readonly string ProvisionFile = Path.Combine(Root, "statemachines", "provision.asl.json");
    private static readonly string TeardownFile = Path.Combine(Root, "statemachines", "teardown.asl.json");
    private static readonly string ProvisionMocks = Path.Combine(Root, "tests", "Workflows.Application.Tests", "Fixtures", "provision.mocks.json");
    private static readonly string TeardownMocks = Path.Combine(Root, "tests", "Workflows.Application.Tests", "Fixtures", "teardown.mocks.json");

    [Fact]
    public async Task Run_ProvisionFileWithMocks_BindsTheTemplateAndRunsTheCompensation()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync(
            "run", ProvisionFile, "--input", "@" + Path.Combine(Root, "events", "provision-input.json"),
            "--mock-config", ProvisionMocks, "--test-case", "PeerFailure_Compensates", "--json");

        result.ExitCode.Should().Be(1, result.ToString());
        var json = result.Json();
        json.GetProperty("status").GetString().Should().Be("FAILED");
        json.GetProperty("error").GetString().Should().Be("ServiceQuotaExceededException");

        var events = (await cli.RunAsync("history", "--json")).Json().GetProperty("events").EnumerateArray().ToList();
        var scheduled = events
            .Where(e => e.GetProperty("type").GetString() == "TaskScheduled" || e.GetProperty("type").GetString() == "LambdaFunctionScheduled")
            .Select(e => e.GetRawText())
            .ToList();
        scheduled.Should().Contain(e => e.Contains("function:CreatePeerClusterFunction", StringComparison.Ordinal), "the ${...} ARN came from DefinitionSubstitutions");
        events.Select(e => e.GetProperty("type").GetString()).Should().Contain("MapStateEntered", "the clean-up ran");
    }

    [Fact]
    public async Task Run_TeardownFileWithMocks_Succeeds()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync(
            "run", TeardownFile, "--input", "@" + Path.Combine(Root, "events", "teardown-input.json"),
            "--mock-config", TeardownMocks, "--test-case", "HappyPath", "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        var output = result.Json().GetProperty("output");
        output.GetProperty("primary").GetProperty("outcome").GetString().Should().Be("DELETED");
        output.GetProperty("peer").GetProperty("outcome").GetString().Should().Be("DELETED");
    }

    [Fact]
    public async Task Run_ExplicitTemplateWithoutThatMachine_ExitsTwoNamingTemplate()
    {
        using var cli = new CliRun();
        var other = Path.Combine(cli.WorkingDirectory, "template.yaml");
        await File.WriteAllTextAsync(other, "Transform: AWS::Serverless-2016-10-31\nResources: {}\n");

        var result = await cli.RunAsync("run", TeardownFile, "--template", other, "--mock-config", TeardownMocks, "--test-case", "HappyPath");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("--template").And.Contain("DefinitionUri");
    }

    [Fact]
    public async Task Run_PlaceholdersAndNoTemplate_ExitsTwoNamingThePlaceholder()
    {
        using var cli = new CliRun();
        var copy = Path.Combine(cli.WorkingDirectory, "teardown.asl.json");
        File.Copy(TeardownFile, copy);

        var result = await cli.RunAsync("run", copy, "--mock-config", TeardownMocks, "--test-case", "HappyPath");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("${");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Workflows.sln not found above " + AppContext.BaseDirectory);
    }
}
