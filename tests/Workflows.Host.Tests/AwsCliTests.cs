using System.Text.Json.Nodes;
using DsqlLocal;
using Workflows.Cli;
using Workflows.Cli.Pairs;
using Workflows.Engine.Tasks;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>
/// The AWS CLI against the host: the project's template served as `workflows serve --virtual-clock` serves it, and a
/// harness with scripted functions for stop and redrive. Completion is awaited on the service's own signal.
/// </summary>
public sealed class AwsCliTests : IDisposable
{
    private static readonly string RepoRoot = FindRoot();
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "host-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ListStateMachines_ServedTemplate_TheThreeMachines()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();

        var listed = await Cli(session).StepFunctionsAsync("list-state-machines");

        listed["stateMachines"]!.AsArray().Select(m => m!["name"]!.GetValue<string>())
            .Should().Equal("ProvisionStateMachine", "TeardownStateMachine", "UpdateStateMachine");
    }

    [SkippableFact]
    public async Task StartExecution_ProvisionInputFromEvents_SucceedsWithHistory()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);
        var machine = session.StepFunctions.StateMachineArn("ProvisionStateMachine");

        var started = await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", machine, "--name", "from-events", "--input", "file://" + Path.Combine(RepoRoot, "events", "provision-input.json"));
        var arn = started["executionArn"]!.GetValue<string>();
        await session.StepFunctions.WhenClosedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
        var described = await cli.StepFunctionsAsync("describe-execution", "--execution-arn", arn);
        var history = await cli.StepFunctionsAsync("get-execution-history", "--execution-arn", arn, "--reverse-order", "--max-items", "1");

        described["status"]!.GetValue<string>().Should().Be("SUCCEEDED", described.ToJsonString());
        JsonNode.Parse(described["output"]!.GetValue<string>())!["primary"].Should().NotBeNull();
        history["events"]!.AsArray().Single()!["type"]!.GetValue<string>().Should().Be("ExecutionSucceeded");
    }

    [SkippableFact]
    public async Task StartExecution_ProvisionThenTeardown_PairRetired()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);

        var provision = await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", session.StepFunctions.StateMachineArn("ProvisionStateMachine"), "--input", "file://" + Path.Combine(RepoRoot, "events", "provision-input.json"));
        var provisioned = await CompletedAsync(session, cli, provision["executionArn"]!.GetValue<string>());
        provisioned["status"]!.GetValue<string>().Should().Be("SUCCEEDED", provisioned.ToJsonString());
        var output = JsonNode.Parse(provisioned["output"]!.GetValue<string>())!;
        var teardownInput = new JsonObject
        {
            ["primary"] = new JsonObject { ["region"] = output["primary"]!["region"]!.GetValue<string>(), ["identifier"] = output["primary"]!["identifier"]!.GetValue<string>() },
            ["peer"] = new JsonObject { ["arn"] = output["peer"]!["arn"]!.GetValue<string>() },
            ["force"] = true,
        };
        var teardown = await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", session.StepFunctions.StateMachineArn("TeardownStateMachine"), "--input", teardownInput.ToJsonString());
        var retired = await CompletedAsync(session, cli, teardown["executionArn"]!.GetValue<string>());

        retired["status"]!.GetValue<string>().Should().Be("SUCCEEDED", retired.ToJsonString());
        var outcome = JsonNode.Parse(retired["output"]!.GetValue<string>())!;
        outcome["primary"]!["outcome"]!.GetValue<string>().Should().Be("DELETED");
        outcome["peer"]!["outcome"]!.GetValue<string>().Should().Be("DELETED");
    }

    [SkippableFact]
    public async Task StartExecution_TenMinuteWaitOnScaledWallClock_SucceedsTenScaledMinutesLater()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        // 100,000 seconds per wall second: the 10-minute Wait really waits, for 6 ms of wall time.
        await using var h = await HostHarness.StartAsync(time: new ScaledTimeProvider(TimeProvider.System, 100_000));
        var cli = new AwsCli(h.Endpoint, TestSigner.AccessKeyId, TestSigner.SecretAccessKey);
        var machine = await h.CreateMachineAsync("scaled", Definitions.WaitTenMinutes);

        var arn = (await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", machine))["executionArn"]!.GetValue<string>();
        await h.Service.WhenClosedAsync(arn).WaitAsync(TimeSpan.FromSeconds(30));
        var history = (await h.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn }))["events"]!.AsArray();

        history[^1]!["type"]!.GetValue<string>().Should().Be("ExecutionSucceeded");
        var waited = history.Single(e => e!["type"]!.GetValue<string>() == "WaitStateExited")!["timestamp"]!.GetValue<double>()
            - history.Single(e => e!["type"]!.GetValue<string>() == "WaitStateEntered")!["timestamp"]!.GetValue<double>();
        waited.Should().BeGreaterThanOrEqualTo(600);
    }

    [SkippableFact]
    public async Task StopExecution_RunningExecution_AbortedAsDescribeShows()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lambda = new LambdaFunctionRegistry();
        lambda.Register("work", async (JsonNode? payload, CancellationToken ct) =>
        {
            await release.Task.WaitAsync(ct);
            return payload;
        });
        await using var h = await HostHarness.StartAsync(lambda: lambda);
        var cli = new AwsCli(h.Endpoint, TestSigner.AccessKeyId, TestSigner.SecretAccessKey);
        var machine = await h.CreateMachineAsync("blocked", Definitions.CallsWork(Definitions.WorkArn));
        var arn = (await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", machine, "--name", "to-stop"))["executionArn"]!.GetValue<string>();

        await cli.StepFunctionsAsync("stop-execution", "--execution-arn", arn, "--error", "Operator", "--cause", "stopped by a test");
        var described = await cli.StepFunctionsAsync("describe-execution", "--execution-arn", arn);

        described["status"]!.GetValue<string>().Should().Be("ABORTED");
        described["error"]!.GetValue<string>().Should().Be("Operator");
        release.SetResult();
    }

    [SkippableFact]
    public async Task RedriveExecution_FailedOnce_SucceedsWithRedriveCountOne()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        var aws = AwsCli.Supporting("redrive-execution");
        Skip.If(aws is null, "no installed AWS CLI has 'stepfunctions redrive-execution' (Debian 12's awscli 2.9 predates it); install a newer one (pip install awscli) to run this test");
        var calls = 0;
        var lambda = new LambdaFunctionRegistry();
        lambda.Register("work", (JsonNode? payload, CancellationToken _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("first call fails")
            : Task.FromResult<JsonNode?>(new JsonObject { ["ok"] = true }));
        await using var h = await HostHarness.StartAsync(lambda: lambda);
        var cli = new AwsCli(h.Endpoint, TestSigner.AccessKeyId, TestSigner.SecretAccessKey, aws);
        var machine = await h.CreateMachineAsync("flaky", Definitions.CallsWork(Definitions.WorkArn));
        var arn = (await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", machine, "--name", "to-redrive"))["executionArn"]!.GetValue<string>();
        await h.Service.WhenClosedAsync(arn).WaitAsync(TimeSpan.FromSeconds(30));
        var failed = await cli.StepFunctionsAsync("describe-execution", "--execution-arn", arn);

        await cli.StepFunctionsAsync("redrive-execution", "--execution-arn", arn);
        await h.Service.WhenClosedAsync(arn).WaitAsync(TimeSpan.FromSeconds(30));
        var redriven = await cli.StepFunctionsAsync("describe-execution", "--execution-arn", arn);

        failed["status"]!.GetValue<string>().Should().Be("FAILED");
        failed["error"]!.GetValue<string>().Should().Be("InvalidOperationException");
        redriven["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        redriven["redriveCount"]!.GetValue<int>().Should().Be(1);
    }

    [SkippableTheory]
    [InlineData("ProvisionStateMachine", "provision-input.json", "SUCCEEDED", null)]
    // The console inputs name clusters a fresh local DSQL has never had: teardown finds the pair already retired
    // and succeeds; update refuses to change a pair that does not exist.
    [InlineData("TeardownStateMachine", "teardown-input.json", "SUCCEEDED", null)]
    [InlineData("UpdateStateMachine", "update-input.json", "FAILED", "Workflows.ClusterNotFound")]
    public async Task StartExecution_ConsoleInputFromEvents_ReachesExpectedTerminalStatus(string machineName, string inputFile, string expected, string? error)
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);

        var started = await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", session.StepFunctions.StateMachineArn(machineName), "--input", "file://" + Path.Combine(RepoRoot, "events", inputFile));
        var described = await CompletedAsync(session, cli, started["executionArn"]!.GetValue<string>());

        described["status"]!.GetValue<string>().Should().Be(expected, described.ToJsonString());
        described["error"]?.GetValue<string>().Should().Be(error, described.ToJsonString());
    }

    [SkippableFact]
    public async Task TestState_PassThroughCli_SucceededWithNextStateAndInspection()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        var aws = AwsCli.Supporting("test-state");
        Skip.If(aws is null, "no installed AWS CLI has 'stepfunctions test-state' (Debian 12's awscli 2.9 predates it); install a newer one (pip install awscli) to run this test");
        await using var h = await HostHarness.StartAsync();
        var cli = new AwsCli(h.Endpoint, TestSigner.AccessKeyId, TestSigner.SecretAccessKey, aws);

        var answer = await cli.StepFunctionsAsync("test-state", "--definition", """{"Type":"Pass","Result":1,"ResultPath":"$.one","Next":"After"}""",
            "--role-arn", HostHarness.RoleArn, "--input", """{"a":0}""", "--inspection-level", "DEBUG");

        answer["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        answer["nextState"]!.GetValue<string>().Should().Be("After");
        JsonNode.Parse(answer["output"]!.GetValue<string>())!["one"]!.GetValue<int>().Should().Be(1);
        answer["inspectionData"]!["afterInputPath"].Should().NotBeNull();
    }

    private static AwsCli Cli(ServeSession session) => new(session.Host.BaseAddress, DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey);

    private static async Task<JsonObject> CompletedAsync(ServeSession session, AwsCli cli, string arn)
    {
        await session.StepFunctions.WhenClosedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
        return await cli.StepFunctionsAsync("describe-execution", "--execution-arn", arn);
    }

    private Task<ServeSession> ServeAsync(double? timeScale = null) => ServeSession.StartAsync(
        new BackendSettings { Mode = EndpointMode.Embedded, StateDirectory = _stateDirectory, Seed = 11, TimeScale = timeScale },
        new ServeSettings { Port = 0, TemplatePath = Path.Combine(RepoRoot, "template.yaml"), TimeScale = timeScale ?? 1 },
        new CliHost { WorkingDirectory = RepoRoot },
        extraServices: null,
        CancellationToken.None);

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Workflows.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Workflows.sln) is not above " + AppContext.BaseDirectory);
    }
}
