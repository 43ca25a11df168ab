using System.Net;
using System.Text.Json.Nodes;
using Workflows.Engine.Tasks;
using Workflows.WebConsole.Tests.Support;

namespace Workflows.WebConsole.Tests;

/// <summary>The execution page, its JSON, and start/stop/redrive through the console API on a real engine run.</summary>
public sealed class ConsoleApiTests : IAsyncLifetime
{
    private const string Flaky = "arn:aws:lambda:us-east-1:123456789012:function:flaky";
    private const string Broken = "arn:aws:lambda:us-east-1:123456789012:function:broken";
    private const string Block = "arn:aws:lambda:us-east-1:123456789012:function:block";

    private static readonly string Definition = """
        {"StartAt":"Prepare","States":{
          "Prepare":{"Type":"Pass","Next":"Flaky"},
          "Flaky":{"Type":"Task","Resource":"FLAKY","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":3}],"Next":"Broken"},
          "Broken":{"Type":"Task","Resource":"BROKEN","Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Recover"}],"Next":"Done"},
          "Recover":{"Type":"Pass","Next":"Done"},
          "Done":{"Type":"Succeed"}}}
        """.Replace("FLAKY", Flaky, StringComparison.Ordinal).Replace("BROKEN", Broken, StringComparison.Ordinal);

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _flakyCalls;
    private bool _blockFails = true;
    private ConsoleHarness _h = null!;

