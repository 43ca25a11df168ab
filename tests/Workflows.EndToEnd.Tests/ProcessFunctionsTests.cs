using System.Diagnostics;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// The same scenarios as <see cref="PairLifecycleTests"/>, with every function its shipped bootstrap as a real
/// process behind the local Lambda service (`--functions process`): the Runtime API client, the JSON logs and the
/// error names as AWS Lambda would see them, against the embedded DSQL Local over loopback.
/// </summary>
public sealed class ProcessFunctionsTests(LambdaArtifacts artifacts) : IClassFixture<LambdaArtifacts>
{
    private string[] Process(params string[] args) => [.. args, "--functions", "process", "--artifacts", artifacts.Directory];

    [Fact]
    public async Task HappyPath_FunctionsAsProcesses_ProvisionedThenRetiredWithTheInProcessBudget()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync(Process("provision", "--seed", "11", "--json"));

        provision.ExitCode.Should().Be(0, provision.ToString());
        var json = provision.Json();
        json.GetProperty("status").GetString().Should().Be("SUCCEEDED");
        json.GetProperty("transitions").GetInt32().Should().Be(48, "the poll loop measures time on the state machine's clock, as in-process");
        json.GetProperty("lambdaInvocations").GetInt32().Should().Be(18);
        var clusters = await Emulator.ClustersAsync(cli.StateDirectory);
        clusters.Should().HaveCount(2).And.OnlyContain(c => c.Status == "ACTIVE" && c.WitnessRegion == "us-west-2");
        var log = await File.ReadAllTextAsync(Path.Combine(cli.StateDirectory, "last-run.log"));
        log.Should().Contain("CreatePrimaryClusterFunction: {\"level\":\"INFO\"", "the process's JSON lines reach the run log")
            .And.Contain("\"function_request_id\":");

