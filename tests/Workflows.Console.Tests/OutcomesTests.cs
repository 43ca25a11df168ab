using System.Text.Json.Nodes;
using Workflows.WebConsole.Graph;

namespace Workflows.WebConsole.Tests;

/// <summary>Per-state outcomes from hand-written histories in the API's shape.</summary>
public sealed class OutcomesTests
{
    private const string Machine = """
        {"StartAt":"Prepare","States":{
          "Prepare":{"Type":"Pass","Next":"Work"},
          "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:work",
                  "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}],
                  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],"Next":"Done"},
          "Recover":{"Type":"Pass","Next":"Done"},
          "Done":{"Type":"Succeed"},
          "Never":{"Type":"Fail"}}}
        """;

    private static readonly AslGraph Graph = AslGraph.Parse(Machine);

    [Fact]
    public void Compute_CleanRun_SucceededAndNotRun()
    {
        var h = new History().Started().State("Pass", "Prepare").Task("Work", fail: 0).Succeed("Done").End("ExecutionSucceeded");

        var outcomes = Outcomes.Compute(Graph, h.Events);

        outcomes["Prepare"].Should().Be(Outcomes.Succeeded);
        outcomes["Work"].Should().Be(Outcomes.Succeeded);
        outcomes["Done"].Should().Be(Outcomes.Succeeded);
        outcomes["Recover"].Should().Be(Outcomes.NotRun);
        outcomes["Never"].Should().Be(Outcomes.NotRun);
    }

    [Fact]
    public void Compute_TaskFailedThenSucceededOnRetry_Retried()
    {
        var h = new History().Started().State("Pass", "Prepare").Task("Work", fail: 1).Succeed("Done").End("ExecutionSucceeded");

        Outcomes.Compute(Graph, h.Events)["Work"].Should().Be(Outcomes.Retried);
    }

    [Fact]
    public void Compute_TaskFailedAndLeftThroughCatch_Caught()
    {
        var h = new History().Started().State("Pass", "Prepare").Task("Work", fail: 3, exitAfterFailure: true).State("Pass", "Recover").Succeed("Done").End("ExecutionSucceeded");

        var outcomes = Outcomes.Compute(Graph, h.Events);

        outcomes["Work"].Should().Be(Outcomes.Caught);
        outcomes["Recover"].Should().Be(Outcomes.Succeeded);
    }

    [Fact]
    public void Compute_TaskFailedUncaught_FailedAndLaterStatesNotRun()
    {
        var h = new History().Started().State("Pass", "Prepare").Task("Work", fail: 3, exitAfterFailure: false).End("ExecutionFailed");

        var outcomes = Outcomes.Compute(Graph, h.Events);

        outcomes["Work"].Should().Be(Outcomes.Failed);
        outcomes["Done"].Should().Be(Outcomes.NotRun);
    }

    [Fact]
    public void Compute_TaskRunning_InProgress()
    {
        var h = new History().Started().State("Pass", "Prepare").Enter("Task", "Work").Add("TaskScheduled");

        var outcomes = Outcomes.Compute(Graph, h.Events);

        outcomes["Work"].Should().Be(Outcomes.InProgress);
        outcomes["Prepare"].Should().Be(Outcomes.Succeeded);
    }

    [Fact]
    public void Compute_StoppedWhileTaskRan_TaskFailed()
    {
        var h = new History().Started().State("Pass", "Prepare").Enter("Task", "Work").Add("TaskScheduled").End("ExecutionAborted");

        Outcomes.Compute(Graph, h.Events)["Work"].Should().Be(Outcomes.Failed);
    }

    [Fact]
    public void Compute_FailedThenRedrivenAndSucceeded_Retried()
    {
        var h = new History().Started().State("Pass", "Prepare").Task("Work", fail: 3, exitAfterFailure: false).End("ExecutionFailed")
            .Add("ExecutionRedriven", chain: false).Task("Work", fail: 0).Succeed("Done").End("ExecutionSucceeded");

        var outcomes = Outcomes.Compute(Graph, h.Events);

        outcomes["Work"].Should().Be(Outcomes.Retried, "it failed, then succeeded when the execution was redriven");
        outcomes["Done"].Should().Be(Outcomes.Succeeded);
    }

