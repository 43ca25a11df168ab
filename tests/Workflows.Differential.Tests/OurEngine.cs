using System.Text.Json.Nodes;
using Workflows.Engine;
using Workflows.Engine.Tasks;

namespace Workflows.Differential.Tests;

/// <summary>Runs a case in our engine, in process, with its task attempts fed through the engine's own mock support.</summary>
public static class OurEngine
{
    private const string MachineName = "Differential";
    private const string TestCase = "Corpus";

    public static async Task<JsonObject> RunAsync(DifferentialCase c)
    {
        var options = new EngineOptions
        {
            Seed = 1,
            StateMachineName = MachineName,
            MockConfig = c.Tasks is null ? null : MockConfig.Parse(MockConfigFor(c.Tasks).ToJsonString()),
            TestCase = c.Tasks is null ? null : TestCase,
        };
        var result = await new AslEngine(options).StartExecutionAsync(
            c.Definition.ToJsonString(), (c.Input ?? new JsonObject()).ToJsonString(), "differential");
        return result.Status == ExecutionStatus.Succeeded
            ? Outcome.Succeeded(result.Output is null ? null : JsonNode.Parse(result.Output))
            : Outcome.Failed(result.StatusText, result.Error, result.Cause);
    }

    /// <summary>
    /// The corpus' per-attempt list becomes a Step Functions Local MockConfigFile: one response per state, attempt
    /// index i answering the i-th attempt, which is how the engine (like Step Functions Local) consumes them.
    /// </summary>
    public static JsonObject MockConfigFor(JsonObject tasks)
    {
        var testCase = new JsonObject();
        var responses = new JsonObject();
        foreach (var (state, attempts) in tasks)
        {
            var responseName = "Scripted:" + state;
            testCase[state] = responseName;
            var byAttempt = new JsonObject();
            var index = 0;
            foreach (var attempt in attempts!.AsArray())
            {
                var a = attempt!.AsObject();
                byAttempt[index++.ToString(System.Globalization.CultureInfo.InvariantCulture)] = a.ContainsKey("throw")
                    ? new JsonObject
                    {
                        ["Throw"] = new JsonObject
                        {
                            ["Error"] = a["throw"]!["error"]?.DeepClone(),
                            ["Cause"] = a["throw"]!["cause"]?.DeepClone(),
                        },
                    }
                    : new JsonObject { ["Return"] = a["return"]?.DeepClone() };
            }

            responses[responseName] = byAttempt;
        }

        return new JsonObject
        {
            ["StateMachines"] = new JsonObject
            {
                [MachineName] = new JsonObject { ["TestCases"] = new JsonObject { [TestCase] = testCase } },
            },
            ["MockedResponses"] = responses,
        };
    }
}
