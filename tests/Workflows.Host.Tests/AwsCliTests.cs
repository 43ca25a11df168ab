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
public sealed class AwsCliTests() : ServedTemplate("host-cli")
{

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

        var started = await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", machine, "--name", "from-events", "--input", "file://" + EventsFile("provision-input.json"));
        var arn = started["executionArn"]!.GetValue<string>();
        await session.StepFunctions.WhenClosedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
        var described = await cli.StepFunctionsAsync("describe-execution", "--execution-arn", arn);
        var history = await cli.StepFunctionsAsync("get-execution-history", "--execution-arn", arn, "--reverse-order", "--max-items", "1");

        described["status"]!.GetValue<string>().Should().Be("SUCCEEDED", described.ToJsonString());
        JsonNode.Parse(described["output"]!.GetValue<string>())!["primary"].Should().NotBeNull();
        history["events"]!.AsArray().Single()!["type"]!.GetValue<string>().Should().Be("ExecutionSucceeded");
    }

    [SkippableFact]
    public async Task DsqlLine_ServedProvision_AwsDsqlListClustersThereShowsItsPair()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        var aws = AwsCli.Supporting("list-clusters", "dsql");
        Skip.If(aws is null, "no installed AWS CLI has 'dsql list-clusters' (Debian 12's awscli 2.9 predates Aurora DSQL); install a newer one (pip install awscli) to run this test");
        await using var session = await ServeAsync();
        var cli = Cli(session);

        var started = await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", session.StepFunctions.StateMachineArn("ProvisionStateMachine"), "--input", "file://" + EventsFile("provision-input.json"));
        var described = await CompletedAsync(session, cli, started["executionArn"]!.GetValue<string>());
        var dsqlLine = session.EndpointLines.Single(l => l.StartsWith("DSQL: ", StringComparison.Ordinal));
        var dsql = new AwsCli(new Uri(dsqlLine["DSQL: ".Length..]), DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey, aws);
        var listed = await dsql.DsqlAsync("list-clusters");

        described["status"]!.GetValue<string>().Should().Be("SUCCEEDED", described.ToJsonString());
        var primary = JsonNode.Parse(described["output"]!.GetValue<string>())!["primary"]!["identifier"]!.GetValue<string>();
        dsqlLine.Should().MatchRegex(@"^DSQL: http://127\.0\.0\.1:\d+/?$");
        listed["clusters"]!.AsArray().Select(c => c!["identifier"]!.GetValue<string>()).Should().Contain(primary);
    }

    [SkippableFact]
    public async Task StartExecution_ProvisionThenTeardown_PairRetired()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);

        var provision = await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", session.StepFunctions.StateMachineArn("ProvisionStateMachine"), "--input", "file://" + EventsFile("provision-input.json"));
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

        var started = await cli.StepFunctionsAsync("start-execution", "--state-machine-arn", session.StepFunctions.StateMachineArn(machineName), "--input", "file://" + EventsFile(inputFile));
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
}
