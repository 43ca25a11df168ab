using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Engine.Time;
using Workflows.Host.AwsJson;
using Workflows.Host.StepFunctions;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>
/// Keeps the Host README's "Real-client coverage" table honest: every call of issue 11 has a row, each row names a
/// real client and a test that exists, so a renamed or deleted test, or a newly served operation, fails here.
/// </summary>
public sealed partial class RealClientCoverageTests
{
    private const string Heading = "## Real-client coverage";
    private static readonly string[] Clients = ["AWS CLI", "JS SDK"];

    /// <summary>The EventBridge (§3) and Lambda (§4) calls of the issue, and the DSQL line of serve.</summary>
    private static readonly string[] NonModelCalls =
        ["PutEvents", "TestEventPattern", "ListRules", "DescribeRule", "Invoke RequestResponse", "Invoke Event", "DSQL ListClusters (the DSQL line)"];

    private static string RepoRoot => ServedTemplate.RepoRoot;

    private static string ModelPath => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "reference", "aws-models", "stepfunctions", "service-2.json"));

    [Fact]
    public void CoverageTable_EveryRow_NamesARealClientAndAnExistingTest()
    {
        var jsTitles = JsTitles();
        var problems = new List<string>();
        foreach (var row in Rows())
        {
            if (!Clients.Contains(row.Client))
            {
                problems.Add($"{row.Operation}: client '{row.Client}' is not one of {string.Join(", ", Clients)}");
            }

            if (JsTitle().Match(row.Test) is { Success: true } js)
            {
                if (row.Client != "JS SDK" || !jsTitles.Contains(js.Groups["title"].Value))
                {
                    problems.Add($"{row.Operation}: no test(\"{js.Groups["title"].Value}\") in tests/compat-js-sfn/serve.test.mjs (or the client is not JS SDK)");
                }
            }
            else if (CSharpTest().Match(row.Test) is { Success: true } cs)
            {
                if (row.Client != "AWS CLI" || !CSharpTestExists(cs.Groups["type"].Value, cs.Groups["method"].Value))
                {
                    problems.Add($"{row.Operation}: no test method {cs.Value.Trim('`')} in tests/Workflows.Host.Tests (or the client is not AWS CLI)");
                }
            }
            else
            {
                problems.Add($"{row.Operation}: the test cell '{row.Test}' is neither `serve.test.mjs` \"title\" nor `Class.Method`");
            }
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public void CoverageTable_EventBridgeLambdaAndDsqlCallsOfTheIssue_EachHaveARow()
    {
        var covered = Rows().Select(r => r.Operation).ToHashSet(StringComparer.Ordinal);

        NonModelCalls.Where(c => !covered.Contains(c)).Should().BeEmpty("every EventBridge and Lambda call of issue 11 needs a real-client test");
    }

    [SkippableFact]
    public async Task CoverageTable_EveryServedModelOperation_HasARowAndEveryRowIsServed()
    {
        Skip.IfNot(File.Exists(ModelPath), $"the Step Functions model is not at {ModelPath} (../shared/reference beside the clone); the operation list comes from it");
        var model = JsonNode.Parse(await File.ReadAllTextAsync(ModelPath))!["operations"]!.AsObject().Select(o => o.Key).ToList();
        var served = new List<string>();
        await using (var service = new StepFunctionsService(new StepFunctionsOptions { VirtualClock = new VirtualClock(DateTimeOffset.UnixEpoch) }))
        {
            foreach (var operation in model)
            {
                if (await ServesAsync(service, operation))
                {
                    served.Add(operation);
                }
            }
        }

        var rows = Rows().Select(r => r.Operation).Where(o => !NonModelCalls.Contains(o)).ToHashSet(StringComparer.Ordinal);

        served.Should().Contain("TestState").And.Contain("RedriveExecution", "the probe must see the served operations");
        served.Where(o => !rows.Contains(o)).Should().BeEmpty("every operation the service implements needs a real-client row");
        rows.Where(o => !served.Contains(o)).Should().BeEmpty("a row names an operation the service does not implement (or that is not in the model)");
    }

    /// <summary>An empty request: an implemented operation answers or refuses its fields, never UnknownOperationException.</summary>
    private static async Task<bool> ServesAsync(StepFunctionsService service, string operation)
    {
        try
        {
            await service.HandleAsync(operation, [], CancellationToken.None);
            return true;
        }
        catch (AwsJsonException e)
        {
            return e.Type != "UnknownOperationException";
        }
    }

    private sealed record Row(string Operation, string Client, string Test);

    private static List<Row> Rows()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot, "local", "Workflows.Host", "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith(Heading, StringComparison.Ordinal));
        start.Should().BeGreaterThanOrEqualTo(0, $"the Host README has a '{Heading}' section");
        var rows = new List<Row>();
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            var cells = lines[i].Split('|', StringSplitOptions.TrimEntries);
            // "| a | b | c |" splits into 5 cells, the outer two empty; the header and the rule are skipped.
            if (cells.Length == 5 && cells[1] is not ("operation" or "---"))
            {
                rows.Add(new Row(cells[1], cells[2], cells[3]));
            }
        }

        rows.Should().NotBeEmpty("the coverage table has rows");
        return rows;
    }

    private static HashSet<string> JsTitles()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot, "tests", "compat-js-sfn", "serve.test.mjs"));
        return JsTest().Matches(text).Select(m => m.Groups["title"].Value).ToHashSet(StringComparer.Ordinal);
    }

    private static bool CSharpTestExists(string type, string method) =>
        typeof(RealClientCoverageTests).Assembly.GetTypes()
            .Where(t => t.Name == type)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Any(m => m.Name == method && m.GetCustomAttributes<FactAttribute>(inherit: true).Any());

    [GeneratedRegex("""^`serve\.test\.mjs` "(?<title>[^"]+)"$""")]
    private static partial Regex JsTitle();

    [GeneratedRegex("""^`(?<type>[A-Za-z]+)\.(?<method>[A-Za-z_]+)`$""")]
    private static partial Regex CSharpTest();

    [GeneratedRegex("""^test\("(?<title>[^"]+)",""", RegexOptions.Multiline)]
    private static partial Regex JsTest();
}
