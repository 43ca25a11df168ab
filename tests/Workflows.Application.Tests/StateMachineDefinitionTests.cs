using System.Text.Json.Nodes;
using Workflows.Application.Tests.Support;

namespace Workflows.Application.Tests;

/// <summary>The ASL files against the contract's fixed parts: state names, retriers, timeouts, events.</summary>
public class StateMachineDefinitionTests
{
    private static readonly JsonNode LambdaServiceRetrier = JsonNode.Parse("""
        {"ErrorEquals":["Lambda.ServiceException","Lambda.AWSLambdaException","Lambda.SdkClientException","Lambda.ClientExecutionTimeoutException","Lambda.TooManyRequestsException"],
         "IntervalSeconds":2,"MaxAttempts":6,"BackoffRate":2}
        """)!;

    // A ThrottlingException reaches the state machine when DSQL's Retry-After is longer than the client waits
    // inside a call (DsqlClientOptions.MaxRetryAfter, 20 s) or the client's own retries were throttled too. Full
    // jitter could retry at once, before the Retry-After; these fixed waits (20, 40, 80, 120, 120 s) retry 20, 60,
    // 140, 260 and 380 s after the first throttled answer, so a Retry-After of up to 380 s is waited out.
    private static readonly JsonNode ThrottlingRetrier = JsonNode.Parse("""
        {"ErrorEquals":["ThrottlingException"],"IntervalSeconds":20,"MaxAttempts":5,"BackoffRate":2,"MaxDelaySeconds":120,"JitterStrategy":"NONE"}
        """)!;

    // The clean-up's (and teardown's and update's mutations') throttling retrier waits longer still: 20, 40, 80, 160,
    // then 300 s six times, retrying up to 2,100 s after the first throttled answer.
    private static readonly JsonNode CleanupThrottlingRetrier = JsonNode.Parse("""
        {"ErrorEquals":["ThrottlingException"],"IntervalSeconds":20,"MaxAttempts":10,"BackoffRate":2,"MaxDelaySeconds":300,"JitterStrategy":"NONE"}
        """)!;

    private static readonly JsonNode DsqlRetrier = JsonNode.Parse("""
        {"ErrorEquals":["InternalServerException","DsqlTransportException","Lambda.Unknown","StepTimeoutException"],
         "IntervalSeconds":5,"MaxAttempts":4,"BackoffRate":2,"MaxDelaySeconds":60,"JitterStrategy":"FULL"}
        """)!;

    // The clean-up must not give up after a minute of throttling or a cluster still settling (ConflictException):
    // what it leaves behind costs money and may sit in PENDING_SETUP forever.
    private static readonly JsonNode CleanupRetrier = JsonNode.Parse("""
        {"ErrorEquals":["InternalServerException","DsqlTransportException","Lambda.Unknown","StepTimeoutException","ConflictException"],
         "IntervalSeconds":5,"MaxAttempts":10,"BackoffRate":2,"MaxDelaySeconds":300,"JitterStrategy":"FULL"}
        """)!;

    private static readonly JsonNode CleanupReadRetrier = JsonNode.Parse("""
        {"ErrorEquals":["InternalServerException","DsqlTransportException","Lambda.Unknown","StepTimeoutException"],
         "IntervalSeconds":5,"MaxAttempts":10,"BackoffRate":2,"MaxDelaySeconds":300,"JitterStrategy":"FULL"}
        """)!;

    private static readonly Dictionary<string, JsonNode> CleanupStates = new(StringComparer.Ordinal)
    {
        ["provision/Turn off deletion protection"] = CleanupRetrier,
        ["provision/Delete the cluster"] = CleanupRetrier,
        ["provision/Check the clusters are gone"] = CleanupReadRetrier,
        ["provision/Look for the clusters this execution created"] = CleanupReadRetrier,
        // A teardown mutates the same clusters the same way, and a ConflictException (an update still settling) is just as passing.
        ["teardown/Turn off protection on the cluster"] = CleanupRetrier,
        ["teardown/Delete the primary cluster"] = CleanupRetrier,
        ["teardown/Delete the peer cluster"] = CleanupRetrier,
        // An update is refused with ConflictException while the cluster is still UPDATING from an earlier change.
        ["update/Update the tags of the cluster"] = CleanupRetrier,
        ["update/Set deletion protection on the cluster"] = CleanupRetrier,
    };

    public static TheoryData<string> Machines => new(["provision", "teardown", "update"]);

    private static JsonObject Load(string machine) => JsonNode.Parse(File.ReadAllText(Repository.StateMachine(machine)))!.AsObject();

