using System.Text.Json.Nodes;
using Workflows.Engine;
using Workflows.Engine.Definition;
using Workflows.Engine.Tasks;

namespace Workflows.Conformance.Tests;

/// <summary>What the engine did with a case: ran it (status, output, error, cause), or refused it at load.</summary>
public sealed record EngineOutcome(string Status, JsonNode? Output, string? Error, string? Cause, string? Refusal)
{
    public bool Refused => Refusal is not null;
}

/// <summary>Runs a case on the engine under the machine and execution names AWS ran it with, its mocks as a MockConfigFile.</summary>
public static class CaseRunner
{
    private const string TestCaseName = "Recorded";
    private static readonly TimeSpan WallLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Every case starts its virtual clock at one fixed instant, not the day the suite runs: some cases hold
    /// timestamps computed from the day AWS ran them (case 0067 waits until 2094-12-21, 24,856 days, just over 2^31 s,
    /// after its recording), so a clock that moves with the calendar makes their outcome drift. Inferred: the start of
    /// 2026, before any such recording.
    /// </summary>
    public static readonly DateTimeOffset ClockStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<EngineOutcome> RunAsync(ConformanceCase c)
    {
        var options = new EngineOptions
        {
            Seed = 1,
            Clock = new Workflows.Engine.Time.VirtualClock(ClockStart),
            StateMachineName = c.StateMachineName,
            RoleArn = RoleArnOf(c),
            ExecutionType = c.Express ? ExecutionType.Express : ExecutionType.Standard,
            MockConfig = c.Mocks is null ? null : MockConfig.Parse(MockConfigFor(c).ToJsonString()),
            TestCase = c.Mocks is null ? null : TestCaseName,
        };
        try
        {
            var engine = new AslEngine(options);
            var definition = AslEngine.Load(c.Definition);
            var result = await engine.StartExecutionAsync(definition, c.Input, c.ExecutionName).WaitAsync(WallLimit);
            return new EngineOutcome(
                result.StatusText,
                result.Output is null ? null : JsonNode.Parse(result.Output),
                result.Error,
                result.Cause,
                null);
        }
        catch (AslValidationException e)
        {
            return new EngineOutcome("REFUSED", null, null, null, string.Join("; ", e.Problems.Select(p => p.ToString())));
        }
        catch (ExecutionRequestException e)
        {
            return new EngineOutcome("REFUSED", null, null, null, $"StartExecution {e.Code}: {e.Message}");
        }
        catch (TimeoutException)
        {
            return new EngineOutcome("HUNG", null, null, null, null);
        }
#pragma warning disable CA1031 // A crash is one case's disagreement, reported with the rest.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new EngineOutcome("CRASHED", null, e.GetType().Name, e.Message, null);
        }
    }

    /// <summary>
    /// The role AWS ran with is in the transformers (its ARN is replaced by a placeholder), so $$.Execution.RoleArn
    /// normalizes to the same placeholder.
    /// </summary>
    private static string? RoleArnOf(ConformanceCase c) =>
        c.Transformers.OfType<JsonObject>()
            .Where(t => (string?)t["kind"] == "regex")
            .Select(t => (string?)t["regex"])
            .FirstOrDefault(r => r is not null && r.StartsWith("arn:aws:iam::", StringComparison.Ordinal));

    /// <summary>The corpus' per-state attempt list as a MockConfigFile: attempt i answers the i-th attempt of that state.</summary>
    public static JsonObject MockConfigFor(ConformanceCase c)
    {
        var testCase = new JsonObject();
        var responses = new JsonObject();
        foreach (var (state, attempts) in c.Mocks!)
        {
            var responseName = "Recorded:" + state;
            testCase[state] = responseName;
            var byAttempt = new JsonObject();
            var index = 0;
            foreach (var attempt in attempts!.AsArray())
            {
                byAttempt[index++.ToString(System.Globalization.CultureInfo.InvariantCulture)] = attempt!.DeepClone();
            }

            responses[responseName] = byAttempt;
        }

        return new JsonObject
        {
            ["StateMachines"] = new JsonObject
            {
                [c.StateMachineName] = new JsonObject { ["TestCases"] = new JsonObject { [TestCaseName] = testCase } },
            },
            ["MockedResponses"] = responses,
        };
    }
}