        var teardown = await cli.RunAsync(Process("teardown", "--from-last-run", "--force", "--json"));

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        teardown.Json().GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("status").GetString()).Should().Equal("DELETED", "DELETED");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
        LiveBootstraps(artifacts.Directory).Should().BeEmpty("the local Lambda stops every process when the run ends");
    }

    [Fact]
    public async Task Update_FunctionsAsProcesses_ProtectionOffAndTagsThenTeardownWithoutForce()
    {
        using var cli = new CliRun();
        (await cli.RunAsync(Process("provision", "--provisioning-seconds", "60", "--seed", "12", "--json"))).ExitCode.Should().Be(0);

        var update = await cli.RunAsync(Process("update", "--from-last-run", "--deletion-protection", "off", "--tag", "team=data", "--json"));

        update.ExitCode.Should().Be(0, update.ToString());
        update.Json().GetProperty("status").GetString().Should().Be("SUCCEEDED");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2).And.OnlyContain(c => !c.DeletionProtectionEnabled && c.Tags["team"] == "data");
        var log = await File.ReadAllTextAsync(Path.Combine(cli.StateDirectory, "last-run.log"));
        log.Should().Contain("UpdateClusterTagsFunction: {\"level\":\"INFO\"").And.Contain("ValidateUpdateRequestFunction: {\"level\":\"INFO\"");

        var teardown = await cli.RunAsync(Process("teardown", "--from-last-run", "--json"));

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
        LiveBootstraps(artifacts.Directory).Should().BeEmpty();
    }

    [Fact]
    public async Task PeerFailure_Compensates_FunctionErrorReachesTheStateMachineByName()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync(Process("provision", "--fault", "op=CreateCluster,region=us-east-2,internal=1", "--seed", "3", "--json"));

        provision.ExitCode.Should().Be(1, provision.ToString());
        var json = provision.Json();
        json.GetProperty("error").GetString().Should().Be("InternalServerException", "errorType from the Runtime API is the state's Error");
        json.GetProperty("cause").GetString().Should().Contain("\"errorType\":\"InternalServerException\"").And.Contain("\"stackTrace\"");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty("the clean-up deleted the primary");
        var history = await History.LastAsync(cli);
        history.StatesEntered.Should().Contain(["Delete each cluster", "Check the clusters are gone", "Provisioning failed"]);
    }

    [Fact]
    public async Task RetryPath_ThrottledCreatesAndChecks_RetriedToSuccess()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync(Process(
            "provision",
            "--fault", "op=CreateCluster,throttle=0.5,retry-after=30",
            "--fault", "op=GetCluster,throttle=0.5,retry-after=1",
            "--seed", "8",
            "--json"));

        provision.ExitCode.Should().Be(0, provision.ToString());
        var history = await History.LastAsync(cli);
        history.FailedTaskErrors.Should().Contain("ThrottlingException");
        var log = await File.ReadAllTextAsync(Path.Combine(cli.StateDirectory, "last-run.log"));
        log.Should().Contain("retrying in 1000 ms", "the client inside the process waited out the short Retry-After itself");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2).And.OnlyContain(c => c.Status == "ACTIVE");
    }

    [Fact]
    public async Task Run_ProjectMachineWithFunctionsAsProcesses_TheValidationBootstrapRefusesTheRequest()
    {
        using var cli = new CliRun();
        var machine = Path.Combine(ToolProcess.RepositoryRoot(), "statemachines", "provision.asl.json");

        var run = await cli.RunAsync(Process("run", machine, "--input", """{"primaryRegion":"us-east-1","peerRegion":"us-east-1","witnessRegion":"us-west-2"}""", "--json"));

        run.ExitCode.Should().Be(1, run.ToString());
        run.Json().GetProperty("error").GetString().Should().Be("InvalidRequestException");
        run.Json().GetProperty("cause").GetString().Should().Contain("peerRegion: must differ from primaryRegion");
    }

    [Fact]
    public async Task Provision_ArtifactsWithoutProcessMode_RefusedNamingBothOptions()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync("provision", "--artifacts", artifacts.Directory);

        provision.ExitCode.Should().Be(2, provision.ToString());
        provision.Error.Should().Contain("--artifacts goes with --functions process");
    }

    [Fact]
    public async Task Provision_MissingArtifacts_SaysHowToBuildThemAndCreatesNothing()
    {
        using var cli = new CliRun();
        var empty = Path.Combine(cli.StateDirectory, "no-artifacts");

        var provision = await cli.RunAsync("provision", "--functions", "process", "--artifacts", empty);

        provision.ExitCode.Should().Be(2, provision.ToString());
        provision.Error.Should().Contain("make -C functions");
    }

    /// <summary>Processes whose executable is one of these artifacts (Linux: /proc/PID/exe).</summary>
    private static List<int> LiveBootstraps(string directory) =>
        System.Diagnostics.Process.GetProcesses()
            .Where(p =>
            {
                try
                {
                    var exe = new FileInfo($"/proc/{p.Id}/exe").LinkTarget;
                    return exe is not null && exe.StartsWith(directory, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .Select(p => p.Id)
            .ToList();

    // IAM enforced with every function a process: each bootstrap gets its own role's keys in AWS_ACCESS_KEY_ID /
    // AWS_SECRET_ACCESS_KEY, as Lambda hands a function its execution role's credentials. In this class so that no
    // other class's bootstraps run while LiveBootstraps is checked.
    private string[] IamProcess(params string[] args) => [.. Process(args), "--iam", "enforce"];

    [Fact]
    public async Task IamEnforced_ProvisionThenTeardown_ProcessesOnTheirOwnRolesSucceed()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync(IamProcess("provision", "--seed", "31", "--json"));
        provision.ExitCode.Should().Be(0, provision.ToString());
        var teardown = await cli.RunAsync(IamProcess("teardown", "--from-last-run", "--force", "--json"));

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
    }

    [Fact]
    public async Task IamEnforced_ProcessRoleWithoutPutWitnessRegion_FailsWithAccessDeniedNamingIt()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync(IamProcess("provision", "--seed", "32", "--iam-revoke", "CreatePrimaryClusterFunction=dsql:PutWitnessRegion", "--json"));

        provision.ExitCode.Should().NotBe(0, provision.ToString());
        var json = provision.Json();
        json.GetProperty("error").GetString().Should().Be("AccessDeniedException");
        json.GetProperty("cause").GetString().Should().Contain("assumed-role/CreatePrimaryClusterFunctionRole/CreatePrimaryClusterFunction is not authorized to perform: dsql:PutWitnessRegion");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty("the create is refused before it makes anything");
    }
}
