using Workflows.Application.Tests.Support;
using Workflows.Engine;

namespace Workflows.Application.Tests;

/// <summary>
/// The state machines bound to the template's functions the way the local engine binds them for real runs, with the
/// real validation functions and the console inputs in events/: the payloads the ASL builds are ones the functions
/// accept, and what the validators return is what the rest of the machine reads.
/// </summary>
public class RealValidationTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(Repository.Root, "events", name));

    [Fact]
    public async Task Provision_ConsoleInput_ValidatesAndRunsTheBudgetedPollLoop()
    {
        var activeAt = WorkflowRun.Start.AddMinutes(5);

        var run = await WorkflowRun.RunAsync("provision", "RealValidation", Sample("provision-input.json"), bindFunctions: true, new ScriptedProvisioning(activeAt));

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        run.Result.Transitions.Should().Be(27);
        run.Calls.Should().HaveCount(11);
        run.Output["witnessRegion"]!.GetValue<string>().Should().Be("us-west-2");
    }

    [Fact]
    public async Task Provision_InvalidConsoleInput_FailsNamingTheFieldAndCreatesNothing()
    {
        const string input = """{"primaryRegion":"us-east-1","peerRegion":"us-east-1","witnessRegion":"us-west-2"}""";

        var run = await WorkflowRun.RunAsync("provision", "RealValidation_Rejects", input, bindFunctions: true);

        run.Result.Status.Should().Be(ExecutionStatus.Failed);
        run.Result.Error.Should().Be("InvalidRequestException");
        run.Result.Cause.Should().Contain("peerRegion");
        run.Calls.Select(c => c.Function).Should().Equal("ValidateProvisionRequestFunction");
        run.Events.Should().ContainSingle().Which.DetailType.Should().Be("DSQL Cluster Pair Provisioning Failed");
    }

    [Fact]
    public async Task Teardown_ConsoleInput_ValidatesAndRetiresAnAlreadyRetiredPair()
    {
        var run = await WorkflowRun.RunAsync("teardown", "RealValidation_AlreadyRetired", Sample("teardown-input.json"), bindFunctions: true);

        run.Result.Status.Should().Be(ExecutionStatus.Succeeded, run.Result.Cause);
        var check = run.CallsTo("DescribeCluster").Single().Input;
        check["clusters"]!.AsArray().Select(c => (c!["region"]!.GetValue<string>(), c["identifier"]!.GetValue<string>()))
            .Should().Equal(("us-east-1", "q4abtx7ukcmhsdnk2vzp3ewl5y"), ("us-east-2", "r7cdvy2mfqjt8wbn4xkz6ahs3u"));
    }

    [Fact]
    public async Task Teardown_InvalidConsoleInput_FailsNamingTheField()
    {
        const string input = """{"primary":{"region":"us-east-1","identifier":"q4abtx7ukcmhsdnk2vzp3ewl5y"}}""";

        var run = await WorkflowRun.RunAsync("teardown", "RealValidation_Rejects", input, bindFunctions: true);

        run.Result.Error.Should().Be("InvalidRequestException");
        run.Result.Cause.Should().Contain("peer");
        run.CallsTo("DeleteCluster").Should().BeEmpty();
    }
}