    /// <summary>Every state, Map processors included.</summary>
    private static IEnumerable<(string Name, JsonObject State)> States(JsonObject body)
    {
        foreach (var (name, state) in body["States"]!.AsObject())
        {
            yield return (name, state!.AsObject());
            if (state["ItemProcessor"] is JsonObject processor)
            {
                foreach (var inner in States(processor))
                {
                    yield return inner;
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void EveryFunctionTask_HasTheContractRetriersInOrderAndATimeout(string machine)
    {
        var functionTimeout = CloudFormationYaml.Load(Repository.TemplatePath)["Globals"]!["Function"]!["Timeout"]!.GetValue<long>();
        var tasks = States(Load(machine)).Where(s => s.State["Resource"]?.GetValue<string>().EndsWith("FunctionArn}", StringComparison.Ordinal) == true).ToList();

        tasks.Should().NotBeEmpty();
        foreach (var (name, state) in tasks)
        {
            var retry = state["Retry"]!.AsArray();
            retry.Should().HaveCount(3, name);
            JsonNode.DeepEquals(retry[0], LambdaServiceRetrier).Should().BeTrue($"{name} starts with AWS's Lambda retrier");
            var cleanup = CleanupStates.ContainsKey($"{machine}/{name}");
            var second = cleanup ? CleanupThrottlingRetrier : ThrottlingRetrier;
            JsonNode.DeepEquals(retry[1], second).Should().BeTrue($"{name} then waits out throttling beyond the client's own wait ({second.ToJsonString()})");
            var third = CleanupStates.GetValueOrDefault($"{machine}/{name}", DsqlRetrier);
            JsonNode.DeepEquals(retry[2], third).Should().BeTrue($"{name} then retries 5xx and step timeouts with jitter ({third.ToJsonString()})");
            state["TimeoutSeconds"]!.GetValue<long>().Should().BeGreaterThan(functionTimeout, $"{name} lets the function time out first");
        }
    }

    /// <summary>
    /// The longest a provision can run: every step before the polling at its worst, the polling up to the largest
    /// deadline a request may set plus one last (slowest) check, then the clean-up of two clusters one after the
    /// other with its own bounded gone-check loop, then the failure event. The machine's timeout must not cut it.
    /// </summary>
    [Fact]
    public void Provision_TimeoutSeconds_CoversTheWorstCaseRunIncludingTheCleanUp()
    {
        var body = Load("provision");
        var state = States(body).ToDictionary(s => s.Name, s => s.State);
        long W(string name) => WorstCaseSeconds(state[name]);

        var beforePolling = W("Validate the request") + W("Create the primary cluster") + W("Create the peer cluster") + W("Link the primary to the peer") + MaxInitialDelaySeconds;
        var pollingEnds = Math.Max(MaxDeadlineSeconds, beforePolling) + 1 + W("Check the clusters");
        var searchEnds = W("Validate the request") + W("Create the primary cluster") + W("Create the peer cluster") + W("Look for the clusters this execution created");
        var deletions = 2 * (W("Turn off deletion protection") + W("Delete the cluster"));
        var firstWait = state["Plan the clean-up of both clusters"]["Parameters"]!["cleanup"]!["poll"]!["nextWaitSeconds"]!.GetValue<long>();
        var goneDeadline = state["Check the clusters are gone"]["Parameters"]!["polling"]!["deadlineSeconds"]!.GetValue<long>();
        var cleanup = Math.Max(deletions + firstWait, goneDeadline + 1) + W("Check the clusters are gone");
        var worst = Math.Max(pollingEnds, searchEnds) + cleanup + W("Publish the failure event");

        body["TimeoutSeconds"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(worst);
    }

    [Fact]
    public void Teardown_TimeoutSeconds_CoversTheWorstCaseRun()
    {
        var body = Load("teardown");
        var state = States(body).ToDictionary(s => s.Name, s => s.State);
        long W(string name) => WorstCaseSeconds(state[name]);

        var beforePolling = W("Validate the request") + W("Check the clusters before deleting") + (2 * W("Turn off protection on the cluster"))
            + W("Delete the primary cluster") + W("Delete the peer cluster") + MaxInitialDelaySeconds;
        var worst = Math.Max(MaxDeadlineSeconds, beforePolling) + 1 + W("Check the clusters are gone") + W("Publish the failure event");

        body["TimeoutSeconds"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(worst);
    }

    [Fact]
    public void Update_TimeoutSeconds_CoversTheWorstCaseRun()
    {
        var body = Load("update");
        var state = States(body).ToDictionary(s => s.Name, s => s.State);
        long W(string name) => WorstCaseSeconds(state[name]);

        // The two clusters' changes counted one after the other, as if the Map ran them in turn.
        var beforePolling = W("Validate the request") + W("Check the pair before changing it")
            + (2 * (W("Update the tags of the cluster") + W("Set deletion protection on the cluster"))) + MaxInitialDelaySeconds;
        var worst = Math.Max(MaxDeadlineSeconds, beforePolling) + 1 + W("Check the clusters are active") + W("Publish the failure event");

        body["TimeoutSeconds"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(worst);
    }

    [Fact]
    public void WorstCaseSeconds_CleanupTask_EveryAttemptTimesOutAndEveryRetryWaitsItsLongest() =>
        // 1 + 6 + 10 + 10 attempts of 150 s; 2+4+...+64 = 126 s, 20+40+80+160 then 300 six times = 2100 s and
        // 5+10+...+160 then 300 four times = 1515 s of backoff.
        WorstCaseSeconds(States(Load("provision")).Single(s => s.Name == "Delete the cluster").State).Should().Be((27 * 150) + 126 + 2100 + 1515);

    private const long MaxDeadlineSeconds = 86400;
    private const long MaxInitialDelaySeconds = 3600;

    private static long WorstCaseSeconds(JsonObject task)
    {
        var attempts = 1L;
        var backoff = 0.0;
        foreach (var retrier in task["Retry"]?.AsArray() ?? [])
        {
            var count = retrier!["MaxAttempts"]?.GetValue<int>() ?? 3;
            var interval = retrier["IntervalSeconds"]?.GetValue<double>() ?? 1;
            var rate = retrier["BackoffRate"]?.GetValue<double>() ?? 2;
            var cap = retrier["MaxDelaySeconds"]?.GetValue<double>() ?? double.MaxValue;
            attempts += count;
            for (var i = 0; i < count; i++)
            {
                backoff += Math.Min(interval * Math.Pow(rate, i), cap);
            }
        }

        return (attempts * task["TimeoutSeconds"]!.GetValue<long>()) + (long)Math.Ceiling(backoff);
    }

    [Theory]
    [InlineData("provision", new[] { "Validate the request", "Create the primary cluster", "Create the peer cluster", "Link the primary to the peer", "Wait for the clusters", "Check the clusters", "Are both clusters active?", "Summarize the pair", "Publish the provisioned event", "Delete each cluster", "Turn off deletion protection", "Delete the cluster", "Publish the failure event", "Provisioning failed" })]
    [InlineData("teardown", new[] { "Validate the request", "Check the clusters before deleting", "Turn off deletion protection", "Delete the primary cluster", "Delete the peer cluster", "Publish the retired event" })]
    [InlineData("update", new[] { "Validate the request", "Check the pair before changing it", "Update both clusters", "Update the tags of the cluster", "Set deletion protection on the cluster", "Wait for the clusters to settle", "Check the clusters are active", "Publish the updated event", "Publish the failure event", "Update failed" })]
    public void Definition_HasTheContractsStateNames(string machine, string[] names)
    {
        States(Load(machine)).Select(s => s.Name).Should().Contain(names);
    }

    [Theory]
    [InlineData("provision", new[] { "DSQL Cluster Pair Provisioned", "DSQL Cluster Pair Provisioning Failed" })]
    [InlineData("teardown", new[] { "DSQL Cluster Pair Retired", "DSQL Cluster Pair Teardown Failed" })]
    [InlineData("update", new[] { "DSQL Cluster Pair Updated", "DSQL Cluster Pair Update Failed" })]
    public void Definition_PublishesItsEventsToTheBus(string machine, string[] detailTypes)
    {
        var entries = States(Load(machine))
            .Where(s => s.State["Resource"]?.GetValue<string>() == "arn:aws:states:::events:putEvents")
            .Select(s => s.State["Parameters"]!["Entries"]!.AsArray().Single()!)
            .ToList();

        entries.Select(e => e["DetailType"]!.GetValue<string>()).Should().BeEquivalentTo(detailTypes);
        entries.Should().OnlyContain(e => e["EventBusName"]!.GetValue<string>() == "${EventBusName}" && e["Source"]!.GetValue<string>() == "workflows.dsql");
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void Definition_OutlastsTheLongestAllowedDeadlineAndTheCleanup(string machine)
    {
        // deadlineSeconds may be up to 86,400; the clean-up loop's deadline is 1,800.
        Load(machine)["TimeoutSeconds"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(86_400 + 1_800);
    }
}
