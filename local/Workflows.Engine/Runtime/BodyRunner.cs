using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Runtime;

/// <summary>Walks the states of a machine, a Parallel branch or a Map iteration from StartAt to an end.</summary>
internal static class BodyRunner
{
    public const int PayloadLimitBytes = 262_144;

    public static async Task<JsonNode?> RunAsync(StateMachineBody body, JsonNode? input, Fiber fiber)
    {
        var name = body.StartAt;
        // The payload last measured for the size limit. A state's output is the next state's input, and state data
        // is never modified in place, so the same node need not be measured twice.
        JsonNode? measured = null;
        var hasMeasured = false;
        while (true)
        {
            fiber.Token.ThrowIfCancellationRequested();
            var state = body.States[name];
            if (!hasMeasured || !ReferenceEquals(measured, input))
            {
                CheckSize(input, state.Name, "input");
            }

            var context = new StateContext(fiber, state, fiber.Now);
            // History keeps the node, not its text: the details are serialised when someone reads them.
            fiber.RecordState(state.EnteredEvent, state.Name, StatePayload.Input, input);
            var outcome = await state.ExecuteAsync(context, input);
            if (!ReferenceEquals(outcome.Output, input))
            {
                CheckSize(outcome.Output, state.Name, "output");
            }

            measured = outcome.Output;
            hasMeasured = true;
            if (state.ExitedEvent is { } exited)
            {
                fiber.RecordState(exited, state.Name, StatePayload.Output, outcome.Output);
            }

            if (outcome.Next is null)
            {
                return outcome.Output;
            }

            input = outcome.Output;
            name = outcome.Next;
        }
    }

    public static void CheckSize(JsonNode? payload, string where, string what)
    {
        var size = JsonValues.Utf8Size(payload);
        if (size > PayloadLimitBytes)
        {
            throw new StatesDataLimitExceeded(string.Create(
                CultureInfo.InvariantCulture,
                $"The state/task '{where}' returned a result with a size exceeding the maximum number of bytes service limit ({what}: {size} > {PayloadLimitBytes} bytes)."));
        }
    }
}
