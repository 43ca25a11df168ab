using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Engine;

// `dotnet run -c Release --project bench/Workflows.Bench -- engine [--limit N] [--runs R] [--als-runs R]`
// Times the same ASL file, with the same input, in our engine (in process) and in aws-local-stepfunctions
// (one spawned node process), then prints one table. No assertions: the figures go to bench/README.md.
if (args.Length == 0 || args[0] != "engine")
{
    Console.Error.WriteLine("usage: Workflows.Bench engine [--limit N] [--runs R] [--als-runs R] [--asl path]");
    return 2;
}

var root = RepoRoot();
var limit = Option("--limit", 5000);
var runs = Option("--runs", 20);
var alsRuns = Option("--als-runs", 10);
var asl = Path.GetFullPath(OptionText("--asl", Path.Combine(root, "bench", "counter-loop.asl.json")), root);
var input = new JsonObject { ["limit"] = limit }.ToJsonString();

var ours = RunOurs(File.ReadAllText(asl), input, runs);
var theirs = RunAls(root, asl, input, alsRuns);

var rate = ours.Transitions / ours.MedianMs * 1000;
var alsRate = theirs.Transitions / theirs.MedianMs * 1000;
Console.WriteLine($"ASL: {Path.GetRelativePath(root, asl)}  input: {input}");
Console.WriteLine();
Console.WriteLine("| engine | transitions/run | runs | median wall time | transitions/s | ratio |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
Console.WriteLine(Row("Workflows.Engine (ours)", ours.Transitions, runs, ours.MedianMs, rate, rate / alsRate));
Console.WriteLine(Row(theirs.Engine, theirs.Transitions, alsRuns, theirs.MedianMs, alsRate, 1));
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ours: {ours.AllocatedBytes / (double)ours.Transitions:F0} bytes allocated per transition (median run: {ours.AllocatedBytes:N0} bytes)"));
return 0;

static string Row(string engine, int transitions, int runs, double medianMs, double rate, double ratio) =>
    string.Create(CultureInfo.InvariantCulture,
        $"| {engine} | {transitions:N0} | {runs} | {medianMs:F1} ms | {rate:N0} | {ratio:F1}x |");

static (int Transitions, double MedianMs, long AllocatedBytes) RunOurs(string definitionJson, string input, int runs)
{
    // Loaded once, like aws-local-stepfunctions' StateMachine: the timings are executions, not parsing.
    var definition = AslEngine.Load(definitionJson);
    var engine = new AslEngine(new EngineOptions { Seed = 1 });
    for (var i = 0; i < 3; i++)
    {
        Execute(engine, definition, input);
    }

    var samples = new List<(double Ms, long Bytes, int Transitions)>();
    for (var i = 0; i < runs; i++)
    {
        // A fresh engine per run, so no run inherits the previous one's virtual-clock state.
        engine = new AslEngine(new EngineOptions { Seed = 1 });
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var result = Execute(engine, definition, input);
        watch.Stop();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        samples.Add((watch.Elapsed.TotalMilliseconds, bytes, result.Transitions));
    }

    var median = samples.OrderBy(s => s.Ms).ElementAt(samples.Count / 2);
    var medianBytes = samples.Select(s => s.Bytes).Order().ElementAt(samples.Count / 2);
    return (median.Transitions, Median(samples.Select(s => s.Ms)), medianBytes);
}

static ExecutionResult Execute(AslEngine engine, Workflows.Engine.Definition.StateMachineDefinition definition, string input)
{
    var result = engine.StartExecutionAsync(definition, input).GetAwaiter().GetResult();
    return result.Status == ExecutionStatus.Succeeded
        ? result
        : throw new InvalidOperationException($"benchmark execution failed: {result.Error} {result.Cause}");
}

static (string Engine, int Transitions, double MedianMs) RunAls(string root, string asl, string input, int runs)
{
    var differential = Path.Combine(root, "tests", "differential");
    if (!Directory.Exists(Path.Combine(differential, "node_modules", "aws-local-stepfunctions")))
    {
        Spawn(root, "npm", "ci", "--prefix", differential, "--no-audit", "--no-fund");
    }

    var json = JsonNode.Parse(Spawn(root, "node", Path.Combine(differential, "als-bench.mjs"), asl,
        runs.ToString(CultureInfo.InvariantCulture), input))!;
    return (json["engine"]!.GetValue<string>(), json["transitions"]!.GetValue<int>(), json["medianMs"]!.GetValue<double>());
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
