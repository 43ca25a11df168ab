using System.Diagnostics;
using System.Globalization;
using Workflows.Cli.Pairs;
using Workflows.Engine;
using Workflows.Engine.History;

namespace Workflows.Bench;

/// <summary>
/// `Workflows.Bench provision`: the workflows command's provision and teardown in process, on the embedded DSQL
/// Local and the virtual clock, exactly as the commands run them (emulator start, template binding, the real
/// functions), each pair of commands on a fresh state directory.
/// </summary>
internal static class ProvisionBench
{
    private const double WallGoalMs = 300;
    private const int TransitionGoal = 30;
    private const int InvocationGoal = 15;
    private const double DetectionGoal = 0.10;

    public static async Task<int> RunAsync(int runs, int warmupMs)
    {
        var lines = new List<string>();
        var warmup = Stopwatch.StartNew();
        var warmupRuns = 0;
        while (warmupRuns < 3 || warmup.ElapsedMilliseconds < warmupMs)
        {
            await ProvisionAndTeardownAsync(600, seed: warmupRuns);
            warmupRuns++;
        }

        var samples = new List<(double Total, double Provision, double Teardown)>();
        for (var i = 0; i < runs; i++)
        {
            samples.Add(await ProvisionAndTeardownAsync(600, seed: 1000 + i));
        }

        var totals = samples.Select(s => s.Total).Order().ToList();
        var median = Median(totals);
        lines.Add(F($"(a) provision + teardown in process, 10-minute simulated provisioning, {runs} runs after {warmupRuns} warm-up runs ({warmupMs} ms):"));
        lines.Add(F($"    wall time per pair of commands: min {totals[0]:F1} ms, median {median:F1} ms, max {totals[^1]:F1} ms (provision median {Median(samples.Select(s => s.Provision)):F1} ms, teardown median {Median(samples.Select(s => s.Teardown)):F1} ms)"));
        lines.Add(Verdict($"median ≤ {WallGoalMs:F0} ms", median <= WallGoalMs));

        var (run, active) = await ProvisionOnceAsync(300, seed: 7);
        var delay = run.Result.StopDate - active;
        var provisioning = TimeSpan.FromSeconds(300);
        lines.Add(string.Empty);
        lines.Add("(b) one provision with a 5-minute simulated provisioning, counted from its history:");
        lines.Add(F($"    state transitions: {run.Result.Transitions}") + "  " + Verdict($"≤ {TransitionGoal}", run.Result.Transitions <= TransitionGoal).Trim());
        lines.Add(F($"    Lambda invocations: {run.LambdaInvocations}") + "  " + Verdict($"≤ {InvocationGoal}", run.LambdaInvocations <= InvocationGoal).Trim());
        lines.Add(F($"    both clusters ACTIVE at {Stamp(active)} (link + 5 min), execution succeeded at {Stamp(run.Result.StopDate)}: {delay.TotalSeconds:F0} s later = {delay / provisioning:P1} of the provisioning time")
            + "  " + Verdict($"≤ {DetectionGoal:P0}", delay >= TimeSpan.Zero && delay <= provisioning * DetectionGoal).Trim());
        lines.Add(F($"    checks: {run.Result.History.Count(e => e.Type == HistoryEventType.TaskStateEntered && e.StateName == "Check the clusters")}, virtual duration {run.VirtualDuration.TotalSeconds:F0} s"));

        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        return lines.Any(l => l.Contains("FAIL", StringComparison.Ordinal)) ? 1 : 0;
    }

    private static async Task<(double Total, double Provision, double Teardown)> ProvisionAndTeardownAsync(int provisioningSeconds, int seed)
    {
        var directory = Directory.CreateTempSubdirectory("workflows-bench-").FullName;
        try
        {
            var watch = Stopwatch.StartNew();
            var provision = await RunAsync(directory, PairWorkflow.Provision, Request(), provisioningSeconds, seed);
            var provisionMs = watch.Elapsed.TotalMilliseconds;
            var output = System.Text.Json.Nodes.JsonNode.Parse(provision.Result.Output!)!;
            var teardownInput = new System.Text.Json.Nodes.JsonObject
            {
                ["primary"] = new System.Text.Json.Nodes.JsonObject { ["region"] = "us-east-1", ["identifier"] = output["primary"]!["identifier"]!.DeepClone() },
                ["peer"] = new System.Text.Json.Nodes.JsonObject { ["region"] = "us-east-2", ["identifier"] = output["peer"]!["identifier"]!.DeepClone() },
                ["force"] = true,
            }.ToJsonString();
            await RunAsync(directory, PairWorkflow.Teardown, teardownInput, provisioningSeconds, seed);
            var totalMs = watch.Elapsed.TotalMilliseconds;
            return (totalMs, provisionMs, totalMs - provisionMs);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(PairRun Run, DateTimeOffset BothActive)> ProvisionOnceAsync(int provisioningSeconds, int seed)
    {
        var directory = Directory.CreateTempSubdirectory("workflows-bench-").FullName;
        try
        {
            var run = await RunAsync(directory, PairWorkflow.Provision, Request(), provisioningSeconds, seed);
            // The emulator starts the provisioning clock of both clusters when the link lands (UpdateCluster).
            var history = run.Result.History;
            var linkEntered = history.First(e => e.Type == HistoryEventType.TaskStateEntered && e.StateName == "Link the primary to the peer");
            var linked = history.First(e => e.Id > linkEntered.Id && e.Type == HistoryEventType.LambdaFunctionSucceeded);
            return (run, linked.Timestamp + TimeSpan.FromSeconds(provisioningSeconds));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<PairRun> RunAsync(string directory, PairWorkflow workflow, string input, int provisioningSeconds, int seed)
    {
        var settings = new BackendSettings
        {
            Mode = EndpointMode.Embedded,
            StateDirectory = directory,
            ProvisioningTime = TimeSpan.FromSeconds(provisioningSeconds),
            DeletionTime = TimeSpan.FromSeconds(60),
            Seed = seed,
        };
        await using var backend = await Backend.OpenAsync(settings, new Workflows.Cli.CliHost(), CancellationToken.None);
        var run = await PairRunner.RunAsync(backend, workflow, input, "us-east-1", name: null, seed, progress: null, CancellationToken.None);
        return run.Result.Status == ExecutionStatus.Succeeded
            ? run
            : throw new InvalidOperationException($"{workflow.Verb} failed: {run.Result.Error} {run.Result.Cause}");
    }

    private static string Request() => """{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2"}""";

    private static string Verdict(string goal, bool met) => $"    goal {goal}: {(met ? "pass" : "FAIL")}";

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
