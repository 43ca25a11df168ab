using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Engine;

// `dotnet run -c Release --project bench/Workflows.Bench -- engine [--limit N] [--runs R] [--als-runs R] [--warmup-ms W]`
// Times the same ASL file, with the same input, in our engine (in process) and in aws-local-stepfunctions
// (one spawned node process), then prints one table. No assertions: the figures go to bench/README.md.
// `... -- provision [--runs R] [--warmup-ms W]`: the workflows command's provision + teardown (ProvisionBench.cs).
// `... -- lambda [--variant NAME=DIR]...`: the functions' bootstraps, cold start and warm invokes (LambdaBench.cs).
// `... -- dsql-persistence [--clusters N] [--writes W]`: DSQL Local's data file writes/s (DsqlPersistenceBench.cs).
if (args.Length > 0 && args[0] == "provision")
{
    return await Workflows.Bench.ProvisionBench.RunAsync(Option("--runs", 20), Option("--warmup-ms", 3000));
}

if (args.Length > 0 && args[0] == "dsql-persistence")
{
    return Workflows.Bench.DsqlPersistenceBench.Run(Option("--clusters", 10000), Option("--writes", 200));
}

if (args.Length > 0 && args[0] == "lambda")
{
    var variants = new List<(string, string)>();
    for (var i = 1; i + 1 < args.Length; i++)
    {
        if (args[i] == "--variant" && args[i + 1].Split('=', 2) is [var name, var dir])
        {
            variants.Add((name, Path.GetFullPath(dir)));
        }
    }

    if (variants.Count == 0)
    {
        variants.Add(("ReadyToRun", Path.Combine(RepoRoot(), "artifacts", "lambda", "x64")));
    }

    return await Workflows.Bench.LambdaBench.RunAsync(RepoRoot(), variants, Option("--cold", 5), Option("--warm", 50));
}

if (args.Length == 0 || args[0] != "engine")
{
    Console.Error.WriteLine("usage: Workflows.Bench engine [--limit N] [--runs R] [--als-runs R] [--warmup-ms W] [--asl path]");
    Console.Error.WriteLine("       Workflows.Bench provision [--runs R] [--warmup-ms W]");
    Console.Error.WriteLine("       Workflows.Bench lambda [--variant NAME=DIR]... [--cold R] [--warm N]");
    Console.Error.WriteLine("       Workflows.Bench dsql-persistence [--clusters N] [--writes W]");
    return 2;
}

var root = RepoRoot();
var limit = Option("--limit", 5000);
var runs = Option("--runs", 30);
var alsRuns = Option("--als-runs", 15);
// Both sides warm up for the same wall time (at least 3 runs ours, 2 theirs): the JITs (RyuJIT's tiers with
// PGO, V8's) need time, not a run count, and a few 10 ms runs left ours timing tier-0 code.
var warmupMs = Option("--warmup-ms", 2000);
var asl = Path.GetFullPath(OptionText("--asl", Path.Combine(root, "bench", "counter-loop.asl.json")), root);
var input = new JsonObject { ["limit"] = limit }.ToJsonString();

var ours = RunOurs(File.ReadAllText(asl), input, runs, warmupMs);
var theirs = RunAls(root, asl, input, alsRuns, warmupMs);