    [Fact]
    public void Compute_LoopEnteredTwiceOnceRetried_WorstOfTheEntries()
    {
        var h = new History().Started().Task("Work", fail: 0).Task("Work", fail: 1).Task("Work", fail: 0);

        Outcomes.Compute(Graph, h.Events)["Work"].Should().Be(Outcomes.Retried);
    }

    [Fact]
    public void Compute_MapIterationFailsAndMapIsCaught_InnerFailedMapCaught()
    {
        var graph = AslGraph.Parse("""
            {"StartAt":"Each","States":{
              "Each":{"Type":"Map","ItemProcessor":{"StartAt":"Inner","States":{"Inner":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:w","End":true}}},
                      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"After"}],"End":true},
              "After":{"Type":"Pass","End":true}}}
            """);
        var h = new History().Started().Enter("Map", "Each").Add("MapStateStarted").Add("MapIterationStarted")
            .Enter("Task", "Inner").Add("TaskScheduled").Add("TaskFailed").Add("MapIterationFailed", chain: false);
        h.AddAt(h.EnteredOf("Each"), "MapStateFailed");
        h.Exit("Map", "Each").State("Pass", "After").End("ExecutionSucceeded");

        var outcomes = Outcomes.Compute(graph, h.Events);

        outcomes["Inner"].Should().Be(Outcomes.Failed);
        outcomes["Each"].Should().Be(Outcomes.Caught);
        outcomes["After"].Should().Be(Outcomes.Succeeded);
    }

    /// <summary>Builds a history: each event chains to the one before unless told otherwise.</summary>
    private sealed class History
    {
        private readonly Dictionary<string, long> _entered = [];

        public List<JsonObject> Events { get; } = [];

        private long Last => Events.Count == 0 ? 0 : Events[^1]["id"]!.GetValue<long>();

        public long EnteredOf(string state) => _entered[state];

        public History Add(string type, bool chain = true, JsonObject? details = null, string? member = null) => AddAt(chain ? Last : 0, type, details, member);

        public History AddAt(long previous, string type, JsonObject? details = null, string? member = null)
        {
            var e = new JsonObject { ["id"] = Last + 1, ["previousEventId"] = previous, ["type"] = type, ["timestamp"] = 1767322800.0 + Events.Count };
            if (details is not null)
            {
                e[member!] = details;
            }

            Events.Add(e);
            return this;
        }

        public History Started() => Add("ExecutionStarted", chain: false, new JsonObject { ["input"] = "{}" }, "executionStartedEventDetails");

        public History Enter(string kind, string name)
        {
            Add(kind + "StateEntered", details: new JsonObject { ["name"] = name, ["input"] = "{}" }, member: "stateEnteredEventDetails");
            _entered[name] = Last;
            return this;
        }

        public History Exit(string kind, string name) =>
            Add(kind + "StateExited", details: new JsonObject { ["name"] = name, ["output"] = "{}" }, member: "stateExitedEventDetails");

        public History State(string kind, string name) => Enter(kind, name).Exit(kind, name);

        public History Succeed(string name) => State("Succeed", name);

        public History End(string type) => Add(type);

        /// <summary>A Task entry whose first <paramref name="fail"/> attempts fail (three = every attempt).</summary>
        public History Task(string name, int fail, bool exitAfterFailure = false)
        {
            Enter("Task", name);
            var attempts = Math.Min(fail + 1, 3);
            for (var i = 0; i < attempts; i++)
            {
                Add("TaskScheduled").Add("TaskStarted");
                Add(i < fail ? "TaskFailed" : "TaskSucceeded");
            }

            return fail >= 3 && !exitAfterFailure ? this : Exit("Task", name);
        }
    }
}
