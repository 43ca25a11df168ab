using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Workflows.Jsonata.Tests;

/// <summary>
/// Differential test: seeded random expressions run through both this evaluator and the npm jsonata package
/// (tests/jsonata-oracle, installed with `npm ci --prefix tests/jsonata-oracle`). Skips, saying why, where node or
/// the package is absent.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    // WORKFLOWS_JSONATA_ORACLE_SEED / _CASES explore other expressions; the committed run uses the defaults.
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("WORKFLOWS_JSONATA_ORACLE_SEED"), out var s) ? s : 20261203;
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("WORKFLOWS_JSONATA_ORACLE_CASES"), out var n) ? n : 600;

    internal static string? OracleDirectory =>
        SuiteData.RepositoryRoot is { } root && File.Exists(Path.Combine(root, "tests", "jsonata-oracle", "node_modules", "jsonata", "package.json"))
            ? Path.Combine(root, "tests", "jsonata-oracle")
            : null;

    [OracleFact]
    public void Generated_Expressions_AgreeWithTheReferenceImplementation()
    {
        var gen = new ExpressionGenerator(Seed);
        var exprs = Enumerable.Range(0, Cases).Select(_ => gen.Next()).ToList();
        var data = JsonNode.Parse(ExpressionGenerator.Document);
        var input = new StringBuilder();
        foreach (var e in exprs)
        {
            input.AppendLine(new JsonObject { ["expr"] = e, ["data"] = data!.DeepClone() }.ToJsonString());
        }

        var oracle = RunOracle(input.ToString());
        oracle.Should().HaveCount(Cases, "the oracle answers one line per case");
        var disagreements = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var ours = Ours(exprs[i], data);
            var theirs = JsonNode.Parse(oracle[i])!.AsObject();
            var same = (ours.Code, theirs["code"]?.GetValue<string>()) switch
            {
                ({ } a, { } b) => a == b,
                (null, null) => theirs.ContainsKey("undefined") ? !ours.Defined : ours.Defined && JsonNode.DeepEquals(Normalize(ours.Result), Normalize(theirs["result"])),
                _ => false,
            };
            if (!same)
            {
                disagreements.Add($"{exprs[i]}  ours: {ours.Describe()}  reference: {oracle[i]}");
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agreement {Cases - disagreements.Count}/{Cases} (seed {Seed})"));
        foreach (var d in disagreements)
        {
            output.WriteLine(d);
        }

        disagreements.Should().BeEmpty();
    }

    private static JsonNode? Normalize(JsonNode? n) => n is null ? null : JsonNode.Parse(n.ToJsonString());

    private sealed record Outcome(bool Defined, JsonNode? Result, string? Code)
    {
        public string Describe() => Code ?? (Defined ? Result?.ToJsonString() ?? "null" : "undefined");
    }

    private static Outcome Ours(string expr, JsonNode? data)
    {
        try
        {
            var defined = JsonataExpression.Parse(expr).TryEvaluate(data?.DeepClone(), null, new JsonataOptions { RandomSeed = 1 }, out var r);
            return new Outcome(defined, r, null);
        }
        catch (JsonataException ex)
        {
            return new Outcome(false, null, ex.Code);
        }
    }

    private static List<string> RunOracle(string input)
    {
        var psi = new ProcessStartInfo("node", "oracle.js")
        {
            WorkingDirectory = OracleDirectory!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        p.StandardInput.Write(input);
        p.StandardInput.Close();
        // A generated expression can make the reference implementation run away; stop it (only this process) and say so.
        if (!stdout.Wait(TimeSpan.FromSeconds(120)))
        {
            p.Kill();
            throw new TimeoutException("the jsonata oracle did not answer within 120 s");
        }

        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        p.WaitForExit();
        return lines;
    }
}

/// <summary>A Fact that skips, saying why, when node or the oracle package is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OracleFactAttribute : FactAttribute
{
    public OracleFactAttribute()
    {
        if (DifferentialTests.OracleDirectory is null)
        {
            Skip = "the npm jsonata oracle is not installed: run `npm ci --prefix tests/jsonata-oracle` (needs node)";
        }
    }
}