var rate = ours.Transitions / ours.MedianMs * 1000;
var alsRate = theirs.Transitions / theirs.MedianMs * 1000;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ASL: {Path.GetRelativePath(root, asl)}  input: {input}  warm-up: {warmupMs} ms each (ours {ours.WarmupRuns} runs, theirs {theirs.WarmupRuns})"));
Console.WriteLine();
Console.WriteLine("| engine | transitions/run | runs | min | median wall time | max | transitions/s | ratio |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
Console.WriteLine(Row("Workflows.Engine (ours)", ours.Transitions, runs, ours.MinMs, ours.MedianMs, ours.MaxMs, rate, rate / alsRate));
Console.WriteLine(Row(theirs.Engine, theirs.Transitions, alsRuns, theirs.MinMs, theirs.MedianMs, theirs.MaxMs, alsRate, 1));
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ours: {ours.AllocatedBytes / (double)ours.Transitions:F0} bytes allocated per transition (median run: {ours.AllocatedBytes:N0} bytes)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ours: GCs during the {runs} timed runs: {ours.Gcs[0]} (gen1 {ours.Gcs[1]}, gen2 {ours.Gcs[2]}), {ours.GcPauseMs:F1} ms paused; {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, latency mode {System.Runtime.GCSettings.LatencyMode}"));
return 0;

static string Row(string engine, int transitions, int runs, double minMs, double medianMs, double maxMs, double rate, double ratio) =>
    string.Create(CultureInfo.InvariantCulture,
        $"| {engine} | {transitions:N0} | {runs} | {minMs:F1} ms | {medianMs:F1} ms | {maxMs:F1} ms | {rate:N0} | {ratio:F1}x |");

static (int Transitions, double MinMs, double MedianMs, double MaxMs, long AllocatedBytes, int WarmupRuns, int[] Gcs, double GcPauseMs)
    RunOurs(string definitionJson, string input, int runs, int warmupMs)
{
    // Loaded once, like aws-local-stepfunctions' StateMachine: the timings are executions, not parsing.
    var definition = AslEngine.Load(definitionJson);
    var warmup = Stopwatch.StartNew();
    var warmupRuns = 0;
    while (warmupRuns < 3 || warmup.ElapsedMilliseconds < warmupMs)
    {
        Execute(new AslEngine(new EngineOptions { Seed = 1 }), definition, input);
        warmupRuns++;
    }

    var samples = new List<(double Ms, long Bytes, int Transitions)>();
    var gcsBefore = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
    var pauseBefore = GC.GetTotalPauseDuration();
    for (var i = 0; i < runs; i++)
    {
        // A fresh engine per run, so no run inherits the previous one's virtual-clock state.
        var engine = new AslEngine(new EngineOptions { Seed = 1 });
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var result = Execute(engine, definition, input);
        watch.Stop();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        samples.Add((watch.Elapsed.TotalMilliseconds, bytes, result.Transitions));
    }

    var gcs = new[] { GC.CollectionCount(0) - gcsBefore[0], GC.CollectionCount(1) - gcsBefore[1], GC.CollectionCount(2) - gcsBefore[2] };
    var pauseMs = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
    var median = samples.OrderBy(s => s.Ms).ElementAt(samples.Count / 2);
    var medianBytes = samples.Select(s => s.Bytes).Order().ElementAt(samples.Count / 2);
    return (median.Transitions, samples.Min(s => s.Ms), Median(samples.Select(s => s.Ms)), samples.Max(s => s.Ms), medianBytes, warmupRuns, gcs, pauseMs);
}

static ExecutionResult Execute(AslEngine engine, Workflows.Engine.Definition.StateMachineDefinition definition, string input)
{
    var result = engine.StartExecutionAsync(definition, input).GetAwaiter().GetResult();
    return result.Status == ExecutionStatus.Succeeded
        ? result
        : throw new InvalidOperationException($"benchmark execution failed: {result.Error} {result.Cause}");
}

static (string Engine, int Transitions, double MinMs, double MedianMs, double MaxMs, int WarmupRuns) RunAls(string root, string asl, string input, int runs, int warmupMs)
{
    var differential = Path.Combine(root, "tests", "differential");
    if (!Directory.Exists(Path.Combine(differential, "node_modules", "aws-local-stepfunctions")))
    {
        Spawn(root, "npm", "ci", "--prefix", differential, "--no-audit", "--no-fund");
    }

    var json = JsonNode.Parse(Spawn(root, "node", Path.Combine(differential, "als-bench.mjs"), asl,
        runs.ToString(CultureInfo.InvariantCulture), input, warmupMs.ToString(CultureInfo.InvariantCulture) + "ms"))!;
    return (json["engine"]!.GetValue<string>(), json["transitions"]!.GetValue<int>(), json["minMs"]!.GetValue<double>(),
        json["medianMs"]!.GetValue<double>(), json["maxMs"]!.GetValue<double>(), json["warmupRuns"]!.GetValue<int>());
}

static string Spawn(string root, string fileName, params string[] arguments)
{
    var start = new ProcessStartInfo(fileName, arguments)
    {
        RedirectStandardOutput = true,
        UseShellExecute = false,
        WorkingDirectory = root,
    };
    using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
    var stdout = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return process.ExitCode == 0 ? stdout : throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    var mid = sorted.Length / 2;
    return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

static string RepoRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }
    }

    throw new InvalidOperationException("run from inside the repository: Workflows.sln not found");
}

int Option(string name, int fallback) =>
    int.Parse(OptionText(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

string OptionText(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