    public async Task InitializeAsync()
    {
        var lambda = new LambdaFunctionRegistry();
        lambda.Register("flaky", (JsonNode? _, CancellationToken _) => Interlocked.Increment(ref _flakyCalls) == 1
            ? throw new InvalidOperationException("first call fails")
            : Task.FromResult<JsonNode?>(new JsonObject
            {
                // The steps' ClusterInfo shape: the console's cluster table reads these.
                ["primary"] = new JsonObject { ["region"] = "us-east-1", ["identifier"] = "aaaaaaaaaaaaaaaaaaaaaaaaaa", ["status"] = "CREATING" },
                ["peer"] = new JsonObject { ["region"] = "us-east-2", ["identifier"] = "bbbbbbbbbbbbbbbbbbbbbbbbbb", ["status"] = "ACTIVE" },
            }));
        lambda.Register("broken", (JsonNode? _, CancellationToken _) => throw new InvalidOperationException("always fails"));
        lambda.Register("block", async (JsonNode? _, CancellationToken ct) =>
        {
            _blocked.TrySetResult();
            await _release.Task.WaitAsync(ct);
            if (_blockFails)
            {
                throw new InvalidOperationException("released to fail");
            }

            return new JsonObject { ["ok"] = true };
        });
        _h = await ConsoleHarness.StartAsync(lambda);
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task ExecutionJson_RetryAndCatch_OutcomesClustersAndHistory()
    {
        var machine = await _h.CreateMachineAsync("Mixed", Definition);
        var arn = await _h.StartExecutionAsync(machine, "run-1");
        await _h.Service.WhenClosedAsync(arn);

        var json = await _h.GetJsonAsync(ConsoleHarness.ApiPath(arn));

        json["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        json["terminal"]!.GetValue<bool>().Should().BeTrue();
        json["stoppable"]!.GetValue<bool>().Should().BeFalse();
        json["redrivable"]!.GetValue<bool>().Should().BeFalse();
        Outcome(json, "Prepare").Should().Be("succeeded");
        Outcome(json, "Flaky").Should().Be("retried");
        Outcome(json, "Broken").Should().Be("caught");
        Outcome(json, "Recover").Should().Be("succeeded");
        Outcome(json, "Done").Should().Be("succeeded");
        json["states"]!["Broken"]!["title"]!.GetValue<string>().Should().Be("Broken (Task state): failed, caught");
        var clusters = json["clusters"]!.AsArray();
        clusters.Select(c => (c!["region"]!.GetValue<string>(), c["status"]!.GetValue<string>())).Should().Equal(("us-east-1", "CREATING"), ("us-east-2", "ACTIVE"));
        clusters[0]!["reportedBy"]!.GetValue<string>().Should().Be("Flaky");
        var events = json["events"]!.AsArray();
        events.Select(e => e!["id"]!.GetValue<long>()).Should().BeInAscendingOrder().And.HaveCount(json["lastEventId"]!.GetValue<int>());
        events[0]!["html"]!.GetValue<string>().Should().StartWith("<tr data-event-id=\"1\"");
    }

    [Fact]
    public async Task ExecutionJson_After_OnlyNewerEvents()
    {
        var machine = await _h.CreateMachineAsync("Mixed", Definition);
        var arn = await _h.StartExecutionAsync(machine, "run-after");
        await _h.Service.WhenClosedAsync(arn);
        var all = await _h.GetJsonAsync(ConsoleHarness.ApiPath(arn));
        var last = all["lastEventId"]!.GetValue<long>();

        var some = await _h.GetJsonAsync(ConsoleHarness.ApiPath(arn) + "?after=" + (last - 2));

        some["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()).Should().Equal(last - 1, last);
    }

    [Fact]
    public async Task ExecutionPage_Finished_ContractHooks()
    {
        var machine = await _h.CreateMachineAsync("Mixed", Definition);
        var arn = await _h.StartExecutionAsync(machine, "run-page");
        await _h.Service.WhenClosedAsync(arn);

        var (status, html, _) = await _h.GetAsync(ConsoleHarness.ExecutionPath(arn));

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("<span id=\"execution-status\" data-status=\"SUCCEEDED\" aria-live=\"polite\">SUCCEEDED</span>")
            .And.Contain("<g class=\"state\" data-state=\"Broken\" data-type=\"Task\" data-outcome=\"caught\"><title>Broken (Task state): failed, caught</title>")
            .And.Contain("data-state=\"Flaky\" data-type=\"Task\" data-outcome=\"retried\"")
            .And.Contain("<div id=\"legend\"")
            .And.Contain("<table id=\"history\"").And.Contain("<tr data-event-id=\"1\"").And.Contain("<details>")
            .And.Contain("<table id=\"clusters\"").And.Contain("<tr data-region=\"us-east-2\"><td class=\"cluster-region\">us-east-2</td><td class=\"cluster-identifier\">bbbbbbbbbbbbbbbbbbbbbbbbbb</td><td class=\"cluster-status\">ACTIVE</td>")
            .And.Contain("<button id=\"stop-execution\" type=\"button\" disabled>")
            .And.Contain("<button id=\"redrive-execution\" type=\"button\" disabled");
        html.Should().Contain("<li data-state=\"Flaky\"><strong>Flaky</strong> (Task): <span class=\"outcome-text\" data-outcome=\"retried\">retried, then succeeded</span>");
        System.Text.RegularExpressions.Regex.Count(html, "<g class=\"state[\" ]").Should().Be(5, "one g.state per state, none in the legend");
    }

    [Fact]
    public async Task ExecutionPageAndJson_UrlEncodedArn_SameExecution()
    {
        var machine = await _h.CreateMachineAsync("Mixed", Definition);
        var arn = await _h.StartExecutionAsync(machine, "encoded");
        await _h.Service.WhenClosedAsync(arn);
        var encoded = Uri.EscapeDataString(arn);

        var (status, html, _) = await _h.GetAsync("/console/executions/" + encoded);
        var json = await _h.GetJsonAsync("/console/api/executions/" + encoded);

        encoded.Should().Contain("%3A");
        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("data-status=\"SUCCEEDED\"");
        json["executionArn"]!.GetValue<string>().Should().Be(arn);
    }

    [Fact]
    public async Task ExecutionJson_UnknownExecution_404Json()
    {
        var (status, body, response) = await _h.GetAsync(ConsoleHarness.ApiPath("arn:aws:states:us-east-1:123456789012:execution:Nope:x"));

        status.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        body.Should().Contain("ExecutionDoesNotExist");
    }

    [Fact]
    public async Task Start_ValidProvisionInput_StartsAndAnswersTheExecutionPage()
    {
        await _h.CreateMachineAsync("ProvisionStateMachine", Repo.Bound("provision.asl.json"));
        var input = File.ReadAllText(Path.Combine(Repo.Events, "provision-input.json"));

        var (status, body) = await _h.PostAsync("/console/api/state-machines/ProvisionStateMachine/executions", new JsonObject { ["name"] = "from-console", ["input"] = input });

        status.Should().Be(HttpStatusCode.Created, body.ToJsonString());
        body["executionArn"]!.GetValue<string>().Should().Be("arn:aws:states:us-east-1:123456789012:execution:ProvisionStateMachine:from-console");
        body["url"]!.GetValue<string>().Should().Be("/console/executions/arn:aws:states:us-east-1:123456789012:execution:ProvisionStateMachine:from-console");
    }

    [Theory]
    [InlineData("{\"primaryRegion\": \"us-east-1\",}", "input", "is not JSON: line 1, column *trailing comma*")]
    [InlineData("{\"primaryRegion\":\"us-east-1\",\"peerRegion\":\"us-east-1\",\"witnessRegion\":\"us-west-2\"}", "peerRegion", "*")]
    [InlineData("{\"primaryRegion\":\"mars-1\",\"peerRegion\":\"us-east-2\",\"witnessRegion\":\"us-west-2\"}", "primaryRegion", "'mars-1' is not an AWS Region name*")]
    [InlineData("{\"peerRegion\":\"us-east-2\",\"witnessRegion\":\"us-west-2\"}", "primaryRegion", "*required*")]
    public async Task Start_InvalidProvisionInput_400NamingFieldAndRuleNothingStarted(string input, string field, string rule)
    {
        var machine = await _h.CreateMachineAsync("ProvisionStateMachine", Repo.Bound("provision.asl.json"));

        var (status, body) = await _h.PostAsync("/console/api/state-machines/ProvisionStateMachine/executions", new JsonObject { ["input"] = input });

        status.Should().Be(HttpStatusCode.BadRequest);
        body["field"]!.GetValue<string>().Should().Be(field);
        body["rule"]!.GetValue<string>().Should().Match(rule);
        body["message"]!.GetValue<string>().Should().StartWith(field + ": ");
        var listed = await _h.Service.HandleAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine }, CancellationToken.None);
        listed["executions"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Start_BadExecutionName_400Name()
    {
        await _h.CreateMachineAsync("Mixed", Definition);

        var (status, body) = await _h.PostAsync("/console/api/state-machines/Mixed/executions", new JsonObject { ["name"] = "has space", ["input"] = "{}" });

        status.Should().Be(HttpStatusCode.BadRequest);
        body["field"]!.GetValue<string>().Should().Be("name");
    }

    [Fact]
    public async Task Start_UnknownMachine_404()
    {
        var (status, body) = await _h.PostAsync("/console/api/state-machines/Nope/executions", new JsonObject { ["input"] = "{}" });

        status.Should().Be(HttpStatusCode.NotFound);
        body["field"]!.GetValue<string>().Should().Be("stateMachine");
    }

    [Theory]
    [InlineData(false, "application/json")]
    [InlineData(true, "application/x-www-form-urlencoded")]
    public async Task Start_WithoutTheConsoleHeaderOrJson_403NothingStarted(bool header, string contentType)
    {
        var machine = await _h.CreateMachineAsync("Mixed", Definition);

        var (status, _) = await _h.PostAsync("/console/api/state-machines/Mixed/executions", new JsonObject { ["input"] = "{}" }, header, contentType);

        status.Should().Be(HttpStatusCode.Forbidden, "a page of another origin can post a form, but not with this header");
        var listed = await _h.Service.HandleAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine }, CancellationToken.None);
        listed["executions"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task StopThenRedrive_BlockedTask_AbortedThenRedrivenToSuccess()
    {
        var machine = await _h.CreateMachineAsync("Blocks", """{"StartAt":"Wait here","States":{"Wait here":{"Type":"Task","Resource":"BLOCK","End":true}}}""".Replace("BLOCK", Block, StringComparison.Ordinal));
        var arn = await _h.StartExecutionAsync(machine, "blocked");
        await _blocked.Task;
        var running = await _h.GetJsonAsync(ConsoleHarness.ApiPath(arn));
        var (_, page, _) = await _h.GetAsync(ConsoleHarness.ExecutionPath(arn));

        var (stopStatus, stopped) = await _h.PostAsync(ConsoleHarness.ApiPath(arn) + "/stop", []);
        var afterStop = await _h.GetJsonAsync(ConsoleHarness.ApiPath(arn));
        _blockFails = false;
        _release.TrySetResult();
        var (redriveStatus, redriven) = await _h.PostAsync(ConsoleHarness.ApiPath(arn) + "/redrive", []);
        await _h.Service.WhenClosedAsync(arn);
        var done = await _h.GetJsonAsync(ConsoleHarness.ApiPath(arn));

        running["status"]!.GetValue<string>().Should().Be("RUNNING");
        running["stoppable"]!.GetValue<bool>().Should().BeTrue();
        Outcome(running, "Wait here").Should().Be("in-progress");
        page.Should().Contain("<button id=\"stop-execution\" type=\"button\">").And.Contain("<button id=\"redrive-execution\" type=\"button\" disabled");
        stopStatus.Should().Be(HttpStatusCode.OK);
        stopped["status"]!.GetValue<string>().Should().Be("ABORTED");
        afterStop["redrivable"]!.GetValue<bool>().Should().BeTrue();
        Outcome(afterStop, "Wait here").Should().Be("failed");
        redriveStatus.Should().Be(HttpStatusCode.OK, redriven.ToJsonString());
        done["status"]!.GetValue<string>().Should().Be("SUCCEEDED");
        done["redriveCount"]!.GetValue<int>().Should().Be(1);
        Outcome(done, "Wait here").Should().Be("retried", "it was cut short, then succeeded when redriven");
    }

    [Fact]
    public async Task Stop_FinishedExecution_409NamingTheRule()
    {
        var machine = await _h.CreateMachineAsync("Mixed", Definition);
        var arn = await _h.StartExecutionAsync(machine, "finished");
        await _h.Service.WhenClosedAsync(arn);

        var (status, body) = await _h.PostAsync(ConsoleHarness.ApiPath(arn) + "/stop", []);
        var (redriveStatus, redriveBody) = await _h.PostAsync(ConsoleHarness.ApiPath(arn) + "/redrive", []);

        status.Should().Be(HttpStatusCode.Conflict);
        body["message"]!.GetValue<string>().Should().Contain("only a RUNNING execution can be stopped");
        redriveStatus.Should().Be(HttpStatusCode.Conflict);
        redriveBody["error"]!.GetValue<string>().Should().Be("ExecutionNotRedrivable");
    }

    private static string Outcome(JsonObject json, string state) => json["states"]![state]!["outcome"]!.GetValue<string>();
}
