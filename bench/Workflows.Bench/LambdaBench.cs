using System.Diagnostics;
using System.Globalization;
using DsqlLocal;
using Workflows.LambdaLocal;

namespace Workflows.Bench;

/// <summary>
/// `... -- lambda [--variant NAME=DIR]... [--cold R] [--warm N]`: each function's shipped bootstrap (one folder per
/// logical id, as functions/Makefile builds them) started by the local Lambda service and invoked with its sample
/// event from events/, against a DSQL Local on loopback. Cold start: process start to first response, a fresh
/// process each time (median of R); warm: N more invocations of one process (p50, p99); peak RSS (VmHWM) of that
/// process; the artifact's size. No assertions: the figures go to bench/README.md.
/// </summary>
internal static class LambdaBench
{
    private static readonly string[] Steps = [.. Workflows.Core.Steps.StepCatalog.All.Select(s => s.Name)];

    public static async Task<int> RunAsync(string root, IReadOnlyList<(string Name, string Directory)> variants, int coldRuns, int warmRuns)
    {
        await using var dsql = await DsqlLocalServer.StartAsync(new DsqlLocalOptions { Host = "127.0.0.1", Port = 0, ProvisioningTime = TimeSpan.FromSeconds(1) });
        var credentials = new LambdaCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}; cold runs: {coldRuns}; warm invocations: {warmRuns}"));
        Console.WriteLine();
        Console.WriteLine("| variant | function | artifact | cold start (median) | warm p50 | warm p99 | peak RSS | outcome |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var (variant, directory) in variants)
        {
            var colds = new List<double>();
            var warms = new List<double>();
            foreach (var step in Steps)
            {
                var function = new LambdaFunction
                {
                    Name = step + "Function",
                    ArtifactDirectory = Path.Combine(directory, step + "Function"),
                    Environment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_DSQL"] = dsql.BaseAddress.ToString(), ["POWERTOOLS_SERVICE_NAME"] = "workflows" },
                    TimeoutSeconds = 120,
                    MemorySizeMb = 512,
                    LogFormat = LambdaLogFormat.Json,
                };
                if (!File.Exists(Path.Combine(function.ArtifactDirectory, "bootstrap")))
                {
                    Console.WriteLine($"| {variant} | {step} | not built | | | | | |");
                    continue;
                }

                var payload = await File.ReadAllBytesAsync(Path.Combine(root, "events", step + ".json"));
                var options = new LambdaLocalOptions { Credentials = credentials, EnforceMemory = false };

                var cold = new List<double>();
                string outcome = "?";
                for (var i = 0; i < coldRuns; i++)
                {
                    await using var fresh = await LambdaService.StartAsync([function], options);
                    var clock = Stopwatch.StartNew();
                    var first = await fresh.InvokeAsync(function.Name, payload);
                    cold.Add(clock.Elapsed.TotalMilliseconds);
                    outcome = first.IsError ? first.ErrorType ?? "error" : "ok";
                }

                await using var lambda = await LambdaService.StartAsync([function], options);
                await lambda.InvokeAsync(function.Name, payload);
                var warm = new List<double>();
                for (var i = 0; i < warmRuns; i++)
                {
                    var clock = Stopwatch.StartNew();
                    await lambda.InvokeAsync(function.Name, payload);
                    warm.Add(clock.Elapsed.TotalMilliseconds);
                }

                var rss = lambda.LiveProcessIds(function.Name).Select(PeakRssKb).DefaultIfEmpty(0).Max();
                colds.Add(Median(cold));
                warms.AddRange(warm);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {variant} | {step} | {Size(function.ArtifactDirectory) / 1048576.0:F1} MiB | {Median(cold):F0} ms | {Percentile(warm, 50):F1} ms | {Percentile(warm, 99):F1} ms | {rss / 1024.0:F0} MiB | {outcome} |"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variant} | **all built** | | {Median(colds):F0} ms (median of medians) | {Percentile(warms, 50):F1} ms | {Percentile(warms, 99):F1} ms | | |"));
        }

        return 0;
    }

    private static double Median(List<double> values) => Percentile(values, 50);

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static long Size(string directory) => new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static long PeakRssKb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
