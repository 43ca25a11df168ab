using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DsqlLocal;
using Workflows.Cli;
using Workflows.Cli.Pairs;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>
/// `workflows serve --virtual-clock` driven through EventBridge and Lambda with the AWS CLI: the request events of
/// events/ put on the template's bus start their state machines, the outcome events land on the same bus (read at
/// GET /_local/events/{bus}), and the functions answer Invoke. Completion is awaited on the bus's and the
/// service's own signals, never on wall time.
/// </summary>
public sealed class EventBridgeAwsCliTests() : ServedTemplate("host-events")
{
    private const string Bus = "workflows";

    [SkippableFact]
    public async Task PutEvents_ProvisionThenTeardownRequest_PairProvisionedAnnouncedAndRetired()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);

        var put = await cli.EventsAsync("put-events", "--entries", Entry("provision-requested-event.json"));
        var provision = await SingleClosedAsync(session, cli, "ProvisionStateMachine");
        var history = await cli.StepFunctionsAsync("get-execution-history", "--execution-arn", provision["executionArn"]!.GetValue<string>(), "--reverse-order", "--max-items", "1");
        var onBus = await BusEventsAsync(session);

        put["FailedEntryCount"]!.GetValue<int>().Should().Be(0);
        provision["status"]!.GetValue<string>().Should().Be("SUCCEEDED", provision.ToJsonString());
        history["events"]!.AsArray().Single()!["type"]!.GetValue<string>().Should().Be("ExecutionSucceeded");
        var announced = onBus.Where(e => e!["Event"]!["detail-type"]!.GetValue<string>() == "DSQL Cluster Pair Provisioned").Should().ContainSingle().Subject!;
        announced["Event"]!["detail"]!["executionArn"]!.GetValue<string>().Should().Be(provision["executionArn"]!.GetValue<string>());
        onBus[0]!["MatchedRules"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("ProvisionStateMachineProvisionRequested");
        session.EmulatorClusters()!.Where(c => c.Status == "ACTIVE").Should().HaveCount(2);

        var output = JsonNode.Parse(provision["output"]!.GetValue<string>())!;
        await cli.EventsAsync("put-events", "--entries", Entry("teardown-requested-event.json", detail =>
        {
            detail["primary"] = new JsonObject { ["region"] = output["primary"]!["region"]!.GetValue<string>(), ["identifier"] = output["primary"]!["identifier"]!.GetValue<string>() };
            detail["peer"] = new JsonObject { ["arn"] = output["peer"]!["arn"]!.GetValue<string>() };
            // The request asked for deletion protection: the teardown refuses without force (DeletionProtectionEnabledException).
            detail["force"] = true;
        }));
        var teardown = await SingleClosedAsync(session, cli, "TeardownStateMachine");

        teardown["status"]!.GetValue<string>().Should().Be("SUCCEEDED", teardown.ToJsonString());
        session.EmulatorClusters().Should().BeEmpty();
    }

    [SkippableFact]
    public async Task PutEvents_NonMatchingEvent_StartsNothingButIsLogged()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);

        var put = await cli.EventsAsync("put-events", "--entries", Entry("provision-requested-event.json", source: "someone.else"));
        await session.EventBridge.FindBus(Bus)!.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var logged = await BusEventsAsync(session);

        put["FailedEntryCount"]!.GetValue<int>().Should().Be(0);
        logged.Should().ContainSingle().Which!["MatchedRules"]!.AsArray().Should().BeEmpty();
        foreach (var machine in session.StateMachineArns)
        {
            (await cli.StepFunctionsAsync("list-executions", "--state-machine-arn", machine))["executions"]!.AsArray().Should().BeEmpty(machine);
        }
    }

    [SkippableFact]
    public async Task PutEvents_SameRequestTwice_OnePair()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);
        var entry = Entry("provision-requested-event.json");

        await cli.EventsAsync("put-events", "--entries", entry);
        await cli.EventsAsync("put-events", "--entries", entry);
        await session.EventBridge.FindBus(Bus)!.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var listed = await cli.StepFunctionsAsync("list-executions", "--state-machine-arn", session.StepFunctions.StateMachineArn("ProvisionStateMachine"));
        var arns = listed["executions"]!.AsArray().Select(e => e!["executionArn"]!.GetValue<string>()).ToList();
        foreach (var arn in arns)
        {
            await session.StepFunctions.WhenClosedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
        }

        // Two executions (EventBridge names each one itself), one pair: the request's idempotencyKey makes the
        // second send the same client tokens, so it finds the first one's clusters.
        arns.Should().HaveCount(2);
        foreach (var arn in arns)
        {
            (await cli.StepFunctionsAsync("describe-execution", "--execution-arn", arn))["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        }

        session.EmulatorClusters()!.Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task ListRulesAndDescribeRule_TemplateBus_TheTemplatesRulesWithStateMachineTargets()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);

        var rules = await cli.EventsAsync("list-rules", "--event-bus-name", Bus);
        var rule = await cli.EventsAsync("describe-rule", "--event-bus-name", Bus, "--name", "ProvisionStateMachineProvisionRequested");
        var targets = await cli.EventsAsync("list-targets-by-rule", "--event-bus-name", Bus, "--rule", "ProvisionStateMachineProvisionRequested");

        rules["Rules"]!.AsArray().Select(r => r!["Name"]!.GetValue<string>()).Should().Contain(["ProvisionStateMachineProvisionRequested", "TeardownStateMachineTeardownRequested"]);
        rule["State"]!.GetValue<string>().Should().Be("ENABLED");
        JsonNode.Parse(rule["EventPattern"]!.GetValue<string>())!["detail-type"]![0]!.GetValue<string>().Should().Be("DSQL Cluster Pair Provision Requested");
        targets["Targets"]!.AsArray().Single()!["Arn"]!.GetValue<string>().Should().Be(session.StepFunctions.StateMachineArn("ProvisionStateMachine"));
    }

    [SkippableTheory]
    [InlineData("provision-requested-event.json", true)]
    [InlineData("teardown-requested-event.json", false)]
    public async Task TestEventPattern_ProvisionRulesPattern_MatchesOnlyTheProvisionRequest(string eventFile, bool expected)
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);
        var rule = await cli.EventsAsync("describe-rule", "--event-bus-name", Bus, "--name", "ProvisionStateMachineProvisionRequested");

        var tested = await cli.EventsAsync("test-event-pattern", "--event-pattern", rule["EventPattern"]!.GetValue<string>(), "--event", "file://" + EventsFile(eventFile));

        tested["Result"]!.GetValue<bool>().Should().Be(expected);
    }

    [SkippableFact]
    public async Task LambdaInvoke_ValidateFunctionWithItsEvent_AnswersTheNormalizedRequest()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var outFile = Path.Combine(StateDirectory, "out.json");

        var answer = await Cli(session).LambdaAsync("invoke", "--function-name", "ValidateProvisionRequestFunction", "--payload", "fileb://" + EventsFile("ValidateProvisionRequest.json"), outFile);

        answer["StatusCode"]!.GetValue<int>().Should().Be(200);
        answer.ContainsKey("FunctionError").Should().BeFalse(File.ReadAllText(outFile));
        JsonNode.Parse(File.ReadAllText(outFile))!.ToJsonString().Should().Contain("us-east-2");
    }

    [SkippableFact]
    public async Task LambdaInvoke_EventTypeUnknownFunctionUnsigned_AcceptedNotFoundRefused()
    {
        Skip.If(AwsCli.Path is null, AwsCli.SkipReason);
        await using var session = await ServeAsync();
        var cli = Cli(session);
        var outFile = Path.Combine(StateDirectory, "event.json");

        var accepted = await cli.LambdaAsync("invoke", "--function-name", "ValidateProvisionRequestFunction", "--invocation-type", "Event", "--payload", "fileb://" + EventsFile("ValidateProvisionRequest.json"), outFile);
        await session.Lambda.WhenBackgroundIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var unknown = await cli.TryAsync("lambda", "invoke", "--function-name", "NoSuchFunction", outFile);
        using var http = new HttpClient();
        var missing = await http.PostAsync(new Uri(session.Host.BaseAddress, "2015-03-31/functions/NoSuchFunction/invocations"), new StringContent("{}"));

        accepted["StatusCode"]!.GetValue<int>().Should().Be(202);
        unknown.ExitCode.Should().NotBe(0);
        unknown.Stderr.Should().Contain("ResourceNotFoundException").And.Contain("function:NoSuchFunction");
        // Unsigned: refused before the function is looked up, as Lambda does.
        ((int)missing.StatusCode).Should().Be(403);
    }

    /// <summary>An events/ file (an event as EventBridge delivers it) as a PutEvents entry for the template's bus.</summary>
    private static string Entry(string file, Action<JsonObject>? edit = null, string? source = null)
    {
        var evt = JsonNode.Parse(File.ReadAllText(EventsFile(file)))!;
        var detail = evt["detail"]!.AsObject();
        edit?.Invoke(detail);
        return new JsonArray(new JsonObject
        {
            ["EventBusName"] = Bus,
            ["Source"] = source ?? evt["source"]!.GetValue<string>(),
            ["DetailType"] = evt["detail-type"]!.GetValue<string>(),
            ["Detail"] = detail.ToJsonString(),
        }).ToJsonString();
    }

    /// <summary>Waits for the bus's deliveries, then for the one execution of the machine they started; describes it.</summary>
    private static async Task<JsonObject> SingleClosedAsync(ServeSession session, AwsCli cli, string machine)
    {
        await session.EventBridge.FindBus(Bus)!.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var listed = await cli.StepFunctionsAsync("list-executions", "--state-machine-arn", session.StepFunctions.StateMachineArn(machine));
        var arn = listed["executions"]!.AsArray().Should().ContainSingle().Subject!["executionArn"]!.GetValue<string>();
        await session.StepFunctions.WhenClosedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
        return await cli.StepFunctionsAsync("describe-execution", "--execution-arn", arn);
    }

    private static async Task<JsonArray> BusEventsAsync(ServeSession session)
    {
        using var http = new HttpClient();
        var page = await http.GetFromJsonAsync<JsonObject>(new Uri(session.Host.BaseAddress, $"_local/events/{Bus}?after=0"));
        return page!["Events"]!.AsArray();
    }
}
