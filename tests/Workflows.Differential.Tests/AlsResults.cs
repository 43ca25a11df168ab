using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Workflows.Differential.Tests;

/// <summary>
/// The corpus run once in aws-local-stepfunctions per test run: one `node` process for every case (its start-up
/// and the library's schema compilation cost far more than a case), shared by all theory rows.
/// </summary>
public static class AlsResults
{
    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> Results = new(RunCorpus);

    public static JsonObject For(string caseName) =>
        Results.Value.TryGetValue(caseName, out var outcome)
            ? outcome
            : throw new InvalidOperationException($"als-run.mjs printed no result for case {caseName}");

    private static Dictionary<string, JsonObject> RunCorpus()
    {
        // A fresh clone has no node_modules; installing from the committed lock file keeps `dotnet test` alone
        // working, as tests/run-all.sh does before it.
        if (!Directory.Exists(Path.Combine(RepoPaths.Differential, "node_modules", "aws-local-stepfunctions")))
        {
            Run("npm", ["ci", "--prefix", RepoPaths.Differential, "--no-audit", "--no-fund"]);
        }

        var stdout = Run("node", [Path.Combine(RepoPaths.Differential, "als-run.mjs"), RepoPaths.Corpus]);
        var results = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var outcome = JsonNode.Parse(line)!.AsObject();
            var name = outcome["name"]!.GetValue<string>();
            outcome.Remove("name");
            results[name] = outcome;
        }

        return results;
    }

    private static string Run(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }
}
