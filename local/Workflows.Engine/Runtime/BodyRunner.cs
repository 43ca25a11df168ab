using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Runtime;

/// <summary>Walks the states of a machine, a Parallel branch or a Map iteration from StartAt to an end.</summary>
internal static class BodyRunner
{
    public const int PayloadLimitBytes = 262_144;

    public static async Task<JsonNode?> RunAsync(StateMachineBody body, JsonNode? input, Fiber fiber)
    {
        var name = body.StartAt;
        while (true)
        {
            fiber.Token.ThrowIfCancellationRequested();
            var state = body.States[name];
            // Serialised once for both the size limit and the history event: it is a large share of a cheap state's cost.
            var inputJson = JsonValues.ToJson(input);
            CheckSize(inputJson, state.Name, "input");
            var context = new StateContext(fiber, state, fiber.Now);
            fiber.Record(state.EnteredEvent, new JsonObject
            {
                ["name"] = state.Name,
                ["input"] = inputJson,
                ["inputDetails"] = new JsonObject { ["truncated"] = false },
            });
            var outcome = await state.ExecuteAsync(context, input);
            var outputJson = JsonValues.ToJson(outcome.Output);
            CheckSize(outputJson, state.Name, "output");
            if (state.ExitedEvent is { } exited)
            {
                fiber.Record(exited, new JsonObject
                {
                    ["name"] = state.Name,
                    ["output"] = outputJson,
                    ["outputDetails"] = new JsonObject { ["truncated"] = false },
                });
            }

            if (outcome.Next is null)
            {
                return outcome.Output;
            }

            input = outcome.Output;
            name = outcome.Next;
        }
    }

    public static void CheckSize(JsonNode? payload, string where, string what) =>
        CheckSize(JsonValues.ToJson(payload), where, what);

    private static void CheckSize(string payloadJson, string where, string what)
    {
        var size = System.Text.Encoding.UTF8.GetByteCount(payloadJson);
        if (size > PayloadLimitBytes)
        {
            throw new StatesDataLimitExceeded(string.Create(
                CultureInfo.InvariantCulture,
                $"The state/task '{where}' returned a result with a size exceeding the maximum number of bytes service limit ({what}: {size} > {PayloadLimitBytes} bytes)."));
        }
    }
}
